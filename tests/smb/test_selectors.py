"""Quarters without a meeting held (J 15.1, 15.3) and the chair's rotation (J 15.3)."""

import datetime as dt

import pytest

from mappa.smb import selectors, services
from tests.conftest import Personas
from tests.smb.conftest import Board, Hold

pytestmark = pytest.mark.django_db

EVERYONE = ("police", "probation", "housing")


def _everyone(board: Board, status: str = "attended") -> dict:
    return {getattr(board, name): status for name in EVERYONE}


def test_a_quarter_with_no_meeting_held_is_warned_of(
    personas: Personas, board: Board, hold: Hold
) -> None:
    # The board began on 1 January 2025. Held: Q1 and Q3 2025; Q2 only had a cancelled
    # meeting; Q4 2025 nothing. Asked on 20 February 2026: Q1 2026 is running, with
    # nothing held or planned.
    hold(dt.date(2025, 2, 10), _everyone(board))
    hold(dt.date(2025, 8, 10), _everyone(board))
    cancelled = services.meeting_create(actor=personas.coordinator, date=dt.date(2025, 5, 10))
    services.meeting_cancel(actor=personas.coordinator, meeting=cancelled, reason="Snow")
    warnings = selectors.quarter_warnings(dt.date(2026, 2, 20))
    assert [(w.quarter.year, w.quarter.number, w.current) for w in warnings] == [
        (2026, 1, True),
        (2025, 4, False),
        (2025, 2, False),
    ]
    assert warnings[1].message == (
        "No meeting was held in October to December 2025. The board meets at least "
        "quarterly (J 15.1)."
    )
    assert warnings[0].message.startswith(
        "No meeting has been held or planned in January to March 2026"
    )


def test_a_planned_meeting_answers_the_running_quarter(
    personas: Personas, board: Board, hold: Hold
) -> None:
    hold(dt.date(2025, 2, 10), _everyone(board))
    services.meeting_create(actor=personas.coordinator, date=dt.date(2025, 6, 30))
    assert selectors.quarter_warnings(dt.date(2025, 4, 1)) == []
    # The quarter ends with the meeting still only planned: now it is warned of.
    later = selectors.quarter_warnings(dt.date(2025, 7, 1))
    assert [(w.quarter.number, w.current) for w in later] == [(3, True), (2, False)]


def test_quarters_before_the_board_existed_are_not_warned_of(board: Board) -> None:
    warnings = selectors.quarter_warnings(dt.date(2025, 2, 1))
    assert [(w.quarter.year, w.quarter.number) for w in warnings] == [(2025, 1)]


def test_no_board_no_warnings(db: None) -> None:
    assert selectors.quarter_warnings(dt.date(2025, 2, 1)) == []


def test_the_chair_passes_to_the_next_agency_in_the_boards_order(
    personas: Personas, board: Board, hold: Hold
) -> None:
    prison = services.seat_create(
        actor=personas.coordinator,
        title="Deputy Governor, Prison",
        agency=board.prison_agency,
        minimum_grade="Deputy Governor",
        created_on=dt.date(2025, 1, 1),
    )
    day = dt.date(2025, 12, 1)
    # No chair yet: the first eligible seat (police; housing never chairs).
    assert selectors.proposed_chair(day) == board.police
    everyone = {**_everyone(board), prison: "attended"}
    hold(dt.date(2025, 2, 10), everyone, chair=board.police)
    assert selectors.proposed_chair(day) == board.probation
    hold(dt.date(2025, 5, 10), everyone, chair=board.probation)
    assert selectors.proposed_chair(day) == prison
    hold(dt.date(2025, 8, 10), everyone, chair=prison)
    # Round again to the police.
    assert selectors.proposed_chair(day) == board.police
    history = selectors.chair_history(before=day)
    assert [m.chair_seat for m in history] == [prison, board.probation, board.police]


def test_a_second_seat_of_the_same_agency_is_skipped(
    personas: Personas, board: Board, hold: Hold
) -> None:
    services.seat_update(
        actor=personas.coordinator,
        seat=board.probation,
        title=board.probation.title,
        agency=personas.police,
        minimum_grade=board.probation.minimum_grade,
        created_on=board.probation.created_on,
    )
    hold(dt.date(2025, 2, 10), _everyone(board), chair=board.police)
    # The probation seat now belongs to the police too: the chair stays with the police
    # only because no other agency can take it.
    assert selectors.proposed_chair(dt.date(2025, 6, 1)) == board.probation
