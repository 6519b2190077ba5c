"""The casework JSON API (issue 4, point 7): identification, the referral lifecycle,
risk assessments, home visits and the compliance clock.

The same pattern as ``views.py``: gate, shape input, one service. The gates are the
pages' gates: ``nominal_get_for_user`` for what hangs off a person's record, and the
policy's referral actions (``Action.REFERRAL_*``, decided in ``mappa.referrals.access``)
for referrals, fetched only through ``_referral_for``. A refusal answers 403 with the
policy's reason and is audited by the gate (``access.refused``, outcome "refused").
"""

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check, nominal_get_for_user
from mappa.access.policy import Action, decide
from mappa.api import casework_serializers as api
from mappa.api.errors import STALE_VERSION, Conflict, domain_errors, validated
from mappa.api.views import RegisterAPIView, RegisterPagination, _filters, _responses
from mappa.assessments import services as assessment_services
from mappa.assessments.models import TOOL_MODELS, Tool
from mappa.assessments.risk import overall_risk_level
from mappa.assessments.selectors import (
    assessment_history,
    home_visits_for,
    latest_assessments,
    next_home_visit,
)
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.compliance.services import as_json, due_items_for_user
from mappa.referrals import services as referral_services
from mappa.referrals.access import referrals_visible_to
from mappa.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralInvitee,
    ReferralStatus,
    ReferralSubmission,
)

IDENTIFICATION = ["Identification"]
REFERRALS = ["Referrals"]
ASSESSMENTS = ["Risk assessments"]
HOME_VISITS = ["Home visits"]
COMPLIANCE = ["Compliance"]


# Identification (J 3.3) ----------------------------------------------------------------


