import datetime as dt
from typing import Any

import pytest

from mappa.assessments.services import assessment_record
from tests.conftest import Personas
from tests.factories import make_nominal

D = dt.date

# A valid set of fields for every tool.
VALID: dict[str, dict[str, Any]] = {
    "rm2000": {"sexual": "high", "violent": "medium", "combined": "high"},
    "oasys_reconviction": {"ogp_1y_pct": 12, "ogp_2y_pct": 20, "ogp_band": "low"},
    "oasys_rosh_community": {
        "children": "high",
        "public": "medium",
        "known_adult": "high",
        "staff": "low",
    },
    "oasys_rosh_custody": {
        "children": "medium",
        "public": "medium",
        "known_adult": "high",
        "staff": "low",
        "prisoners": "low",
    },
    "sara": {"risk_to_partner": "high", "risk_to_others": "low"},
    "asset": {
        "risk_of_serious_harm": "high",
        "reconviction_score": 20,
        "reconviction_likelihood": "medium_high",
    },
    "stable_acute_07": {
        "stable_score": 8,
        "stable_priority": "moderate",
        "acute_sexual_violent": "low",
        "acute_general": "moderate",
    },
    "hcr20": {
        "historical_score": 12,
        "clinical_score": 6,
        "risk_management_score": 5,
        "final_judgement": "moderate",
    },
    "lsi_r": {"total_score": 25, "band": "moderate"},
    "mental_health": {"tool_name": "PCL-R", "outcome": "Score 18: no psychopathy indicated"},
    "overall_rosh": {"level": "high", "details": "Children in the neighbourhood, evenings"},
}


@pytest.fixture
def child(personas: Personas):
    """Born 1 June 2010: 15 until 31 May 2026, 18 on 1 June 2028."""
    return make_nominal(
        personas.coordinator,
        family_name="Young",
        given_names="Sam",
        date_of_birth=D(2010, 6, 1),
        lead_agency=personas.probation,
        manager=personas.owner,
    )


@pytest.fixture
def rso(personas: Personas):
    """A registered sexual offender (category 1) on the register since 1 January 2025."""
    return make_nominal(
        personas.coordinator,
        family_name="Carter",
        given_names="Paul",
        category="1",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=D(2025, 1, 1),
    )


def record(personas: Personas, nominal: Any, tool: str, on: dt.date, **values: Any) -> Any:
    return assessment_record(
        actor=personas.owner,
        nominal=nominal,
        tool=tool,
        completed_on=on,
        author=personas.owner,
        agency=values.pop("agency", personas.probation),
        values=values or VALID[tool],
    )
