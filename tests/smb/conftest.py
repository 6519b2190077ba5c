"""Fixtures for the board's tests: seats built through the services, and a way to hold
a meeting on any past day with each seat's attendance."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mappa.access.models import Agency, AgencyKind
from mappa.smb import services
from mappa.smb.models import SmbMeeting, SmbSeat
from mappa.smb.services import AttendanceEntry
from tests.conftest import Personas
from tests.factories import make_agency

START = dt.date(2025, 1, 1)


@dataclass
class Board:
    police: SmbSeat
    probation: SmbSeat
    housing: SmbSeat
    prison_agency: Agency


@pytest.fixture
def board(personas: Personas) -> Board:
    actor = personas.coordinator
    prison = make_agency("Prison Service", AgencyKind.PRISON)
    police = services.seat_create(
        actor=actor,
        title="Superintendent, Police",
        agency=personas.police,
        minimum_grade="Superintendent",
        created_on=START,
    )
    probation = services.seat_create(
        actor=actor,
        title="Assistant Chief Officer, Probation",
        agency=personas.probation,
        minimum_grade="Assistant Chief Officer",
        created_on=START,
    )
    housing = services.seat_create(
        actor=actor,
        title="Director, Housing",
        agency=personas.housing,
        minimum_grade="Senior management",
        created_on=START,
    )
    services.holder_change(actor=actor, seat=police, name="Supt Anne Renouf", started_on=START)
    services.holder_change(actor=actor, seat=probation, name="Brian Le Marquand", started_on=START)
    services.holder_change(actor=actor, seat=housing, name="Carol Vibert", started_on=START)
    return Board(police=police, probation=probation, housing=housing, prison_agency=prison)


Hold = Callable[..., SmbMeeting]


@pytest.fixture
def hold(personas: Personas) -> Hold:
    """Hold a meeting on ``day``: ``statuses`` maps seat -> status for every seat that
    existed that day (default "attended"), the chair defaults to the first seat given."""

    def make(day: dt.date, statuses: dict[SmbSeat, str], chair: SmbSeat | None = None) -> Any:
        meeting = services.meeting_create(actor=personas.coordinator, date=day)
        chair = chair or next(iter(statuses))
        return services.meeting_record(
            actor=personas.coordinator,
            meeting=meeting,
            attendance={
                seat.pk: AttendanceEntry(
                    status=status,
                    name={"deputy": "A deputy", "attended": seat.title.split(",")[0]}.get(
                        status, ""
                    ),
                )
                for seat, status in statuses.items()
            },
            chair_seat=chair,
            minutes="Reviewed the KPIs.",
            mark_held=True,
        )

    return make