class EligibilityCollectionView(RegisterAPIView):
    @extend_schema(
        operation_id="eligibility_list",
        summary="List a person's eligibility events",
        description="What made the person MAPPA-eligible and when it was identified, newest "
        "event first. Every read is audited.",
        responses=_responses(
            {200: api.EligibilityEventSerializer(many=True)}, bad_request=False, not_found=True
        ),
        tags=IDENTIFICATION,
    )
    def get(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
        events = nominal.eligibility_events.select_related(
            "recorded_by__agency", "recorded_by_agency"
        )
        data = api.EligibilityEventSerializer(events, many=True).data
        audit_record(
            actor=request.user,
            action="eligibility.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"events": len(data), "via": "api"},
            request=request._request,
        )
        return Response(data)

    @extend_schema(
        operation_id="eligibility_create",
        summary="Record that a person became MAPPA-eligible",
        description="A sentence, notification order, hospital admission, transfer in or "
        "identification as a potentially dangerous person, with the date of the event and "
        "the date identified (J 3.3). The identification and referral deadlines follow.",
        request=api.EligibilityEventSerializer,
        responses=_responses({201: api.EligibilityEventSerializer}, not_found=True),
        tags=IDENTIFICATION,
    )
    def post(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        data = validated(api.EligibilityEventSerializer, request.data)
        with domain_errors():
            event = referral_services.eligibility_record(
                actor=request.user, nominal=nominal, request=request, **data
            )
        return Response(api.EligibilityEventSerializer(event).data, status=status.HTTP_201_CREATED)


# Referrals (MAPPA A; J 10.4, appendix A) ------------------------------------------------


def _referral_for(request: Request, pk: Any) -> Referral:
    """The one way these views fetch a referral: refused (and audited) unless visible."""
    try:
        referral = Referral.objects.get(pk=pk)
    except Referral.DoesNotExist as exc:
        raise NotFound("No such referral") from exc
    check(request, Action.REFERRAL_VIEW, referral)
    return referral


def _editable_referral(request: Request, pk: Any) -> Referral:
    """As the pages do: while the referral can be changed, only those the policy lets
    change it; once it has been sent nobody may, and the service says so (400)."""
    referral = _referral_for(request, pk)
    if referral.is_editable:
        check(request, Action.REFERRAL_EDIT, referral)
    return referral


def _referral_data(request: Request, pk: Any) -> dict[str, Any]:
    referral = (
        Referral.objects.select_related(
            "nominal",
            "case",
            "referrer__agency",
            "referring_agency",
            "line_manager__agency",
            "endorsed_by__agency",
            "decided_by__agency",
        )
        .prefetch_related(
            Prefetch("invitees", queryset=ReferralInvitee.objects.select_related("agency")),
            Prefetch("events", queryset=ReferralEvent.objects.select_related("by__agency")),
            Prefetch(
                "submissions",
                queryset=ReferralSubmission.objects.select_related("submitted_by__agency"),
            ),
        )
        .get(pk=pk)
    )
    user = request.user
    context = {
        "problems": referral_services.referral_problems(referral) if referral.is_editable else None,
        "actions": {
            "edit": bool(decide(user, Action.REFERRAL_EDIT, referral)),
            "endorse": referral.status == ReferralStatus.AWAITING_ENDORSEMENT
            and bool(decide(user, Action.REFERRAL_ENDORSE, referral)),
            "screen": referral.status == ReferralStatus.AWAITING_SCREENING
            and bool(decide(user, Action.REFERRAL_SCREEN, referral)),
        },
    }
    return dict(api.ReferralDetailSerializer(referral, context=context).data)


@contextmanager
def _at_version(
    referral: Referral, version: int | None, only: Collection[str] | None = None
) -> Iterator[None]:
    """One transaction for the action, refused with 409 if the referral changed since
    the caller read the ``version`` it sent (a checked draft is what gets submitted).
    ``only``: as for ``domain_errors``."""
    with transaction.atomic(), domain_errors(only):
        if version is not None:
            current = (
                Referral.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=referral.pk)
            )
            if current != version:
                raise Conflict({"errors": {"version": [STALE_VERSION]}})
        yield


class ReferralCollectionView(GenericAPIView):
    authentication_classes = RegisterAPIView.authentication_classes
    metadata_class = None
    pagination_class = RegisterPagination

    @extend_schema(
        operation_id="referrals_list",
        summary="List referrals",
        description="The referrals you may see, newest first: your agency's (for "
        "practitioners, chairs and line managers), those naming you as line manager, or "
        "every one for the co-ordinator, administrators and auditors.",
        parameters=[api.ReferralFilterSerializer],
        responses=_responses({200: api.ReferralSummarySerializer(many=True)}),
        tags=REFERRALS,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.REFERRAL_LIST)
        filters = _filters(request, api.ReferralFilterSerializer)
        queryset = (
            referrals_visible_to(request.user)
            .select_related(
                "nominal", "case", "referrer__agency", "referring_agency", "line_manager__agency"
            )
            .order_by("-created_at")
        )
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(api.ReferralSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="referrals_create",
        summary="Start a referral",
        description="Opens a draft referral for the person's open case, prefilled from the "
        "register, with you as the first invitee. One referral per case may be open.",
        request=api.ReferralCreateSerializer,
        responses=_responses({201: api.ReferralDetailSerializer}),
        tags=REFERRALS,
    )
    def post(self, request: Request) -> Response:
        data = validated(api.ReferralCreateSerializer, request.data)
        try:
            nominal = nominal_get_for_user(request, data["nominal"], Action.NOMINAL_EDIT)
        except Http404 as exc:
            raise serializers.ValidationError(
                {"nominal": [f"There is no one on the register with the id {data['nominal']}"]}
            ) from exc
        with domain_errors():
            referral = referral_services.referral_start(
                actor=request.user, nominal=nominal, request=request
            )
        return Response(
            _referral_data(request, referral.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:referral-detail", args=[referral.pk])},
        )


class ReferralItemView(RegisterAPIView):
    @extend_schema(
        operation_id="referrals_retrieve",
        summary="Read a referral",
        description="Every section, the invitees, the history and, while it can be "
        "changed, what stops it being submitted. Every read is audited.",
        responses=_responses(
            {200: api.ReferralDetailSerializer}, bad_request=False, not_found=True
        ),
        tags=REFERRALS,
    )
    def get(self, request: Request, pk: Any) -> Response:
        referral = _referral_for(request, pk)
        audit_record(
            actor=request.user,
            action="referral.view",
            obj=referral,
            nominal_id=referral.nominal_id,
            detail={"via": "api"},
            request=request._request,
        )
        return Response(_referral_data(request, referral.pk))

    @extend_schema(
        operation_id="referrals_partial_update",
        summary="Save answers in a draft referral",
        description="Any fields of any sections. A draft keeps whatever is sent; what is "
        "still missing is listed under problems. Send the version you read: if someone "
        "else saved the referral since, the change is refused with 409.",
        request=api.ReferralUpdateSerializer,
        responses=_responses({200: api.ReferralDetailSerializer}, not_found=True, conflict=True),
        tags=REFERRALS,
    )
    def patch(self, request: Request, pk: Any) -> Response:
        referral = _editable_referral(request, pk)
        fields = validated(api.ReferralUpdateSerializer, request.data)
        version = fields.pop("version")
        with domain_errors():
            referral_services.referral_update(
                actor=request.user,
                referral=referral,
                data=fields,
                expected_version=version,
                request=request,
            )
        return Response(_referral_data(request, referral.pk))


class ReferralInviteeCollectionView(RegisterAPIView):
    @extend_schema(
        operation_id="referral_invitees_create",
        summary="Add a person to invite",
        description="MAPPA A section 10: a named person with exact contact details, not a "
        "whole agency (J appendix B).",
        request=api.ReferralInviteeInputSerializer,
        responses=_responses({201: api.ReferralInviteeSerializer}, not_found=True),
        tags=REFERRALS,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _editable_referral(request, pk)
        data = validated(api.ReferralInviteeInputSerializer, request.data)
        with domain_errors():
            invitee = referral_services.referral_invitee_save(
                actor=request.user,
                referral=referral,
                invitee=ReferralInvitee(referral=referral, position=0, **data),
                request=request,
            )
        return Response(api.ReferralInviteeSerializer(invitee).data, status=status.HTTP_201_CREATED)


class ReferralInviteeItemView(RegisterAPIView):
    @extend_schema(
        operation_id="referral_invitees_destroy",
        summary="Remove a person to invite",
        description="Any invitee but the first, who is the referrer.",
        request=None,
        responses=_responses({204: None}, bad_request=False, not_found=True),
        tags=REFERRALS,
    )
    def delete(self, request: Request, pk: Any, item: int) -> Response:
        referral = _editable_referral(request, pk)
        # Scoped to this referral: another referral's invitee answers 404.
        invitee = referral.invitees.filter(pk=item).select_related("agency").first()
        if invitee is None:
            raise NotFound("This referral has no such invitee")
        with domain_errors():
            referral_services.referral_invitee_remove(
                actor=request.user, referral=referral, invitee=invitee, request=request
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _action_schema(
    operation: str, summary: str, description: str, request: type[serializers.Serializer]
) -> Any:
    return extend_schema(
        operation_id=f"referrals_{operation}",
        summary=summary,
        description=description,
        request=request,
        responses=_responses({200: api.ReferralDetailSerializer}, not_found=True, conflict=True),
        tags=REFERRALS,
    )


class ReferralSubmitView(RegisterAPIView):
    @_action_schema(
        "submit",
        "Submit a referral",
        "Sends the draft to the named line manager for endorsement (or, for a line "
        "manager's own referral, straight to the co-ordinator). Refused with 400 listing "
        "every problem by field while anything is missing. One version is kept per "
        "submission.",
        api.ReferralActionSerializer,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _editable_referral(request, pk)
        data = validated(api.ReferralActionSerializer, request.data)
        with _at_version(referral, data.get("version")):
            referral_services.referral_submit(
                actor=request.user, referral=referral, request=request
            )
        return Response(_referral_data(request, referral.pk))


class ReferralEndorseView(RegisterAPIView):
    @_action_schema(
        "endorse",
        "Endorse a referral",
        "By the line manager named on it, while it awaits endorsement (MAPPA A s.9). It "
        "then goes to the co-ordinator's screening queue.",
        api.ReferralNoteSerializer,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _referral_for(request, pk)
        check(request, Action.REFERRAL_ENDORSE, referral)
        data = validated(api.ReferralNoteSerializer, request.data)
        with _at_version(referral, data.get("version")):
            referral_services.referral_endorse(
                actor=request.user, referral=referral, note=data.get("note", ""), request=request
            )
        return Response(_referral_data(request, referral.pk))


class ReferralReturnView(RegisterAPIView):
    @_action_schema(
        "return",
        "Return a referral to the referrer",
        "By the named line manager while it awaits endorsement, or by the co-ordinator "
        "asking for more information while it awaits screening. The note says what is "
        "needed; the referrer sees it.",
        api.ReferralReturnSerializer,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _referral_for(request, pk)
        if referral.status == ReferralStatus.AWAITING_SCREENING:
            check(request, Action.REFERRAL_SCREEN, referral)
            by_coordinator = True
        elif referral.status == ReferralStatus.AWAITING_ENDORSEMENT:
            check(request, Action.REFERRAL_ENDORSE, referral)
            by_coordinator = False
        else:
            # Nothing to return now: whoever returns referrals hears why (400 from the
            # service); anyone else is refused.
            by_coordinator = bool(decide(request.user, Action.REFERRAL_SCREEN, referral))
            if not by_coordinator:
                check(request, Action.REFERRAL_ENDORSE, referral)
        data = validated(api.ReferralReturnSerializer, request.data)
        with _at_version(referral, data.get("version")):
            referral_services.referral_return(
                actor=request.user,
                referral=referral,
                note=data.get("note", ""),
                by_coordinator=by_coordinator,
                request=request,
            )
        return Response(_referral_data(request, referral.pk))


class ReferralAcceptView(RegisterAPIView):
    @_action_schema(
        "accept",
        "Accept a referral",
        "By the co-ordinator, at level 2 or 3 (J 10.4): the case moves to that category "
        "and level today and the first meeting's deadline is set.",
        api.ReferralAcceptSerializer,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _referral_for(request, pk)
        check(request, Action.REFERRAL_SCREEN, referral)
        data = validated(api.ReferralAcceptSerializer, request.data)
        # Moving the case may be refused for what the register lacks (a category 1 case
        # needs its notification end date): said without a field, as none here holds it.
        with _at_version(referral, data.get("version"), api.ReferralAcceptSerializer().fields):
            referral_services.referral_accept(
                actor=request.user,
                referral=referral,
                category=data.get("category") or "",
                level=data.get("level") or 0,
                note=data.get("note", ""),
                request=request,
            )
        return Response(_referral_data(request, referral.pk))


class ReferralDeclineView(RegisterAPIView):
    @_action_schema(
        "decline",
        "Decline a referral",
        "By the co-ordinator, with the reason (not eligible, or manageable at level 1 "
        "without a meeting) and an explanation the referrer sees (J 3.5). A sexual "
        "offender cannot be declined as manageable at level 1 (J 9.2, 10.3).",
        api.ReferralDeclineSerializer,
    )
    def post(self, request: Request, pk: Any) -> Response:
        referral = _referral_for(request, pk)
        check(request, Action.REFERRAL_SCREEN, referral)
        data = validated(api.ReferralDeclineSerializer, request.data)
        with _at_version(referral, data.get("version")):
            referral_services.referral_decline(
                actor=request.user,
                referral=referral,
                reason=data.get("reason") or "",
                note=data.get("note", ""),
                request=request,
            )
        return Response(_referral_data(request, referral.pk))


# Risk assessments (J 6, 11; MAPPA B s.5) ------------------------------------------------


def _assessment_data(row: Any) -> dict[str, Any]:
    return dict(api.ASSESSMENT_OUTPUT[str(row.tool)](row).data)


class AssessmentCollectionView(RegisterAPIView):
    @extend_schema(
        operation_id="assessments_list",
        summary="List a person's risk assessments",
        description="The overall risk of serious harm the person is managed at, the latest "
        "assessment of each tool with its age, and the whole history, newest first. Every "
        "read is audited.",
        responses=_responses(
            {200: api.AssessmentOverviewSerializer}, bad_request=False, not_found=True
        ),
        tags=ASSESSMENTS,
    )
    def get(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
        history = assessment_history(nominal)
        audit_record(
            actor=request.user,
            action="assessments.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"assessments": len(history), "via": "api"},
            request=request._request,
        )
        level, source = overall_risk_level(nominal)
        latest = latest_assessments(nominal, history=history)
        return Response(
            {
                "overall_risk": api.OverallRiskSerializer({"level": level, "source": source}).data,
                "latest": api.LatestAssessmentSerializer(latest, many=True).data,
                "history": [_assessment_data(row) for row in history],
            }
        )

    @extend_schema(
        operation_id="assessments_create",
        summary="Record a risk assessment",
        description="One completed assessment with its tool's own fields; tool says which "
        f"({api.TOOL_DESCRIPTIONS}). History is kept. For a person under 18 on the date "
        "completed, adult tools are refused and ASSET is asked for (J 11).",
        request=api.AssessmentCreateSchema,
        responses=_responses({201: api.AssessmentSchema}, not_found=True),
        tags=ASSESSMENTS,
    )
    def post(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        tool = Tool(validated(api.ToolSerializer, request.data)["tool"])
        data = validated(api.ASSESSMENT_INPUT[tool.value], request.data)
        values = {name: data[name] for name in TOOL_MODELS[tool].FIELDS if name in data}
        user: Any = request.user
        with domain_errors():
            assessment = assessment_services.assessment_record(
                actor=user,
                nominal=nominal,
                tool=tool.value,
                completed_on=data["completed_on"],
                author=data.get("author") or user,
                agency=data.get("agency") or user.agency,
                values=values,
                notes=data.get("notes", ""),
                request=request,
            )
        return Response(_assessment_data(assessment), status=status.HTTP_201_CREATED)


# Home visits (J 14.9) -------------------------------------------------------------------


class HomeVisitCollectionView(RegisterAPIView):
    @extend_schema(
        operation_id="home_visits_list",
        summary="List a person's home visits",
        description="Police home visits to a registered sexual offender, newest first, and "
        "when the next is due by the overall risk level. Every read is audited.",
        responses=_responses({200: api.HomeVisitsSerializer}, bad_request=False, not_found=True),
        tags=HOME_VISITS,
    )
    def get(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
        visits = home_visits_for(nominal)
        audit_record(
            actor=request.user,
            action="home_visits.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"visits": len(visits), "via": "api"},
            request=request._request,
        )
        due = next_home_visit(nominal)
        next_visit = None
        if due is not None:
            next_visit = {
                "risk_level": due.risk_level,
                "risk_source": due.risk_source,
                "basis_event": due.basis_event,
                "basis_date": due.basis_date,
                "due": due.due,
                "state": str(due.status.state) if due.status else None,
            }
        return Response(api.HomeVisitsSerializer({"visits": visits, "next_visit": next_visit}).data)

    @extend_schema(
        operation_id="home_visits_create",
        summary="Record a home visit",
        description="To a registered sexual offender (category 1): the date, the officers, "
        "whether it was announced, the outcome and any concerns. Only a visit where the "
        "person was seen at home restarts the visit clock.",
        request=api.HomeVisitCreateSerializer,
        responses=_responses({201: api.HomeVisitSerializer}, not_found=True),
        tags=HOME_VISITS,
    )
    def post(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        data = validated(api.HomeVisitCreateSerializer, request.data)
        with domain_errors():
            visit = assessment_services.home_visit_record(
                actor=request.user, nominal=nominal, request=request, **data
            )
        return Response(api.HomeVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


# The compliance clock (issue 4, points 6 and 7) -----------------------------------------


class ComplianceView(RegisterAPIView):
    @extend_schema(
        operation_id="compliance_list",
        summary="List due items",
        description="Every due item you are responsible for on the date asked about: "
        "identification, referral, first meeting, review, minutes, level 1 review and home "
        "visit, each with the event its due date counts from and its state (met items "
        "included; filter by state). The co-ordinator, administrators and auditors see the "
        "whole area and may filter by agency; everyone else sees their agency's cases. "
        "The same list as manage.py compliance --format json.",
        parameters=[api.ComplianceFilterSerializer],
        responses=_responses({200: api.ComplianceSerializer}),
        tags=COMPLIANCE,
    )
    def get(self, request: Request) -> Response:
        # The same gate as the worklist page: it lists case data, like the register.
        check(request, Action.REGISTER_LIST)
        filters = _filters(request, api.ComplianceFilterSerializer)
        as_of: dt.date = filters.get("as_of") or today()
        agency = filters.get("agency")
        rows = due_items_for_user(
            request.user,
            as_of,
            kind=filters.get("kind", ""),
            state=filters.get("state", ""),
            agency_id=agency.pk if agency is not None else None,
        )
        audit_record(
            actor=request.user,
            action="compliance.view",
            detail={
                "as_of": as_of.isoformat(),
                "kind": filters.get("kind", ""),
                "state": filters.get("state", ""),
                "agency": agency.pk if agency is not None else None,
                "items": len(rows),
                "via": "api",
            },
            request=request._request,
        )
        return Response({"as_of": as_of.isoformat(), "items": as_json(rows)})
