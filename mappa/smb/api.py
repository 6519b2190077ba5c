"""The board's JSON API: meetings with their attendance, and attendance by seat.

The same gate as the pages (``Action.SMB_VIEW``: the board, the co-ordinator,
administrators and auditors); a refusal answers 403 with the policy's reason and is
audited by the gate. No case data is given here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.api.schema import NamedChoiceField
from mappa.api.serializers import date, govuk_messages
from mappa.api.views import RegisterAPIView, RegisterPagination, _filters, _responses
from mappa.smb import selectors
from mappa.smb.models import SmbAttendanceStatus, SmbMeetingStatus

SMB = ["Strategic Management Board"]


class SmbAttendanceSerializer(serializers.Serializer):
    seat = serializers.IntegerField(source="seat_id", help_text="The seat's id")
    seat_title = serializers.CharField(source="seat.title")
    agency = serializers.CharField(source="seat.agency.name")
    status = NamedChoiceField(enum_name="SmbAttendanceStatus", choices=SmbAttendanceStatus.choices)
    attendee_name = serializers.CharField(help_text="Who attended, or whose apologies")
    counts_as_attended = serializers.BooleanField(
        help_text="The member or a named deputy attended (J 16.2 (4))"
    )


class SmbMeetingSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    venue = serializers.CharField()
    status = NamedChoiceField(enum_name="SmbMeetingStatus", choices=SmbMeetingStatus.choices)
    chair_seat = serializers.IntegerField(source="chair_seat_id", allow_null=True)
    chair_seat_title = serializers.CharField(
        source="chair_seat.title", allow_null=True, default=None
    )
    chair_name = serializers.CharField()
    minutes = serializers.CharField(help_text="The short minutes")
    cancel_reason = serializers.CharField(help_text="Why a cancelled meeting did not take place")
    attendance = SmbAttendanceSerializer(many=True, help_text="One row per seat recorded")


class SmbMeetingFilterSerializer(serializers.Serializer):
    start = date("From date", help_text="YYYY-MM-DD: meetings on or after this date")
    end = date("To date", help_text="YYYY-MM-DD: meetings on or before this date")
    status = NamedChoiceField(
        enum_name="SmbMeetingStatus",
        choices=SmbMeetingStatus.choices,
        required=False,
        error_messages=govuk_messages("choice", "Status", SmbMeetingStatus.choices),
    )

    def get_fields(self) -> dict[str, Any]:
        # ``from`` is a Python keyword, so the fields are declared as start and end.
        fields = super().get_fields()
        return {"from": fields.pop("start"), "to": fields.pop("end"), **fields}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"to": ["The end date must be the same as or after the start date"]}
            )
        return attrs


class SmbPeriodSerializer(SmbMeetingFilterSerializer):
    start = date("From date", required=True, help_text="YYYY-MM-DD: the first day of the period")
    end = date("To date", required=True, help_text="YYYY-MM-DD: the last day of the period")
    status = None  # type: ignore[assignment]


class SmbSeatAttendanceSerializer(serializers.Serializer):
    seat = serializers.IntegerField(source="seat_id")
    title = serializers.CharField()
    agency = serializers.CharField()
    minimum_grade = serializers.CharField()
    created_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    held = serializers.IntegerField(help_text="Meetings held in the period while the seat existed")
    attended = serializers.IntegerField(help_text="Of those, attended by the member or a deputy")
    not_recorded = serializers.IntegerField(
        help_text="Held meetings with no attendance recorded for the seat (not attended)"
    )
    rate = serializers.FloatField(allow_null=True, help_text="attended / held; null when none held")
    met = serializers.BooleanField(allow_null=True, help_text="rate reaches the target")


class SmbAttendanceReportSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day of the period")
    end = serializers.DateField(help_text="The last day of the period")
    target = serializers.FloatField(help_text="A fraction: 0.9")
    meetings_held = serializers.IntegerField()
    met = serializers.BooleanField(
        allow_null=True, help_text="Every seat reached the target; null when nothing was held"
    )
    seats = SmbSeatAttendanceSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        # Named as the query asks for the period: from and to.
        fields = super().get_fields()
        return {"from": fields.pop("start"), "to": fields.pop("end"), **fields}


def _attendance_rows(meeting: Any) -> list[dict[str, Any]]:
    from mappa.smb.models import SMB_COUNTS_AS_ATTENDED

    return [
        {
            "seat_id": a.seat_id,
            "seat": a.seat,
            "status": a.status,
            "attendee_name": a.attendee_name,
            "counts_as_attended": a.status in SMB_COUNTS_AS_ATTENDED,
        }
        for a in meeting.attendance.all()
    ]


class SmbMeetingListView(GenericAPIView):
    authentication_classes = RegisterAPIView.authentication_classes
    metadata_class = None
    pagination_class = RegisterPagination

    @extend_schema(
        operation_id="smb_meetings_list",
        summary="List the board's meetings",
        description="Planned, held and cancelled meetings of the Strategic Management Board "
        "(J 15.3), newest first, each with the chair and the attendance recorded for each "
        "seat. Filter by from, to (inclusive) and status.",
        parameters=[SmbMeetingFilterSerializer],
        responses=_responses({200: SmbMeetingSerializer(many=True)}),
        tags=SMB,
    )
    def get(self, request: Request) -> Response:
        check(request, Action.SMB_VIEW)
        filters = _filters(request, SmbMeetingFilterSerializer)
        queryset = selectors.meetings_with_attendance(
            start=filters.get("from"), end=filters.get("to"), status=filters.get("status", "")
        )
        page = self.paginate_queryset(queryset)
        rows = [
            {
                **{
                    name: getattr(m, name)
                    for name in (
                        "id",
                        "date",
                        "venue",
                        "status",
                        "chair_seat_id",
                        "chair_seat",
                        "chair_name",
                        "minutes",
                        "cancel_reason",
                    )
                },
                "attendance": _attendance_rows(m),
            }
            for m in page or []
        ]
        return self.get_paginated_response(SmbMeetingSerializer(rows, many=True).data)


class SmbAttendanceView(RegisterAPIView):
    @extend_schema(
        operation_id="smb_attendance",
        summary="Attendance by seat for a period",
        description="J 16.2 (4): for each seat, the board meetings held from `from` to `to` "
        "(inclusive) while the seat existed, how many it attended (the member or a named "
        "deputy), and the rate against the profile's target. Cancelled and planned meetings "
        "are not counted. `met` is true only when every seat reaches the target.",
        parameters=[SmbPeriodSerializer],
        responses=_responses({200: SmbAttendanceReportSerializer}),
        tags=SMB,
    )
    def get(self, request: Request) -> Response:
        from mappa.smb.views import attendance_target

        check(request, Action.SMB_VIEW)
        filters = _filters(request, SmbPeriodSerializer)
        start: dt.date = filters["from"]
        end: dt.date = filters["to"]
        target = attendance_target()
        rows = selectors.seat_attendance(start, end)
        seats = [{**row.__dict__, "rate": row.rate, "met": row.met(target)} for row in rows]
        counted = [s["met"] for s in seats if s["met"] is not None]
        data = {
            "from": start,
            "to": end,
            "target": target,
            "meetings_held": len(selectors.held_meetings_between(start, end)),
            "met": all(counted) if counted else None,
            "seats": seats,
        }
        return Response(SmbAttendanceReportSerializer(data).data)
