"""Identification, risk assessments, home visits and the compliance clock through the API
(issue 4, points 2, 3, 6 and 7)."""

import datetime as dt
from typing import Any

import pytest

from mappa.assessments.models import ADULT_ONLY_TOOLS, Assessment, HomeVisit, Tool
from mappa.audit.models import AuditEvent
from mappa.referrals import services as referral_services
from mappa.referrals.models import EligibilityEvent
from mappa.register.models import Nominal
from tests.api.helpers import errors, post, refusals, sign_in, url
from tests.assessments.conftest import VALID
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db
D = dt.date

SENTENCE = {
    "kind": "sentence",
    "event_date": "2026-01-05",
    "identified_on": "2026-01-08",
    "custody": "custody",
    "planned_release_date": "2026-08-31",
}


@pytest.fixture
def child(personas: Personas) -> Nominal:
    """Born 1 June 2010: 15 on 2 March 2026."""
    return make_nominal(
        personas.coordinator,
        family_name="Young",
        given_names="Sam",
        date_of_birth=D(2010, 6, 1),
        lead_agency=personas.probation,
        manager=personas.owner,
    )


@pytest.fixture
def rso(personas: Personas) -> Nominal:
    """A registered sexual offender (category 1) since 1 January 2025."""
    return make_nominal(
        personas.coordinator,
        family_name="Carter",
        given_names="Paul",
        category="1",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=D(2025, 1, 1),
    )


# Identification ----------------------------------------------------------------------------


def test_eligibility_event_recorded_and_listed(
    client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    response = post(client, url("eligibility-list", nominal.pk), {**SENTENCE, "notes": " Court "})
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["kind"] == "sentence" and event["planned_release_date"] == "2026-08-31"
    assert event["recorded_by"]["id"] == personas.owner.pk
    assert event["recorded_by_agency"]["id"] == personas.probation.pk
    assert event["notes"] == "Court"
    created = AuditEvent.objects.get(action="eligibility.create")
    assert created.nominal_id == str(nominal.pk) and created.actor == personas.owner

    listed = client.get(url("eligibility-list", nominal.pk))
    assert [e["id"] for e in listed.json()] == [event["id"]]
    view = AuditEvent.objects.get(action="eligibility.view")
    assert view.detail == {"events": 1, "via": "api"}


def test_eligibility_answers_every_missing_field_by_name(
    client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    assert errors(post(client, url("eligibility-list", nominal.pk), {})) == {
        "kind": ["Select what made the person eligible"],
        "event_date": ["Enter the date of the event"],
        "identified_on": ["Enter the date identified as MAPPA-eligible"],
        "custody": ["Select where the person is now"],
    }


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        (
            {"identified_on": "2026-01-04"},
            "identified_on",
            "cannot be before the date of the event",
        ),
        ({"event_date": "2999-01-01"}, "event_date", "today or in the past"),
        ({"planned_release_date": "2025-12-31"}, "planned_release_date", "cannot be before"),
        ({"event_date": "5/1/2026"}, "event_date", "YYYY-MM-DD"),
        ({"kind": "arrest"}, "kind", "Select what made the person eligible: one of sentence"),
        ({"custody": "bail"}, "custody", "Select where the person is now: one of"),
        ({"court": "Royal Court"}, "court", "is not a field of this request"),
    ],
)
def test_eligibility_dates_that_contradict_are_refused(
    client, personas: Personas, nominal: Nominal, overrides: dict, field: str, says: str
) -> None:
    sign_in(client, personas.owner)
    problems = errors(post(client, url("eligibility-list", nominal.pk), {**SENTENCE, **overrides}))
    assert says in " ".join(problems[field]), problems
    assert not EligibilityEvent.objects.exists()


# Risk assessments --------------------------------------------------------------------------


