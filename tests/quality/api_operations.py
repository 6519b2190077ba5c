"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

import datetime as dt
from typing import Any

from mappa.meetings.models import AgendaItem, DiscussionKind, Meeting, MeetingStatus
from mappa.register.models import Nominal
from tests.api.operation import Ids, Operation
from tests.conftest import Personas


def _case(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    return {"id": nominal.cases.get(closed_on__isnull=True).pk}


def _meeting(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    # A held meeting discussing the owner's case: probation leads it, so the owner
    # may see the meeting; education (the outsider) has no part in it.
    meeting = Meeting.objects.create(
        level=2,
        date=dt.date(2026, 3, 10),
        start_time=dt.time(10, 0),
        venue="Police headquarters",
        status=MeetingStatus.HELD,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        case=nominal.cases.get(closed_on__isnull=True),
        kind=DiscussionKind.REVIEW,
        discussed=True,
    )
    return {"id": meeting.pk}


OPERATIONS: list[Operation] = [
    Operation("GET", "/api/v1/quality/cases/{id}/", "owner", 200, "outsider", setup=_case),
    Operation("GET", "/api/v1/quality/meetings/{id}/", "owner", 200, "outsider", setup=_meeting),
]
