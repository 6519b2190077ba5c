"""The quality audit through the API: ``GET /api/v1/quality/cases/{id}/`` and
``GET /api/v1/quality/meetings/{id}/``, the same findings as the pages, gated and
audited the same way. A name (and a link) is given only where the caller may open the
person's record; otherwise ``name`` is null and the case is named by its reference.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.api.views import RegisterAPIView, _responses
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.meetings.models import Meeting
from mappa.quality import display, selectors
from mappa.quality.views import audit_meeting_view, visible_items
from mappa.register.models import Case

QUALITY = ["Quality audit"]


class CaseRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="Only where you may open the record")
    level = serializers.IntegerField(allow_null=True)
    lead_agency = serializers.CharField()
    url = serializers.CharField(help_text="The person's record, where you may open it; else empty")


class TimeLimitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            "identification",
            "referral",
            "first_meeting",
            "review",
            "minutes",
            "level1_review",
            "home_visit",
        ]
    )
    kind_label = serializers.CharField()
    basis_event = serializers.CharField()
    basis_date = serializers.DateField()
    due = serializers.DateField()
    done = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(
        help_text="Days after the due date it was met, or to the day its clock stopped, or "
        "to today while outstanding; on the due date is on time"
    )
    state = serializers.CharField()
    outstanding = serializers.BooleanField()
    responsible = serializers.CharField()
    note = serializers.CharField()
    meeting_date = serializers.DateField(allow_null=True)
    meeting_url = serializers.CharField()
    minutes_url = serializers.CharField()


class LateActionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    description = serializers.CharField(help_text="Empty unless you may open the record")
    meeting_date = serializers.DateField()
    due = serializers.DateField()
    done = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    responsible = serializers.CharField()
    owner = serializers.CharField()
    action_url = serializers.CharField()
    minutes_url = serializers.CharField()
    meeting_url = serializers.CharField()


class DisclosureSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    level = serializers.IntegerField()
    minutes_status = serializers.CharField()
    reason = serializers.CharField()
    meeting_url = serializers.CharField()
    minutes_url = serializers.CharField()


class PlanGapSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    level = serializers.IntegerField()
    no_victim_action = serializers.BooleanField()
    no_contingency = serializers.BooleanField()
    missing = serializers.CharField()
    meeting_url = serializers.CharField()
    minutes_url = serializers.CharField()


class AttendanceGapSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    level = serializers.IntegerField()
    agency = serializers.CharField()
    status = serializers.CharField()
    meeting_url = serializers.CharField()


class AgencyTotalsSerializer(serializers.Serializer):
    agency = serializers.CharField()
    time_limits = serializers.IntegerField()
    time_limit_days = serializers.IntegerField()
    actions = serializers.IntegerField()
    action_days = serializers.IntegerField()
    attendance_gaps = serializers.IntegerField()


class CountsSerializer(serializers.Serializer):
    time_limits = serializers.IntegerField()
    time_limit_days = serializers.IntegerField()
    actions = serializers.IntegerField()
    disclosure = serializers.IntegerField()
    plans = serializers.IntegerField()
    attendance = serializers.IntegerField()


class CaseAuditSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    case = CaseRefSerializer()
    summary = serializers.CharField()
    counts = CountsSerializer()
    time_limits = TimeLimitSerializer(many=True)
    actions = LateActionSerializer(many=True)
    disclosure = DisclosureSerializer(many=True)
    plans = PlanGapSerializer(many=True)
    attendance = AttendanceGapSerializer(many=True)
    per_agency = AgencyTotalsSerializer(many=True)


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    level = serializers.IntegerField()
    status = serializers.CharField()


class MeetingCaseSerializer(serializers.Serializer):
    case = CaseRefSerializer()
    counts = CountsSerializer()


class MeetingFindingsSerializer(serializers.Serializer):
    time_limits = TimeLimitSerializer(many=True)
    actions = LateActionSerializer(many=True)
    disclosure = DisclosureSerializer(many=True)
    plans = PlanGapSerializer(many=True)
    attendance = AttendanceGapSerializer(many=True)


class DiscussionSerializer(serializers.Serializer):
    case = CaseRefSerializer()
    discussed = serializers.BooleanField()
    minutes_status = serializers.CharField()
    minutes_due = serializers.DateField(allow_null=True, help_text="J 10.12; null if none due")
    distributed_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField()
    minutes_state = serializers.CharField()
    minutes_url = serializers.CharField()
    invited = serializers.IntegerField(help_text="Agencies invited to the discussion")
    attended = serializers.IntegerField(
        help_text="Of those, how many attended in person, by video or phone, or sent a report"
    )


class MeetingAuditSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    meeting = MeetingRefSerializer()
    summary = serializers.CharField()
    findings = MeetingFindingsSerializer(
        help_text="The meeting's own findings; each row also names its case"
    )
    per_agency = AgencyTotalsSerializer(many=True)
    discussions = DiscussionSerializer(
        many=True, help_text="Each discussion's minutes deadline and attendance, late or not"
    )
    cases = MeetingCaseSerializer(many=True, help_text="Each case discussed: its whole history")


def _case_ref(case: dict[str, Any]) -> dict[str, Any]:
    return {key: case[key] for key in ("id", "reference", "name", "level", "lead_agency", "url")}


class CaseQualityView(RegisterAPIView):
    @extend_schema(
        operation_id="quality_case",
        summary="The quality audit of a case",
        description="Every time limit the case missed and by how much, actions not done by "
        "their deadline, case discussions without a decision on disclosure, distributed plans "
        "without a victim action or contingency, and attendance gaps, with the figures summed "
        "per agency (J 14.3, 16.1). Board members see references only. Every read is audited.",
        responses=_responses({200: CaseAuditSerializer}, bad_request=False, not_found=True),
        tags=QUALITY,
    )
    def get(self, request: Request, pk: Any) -> Response:
        try:
            case = Case.objects.select_related("nominal").get(pk=pk)
        except Case.DoesNotExist as exc:
            raise NotFound("No such case") from exc
        check(request, Action.QUALITY_VIEW, case, nominal_id=case.nominal_id)
        audit = selectors.case_audit(case)
        viewer = display.viewer_for(request.user, [audit])
        data = display.present(audit, viewer, selectors.agency_names(), api=True)
        data["case"] = _case_ref(data["case"])
        audit_record(
            actor=request.user,
            action="quality.view",
            obj=case,
            nominal_id=case.nominal_id,
            detail={"findings": audit.finding_count, "via": "api"},
            request=request._request,
        )
        return Response({"as_of": today().isoformat(), **data})


class MeetingQualityView(RegisterAPIView):
    @extend_schema(
        operation_id="quality_meeting",
        summary="The quality audit of a meeting",
        description="The meeting's own findings (each discussion's minutes deadline, "
        "disclosure, plan and attendance, and the actions it set that were not done by their "
        "deadline), summed per agency, and each case discussed with the findings on its whole "
        "history. Staff of an invited agency see the cases their agency has a part in. Every "
        "read is audited, once for each person whose case is shown.",
        responses=_responses({200: MeetingAuditSerializer}, bad_request=False, not_found=True),
        tags=QUALITY,
    )
    def get(self, request: Request, pk: Any) -> Response:
        try:
            meeting = Meeting.objects.get(pk=pk)
        except Meeting.DoesNotExist as exc:
            raise NotFound("No such meeting") from exc
        check(request, Action.QUALITY_VIEW, meeting)
        result = selectors.meeting_audit(meeting, visible_items(request.user, meeting))
        names = selectors.agency_names()
        viewer = display.viewer_for(request.user, list(result.cases.values()))
        findings: dict[str, list[dict[str, Any]]] = {
            key: [] for key in ("time_limits", "actions", "disclosure", "plans", "attendance")
        }
        for own in result.own:
            shown = display.present(own, viewer, names, api=True)
            for key, rows in findings.items():
                rows.extend({**row, "case": _case_ref(shown["case"])} for row in shown[key])
        cases = []
        for item in result.items:
            whole = result.cases.get(item.case_id)
            if whole is None:
                continue
            shown = display.present(whole, viewer, names, api=True)
            cases.append({"case": _case_ref(shown["case"]), "counts": shown["counts"]})
        audit_meeting_view(request._request, meeting, result)
        return Response(
            {
                "as_of": today().isoformat(),
                "meeting": {
                    "id": str(meeting.pk),
                    "date": meeting.date.isoformat(),
                    "level": meeting.level,
                    "status": meeting.status,
                },
                "summary": result.own_summary,
                "findings": findings,
                "per_agency": display.agency_rows(selectors.per_agency(result.own, names)),
                "discussions": [
                    {**row, "case": _case_ref(row["case"])}
                    for row in display.discussion_rows(
                        result.checks, result.cases, viewer, names, api=True
                    )
                ],
                "cases": cases,
            }
        )
