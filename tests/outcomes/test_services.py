"""Outcome events: the case found for the date, the order rules, and the audit."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.outcomes import services
from mappa.outcomes.models import OutcomeEvent
from mappa.register.models import Nominal
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.outcomes.conftest import FIRST_CLOSED, FIRST_OPENED, SECOND_OPENED

pytestmark = pytest.mark.django_db


def changes_of(event: AuditEvent) -> dict[str, Any]:
    assert event.changes is not None
    return dict(event.changes)


ONE_DAY = dt.timedelta(days=1)


def _add(personas: Personas, nominal: Nominal, **fields: Any) -> OutcomeEvent:
    values = {"kind": "custody_breach_of_licence", "occurred_on": FIRST_OPENED, **fields}
    return services.outcome_event_create(actor=personas.owner, nominal=nominal, **values)


def _refusal(personas: Personas, nominal: Nominal, **fields: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        _add(personas, nominal, **fields)
    assert not OutcomeEvent.objects.exists()
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("day", "reference"),
    [
        (FIRST_OPENED, "/1"),  # the day the first case opened
        (FIRST_CLOSED, "/1"),  # the day it closed still belongs to it
        (SECOND_OPENED, "/2"),
        (SECOND_OPENED + ONE_DAY, "/2"),
    ],
)
def test_the_event_goes_on_the_case_open_on_its_date(
    personas: Personas, person: Nominal, day: dt.date, reference: str
) -> None:
    event = _add(personas, person, occurred_on=day)
    assert event.case is not None
    assert event.case.reference == f"{person.reference}{reference}"


def test_an_event_before_the_first_case_is_refused(personas: Personas, person: Nominal) -> None:
    assert _refusal(personas, person, occurred_on=FIRST_OPENED - ONE_DAY) == {
        "occurred_on": [
            f"The date must be on or after 10 January 2024, when {person.reference}'s first "
            f"case ({person.reference}/1) was opened"
        ]
    }


def test_an_event_with_no_case_open_is_refused(personas: Personas, person: Nominal) -> None:
    assert _refusal(personas, person, occurred_on=FIRST_CLOSED + ONE_DAY) == {
        "occurred_on": [
            f"No case was open on 11 January 2025 (case {person.reference}/1 closed on "
            "10 January 2025). An outcome event is recorded on the case open on its date; "
            "only lifetime notification requirements revoked on application, order revoked "
            "and MAPPA serious case review commissioned can be recorded after management ended"
        ]
    }


@pytest.mark.parametrize(
    ("kind", "order_type"),
    [
        ("lifetime_notification_revoked", ""),
        ("order_revoked", "shpo"),
        ("serious_case_review", ""),
    ],
)
def test_what_can_come_after_management_is_recorded_without_a_case(
    personas: Personas, person: Nominal, kind: str, order_type: str
) -> None:
    event = _add(
        personas, person, kind=kind, order_type=order_type, occurred_on=FIRST_CLOSED + ONE_DAY
    )
    assert event.case is None
    # Still never before the first case.
    assert "first case" in _refusal_for_update(personas, event, FIRST_OPENED - ONE_DAY)


def _refusal_for_update(personas: Personas, event: OutcomeEvent, day: dt.date) -> str:
    with pytest.raises(ValidationError) as exc:
        services.outcome_event_update(
            actor=personas.owner,
            event=event,
            kind=event.kind,
            occurred_on=day,
            order_type=event.order_type,
        )
    return exc.value.message_dict["occurred_on"][0]


def test_a_person_with_no_case_cannot_have_events(personas: Personas) -> None:
    nominal = make_nominal(personas.coordinator, lead_agency=personas.probation)
    nominal.cases.all().delete()
    with pytest.raises(ValidationError) as exc:
        _add(personas, nominal, occurred_on=today())
    assert exc.value.message_dict == {
        "occurred_on": ["This person has no case, so no outcome event can be recorded"]
    }


def test_the_date_is_required_and_not_in_the_future(personas: Personas, person: Nominal) -> None:
    assert _refusal(personas, person, occurred_on=None) == {
        "occurred_on": ["Enter the date of the outcome"]
    }
    assert _refusal(personas, person, occurred_on=today() + ONE_DAY) == {
        "occurred_on": ["The date of the outcome must be today or in the past"]
    }
    # Today itself is allowed.
    assert _add(personas, person, occurred_on=today()).occurred_on == today()


def test_the_kind_is_required(personas: Personas, person: Nominal) -> None:
    assert _refusal(personas, person, kind="") == {"kind": ["Select what happened"]}
    assert _refusal(personas, person, kind="escaped") == {"kind": ["Select what happened"]}


def test_an_order_names_its_type_and_nothing_else_does(personas: Personas, person: Nominal) -> None:
    assert _refusal(personas, person, kind="order_imposed") == {
        "order_type": ["Select the type of order"]
    }
    assert _refusal(personas, person, kind="order_imposed", order_type="curfew") == {
        "order_type": ["Select the type of order"]
    }
    assert _refusal(personas, person, kind="custody_breach_of_order", order_type="shpo") == {
        "order_type": ["Leave the type of order empty: only an order imposed or revoked has one"]
    }
    event = _add(personas, person, kind="order_imposed", order_type="sexual_risk_order")
    assert event.order_type == "sexual_risk_order"


@pytest.mark.parametrize("order_type", ["shpo", "sopo"])
def test_foreign_travel_restrictions_on_a_shpo_or_sopo(
    personas: Personas, person: Nominal, order_type: str
) -> None:
    event = _add(
        personas,
        person,
        kind="order_imposed",
        order_type=order_type,
        foreign_travel_restrictions=True,
    )
    assert event.foreign_travel_restrictions is True


@pytest.mark.parametrize(
    ("kind", "order_type"),
    [
        ("order_imposed", "restraining_order"),
        ("order_imposed", "foreign_travel_order"),
        ("custody_breach_of_licence", ""),
    ],
)
def test_foreign_travel_restrictions_on_anything_else_are_refused(
    personas: Personas, person: Nominal, kind: str, order_type: str
) -> None:
    assert _refusal(
        personas, person, kind=kind, order_type=order_type, foreign_travel_restrictions=True
    ) == {
        "foreign_travel_restrictions": [
            "Only a sexual harm prevention order or a sexual offences prevention order has "
            "foreign-travel restrictions"
        ]
    }


def test_recording_is_audited_with_the_values(personas: Personas, person: Nominal) -> None:
    event = _add(personas, person, notes="  Recalled by the Parole Board  ")
    audit = AuditEvent.objects.get(action="outcome_event.create")
    assert audit.nominal_id == str(person.pk)
    assert audit.object_id == str(event.pk)
    assert changes_of(audit)["kind"] == [None, "custody_breach_of_licence"]
    assert changes_of(audit)["case"] == [None, f"{person.reference}/1"]
    assert changes_of(audit)["notes"] == [None, "Recalled by the Parole Board"]
    assert event.recorded_by == personas.owner


def test_a_new_date_moves_the_event_to_that_dates_case(personas: Personas, person: Nominal) -> None:
    event = _add(personas, person)
    services.outcome_event_update(
        actor=personas.coordinator,
        event=event,
        kind="serious_further_offence_charge",
        occurred_on=SECOND_OPENED,
    )
    event.refresh_from_db()
    assert event.case is not None and event.case.reference == f"{person.reference}/2"
    audit = AuditEvent.objects.get(action="outcome_event.update")
    assert audit.changes == {
        "case": [f"{person.reference}/1", f"{person.reference}/2"],
        "kind": ["custody_breach_of_licence", "serious_further_offence_charge"],
        "occurred_on": ["2024-01-10", "2025-06-01"],
    }
    # Saving the same values again changes nothing and audits nothing.
    services.outcome_event_update(
        actor=personas.coordinator,
        event=event,
        kind="serious_further_offence_charge",
        occurred_on=SECOND_OPENED,
    )
    assert AuditEvent.objects.filter(action="outcome_event.update").count() == 1


def test_a_refused_change_keeps_the_event(personas: Personas, person: Nominal) -> None:
    event = _add(personas, person)
    _refusal_for_update(personas, event, FIRST_CLOSED + ONE_DAY)
    event.refresh_from_db()
    assert event.occurred_on == FIRST_OPENED


def test_removal_is_audited_with_what_was_removed(personas: Personas, person: Nominal) -> None:
    event = _add(personas, person, kind="notification_breach_caution")
    services.outcome_event_remove(actor=personas.coordinator, event=event)
    assert not OutcomeEvent.objects.exists()
    audit = AuditEvent.objects.get(action="outcome_event.delete")
    assert audit.object_id == str(event.pk)
    assert audit.nominal_id == str(person.pk)
    assert changes_of(audit)["kind"] == ["notification_breach_caution", None]
