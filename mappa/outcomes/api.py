"""Outcome events on the JSON API: a person's list, and recording one.

The pages' gate (``nominal_get_for_user``: ``NOMINAL_VIEW`` to read, ``NOMINAL_EDIT``
to record), the same service and the same messages. Every read is audited.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from mappa.access.gates import nominal_get_for_user
from mappa.access.policy import Action
from mappa.api.errors import domain_errors, validated
from mappa.api.schema import NamedChoiceField
from mappa.api.serializers import boolean, date, govuk_messages, text
from mappa.api.views import RegisterAPIView, _responses
from mappa.audit.services import audit_record
from mappa.outcomes import selectors, services
from mappa.outcomes.models import OrderType, OutcomeEvent, OutcomeKind

OUTCOMES = ["Outcome events"]


class OutcomeEventSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = NamedChoiceField(
        enum_name="OutcomeKind",
        choices=OutcomeKind.choices,
        error_messages={
            **govuk_messages("choice", "What happened", OutcomeKind.choices),
            "required": "Select what happened",
            "null": "Select what happened",
        },
        help_text="What happened",
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    occurred_on = date("Date of the outcome", required=True, help_text="YYYY-MM-DD")
    order_type = NamedChoiceField(
        enum_name="OutcomeOrderType",
        choices=OrderType.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages=govuk_messages("choice", "Type of order", OrderType.choices),
        help_text="Required for order_imposed and order_revoked; empty otherwise",
    )
    foreign_travel_restrictions = boolean(
        "Foreign-travel restrictions",
        default=False,
        help_text="Only for a sexual harm prevention order or sexual offences prevention order",
    )
    notes = text("Notes", max_length=5000, default="")
    case = serializers.CharField(
        source="case.reference",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The case open on the date, found by the service; null after management",
    )
    recorded_by = serializers.CharField(
        source="recorded_by.display_name", read_only=True, allow_null=True, default=None
    )
    created_at = serializers.DateTimeField(read_only=True)


class OutcomeEventCollectionView(RegisterAPIView):
    @extend_schema(
        operation_id="outcome_events_list",
        summary="List a person's outcome events",
        description="Breaches of notification requirements, returns to custody, serious "
        "further offence charges, orders imposed and revoked, deregistration eligibility "
        "and serious case reviews, newest first, each with the case open on its date. "
        "Every read is audited.",
        responses=_responses(
            {200: OutcomeEventSerializer(many=True)}, bad_request=False, not_found=True
        ),
        tags=OUTCOMES,
    )
    def get(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
        events = list(selectors.events_of(nominal))
        audit_record(
            actor=request.user,
            action="nominal.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"section": "outcomes", "shown": len(events), "via": "api"},
            request=request._request,
        )
        return Response(OutcomeEventSerializer(events, many=True).data)

    @extend_schema(
        operation_id="outcome_events_create",
        summary="Record an outcome event",
        description="Recorded on the case open on its date. Refused with 400 for a date in "
        "the future, before the person's first case, or on a day no case was open (except "
        "lifetime notification revoked, an order revoked and a serious case review, which "
        "can come after management); for an order without its type, a type on anything "
        "else, or foreign-travel restrictions on an order other than a SHPO or SOPO.",
        request=OutcomeEventSerializer,
        responses=_responses({201: OutcomeEventSerializer}, not_found=True),
        tags=OUTCOMES,
    )
    def post(self, request: Request, pk: Any) -> Response:
        nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
        data = validated(OutcomeEventSerializer, request.data)
        with domain_errors():
            event = services.outcome_event_create(
                actor=request.user, nominal=nominal, request=request._request, **data
            )
        stored = OutcomeEvent.objects.select_related("case", "recorded_by").get(pk=event.pk)
        return Response(OutcomeEventSerializer(stored).data, status=status.HTTP_201_CREATED)