@pytest.mark.parametrize("tool", list(Tool))
def test_each_tool_is_recorded_with_its_fields(
    client, personas: Personas, nominal: Nominal, child: Nominal, tool: Tool
) -> None:
    person = child if tool == Tool.ASSET else nominal
    sign_in(client, personas.owner)
    body = {"tool": tool.value, "completed_on": "2026-03-02", **VALID[tool]}
    response = post(client, url("assessment-list", person.pk), body)
    assert response.status_code == 201, response.content
    saved = response.json()
    assert saved["tool"] == tool.value
    assert saved["author"]["id"] == personas.owner.pk
    assert saved["agency"]["id"] == personas.probation.pk
    for name, value in VALID[tool].items():
        assert saved[name] == value, name
    assert AuditEvent.objects.get(action="assessment.add").detail == {"tool": tool.value}

    overview = client.get(url("assessment-list", person.pk)).json()
    assert [row["id"] for row in overview["history"]] == [saved["id"]]
    assert overview["history"][0] == saved
    (latest,) = overview["latest"]
    assert latest["tool"] == tool.value and latest["assessment_id"] == saved["id"]


def test_overview_gives_the_overall_risk_and_the_latest_of_each_tool(
    client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    address = url("assessment-list", nominal.pk)
    for on, level in (("2025-06-01", "medium"), ("2026-03-02", "high")):
        body = {"tool": "overall_rosh", "completed_on": on, "level": level}
        assert post(client, address, body).status_code == 201
    rm2000 = {"tool": "rm2000", "completed_on": "2026-01-10", **VALID["rm2000"]}
    assert post(client, address, rm2000).status_code == 201
    overview = client.get(address).json()
    assert overview["overall_risk"]["level"] == "high"
    assert overview["overall_risk"]["source"]["kind"] == "overall_rosh"
    assert [row["completed_on"] for row in overview["history"]] == [
        "2026-03-02",
        "2026-01-10",
        "2025-06-01",
    ]
    assert [row["tool"] for row in overview["latest"]] == ["rm2000", "overall_rosh"]
    view = AuditEvent.objects.get(action="assessments.view")
    assert view.detail == {"assessments": 3, "via": "api"}


@pytest.mark.parametrize("tool", sorted(ADULT_ONLY_TOOLS))
def test_adult_tool_for_a_child_is_refused_naming_the_tool(
    client, personas: Personas, child: Nominal, tool: Tool
) -> None:
    sign_in(client, personas.owner)
    body = {"tool": tool.value, "completed_on": "2026-03-02", **VALID[tool]}
    problems = errors(post(client, url("assessment-list", child.pk), body))
    assert list(problems) == ["tool"]
    (message,) = problems["tool"]
    assert "is a tool for adults. Sam Young was 15 on 2 March 2026" in message
    assert "record an ASSET assessment instead" in message
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({}, "tool", "Select the assessment tool"),
        ({"tool": "pcl_r"}, "tool", "Select the assessment tool: one of rm2000"),
        ({"tool": "rm2000"}, "completed_on", "Enter the date completed"),
        (
            {"tool": "rm2000", "completed_on": "2999-01-01", "sexual": "high"},
            "completed_on",
            "Date completed must be today or in the past",
        ),
        (
            {"tool": "rm2000", "completed_on": "2026-03-02", "sexual": "extreme"},
            "sexual",
            "Select the RM2000 sexual: one of low",
        ),
        (
            {"tool": "rm2000", "completed_on": "2026-03-02"},
            "sexual",
            "Select at least one RM2000 level",
        ),
        (
            {"tool": "lsi_r", "completed_on": "2026-03-02", "total_score": 55, "band": "high"},
            "total_score",
            "LSI-R total score must be a whole number from 0 to 54",
        ),
        (
            {"tool": "lsi_r", "completed_on": "2026-03-02", "total_score": "many"},
            "total_score",
            "must be a whole number",
        ),
        (
            {"tool": "sara", "completed_on": "2026-03-02", "colour": "red"},
            "colour",
            "is not a field of this request",
        ),
        (
            {"tool": "sara", "completed_on": "2026-03-02", **VALID["sara"], "author": 999999},
            "author",
            "there is none with the id 999999",
        ),
    ],
)
def test_assessment_input_is_refused_naming_the_field(
    client, personas: Personas, nominal: Nominal, body: dict, field: str, says: str
) -> None:
    sign_in(client, personas.owner)
    problems = errors(post(client, url("assessment-list", nominal.pk), body))
    assert says in " ".join(problems.get(field, [])), problems
    assert not Assessment.objects.exists()


