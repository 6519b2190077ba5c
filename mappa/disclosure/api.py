"""The JSON API for requests for minutes and executive summaries (/api/v1/).

The same gates, selectors and services as the pages: a refusal answers 403 with the
policy's reason and is audited by the gate; every read of case data is audited.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.api.errors import domain_errors, validated
from mappa.api.views import RegisterAPIView, RegisterPagination, _filters, _responses
from mappa.audit.services import audit_record
from mappa.disclosure import selectors, services
from mappa.disclosure.access import sees_full_request
from mappa.disclosure.models import (
    MinutesRequest,
    RequesterType,
    RequestStatus,
)
from mappa.disclosure.redaction import redaction_log

TAGS = ["Requests for minutes"]


class RoutingSerializer(serializers.Serializer):
    agency = serializers.CharField()
    routed_on = serializers.DateField()
    what = serializers.CharField(
        allow_null=True, help_text="Null unless you see the whole request."
    )


class MinutesRequestSerializer(serializers.Serializer):
    """A request as its reader may see it: the recording agency sees the status, the
    dates, the decision and what was sent; the fields it does not see are null."""

    HIDDEN = (
        "clarified_sought",
        "minutes_sought",
        "decision_reasons",
        "notes",
        "executive_summary",
    )

    id = serializers.UUIDField()
    reference = serializers.CharField()
    case_reference = serializers.CharField(source="case.reference")
    requester_name = serializers.CharField()
    requester_type = serializers.ChoiceField(choices=RequesterType.choices)
    asked = serializers.CharField()
    received_on = serializers.DateField()
    received_by_agency = serializers.CharField(
        source="received_by_agency.name", allow_null=True, default=None
    )
    # Plain strings (values listed), not an enum: another app's "status" enum would
    # otherwise collide with this one in the schema's component names.
    status = serializers.CharField(help_text="One of: " + ", ".join(RequestStatus.values))
    full = serializers.BooleanField(
        help_text="Whether you see the whole request, or (the agency that recorded it) "
        "its progress only."
    )
    clarified_on = serializers.DateField(allow_null=True)
    clarified_sought = serializers.CharField(allow_null=True)
    minutes_sought = serializers.BooleanField(allow_null=True)
    routings = RoutingSerializer(many=True)
    decision = serializers.CharField(allow_blank=True)
    decision_reasons = serializers.CharField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    released_on = serializers.DateField(allow_null=True)
    released_version = serializers.IntegerField(
        source="released_version.number", allow_null=True, default=None
    )
    released_description = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_null=True)
    executive_summary = serializers.UUIDField(allow_null=True)


def request_data(user: Any, found: MinutesRequest) -> dict[str, Any]:
    full = sees_full_request(user, found)
    summary = selectors.summary_for_case(found.case) if full else None
    routings = [
        {"agency": r.agency.name, "routed_on": r.routed_on, "what": r.what if full else None}
        for r in found.routings.all()
    ]
    data = {
        "id": found.pk,
        "reference": found.reference,
        "case": found.case,
        "requester_name": found.requester_name,
        "requester_type": found.requester_type,
        "asked": found.asked,
        "received_on": found.received_on,
        "received_by_agency": found.received_by_agency,
        "status": found.status,
        "full": full,
        "clarified_on": found.clarified_on,
        "clarified_sought": found.clarified_sought,
        "minutes_sought": found.minutes_sought,
        "routings": routings,
        "decision": found.decision,
        "decision_reasons": found.decision_reasons,
        "decided_on": found.decided_on,
        "released_on": found.released_on,
        "released_version": found.released_version,
        "released_description": found.released_description,
        "notes": found.notes,
        "executive_summary": summary.pk if summary is not None else None,
    }
    out = dict(MinutesRequestSerializer(data).data)
    if not full:
        for name in MinutesRequestSerializer.HIDDEN:
            out[name] = None
    return out


class MinutesRequestCreateSerializer(serializers.Serializer):
    case_reference = serializers.CharField(
        max_length=40,
        help_text="The case reference (MN-000123/1) or the person's record reference "
        "(MN-000123). You need not be able to open the case.",
    )
    requester_name = serializers.CharField(max_length=200)
    requester_type = serializers.ChoiceField(choices=RequesterType.choices)
    asked = serializers.CharField()
    received_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RequestFilterSerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text="One of: " + ", ".join(RequestStatus.values)
    )
    requester_type = serializers.ChoiceField(choices=RequesterType.choices, required=False)

    def validate_status(self, value: str) -> str:
        if value not in RequestStatus.values:
            raise serializers.ValidationError("Choose one of: " + ", ".join(RequestStatus.values))
        return value


class MinutesRequestCollectionView(GenericAPIView):
    authentication_classes = RegisterAPIView.authentication_classes
    metadata_class = None
    pagination_class = RegisterPagination

    @extend_schema(
        operation_id="minutes_requests_list",
        summary="List requests for minutes",
        description="The register of requests for copies of meeting minutes (J 5.5) that "
        "you may see, latest first: every one for the co-ordinator, administrators and "
        "auditors; the case's requests for the chair of its last meeting; those your "
        "agency recorded, with their progress only.",
        parameters=[RequestFilterSerializer],
        responses=_responses({200: MinutesRequestSerializer(many=True)}),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.MINUTES_REQUEST_LIST)
        filters = _filters(request, RequestFilterSerializer)
        queryset = selectors.request_list(
            request.user,
            status=filters.get("status", ""),
            requester_type=filters.get("requester_type", ""),
        ).prefetch_related("routings__agency")
        page = self.paginate_queryset(queryset) or []
        audit_record(
            actor=request.user,
            action="minutes_request.list",
            detail={**{k: str(v) for k, v in filters.items()}, "count": len(page), "via": "api"},
            request=request._request,
        )
        return self.get_paginated_response([request_data(request.user, r) for r in page])

    @extend_schema(
        operation_id="minutes_requests_create",
        summary="Record a request for minutes",
        description="Whoever received a request records it; it goes to the co-ordinator "
        "and the chair of the case's last meeting, who are emailed its reference and a "
        "link. Full minutes are never released through a request.",
        request=MinutesRequestCreateSerializer,
        responses=_responses({201: MinutesRequestSerializer}),
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        check(request, Action.MINUTES_REQUEST_RECORD)
        data = validated(MinutesRequestCreateSerializer, request.data)
        case, identified_by = selectors.find_case(data.pop("case_reference"))
        if case is None:
            raise serializers.ValidationError(
                {"case_reference": ["There is no case or record with this reference"]}
            )
        check(request, Action.MINUTES_REQUEST_RECORD, case, nominal_id=case.nominal_id)
        with domain_errors():
            found = services.minutes_request_record(
                actor=request.user,
                case=case,
                identified_by=identified_by,
                request=request._request,
                **data,
            )
        found = selectors.request_detail(found.pk)
        return Response(
            request_data(request.user, found),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:minutes-request-detail", args=[found.pk])},
        )


class MinutesRequestItemView(RegisterAPIView):
    @extend_schema(
        operation_id="minutes_requests_retrieve",
        summary="Read a request for minutes",
        description="The request, its clarification, routing, decision and what was sent, "
        "as you may see it. Every read is audited.",
        responses=_responses({200: MinutesRequestSerializer}, bad_request=False, not_found=True),
        tags=TAGS,
    )
    def get(self, request: Request, pk: Any) -> Response:
        found = selectors.request_detail(pk)
        check(request, Action.MINUTES_REQUEST_VIEW, found, nominal_id=found.case.nominal_id)
        data = request_data(request.user, found)
        audit_record(
            actor=request.user,
            action="minutes_request.view",
            obj=found,
            nominal_id=found.case.nominal_id,
            detail={"reference": found.reference, "full": data["full"], "via": "api"},
            request=request._request,
        )
        return Response(data)


class VersionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.IntegerField()
    finalised_at = serializers.DateTimeField()
    finalised_by = serializers.CharField(source="finalised_by.display_name")
    sha256 = serializers.CharField()


class RedactionSerializer(serializers.Serializer):
    path = serializers.CharField()
    # Only describes the answer; DRF takes declared fields off the class, so the name
    # does not clash with Field.label at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    original = serializers.CharField()
    replacement = serializers.CharField()
    rule = serializers.CharField()


class ManualRedactionSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    replacement = serializers.CharField()


class ExecutiveSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_reference = serializers.CharField(source="case.reference")
    status = serializers.CharField()
    version = serializers.IntegerField(help_text="The draft's version, for optimistic locking.")
    drafted_at = serializers.DateTimeField(allow_null=True)
    draft = serializers.JSONField(help_text="The draft as it would be released (redacted).")
    redactions = RedactionSerializer(many=True)
    manual_redactions = ManualRedactionSerializer(many=True)
    versions = VersionSerializer(many=True)


class ExecutiveSummaryItemView(RegisterAPIView):
    @extend_schema(
        operation_id="executive_summaries_retrieve",
        summary="Read a case's executive summary",
        description="The current draft as it would be released (redacted), each redaction "
        "with what it removed, the redactions added by hand, and the finalised versions. "
        "Every read is audited.",
        responses=_responses({200: ExecutiveSummarySerializer}, bad_request=False, not_found=True),
        tags=TAGS,
    )
    def get(self, request: Request, pk: Any) -> Response:
        summary = selectors.summary_detail(pk)
        check(request, Action.SUMMARY_VIEW, summary, nominal_id=summary.case.nominal_id)
        content, items = services.redacted(summary)
        data = ExecutiveSummarySerializer(
            {
                "id": summary.pk,
                "case": summary.case,
                "status": summary.status,
                "version": summary.version,
                "drafted_at": summary.drafted_at,
                "draft": content,
                "redactions": redaction_log(items),
                "manual_redactions": summary.manual_redactions,
                "versions": selectors.versions_of(summary),
            }
        ).data
        audit_record(
            actor=request.user,
            action="summary.view",
            obj=summary,
            nominal_id=summary.case.nominal_id,
            detail={"case": summary.case.reference, "via": "api"},
            request=request._request,
        )
        return Response(data)
