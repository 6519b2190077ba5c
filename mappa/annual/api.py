"""``GET /api/v1/annual-report/{year}/``: the annual report statistics as JSON.

The same figures as the page and the exports (``mappa.annual.report``), under
``FIGURES_VIEW``; every read is audited, a refusal answers 403 and is audited by the
gate, a year the report cannot be made for answers 400 naming ``year``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.annual import selectors
from mappa.annual.exports import report_dict
from mappa.annual.report import ReportYearError, annual_report
from mappa.api.views import RegisterAPIView, _responses
from mappa.audit.services import audit_record

TAGS = ["Annual report"]


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text="One figure per column; null where it cannot be computed (see unavailable).",
    )
    total = serializers.BooleanField()


class TableSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="What the layout calls the table (T1, 4, ...)")
    key = serializers.CharField(help_text="What is counted, the same in every layout")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["snapshot", "year"])
    row_heading = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    unavailable = serializers.CharField(allow_null=True)


class ExplanationSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_null=True)


class AnnualReportSerializer(serializers.Serializer):
    protective_marking = serializers.CharField()
    handling_instruction = serializers.CharField()
    profile = serializers.CharField()
    profile_name = serializers.CharField()
    area = serializers.CharField()
    year = serializers.IntegerField()
    year_label = serializers.CharField(help_text='"2025", or "2025/26" for April to March')
    title = serializers.CharField()
    # "from" is a Python keyword: the field is declared below under its JSON name.
    to = serializers.DateField()
    snapshot_on = serializers.DateField()
    provisional = serializers.BooleanField(
        help_text="The year has not ended: figures to date, snapshot of today"
    )
    population = serializers.IntegerField(allow_null=True)
    population_source = serializers.CharField(allow_null=True)
    computed_at = serializers.DateTimeField()
    tables = TableSerializer(many=True)
    explanation = ExplanationSerializer(allow_null=True)


AnnualReportSerializer._declared_fields["from"] = serializers.DateField(
    help_text="First day of the reporting year"
)


class AnnualReportView(RegisterAPIView):
    @extend_schema(
        operation_id="annual_report_retrieve",
        summary="The annual report statistics for a year",
        description="The current area's tables in its profile's layout (England and Wales "
        "T1-T10 for the year ending 31 March of {year}; Jersey's indicators for the "
        "calendar year {year}), each figure a count of distinct people from the dated "
        "history, with the co-ordinator's explanation. Every read is audited.",
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The year the reporting period ends in, 2000 to next year",
            )
        ],
        responses=_responses({200: AnnualReportSerializer}),
        tags=TAGS,
    )
    def get(self, request: Request, year: int) -> Response:
        check(request, Action.FIGURES_VIEW)
        try:
            report = annual_report(year=year)
        except ReportYearError as exc:
            raise serializers.ValidationError({"year": [str(exc)]}) from exc
        note = selectors.note_for(year=report.year, profile_key=report.profile_key)
        audit_record(
            actor=request.user,
            action="annual_report.view",
            object_type="annual.report",
            object_id=f"{report.profile_key}:{report.year}",
            detail={"year": report.year, "profile": report.profile_key, "via": "api"},
            request=request._request,
        )
        data: dict[str, Any] = report_dict(report, note)
        return Response(data)
