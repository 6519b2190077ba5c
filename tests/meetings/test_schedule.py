"""The panel schedule (J 10.6): set days each month, generated ahead, idempotent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.meetings import selectors, services
from mappa.meetings.models import Meeting, MeetingKind, PanelSchedule, Weekday
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2025, 1, Weekday.TUESDAY, 2, dt.date(2025, 1, 14)),
        (2025, 4, Weekday.TUESDAY, 2, dt.date(2025, 4, 8)),  # 1 April is a Tuesday
        (2025, 1, Weekday.FRIDAY, 5, dt.date(2025, 1, 31)),  # the last day is the Friday
        (2025, 2, Weekday.FRIDAY, 5, dt.date(2025, 2, 28)),
        (2024, 2, Weekday.THURSDAY, 5, dt.date(2024, 2, 29)),  # leap year
        (2025, 11, Weekday.FRIDAY, 5, dt.date(2025, 11, 28)),  # 30 November is a Sunday
        (2025, 9, Weekday.MONDAY, 1, dt.date(2025, 9, 1)),
        (2025, 6, Weekday.MONDAY, 4, dt.date(2025, 6, 23)),
    ],
)
def test_scheduled_date(year: int, month: int, weekday: int, week: int, expected: dt.date) -> None:
    assert services.scheduled_date(year, month, weekday, week) == expected


def _schedules(personas: Personas, chair) -> tuple[PanelSchedule, PanelSchedule]:
    level2 = services.panel_schedule_save(
        actor=personas.administrator,
        level=2,
        week_of_month=2,
        weekday=Weekday.TUESDAY,
        start_time=dt.time(10),
        end_time=dt.time(13),
        venue="Police HQ, Rouge Bouillon",
        chair=chair,
    )
    level3 = services.panel_schedule_save(
        actor=personas.administrator,
        level=3,
        week_of_month=5,
        weekday=Weekday.FRIDAY,
        start_time=dt.time(14),
        end_time=dt.time(16),
        venue="Probation, Royal Square",
        chair=personas.coordinator,
    )
    return level2, level3


def test_generation_across_month_and_year_ends(personas: Personas, chair) -> None:
    level2, level3 = _schedules(personas, chair)
    created = services.meetings_generate(
        actor=personas.administrator, months=3, start=dt.date(2025, 11, 20)
    )
    second_tuesdays = sorted(m.date for m in created if m.schedule == level2)
    last_fridays = sorted(m.date for m in created if m.schedule == level3)
    # 11 November is before the start; 10 February is within three months of 20 November.
    assert second_tuesdays == [dt.date(2025, 12, 9), dt.date(2026, 1, 13), dt.date(2026, 2, 10)]
    # 27 February is after 20 February, the end of the three months.
    assert last_fridays == [dt.date(2025, 11, 28), dt.date(2025, 12, 26), dt.date(2026, 1, 30)]
    meeting = next(m for m in created if m.date == dt.date(2025, 12, 9))
    assert (meeting.start_time, meeting.end_time, meeting.chair) == (
        dt.time(10),
        dt.time(13),
        chair,
    )
    assert meeting.kind == MeetingKind.SCHEDULED and meeting.level == 2
    assert AuditEvent.objects.filter(action="meeting.generate").count() == 1


def test_generation_is_idempotent_even_after_a_meeting_moves(personas: Personas, chair) -> None:
    _schedules(personas, chair)
    start = dt.date(2025, 11, 20)
    first = services.meetings_generate(actor=personas.administrator, months=3, start=start)
    moved = next(m for m in first if m.date == dt.date(2025, 12, 26))
    moved.date = dt.date(2025, 12, 19)  # Boxing Day: the administrator moved it
    moved.save()
    again = services.meetings_generate(actor=personas.administrator, months=3, start=start)
    assert again == []
    assert Meeting.objects.count() == len(first)
    longer = services.meetings_generate(actor=personas.administrator, months=4, start=start)
    assert sorted(m.date for m in longer) == [dt.date(2026, 2, 27), dt.date(2026, 3, 10)]


def test_a_bank_holiday_panel_day_is_flagged(personas: Personas, chair) -> None:
    _schedules(personas, chair)
    created = services.meetings_generate(
        actor=personas.administrator, months=2, start=dt.date(2025, 12, 1)
    )
    boxing_day = next(m for m in created if m.date == dt.date(2025, 12, 26))
    assert selectors.holiday_of(boxing_day)
    ordinary = next(m for m in created if m.date == dt.date(2025, 12, 9))
    assert selectors.holiday_of(ordinary) is None


def test_schedule_rules(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        services.panel_schedule_save(
            actor=personas.administrator,
            level=2,
            week_of_month=2,
            weekday=Weekday.TUESDAY,
            start_time=dt.time(13),
            end_time=dt.time(10),
            venue="",
            chair=personas.owner,  # a practitioner cannot chair (J 9.2)
        )
    errors = exc.value.message_dict
    assert errors["end_time"] == ["The end time must be after the start time"]
    assert errors["venue"] == ["Enter the venue"]
    assert "J 9.2" in errors["chair"][0]
    with pytest.raises(ValidationError, match="from 1 to 24"):
        services.meetings_generate(actor=personas.administrator, months=0)


def test_schedule_change_is_audited_field_by_field(personas: Personas, chair) -> None:
    level2, _ = _schedules(personas, chair)
    services.panel_schedule_save(
        actor=personas.administrator,
        schedule=level2,
        level=2,
        week_of_month=3,
        weekday=Weekday.TUESDAY,
        start_time=dt.time(10),
        end_time=dt.time(13),
        venue="Police HQ, Rouge Bouillon",
        chair=chair,
    )
    event = AuditEvent.objects.filter(action="meeting_schedule.update").get()
    assert event.changes == {"week_of_month": [2, 3]}
