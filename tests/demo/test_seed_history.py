"""The large area's history (issue 6, point 8): ``seed_scale --years`` gives the bulk-loaded
people dated levels, meetings, attendance, minutes, actions, outcome events and the
SMB, consistent with the register's rules, once."""

import datetime as dt
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.kpis.engine import compute_kpis
from mappa.meetings.models import COUNTS_AS_ATTENDED, AgendaItem, Attendance, Meeting
from mappa.minutes.models import Action, Minutes, MinutesStatus
from mappa.outcomes.models import OutcomeEvent
from mappa.profiles.calendar import add_months
from mappa.register.models import Case, CaseState, Category, Nominal, NominalStatus
from mappa.smb.models import SmbMeeting, SmbSeat

pytestmark = pytest.mark.django_db

PEOPLE = 400


def _history() -> dict[str, int]:
    return {
        "states": CaseState.objects.count(),
        "meetings": Meeting.objects.count(),
        "items": AgendaItem.objects.count(),
        "attendance": Attendance.objects.count(),
        "minutes": Minutes.objects.count(),
        "actions": Action.objects.count(),
        "outcomes": OutcomeEvent.objects.count(),
        "smb": SmbMeeting.objects.count(),
    }


def test_seed_scale_gives_the_bulk_loaded_cases_years_of_consistent_history(personas) -> None:
    out = StringIO()
    call_command("seed_scale", "--nominals", str(PEOPLE), "--years", "3", "--seed", "4", stdout=out)
    assert f"History of 3 years for {PEOPLE} cases" in out.getvalue()
    day = today()
    start = day - dt.timedelta(days=round(365.25 * 3))

    # The dated history: contiguous, one current state per open case, none for a closed
    # one, category 3 never at level 1 (J 3.9).
    by_case: dict[object, list[CaseState]] = defaultdict(list)
    for state in CaseState.objects.select_related("case"):
        by_case[state.case_id].append(state)
    for states in by_case.values():
        states.sort(key=lambda s: s.effective_from)
        case = states[0].case
        for before, after in zip(states, states[1:], strict=False):
            assert before.effective_to == after.effective_from
            assert before.effective_from < before.effective_to
        assert (states[-1].effective_to is None) == (case.closed_on is None)
        assert not any(s.category == Category.CATEGORY_3 and s.level == 1 for s in states)
    # A few per cent at level 2 or 3 on any day, as in a real area.
    for on in (day, add_months(day, -18)):
        current = CaseState.objects.filter(effective_from__lte=on).exclude(effective_to__lte=on)
        share = current.filter(level__in=(2, 3)).count() / current.count()
        assert 0.01 <= share <= 0.12, (on, share)
    # Category 3 cases whose spell ended left MAPPA: closed and archived.
    closed = Case.objects.filter(closed_on__isnull=False)
    assert closed.exists()
    assert not Nominal.objects.filter(cases__in=closed, status=NominalStatus.ACTIVE).exists()

    # Meetings only at the level the case was managed at on the day.
    for item in AgendaItem.objects.select_related("meeting")[:300]:
        states = by_case[item.case_id]
        on = item.meeting.date
        level = next(
            s.level
            for s in states
            if s.effective_from <= on and (s.effective_to is None or on <= s.effective_to)
        )
        assert level == item.meeting.level or any(s.effective_from == on for s in states), item.pk
        assert start <= on <= day
    assert Attendance.objects.filter(status__in=COUNTS_AS_ATTENDED).exists()
    assert Attendance.objects.exclude(status__in=COUNTS_AS_ATTENDED).exists()
    distributed = Minutes.objects.filter(status=MinutesStatus.DISTRIBUTED)
    assert distributed.exists() and not distributed.filter(disclosure="").exists()
    assert Action.objects.filter(protects_victims=True).count() == distributed.count()
    assert OutcomeEvent.objects.values("kind").distinct().count() >= 6
    assert SmbSeat.objects.count() >= 9 and SmbMeeting.objects.count() >= 12

    # The KPIs have something to count over the last year.
    for kpi in compute_kpis(start=add_months(day, -12) + dt.timedelta(days=1), end=day):
        assert kpi.denominator > 0, kpi.id
    assert AuditEvent.objects.filter(action="register.bulk_seed_history").count() == 1

    # Again (and as a top-up): the history is there, nothing is added twice.
    counted = _history()
    again = StringIO()
    call_command("seed_scale", "--nominals", str(PEOPLE), "--top-up", "--years", "3", stdout=again)
    assert "has its history already" in again.getvalue()
    assert _history() == counted


def test_years_out_of_range_are_refused() -> None:
    with pytest.raises(CommandError, match="--years"):
        call_command("seed_scale", "--nominals", "5", "--years", "-1")
    with pytest.raises(CommandError, match="--years"):
        call_command("seed_scale", "--nominals", "5", "--years", "21")
    assert not Nominal.objects.exists()


def test_without_history(personas) -> None:
    call_command("seed_scale", "--nominals", "20", stdout=StringIO())
    assert Nominal.objects.count() == 20 and not Meeting.objects.exists()
