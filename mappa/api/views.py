"""The register's JSON API (/api/v1/). Each operation: gate, shape input, one service.

The API asks the same access policy as the pages (``mappa.access.gates``), calls
the same services and audits reads the same way. A refusal by the policy answers
403 with its reason and is audited by the gate; an unknown record answers 404.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mappa.access.gates import check, nominal_get_for_user
from mappa.access.policy import Action, section_of_entry
from mappa.api import serializers as api
from mappa.api.authentication import api_authenticators
from mappa.api.errors import domain_errors, validated
from mappa.audit.services import audit_record
from mappa.register import services
from mappa.register.models import Nominal
from mappa.register.selectors import nominal_detail, register_list_for_user
from mappa.search.selectors import search_register

REGISTER = ["Register"]
ATTACHMENTS = ["Attachments"]


# Schema: the error answers every operation can give --------------------------


class ErrorsSerializer(serializers.Serializer):
    # Only describes the answer in the schema; never validates, so the name is free.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name; messages about no one field are under non_field_errors.",
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _responses(
    ok: dict[int, Any],
    *,
    bad_request: bool = True,
    not_found: bool = False,
    conflict: bool = False,
) -> dict[int, Any]:
    answers: dict[int, Any] = dict(ok)
    if bad_request:
        answers[400] = OpenApiResponse(
            ErrorsSerializer, "Wrong input: each message names the field and what is expected."
        )
    answers[401] = OpenApiResponse(DetailSerializer, "Not signed in.")
    answers[403] = OpenApiResponse(
        DetailSerializer, "Refused by the access policy; the reason is given and audited."
    )
    if not_found:
        answers[404] = OpenApiResponse(DetailSerializer, "No such record, or no such entry on it.")
    if conflict:
        answers[409] = OpenApiResponse(
            ErrorsSerializer, "Someone else saved the record after the version you sent."
        )
    return answers


# Shared behaviour ------------------------------------------------------------


class RegisterAPIView(APIView):
    # Session sign-in answers 401 (not 403) when missing: see authentication.py.
    authentication_classes = api_authenticators()
    # OPTIONS answers 405: the schema describes every operation, and no other origin
    # is served (no CORS).
    metadata_class = None


class RegisterPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _filters(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    # An empty parameter means "any", as the page's filter form treats it.
    data = {key: value for key, value in request.query_params.items() if value != ""}
    return validated(serializer_class, data)


def _detail(pk: Any, request: Request) -> dict[str, Any]:
    """The record as this user may see it; a view of its health detail is audited."""
    nominal = nominal_detail(pk)
    serializer = api.NominalDetailSerializer(nominal, context={"user": request.user})
    data = dict(serializer.data)
    has_health = bool(data["hospital_detentions"]) or any(
        section_of_entry(w) for w in nominal.warnings.all()
    )
    if has_health and serializer.health_visible(nominal):
        audit_record(
            actor=request.user,
            action="section.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"section": "health", "via": "api"},
            request=request._request,
        )
    return data


def _check_sensitive_entry(request: Request, nominal: Nominal, entry: Any) -> None:
    """Health entries are changed only by those who may see the health section."""
    section = section_of_entry(entry)
    if section is not None:
        check(request, Action.SECTION_EDIT, (nominal, section))


# The register ----------------------------------------------------------------


class NominalCollectionView(GenericAPIView):
    authentication_classes = RegisterAPIView.authentication_classes
    metadata_class = None
    pagination_class = RegisterPagination

    @extend_schema(
        operation_id="nominals_list",
        summary="List the register",
        description="The people on the register that you may see, by family name, with "
        "their current (or, if archived, final) category, level and lead agency.",
        parameters=[api.RegisterFilterSerializer],
        responses=_responses({200: api.NominalSummarySerializer(many=True)}),
        tags=REGISTER,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.REGISTER_LIST)
        filters = _filters(request, api.RegisterFilterSerializer)
        queryset = register_list_for_user(request.user, filters)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(api.NominalSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="nominals_create",
        summary="Add a person to the register",
        description="Adds the person with their first case and identifiers. Nothing is "
        "saved unless everything is valid.",
        request=api.NominalCreateSerializer,
        responses=_responses({201: api.NominalDetailSerializer}),
        tags=REGISTER,
    )
    def post(self, request: Request) -> Response:
        check(request, Action.NOMINAL_CREATE)
        data = validated(api.NominalCreateSerializer, request.data)
        identifiers = [
            (item["kind"], item["value"], item.get("issuer", ""))
            for item in data.pop("identifiers", [])
        ]
        with domain_errors():
            nominal = services.nominal_create(
                actor=request.user, identifiers=identifiers, request=request, **data
            )
        return Response(
            _detail(nominal.pk, request),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:nominal-detail", args=[nominal.pk])},
        )


class NominalSearchView(RegisterAPIView):
    @extend_schema(
        operation_id="nominals_search",
        summary="Find a person",
        description="By name or alias (misspellings, swapped names and nickname forms "
        "allowed), optionally narrowed by date or year of birth, or by any identifier "
        "exactly. Best match first. Only records you may open are listed; "
        "hidden_matches says whether others also match, never who or how many.",
        parameters=[api.SearchQuerySerializer],
        responses=_responses({200: api.SearchOutcomeSerializer}),
        tags=REGISTER,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.REGISTER_SEARCH)
        terms = _filters(request, api.SearchQuerySerializer)
        with domain_errors():
            outcome = search_register(
                user=request.user,
                query=terms.get("q", ""),
                date_of_birth=terms.get("date_of_birth"),
                birth_year=terms.get("birth_year"),
            )
        audit_record(
            actor=request.user,
            action="register.search",
            detail={
                "terms": terms.get("q", ""),
                "date_of_birth": terms.get("date_of_birth"),
                "birth_year": terms.get("birth_year"),
                "results": len(outcome.results),
                "hidden_matches": outcome.hidden_matches,
                "via": "api",
            },
            request=request._request,
        )
        return Response(
            api.SearchOutcomeSerializer(
                {
                    "results": outcome.results,
                    "hidden_matches": outcome.hidden_matches,
                    "hidden_matches_message": (
                        api.HIDDEN_MATCHES_MESSAGE if outcome.hidden_matches else None
                    ),
                }
            ).data
        )


class NominalItemView(RegisterAPIView):
    @extend_schema(
        operation_id="nominals_retrieve",
        summary="Read a person's record",
        description="The whole record with its attachments, current case and management. "
        "Every read is audited.",
        responses=_responses({200: api.NominalDetailSerializer}, bad_request=False, not_found=True),
        tags=REGISTER,
    )
    def get(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
        audit_record(
            actor=request.user,
            action="nominal.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"via": "api"},
            request=request._request,
        )
        return Response(_detail(nominal.pk, request))

    @extend_schema(
        operation_id="nominals_partial_update",
        summary="Correct a person's details",
        description="Names, date of birth, gender and ethnicity. Send the version you read: "
        "if someone else saved the record since, the change is refused with 409. An "
        "archived record is read-only until re-activated.",
        request=api.NominalUpdateSerializer,
        responses=_responses({200: api.NominalDetailSerializer}, not_found=True, conflict=True),
        tags=REGISTER,
    )
    def patch(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        fields = validated(api.NominalUpdateSerializer, request.data)
        version = fields.pop("version")
        with domain_errors():
            services.nominal_update(
                actor=request.user,
                nominal=nominal,
                expected_version=version,
                request=request,
                **fields,
            )
        return Response(_detail(nominal.pk, request))


class NominalStatusView(RegisterAPIView):
    """Archive (J 3.4) or re-activate (J 13.3) a record, with a reason."""

    action: Action
    change: str

    def _change(self, request: Request, pk: Any) -> Response:
        nominal: Nominal = nominal_get_for_user(request, pk, self.action)
        data = validated(api.StatusChangeInputSerializer, request.data)
        service = (
            services.nominal_archive
            if self.action == Action.NOMINAL_ARCHIVE
            else services.nominal_reactivate
        )
        with domain_errors():
            service(
                actor=request.user,
                nominal=nominal,
                reason=data["reason"],
                effective_on=data.get("effective_on"),
                request=request,
            )
        return Response(_detail(nominal.pk, request))


class NominalArchiveView(NominalStatusView):
    action = Action.NOMINAL_ARCHIVE

    @extend_schema(
        operation_id="nominals_archive",
        summary="Archive a record",
        description="For a person no longer eligible for MAPPA (J 3.4): closes the open "
        "case and its partnerships. The record is then read-only until re-activated.",
        request=api.StatusChangeInputSerializer,
        responses=_responses({200: api.NominalDetailSerializer}, not_found=True),
        tags=REGISTER,
    )
    def post(self, request: Request, pk: Any) -> Response:
        return self._change(request, pk)


class NominalReactivateView(NominalStatusView):
    action = Action.NOMINAL_REACTIVATE

    @extend_schema(
        operation_id="nominals_reactivate",
        summary="Re-activate a record",
        description="Opens a new case with the last case's category, level, lead agency "
        "and manager (J 13.3).",
        request=api.StatusChangeInputSerializer,
        responses=_responses({200: api.NominalDetailSerializer}, not_found=True),
        tags=REGISTER,
    )
    def post(self, request: Request, pk: Any) -> Response:
        return self._change(request, pk)


# Attachments: aliases, identifiers, addresses, convictions, sentences, ... ---------


@dataclass(frozen=True)
class AttachmentKind:
    path: str
    serializer: type[api.DomainModelSerializer]
    singular: str

    @property
    def model(self) -> Any:
        return self.serializer.Meta.model


ATTACHMENT_KINDS = (
    AttachmentKind("aliases", api.AliasSerializer, "alias or nickname"),
    AttachmentKind("identifiers", api.IdentifierSerializer, "identifier"),
    AttachmentKind("addresses", api.AddressSerializer, "address"),
    AttachmentKind("convictions", api.ConvictionSerializer, "conviction or caution"),
    AttachmentKind("sentences", api.SentenceSerializer, "sentence"),
    AttachmentKind("hospital-detentions", api.HospitalDetentionSerializer, "hospital detention"),
    AttachmentKind("warning-markers", api.WarningMarkerSerializer, "warning marker"),
)


class AttachmentView(RegisterAPIView):
    kind: AttachmentKind

    def _item(self, nominal: Nominal, item: Any) -> Any:
        # Scoped to this record: another record's entry answers 404 (no IDOR).
        try:
            return self.kind.model.objects.get(pk=item, nominal=nominal)
        except self.kind.model.DoesNotExist as exc:
            raise NotFound(f"This record has no such {self.kind.singular}") from exc

    def _create(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        data = validated(self.kind.serializer, request.data)
        # Saved by the service, not the serializer: the model's clean() holds the rules.
        instance = self.kind.model(**data)
        _check_sensitive_entry(request, nominal, instance)
        with domain_errors():
            services.attachment_save(
                actor=request.user, nominal=nominal, instance=instance, request=request
            )
        return Response(self.kind.serializer(instance).data, status=status.HTTP_201_CREATED)

    def _update(self, request: Request, pk: Any, item: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        instance = self._item(nominal, item)
        _check_sensitive_entry(request, nominal, instance)
        data = validated(self.kind.serializer, request.data, instance=instance, partial=True)
        for name, value in data.items():
            setattr(instance, name, value)
        _check_sensitive_entry(request, nominal, instance)
        with domain_errors():
            services.attachment_save(
                actor=request.user, nominal=nominal, instance=instance, request=request
            )
        return Response(self.kind.serializer(instance).data)

    def _delete(self, request: Request, pk: Any, item: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        instance = self._item(nominal, item)
        _check_sensitive_entry(request, nominal, instance)
        with domain_errors():
            services.attachment_delete(
                actor=request.user, nominal=nominal, instance=instance, request=request
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def attachment_views(kind: AttachmentKind) -> tuple[type[APIView], type[APIView]]:
    """The collection (POST) and item (PATCH, DELETE) views for one kind of entry."""
    name = kind.serializer.__name__.removesuffix("Serializer")
    article = "an" if kind.singular[0] in "aeiou" else "a"
    operation = kind.path.replace("-", "_")
    serializer = kind.serializer

    class CollectionView(AttachmentView):
        @extend_schema(
            operation_id=f"{operation}_create",
            summary=f"Add {article} {kind.singular}",
            request=serializer,
            responses=_responses({201: serializer}, not_found=True),
            tags=ATTACHMENTS,
        )
        def post(self, request: Request, pk: Any) -> Response:
            return self._create(request, pk)

    class ItemView(AttachmentView):
        @extend_schema(
            operation_id=f"{operation}_partial_update",
            summary=f"Correct {article} {kind.singular}",
            request=serializer,
            responses=_responses({200: serializer}, not_found=True),
            tags=ATTACHMENTS,
        )
        def patch(self, request: Request, pk: Any, item: Any) -> Response:
            return self._update(request, pk, item)

        @extend_schema(
            operation_id=f"{operation}_destroy",
            summary=f"Remove {article} {kind.singular}",
            request=None,
            responses=_responses({204: None}, not_found=True),
            tags=ATTACHMENTS,
        )
        def delete(self, request: Request, pk: Any, item: Any) -> Response:
            return self._delete(request, pk, item)

    CollectionView.kind = kind
    ItemView.kind = kind
    CollectionView.__name__ = CollectionView.__qualname__ = f"{name}CollectionView"
    ItemView.__name__ = ItemView.__qualname__ = f"{name}ItemView"
    return CollectionView, ItemView


# Addresses that do not exist -------------------------------------------------------


@extend_schema(exclude=True)
class UnknownAddressView(RegisterAPIView):
    """Anything else under /api/v1/ answers 404 as JSON, like an unknown record."""

    def _unknown(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound(
            "There is nothing at this address. The schema at /api/v1/openapi.json lists "
            "every operation."
        )

    get = post = put = patch = delete = _unknown


# Documentation ---------------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files, its start-up script served separately so
    that no page needs inline script (decisions.md, "Access and audit")."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "MAPPA case management API"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        # The start-up script carries a CSRF token: no other site may load it.
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        return response