def test_assessment_of_another_assessor_and_agency(
    client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.coordinator)
    body = {
        "tool": "sara",
        "completed_on": "2026-03-02",
        "author": personas.owner.pk,
        "agency": personas.probation.pk,
        "notes": "Completed with the victim liaison officer",
        **VALID["sara"],
    }
    saved = post(client, url("assessment-list", nominal.pk), body).json()
    assert saved["author"]["id"] == personas.owner.pk
    assert saved["agency"]["id"] == personas.probation.pk
    assert Assessment.objects.get().recorded_by == personas.coordinator


# Home visits -----------------------------------------------------------------------------

VISIT = {
    "visited_on": "2026-03-02",
    "officers": "PC Jane  Le Brocq",
    "announced": False,
    "outcome": "seen",
    "concerns": "New partner with children",
}


def test_home_visit_recorded_and_next_visit_due(client, personas: Personas, rso: Nominal) -> None:
    sign_in(client, personas.owner)
    assessment = {"tool": "overall_rosh", "completed_on": "2026-01-10", "level": "high"}
    assert post(client, url("assessment-list", rso.pk), assessment).status_code == 201
    response = post(client, url("home-visit-list", rso.pk), VISIT)
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["officers"] == "PC Jane Le Brocq"
    assert visit["recorded_by"]["id"] == personas.owner.pk
    assert AuditEvent.objects.filter(action="home_visit.add", nominal_id=str(rso.pk)).exists()

    listed = client.get(url("home-visit-list", rso.pk)).json()
    assert [v["id"] for v in listed["visits"]] == [visit["id"]]
    due = listed["next_visit"]
    # J 14.9: high risk, every three months from the last completed visit.
    assert due["risk_level"] == "high"
    assert (due["basis_event"], due["basis_date"]) == ("last completed home visit", "2026-03-02")
    assert due["due"] == "2026-06-02"
    assert due["state"] == "overdue"
    assert due["risk_source"]["kind"] == "overall_rosh"


def test_home_visit_only_for_category_1(client, personas: Personas, nominal: Nominal) -> None:
    sign_in(client, personas.owner)
    problems = errors(post(client, url("home-visit-list", nominal.pk), VISIT))
    assert "registered sexual offenders (category 1)" in problems["non_field_errors"][0]
    assert client.get(url("home-visit-list", nominal.pk)).json() == {
        "visits": [],
        "next_visit": None,
    }


def test_home_visit_input_is_refused_naming_the_field(
    client, personas: Personas, rso: Nominal
) -> None:
    sign_in(client, personas.owner)
    assert errors(post(client, url("home-visit-list", rso.pk), {})) == {
        "visited_on": ["Enter the date of the visit"],
        "officers": ["Enter the officers who visited"],
        "announced": ["Select whether the visit was announced"],
        "outcome": ["Select the outcome of the visit"],
    }
    other = {**VISIT, "outcome": "other", "visited_on": "2999-01-01"}
    problems = errors(post(client, url("home-visit-list", rso.pk), other))
    assert problems == {
        "visited_on": ["Date of the visit must be today or in the past"],
        "outcome_details": ["Describe what happened at the visit"],
    }
    assert not HomeVisit.objects.exists()


# The compliance clock -------------------------------------------------------------------------


@pytest.fixture
def sentenced(personas: Personas, nominal: Nominal) -> Nominal:
    """Sentenced Monday 5 January 2026, identified on the third day after (8 January),
    planned release 31 August 2026: the referral was due by 28 February."""
    referral_services.eligibility_record(
        actor=personas.owner,
        nominal=nominal,
        kind="sentence",
        event_date=D(2026, 1, 5),
        identified_on=D(2026, 1, 8),
        custody="custody",
        planned_release_date=D(2026, 8, 31),
    )
    return nominal


