"""``GET /api/v1/kpis/``: the KPIs for a period, as ``manage.py kpi`` prints them.

The figures are the board's (J 15, 16.2): the policy's FIGURES_VIEW decides who may
ask (SMB members, the co-ordinator, administrators, auditors); practitioners are
refused with 403 and an audit row. Failing items name a person only where the caller
may open that record (``kpis_as_json``); every read is audited as ``kpi.view``.
"""

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check
from mappa.access.models import Agency
from mappa.access.policy import Action
from mappa.api.serializers import DATE_EXAMPLE, date, govuk_messages
from mappa.api.views import RegisterAPIView, _filters, _responses
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.kpis.engine import (
    PERIOD_ORDER,
    compute_kpis,
    kpis_as_json,
    quarter_of,
)

KPIS = ["KPIs"]

# "from" is a Python keyword, so the fields are given by name.
KpiFilterSerializer = type(
    "KpiFilterSerializer",
    (serializers.Serializer,),
    {
        "from": date(
            "Start date",
            help_text=f"First day of the period, YYYY-MM-DD, {DATE_EXAMPLE}; leave out for "
            "the first day of the quarter holding the end date",
        ),
        "to": date(
            "End date",
            help_text=f"Last day of the period, YYYY-MM-DD, {DATE_EXAMPLE}; leave out for today",
        ),
        "agency": serializers.PrimaryKeyRelatedField(
            queryset=Agency.objects.all(),
            required=False,
            error_messages=govuk_messages("relation", "Agency"),
            help_text="Narrow to one agency's id: the cases it led, its own attendance, its "
            "board seats.",
        ),
        "validate": lambda self, data: _validate_period(data),
    },
)


def _validate_period(data: dict[str, Any]) -> dict[str, Any]:
    start, end = data.get("from"), data.get("to")
    if start is not None and end is not None and end < start:
        raise serializers.ValidationError({"to": [PERIOD_ORDER]})
    return data


class SeatSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The SMB seat's or the agency's id")
    label = serializers.CharField()  # type: ignore[assignment]
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField(allow_null=True)


class FailingItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["review", "discussion", "attendance", "smb_attendance"])
    detail = serializers.CharField(help_text="What was missed, in plain words")
    reference = serializers.CharField(help_text="The case reference (blank for SMB seats)")
    level = serializers.IntegerField(allow_null=True)
    lead_agency = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(
        allow_null=True, help_text="Empty while a review had not been held at the end of the period"
    )
    meeting_date = serializers.DateField(allow_null=True)
    agency = serializers.CharField(help_text="The absent agency (attendance KPIs)")
    seat = serializers.CharField(help_text="The SMB seat (smb_attendance)")
    nominal_id = serializers.UUIDField(
        required=False, help_text="Only where you may open the person's record"
    )
    name = serializers.CharField(
        required=False, help_text="Only where you may open the person's record"
    )


class KpiFigureSerializer(serializers.Serializer):
    id = serializers.CharField()
    target = serializers.FloatField(help_text="A fraction: 0.9 is 90%")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="Empty when nothing was counted")
    met = serializers.BooleanField(allow_null=True)
    failing = FailingItemSerializer(many=True)
    seats = SeatSerializer(many=True, required=False, help_text="Per-member KPIs only")
    note = serializers.CharField(required=False)


KpiReportSerializer = type(
    "KpiReportSerializer",
    (serializers.Serializer,),
    {
        "profile": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "kpis": KpiFigureSerializer(many=True),
    },
)


class KpiView(RegisterAPIView):
    @extend_schema(
        operation_id="kpis_list",
        summary="The KPIs for a period",
        description="Every KPI of the area's profile (J 16.2) for the period: target, "
        "numerator, denominator, value and whether it is met, with the failing items and, "
        "for the attendance KPIs, each seat's or agency's own figures. Defaults to the "
        "current quarter to date. Failing items carry a person's name and record id only "
        "where you may open the record. SMB members, the co-ordinator, administrators and "
        "auditors only; every read is audited.",
        parameters=[KpiFilterSerializer],
        responses=_responses({200: KpiReportSerializer}),
        tags=KPIS,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.FIGURES_VIEW)
        filters = _filters(request, KpiFilterSerializer)
        end: dt.date = filters.get("to") or today()
        start: dt.date = filters.get("from") or quarter_of(end)[0]
        if end < start:
            # Only the start was given, after today: say so against the start.
            raise serializers.ValidationError({"from": [PERIOD_ORDER]})
        agency = filters.get("agency")
        results = compute_kpis(
            start=start, end=end, agency_id=agency.pk if agency is not None else None
        )
        data = kpis_as_json(results, start=start, end=end, viewer=request.user)
        named = sorted({i["reference"] for k in data["kpis"] for i in k["failing"] if "name" in i})
        audit_record(
            actor=request.user,
            action="kpi.view",
            detail={
                "from": start,
                "to": end,
                "agency": agency.pk if agency is not None else None,
                "failing": sum(len(k["failing"]) for k in data["kpis"]),
                # The cases whose person was named to this user.
                "named": named,
                "via": "api",
            },
            request=request._request,
        )
        return Response(data)
