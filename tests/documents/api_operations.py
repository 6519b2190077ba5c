"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

import datetime as dt
from typing import Any

from mappa.common.dates import today
from mappa.register.models import Nominal
from tests.api.helpers import referral_at
from tests.api.operation import Ids, Operation
from tests.conftest import Personas
from tests.factories import make_nominal

DOCUMENTS = "/api/v1/documents/"


def _referral(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    return {"id": referral_at("draft", personas, nominal).pk}


def _minutes(client: Any, personas: Personas, nominal: Nominal) -> Any:
    from mappa.minutes import services
    from tests.minutes.conftest import make_item, make_meeting

    meeting = make_meeting(today() - dt.timedelta(days=1), 2)
    return services.minutes_start(
        actor=personas.administrator, agenda_item=make_item(meeting, nominal)
    )


def _minutes_ids(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    return {"id": _minutes(client, personas, nominal).pk}


def _level1_review(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    from mappa.minutes import services

    at_level_1 = make_nominal(
        personas.coordinator,
        family_name="Levelone",
        level=1,
        lead_agency=personas.probation,
        manager=personas.owner,
    )
    review = services.level1_review_record(
        actor=personas.owner,
        case=at_level_1.cases.get(),
        review_date=today(),
        new_information="None",
        plan_revised="no",
        plan_changes="",
        refer="no",
        refer_reasons="",
    )
    return {"id": review.pk}


def _summary_version(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    from mappa.disclosure import services

    minutes = _minutes(client, personas, nominal)
    summary = services.executive_summary_start(actor=personas.coordinator, case=minutes.case)
    version = services.executive_summary_finalise(
        actor=personas.coordinator, summary=summary, expected_version=summary.version
    )
    return {"id": version.pk}


OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        DOCUMENTS + "referral/{id}/",
        "owner",
        200,
        "outsider",
        setup=_referral,
        query="?format=pdf",
    ),
    Operation(
        "GET",
        DOCUMENTS + "minutes/{id}/",
        "owner",
        200,
        "outsider",
        setup=_minutes_ids,
        query="?format=docx",
    ),
    Operation(
        "GET",
        DOCUMENTS + "level1-review/{id}/",
        "owner",
        200,
        "outsider",
        setup=_level1_review,
        query="?format=pdf",
    ),
    # The executive summary is the co-ordinator's, the chair's and administrators' to
    # see (mappa.disclosure.access); the case's own practitioner is refused.
    Operation(
        "GET",
        DOCUMENTS + "executive-summary/{id}/",
        "coordinator",
        200,
        "owner",
        setup=_summary_version,
        query="?format=pdf",
    ),
]
