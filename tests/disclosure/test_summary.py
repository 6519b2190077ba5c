"""The executive summary: drafted from the records, redacted, finalised, versioned."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.disclosure import services
from mappa.disclosure.document import build_executive_summary
from mappa.disclosure.models import ExecutiveSummaryVersion, ImmutableError, SummaryStatus
from mappa.documents.model import Document
from tests.disclosure.conftest import FORBIDDEN, SECOND, Scene

pytestmark = pytest.mark.django_db


def _survivors(content: object) -> list[str]:
    text = json.dumps(content).lower()
    return [word for word in FORBIDDEN if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def test_nothing_identifying_the_victim_or_the_child_survives_into_the_summary(
    scene: Scene,
) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    # The draft from the records does hold them (the test would prove nothing otherwise).
    assert {"mary", "smith", "molly", "poppy", "rue de la mare", "3 april 1990"} <= set(
        _survivors(summary.draft)
    )
    content, items = services.redacted(summary)
    assert _survivors(content) == []
    version = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    assert _survivors(version.content) == []
    document = build_executive_summary(version)
    assert isinstance(document, Document)
    printed = json.dumps(
        [
            [s.heading, [f.value for f in s.fields], [t.rows for t in s.tables]]
            for s in document.sections
        ]
    )
    assert _survivors(json.loads(printed)) == []
    # The person managed is still named: the summary is about the right person (J 5.6).
    assert "Renouf" in printed and "Daniel" in printed


def test_the_draft_holds_every_part_j_5_6_asks_for(scene: Scene) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    headings = [s["heading"] for s in summary.draft["sections"]]
    for wanted in (
        "1. The person's name and personal details",
        "2. Referring agency and reason for referral",
        "3. Summary of the meetings",
        "4. Outline of the risk management plan",
        "5. Meeting details",
        "6. Details of the meeting chair",
    ):
        assert wanted in headings
    text = json.dumps(summary.draft)
    # The referring agency, never the referring officer (J 5.6).
    assert "Probation and After-Care Service" in text
    assert scene.personas.owner.get_full_name() not in text
    assert "Owner Tester" not in text
    # Both meetings, the actions and whether they were completed.
    assert "Meeting of 13 January 2026 (level 2)" in headings
    assert "Meeting of 7 April 2026 (level 2)" in headings
    plan = next(s for s in summary.draft["sections"] if s["key"] == "plan")
    states = [row[3] for row in plan["tables"][0]["rows"]]
    assert "Completed on 18 January 2026" in states and "Open" in states
    dates = next(s for s in summary.draft["sections"] if s["key"] == "dates")
    assert [r[0] for r in dates["tables"][0]["rows"]] == ["7 April 2026", "13 January 2026"]
    chair = next(s for s in summary.draft["sections"] if s["key"] == "chair")
    assert chair["fields"][0]["value"] == "Rosalind Fenwick"
    assert chair["fields"][-1]["value"] == "Completed when the summary is finalised"


def test_a_manual_redaction_then_finalise_makes_an_immutable_version(scene: Scene) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    summary = services.executive_summary_add_redaction(
        actor=scene.chair,
        summary=summary,
        phrase="Alcohol treatment programme",
        replacement="a treatment programme",
        expected_version=summary.version,
    )
    content, items = services.redacted(summary)
    assert "Alcohol treatment programme" not in json.dumps(content)
    assert any(r.rule == "added by hand" for i in items for r in i.result.redactions)
    version = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    assert version.number == 1
    assert version.sha256 == services.content_sha256(version.content)
    assert len(version.sha256) == 64
    chair = next(s for s in version.content["sections"] if s["key"] == "chair")
    assert chair["fields"][-1]["value"] != "Completed when the summary is finalised"
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.FINALISED
    event = AuditEvent.objects.get(action="summary.finalise")
    assert (event.changes or {})["sha256"] == [None, version.sha256]

    # Immutable: the model refuses a change and a deletion; the services refuse edits.
    version.content = {"sections": []}
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    stored = ExecutiveSummaryVersion.objects.get(pk=version.pk)
    assert stored.content != {"sections": []}
    with pytest.raises(ImmutableError):
        services.executive_summary_add_redaction(
            actor=scene.chair,
            summary=summary,
            phrase="supervision",
            replacement="support",
            expected_version=summary.version,
        )
    with pytest.raises(ValidationError):
        services.executive_summary_finalise(
            actor=scene.chair, summary=summary, expected_version=summary.version
        )


def test_a_later_change_is_a_new_draft_and_a_new_version_and_old_ones_are_kept(
    scene: Scene,
) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    first = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    summary.refresh_from_db()
    summary = services.executive_summary_redraft(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    assert summary.status == SummaryStatus.DRAFT
    # Nothing changed: no new version is made.
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        services.executive_summary_finalise(
            actor=scene.chair, summary=summary, expected_version=summary.version
        )
    summary = services.executive_summary_add_redaction(
        actor=scene.chair,
        summary=summary,
        phrase="Supported accommodation",
        replacement="accommodation",
        expected_version=summary.version,
    )
    second = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    assert second.number == 2
    assert second.sha256 != first.sha256
    assert list(summary.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    first.refresh_from_db()
    assert "Supported accommodation" in json.dumps(first.content)


def test_the_draft_is_locked_against_a_stale_page(scene: Scene) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    seen = summary.version
    services.executive_summary_add_redaction(
        actor=scene.personas.coordinator,
        summary=summary,
        phrase="Supported accommodation",
        replacement="accommodation",
        expected_version=seen,
    )
    with pytest.raises(services.StaleError):
        services.executive_summary_add_redaction(
            actor=scene.chair,
            summary=summary,
            phrase="supervision",
            replacement="support",
            expected_version=seen,
        )
    with pytest.raises(services.StaleError):
        services.executive_summary_finalise(
            actor=scene.chair, summary=summary, expected_version=seen
        )
    assert not ExecutiveSummaryVersion.objects.exists()


@pytest.mark.parametrize(
    ("phrase", "replacement", "field", "message"),
    [
        ("", "x", "phrase", "Enter the words to remove"),
        ("Supported accommodation", "", "replacement", "Enter the words that replace them"),
        ("a", "b", "phrase", "at least 2 characters"),
        ("Nowhere in the text at all", "x", "phrase", "not in the summary's text"),
        ("Supported", "Supported housing", "replacement", "must not contain the words removed"),
        ("x" * 301, "y", "phrase", "300 characters or fewer"),
    ],
)
def test_a_manual_redaction_with_wrong_input_is_refused(
    scene: Scene, phrase: str, replacement: str, field: str, message: str
) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    with pytest.raises(ValidationError) as caught:
        services.executive_summary_add_redaction(
            actor=scene.chair,
            summary=summary,
            phrase=phrase,
            replacement=replacement,
            expected_version=summary.version,
        )
    assert message in " ".join(caught.value.message_dict[field])
    summary.refresh_from_db()
    assert summary.manual_redactions == []


def test_removing_a_manual_redaction_and_the_audit_before_after(scene: Scene) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    summary = services.executive_summary_add_redaction(
        actor=scene.chair,
        summary=summary,
        phrase="Supported accommodation",
        replacement="accommodation",
        expected_version=summary.version,
    )
    summary = services.executive_summary_remove_redaction(
        actor=scene.chair, summary=summary, index=0, expected_version=summary.version
    )
    assert summary.manual_redactions == []
    event = AuditEvent.objects.filter(action="summary.unredact").get()
    assert (event.changes or {})["manual_redactions"][0][0]["phrase"] == "Supported accommodation"
    assert (event.changes or {})["manual_redactions"][1] == []
    with pytest.raises(ValidationError):
        services.executive_summary_remove_redaction(
            actor=scene.chair, summary=summary, index=3, expected_version=summary.version
        )


def test_the_draft_leaves_out_undistributed_minutes_and_says_so(scene: Scene) -> None:
    from tests.disclosure.conftest import _minutes

    _minutes(scene.personas, scene.chair, scene.nominal, SECOND.replace(month=6))
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    meetings = next(s for s in summary.draft["sections"] if s["key"] == "meetings")
    assert "1 set of minutes not yet distributed left out" in meetings["note"]


def test_drafting_needs_the_same_number_of_queries_however_long_the_history(
    scene: Scene,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mappa.disclosure.drafting import build_draft
    from tests.disclosure.conftest import _minutes

    with CaptureQueriesContext(connection) as before:
        build_draft(scene.case, chair=scene.chair)
    _minutes(scene.personas, scene.chair, scene.nominal, SECOND.replace(month=6))
    with CaptureQueriesContext(connection) as after:
        build_draft(scene.case, chair=scene.chair)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_document_is_drawn_from_the_version_and_says_what_is_missing(scene: Scene) -> None:
    from mappa.disclosure.models import ExecutiveSummary

    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    version = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    document = build_executive_summary(version)
    assert document.kind == "executive_summary"
    assert document.reference == f"{scene.case.reference} executive summary v1"
    assert document.filename_stem == "executive-summary-MN-000001-1-v1"
    assert "never released" in document.subtitle
    assert [s.heading for s in document.sections][:3] == [
        "1. The person's name and personal details",
        "2. Referring agency and reason for referral",
        "3. Summary of the meetings",
    ]
    # A section with nothing in it says so; it is never dropped.
    bare = ExecutiveSummaryVersion(
        summary=ExecutiveSummary(case=scene.case),
        number=9,
        content={"sections": [{"heading": "5. Meeting details", "fields": [], "tables": []}]},
        finalised_at=version.finalised_at,
        finalised_by=scene.chair,
    )
    (section,) = build_executive_summary(bare).sections
    assert section.empty == "None recorded"
