"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

import datetime as dt
from typing import Any

from mappa.disclosure import services
from mappa.register.models import Nominal
from tests.api.operation import Ids, Operation
from tests.conftest import Personas

REQUESTS = "/api/v1/minutes-requests/"


def _recorded(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    """A request recorded by the probation practitioner (the owner's agency)."""
    found = services.minutes_request_record(
        actor=personas.owner,
        case=nominal.cases.get(closed_on__isnull=True),
        requester_name="Royal Court of Jersey",
        requester_type="court",
        asked="Copies of all MAPPA minutes for sentencing",
        received_on=dt.date(2026, 3, 2),
    )
    return {"id": found.pk}


def _summary(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    summary = services.executive_summary_start(
        actor=personas.coordinator, case=nominal.cases.get(closed_on__isnull=True)
    )
    return {"id": summary.pk}


def _new_request(personas: Personas, ids: Ids) -> dict[str, Any]:
    return {
        "case_reference": Nominal.objects.get(pk=ids["nominal"]).reference,
        "requester_name": "Law Officers' Department",
        "requester_type": "law_officers",
        "asked": "The minutes of the last meeting",
        "received_on": "2026-03-02",
    }


OPERATIONS: list[Operation] = [
    Operation("GET", REQUESTS, "owner", 200, "smb_member", setup=_recorded),
    Operation("POST", REQUESTS, "owner", 201, "smb_member", _new_request),
    Operation("GET", REQUESTS + "{id}/", "owner", 200, "outsider", setup=_recorded),
    Operation(
        "GET", "/api/v1/executive-summaries/{id}/", "coordinator", 200, "owner", setup=_summary
    ),
]