def _compliance(client: Any, query: str = "") -> Any:
    response = client.get(url("compliance", query=query))
    assert response.status_code == 200, response.content
    return response.json()


def test_compliance_gives_the_documented_items(
    client, personas: Personas, sentenced: Nominal
) -> None:
    sign_in(client, personas.owner)
    body = _compliance(client, "as_of=2026-03-02")
    assert body["as_of"] == "2026-03-02"
    reference = sentenced.cases.get().reference
    items = {item["kind"]: item for item in body["items"] if item["case"] == reference}
    identification = items["identification"]
    assert set(identification) == {
        "case",
        "level",
        "kind",
        "basis",
        "due",
        "state",
        "met_on",
        "days_late",
    }
    assert identification["level"] == 2
    assert identification["basis"] == {"event": "sentence", "date": "2026-01-05"}
    assert identification["due"] == "2026-01-08"
    assert (identification["state"], identification["met_on"]) == ("met", "2026-01-08")
    assert items["referral"]["basis"] == {"event": "planned release", "date": "2026-08-31"}
    assert items["referral"]["state"] == "overdue"
    audit = AuditEvent.objects.get(action="compliance.view")
    assert audit.detail["as_of"] == "2026-03-02" and audit.detail["via"] == "api"

    # Filters, as on the worklist page.
    assert [i["kind"] for i in _compliance(client, "as_of=2026-03-02&kind=referral")["items"]] == [
        "referral"
    ]
    overdue = _compliance(client, "as_of=2026-03-02&state=overdue")["items"]
    assert {i["state"] for i in overdue} == {"overdue"}
    # Before the event there is nothing to count from.
    assert _compliance(client, "as_of=2026-01-01")["items"] == []


def test_compliance_is_filtered_by_agency(client, personas: Personas, sentenced: Nominal) -> None:
    reference = sentenced.cases.get().reference
    # An education officer sees none of probation's items, whatever they ask for.
    sign_in(client, personas.outsider)
    assert _compliance(client, "as_of=2026-03-02")["items"] == []
    asked = _compliance(client, f"as_of=2026-03-02&agency={personas.probation.pk}")
    assert asked["items"] == []
    # The co-ordinator sees the whole area, and may narrow it to one agency.
    sign_in(client, personas.coordinator)
    cases = {i["case"] for i in _compliance(client, "as_of=2026-03-02")["items"]}
    assert reference in cases
    probation = _compliance(client, f"as_of=2026-03-02&agency={personas.probation.pk}")
    assert {i["case"] for i in probation["items"]} == {reference}
    assert _compliance(client, f"as_of=2026-03-02&agency={personas.education.pk}")["items"] == []


def test_compliance_defaults_to_today(client, personas: Personas) -> None:
    from mappa.common.dates import today

    sign_in(client, personas.owner)
    assert _compliance(client)["as_of"] == today().isoformat()


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("as_of=2026-02-30", "as_of", "As-of date must be a real date in the format YYYY-MM-DD"),
        ("as_of=yesterday", "as_of", "YYYY-MM-DD"),
        ("kind=meeting", "kind", "Select the kind: one of identification"),
        ("state=late", "state", "Select the state: one of not_yet_due"),
        ("agency=999999", "agency", "there is none with the id 999999"),
    ],
)
def test_compliance_refuses_bad_filters_naming_them(
    client, personas: Personas, query: str, field: str, says: str
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(client.get(url("compliance", query=query)))
    assert list(problems) == [field]
    assert says in problems[field][0]


def test_compliance_refused_to_the_board(client, personas: Personas) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(url("compliance", query="as_of=2026-03-02"))
    assert response.status_code == 403
    assert refusals(personas.smb_member).get().detail["attempted"] == "register.list"
    assert not AuditEvent.objects.filter(action="compliance.view").exists()
