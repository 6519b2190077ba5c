"""The demo minutes: a year of the cycle over whatever meetings the meetings demo made,
ending with minutes outstanding today."""

import datetime as dt

import pytest

from mappa.common.dates import today
from mappa.compliance.items import Kind
from mappa.meetings.models import AgendaItem, Meeting
from mappa.minutes import selectors
from mappa.minutes.demo import build_demo_minutes
from mappa.minutes.models import Action, ActionState, Minutes, MinutesAmendment, MinutesStatus
from mappa.register.models import Nominal
from tests.factories import make_nominal
from tests.minutes.conftest import make_meeting

pytestmark = pytest.mark.django_db


def test_demo_minutes_cover_the_whole_cycle(cast, personas) -> None:
    day = today()
    opened = day - dt.timedelta(days=500)
    nominals = [
        make_nominal(
            personas.coordinator,
            family_name=f"Demo{n}",
            category=category,
            lead_agency=personas.probation,
            manager=personas.owner,
            opened_on=opened,
        )
        for n, category in enumerate(["2", "3", "1", "2", "2"])
    ]
    meetings = [
        make_meeting(day - dt.timedelta(days=7 * weeks), 2, chair=cast.chair)
        for weeks in (40, 30, 20, 10, 1)
    ]
    planned = make_meeting(day + dt.timedelta(days=28), 2, chair=cast.chair, status="planned")
    for meeting in [*meetings, planned]:
        # Three cases were last discussed ten weeks ago; two are still discussed now.
        cases = nominals if meeting in meetings[:4] or meeting is planned else nominals[3:]
        for position, nominal in enumerate(cases):
            AgendaItem.objects.create(
                meeting=meeting,
                case=nominal.cases.get(),
                kind="review",
                discussed=meeting is not planned,
                position=position,
            )
    summary = build_demo_minutes(day)
    assert summary.not_started == 1
    # 4 meetings x 5 cases + 2 cases now; one older discussion is left overdue in draft.
    assert summary.minutes["distributed"] == 19
    assert summary.minutes["draft"] + summary.minutes["checked"] + summary.not_started == 3
    assert summary.amendments >= 1 and MinutesAmendment.objects.exists()
    assert len(summary.level_changes) >= 2
    states = set(
        Action.objects.exclude(minutes__status=MinutesStatus.DRAFT).values_list("state", flat=True)
    )
    assert states >= {
        ActionState.OPEN,
        ActionState.COMPLETED,
        ActionState.NOT_COMPLETED,
        ActionState.REFERRED,
    }
    assert Action.objects.filter(state=ActionState.OPEN, due_date__lt=day).exists()  # overdue
    assert Action.objects.filter(original_agency__isnull=False).exists()  # moved to the lead agency
    assert Nominal.objects.filter(status="archived").exists()  # category 3 left MAPPA
    outstanding = [
        i for i in selectors.due_items(day) if i.kind == Kind.MINUTES and i.met_on is None
    ]
    assert len(outstanding) == 3
    # Cases that left level 2 and 3 came off the planned meeting's agenda.
    assert AgendaItem.objects.filter(
        meeting__status="planned", withdrawn_at__isnull=False
    ).count() == len([c for c in summary.level_changes if "level 3" not in c])
    # Running it again adds nothing: every discussion held already has its minutes.
    assert Minutes.objects.count() == 21
    build_demo_minutes(day)
    assert Minutes.objects.count() == 21
    assert Meeting.objects.count() == 6


def test_reset_removes_every_minutes_record(cast, started) -> None:
    from mappa.minutes.demo import reset_demo_minutes
    from tests.minutes.conftest import complete

    minutes = complete(cast.personas.administrator, started(dt.date(2026, 3, 5)), cast.personas)
    assert reset_demo_minutes()["minutes"] == 1
    assert (
        not Minutes.objects.exists() and not Action.objects.filter(minutes_id=minutes.pk).exists()
    )
