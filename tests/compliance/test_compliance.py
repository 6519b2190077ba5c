"""The compliance clock: identification and referral items, states at the boundary,
the worklist's access and the command's JSON."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mappa.compliance.items import Kind
from mappa.compliance.services import area_due_items, due_items_for_user
from mappa.referrals import services as referral_services
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentenced(personas: Personas):
    nominal = make_nominal(
        personas.coordinator,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2026, 1, 5),
    )
    # Sentenced Monday 5 January 2026; identified on the third day after (8 January).
    referral_services.eligibility_record(
        actor=personas.owner,
        nominal=nominal,
        kind="sentence",
        event_date=dt.date(2026, 1, 5),
        identified_on=dt.date(2026, 1, 8),
        custody="custody",
        planned_release_date=dt.date(2026, 8, 31),
    )
    return nominal


def _item(kind: Kind, as_of: dt.date):
    return next(e for e in area_due_items(as_of) if e.item.kind == kind)


def test_identification_exactly_on_the_third_day_is_met_on_time(sentenced) -> None:
    # Day 1 is the day after the event: 6, 7, 8 January. Identified on the 8th: on time.
    item = _item(Kind.IDENTIFICATION, dt.date(2026, 1, 20))
    assert item.item.due == dt.date(2026, 1, 8)
    assert item.state == "met" and not item.met_late


def test_identification_a_day_late_is_met_late(personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, opened_on=dt.date(2026, 1, 5)
    )
    referral_services.eligibility_record(
        actor=personas.owner,
        nominal=nominal,
        kind="sentence",
        event_date=dt.date(2026, 1, 5),
        identified_on=dt.date(2026, 1, 9),
        custody="community",
    )
    item = _item(Kind.IDENTIFICATION, dt.date(2026, 1, 20))
    assert item.met_late and item.status.days_late == 1


def test_referral_due_six_months_before_release_with_month_end_clamping(sentenced) -> None:
    # 31 August 2026 less 6 calendar months is 28 February 2026 (clamped to the month's end).
    on_the_day = _item(Kind.REFERRAL, dt.date(2026, 2, 28))
    assert on_the_day.item.due == dt.date(2026, 2, 28)
    assert on_the_day.state == "due_soon"
    a_day_later = _item(Kind.REFERRAL, dt.date(2026, 3, 1))
    assert a_day_later.state == "overdue" and a_day_later.status.days_late == 1


def test_referral_submitted_meets_the_referral_clock(personas: Personas, sentenced) -> None:
    from mappa.access.models import Role
    from tests.factories import make_user

    manager = make_user("lm", Role.LINE_MANAGER, agency=personas.probation)
    referral = referral_services.referral_start(actor=manager, nominal=sentenced)
    referral_services.referral_update(
        actor=manager,
        referral=referral,
        data={
            "category": "2",
            "level_sought": 2,
            "custody": "custody",
            "overall_risk": "high",
            "risk_who": "a",
            "risk_nature": "b",
            "risk_when": "c",
            "risk_increase": "d",
            "risk_reduce": "e",
            "plan_restrictive": "f",
            "reason_for_referral": "g",
            "added_value": "h",
            "victim_concerns": "i",
            "child_protection_concerns": "no",
        },
    )
    referral_services.referral_submit(actor=manager, referral=referral)
    item = _item(Kind.REFERRAL, dt.date.today())
    assert item.state == "met"


def test_worklist_shows_only_the_users_agency(client, personas: Personas, sentenced) -> None:
    client.force_login(personas.owner)
    html = client.get(reverse("compliance:worklist"), {"state": "met"}).content.decode()
    assert sentenced.cases.get().reference in html
    client.force_login(personas.outsider)
    html = client.get(reverse("compliance:worklist"), {"state": "met"}).content.decode()
    assert sentenced.cases.get().reference not in html
    assert due_items_for_user(personas.outsider, dt.date(2026, 3, 1)) == []


def test_smb_member_cannot_open_the_worklist(client, personas: Personas) -> None:
    client.force_login(personas.smb_member)
    assert client.get(reverse("compliance:worklist")).status_code == 403


def test_command_prints_the_documented_json(sentenced) -> None:
    out = StringIO()
    call_command("compliance", "--as-of", "2026-03-01", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    referral = next(r for r in rows if r["kind"] == "referral")
    assert referral == {
        "case": sentenced.cases.get().reference,
        "level": 2,
        "kind": "referral",
        "basis": {"event": "planned release", "date": "2026-08-31"},
        "due": "2026-02-28",
        "state": "overdue",
        "met_on": None,
        "days_late": 1,
    }


def test_command_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("compliance", "--as-of", "1 March")
