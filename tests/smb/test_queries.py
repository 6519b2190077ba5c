"""The board's pages ask the database the same number of times however long its
history (style.md: pin query counts on list and detail pages)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mappa.smb import services
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.smb.conftest import Board, Hold

pytestmark = pytest.mark.django_db

PAGES = ["smb:board", "smb:meetings", "smb:attendance"]


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _meeting(hold: Hold, board: Board, month: int) -> None:
    hold(
        dt.date(2026, month, 10),
        {board.police: "attended", board.probation: "attended", board.housing: "apologies"},
    )


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_do_not_grow_with_history(
    client: Client, personas: Personas, board: Board, hold: Hold, name: str
) -> None:
    sign_in(client, personas.coordinator)
    _meeting(hold, board, 1)
    address = reverse(name)
    _queries(client, address)  # warm the session and the profile
    few = _queries(client, address)
    for month in range(2, 9):
        _meeting(hold, board, month)
    services.holder_change(
        actor=personas.coordinator, seat=board.police, name="Supt B", started_on=dt.date(2026, 5, 1)
    )
    assert _queries(client, address) == few


def test_a_meetings_page_does_not_grow_with_the_board(
    client: Client, personas: Personas, board: Board, hold: Hold
) -> None:
    meeting = hold(
        dt.date(2026, 1, 10),
        {board.police: "attended", board.probation: "attended", board.housing: "apologies"},
    )
    sign_in(client, personas.coordinator)
    for name in ("smb:meeting_detail", "smb:meeting_record"):
        address = reverse(name, args=[meeting.pk])
        _queries(client, address)
        few = _queries(client, address)
        for index in range(4):
            seat = services.seat_create(
                actor=personas.coordinator,
                title=f"Extra seat {index}",
                agency=personas.education,
                minimum_grade="Any",
                created_on=dt.date(2026, 2, 1),
            )
            services.holder_change(
                actor=personas.coordinator,
                seat=seat,
                name=f"Holder {index}",
                started_on=seat.created_on,
            )
        assert _queries(client, address) == few
