"""Redaction as pure functions (mappa.disclosure.redaction): no database."""

import datetime as dt
from typing import Any

import pytest

from mappa.disclosure.redaction import (
    RULE_ADDRESS,
    RULE_ALIAS,
    RULE_DATE_OF_BIRTH,
    RULE_MANUAL,
    RULE_NAME,
    RULE_POSTCODE,
    Manual,
    Person,
    redact,
    redact_content,
    redaction_log,
    terms_for,
)

VICTIM = Person(
    kind="victim",
    given_names="Mary Ann",
    family_name="Smith",
    aliases=("Molly",),
    date_of_birth=dt.date(1990, 4, 3),
    address_lines=("12 Rue de la Mare", "Le Bourg", "St Helier"),
    postcode="JE2 3AB",
)
CHILD = Person(
    kind="child", given_names="Poppy", family_name="Le Brocq", date_of_birth=dt.date(2015, 4, 3)
)
PARTNER = Person(kind="partner", given_names="Sian", family_name="O'Neill")
NOMINAL = ["Daniel", "Renouf", "Daniel Renouf"]


def _text(text: str, *people: Person, protected: list[str] = NOMINAL, manual=()) -> str:
    terms = terms_for(people or (VICTIM, CHILD, PARTNER), protected_names=protected, manual=manual)
    return redact(text, terms).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mary Smith was seen.", "The victim was seen."),
        ("He phoned MARY SMITH.", "He phoned the victim."),
        ("he phoned mary smith.", "he phoned the victim."),
        ("Smith's car was damaged.", "The victim's car was damaged."),
        ("He followed Mary Ann Smith home.", "He followed the victim home."),
        ("He followed Mary\nSmith home.", "He followed the victim home."),
        ("He followed Mary  \n  Smith home.", "He followed the victim home."),
        ("He wrote to SMITH, Mary.", "He wrote to the victim."),
        ("He wrote to Mrs Smith.", "He wrote to the victim."),
        ("Mary's sister called.", "The victim's sister called."),
        ("Molly said so.", "The victim said so."),
        ("MOLLY'S flat", "The victim's flat"),
        ("He met Poppy Le Brocq.", "He met a child."),
        ("He met Poppy Le-Brocq.", "He met a child."),
        ("He met Poppy Le\nBrocq.", "He met a child."),
        ("Le Brocq's school", "A child's school"),
        ("Sian O'Neill", "A partner"),
        ("Sian O’Neill", "A partner"),
        ("Sian ONeill", "A partner"),
        ("Sian O Neill", "A partner"),
        ("Mary Smi-\nth called.", "The victim called."),
    ],
)
def test_names_in_every_form_are_replaced_by_the_role(text: str, expected: str) -> None:
    assert _text(text) == expected


@pytest.mark.parametrize(
    "written",
    [
        "03/04/1990",
        "3/4/1990",
        "3/4/90",
        "03.04.90",
        "3.4.90",
        "3-4-1990",
        "1990-04-03",
        "3 April 1990",
        "3rd April 1990",
        "3rd of April 1990",
        "3 Apr 1990",
        "3 APRIL 90",
        "April 3, 1990",
        "April 3rd 1990",
    ],
)
def test_a_date_of_birth_in_the_usual_written_forms(written: str) -> None:
    assert _text(f"born {written}.", VICTIM) == "born the victim's date of birth."


@pytest.mark.parametrize(
    "other", ["13/04/1990", "03/04/1991", "3 April 1991", "23 April 1990", "3/4/190"]
)
def test_other_dates_are_left(other: str) -> None:
    assert _text(f"seen {other}.", VICTIM) == f"seen {other}."


def test_an_address_with_its_later_lines_and_postcode_is_one_redaction() -> None:
    text = "She moved to 12 Rue de la Mare, Le Bourg, St Helier JE2 3AB last year."
    result = redact(text, terms_for([VICTIM], protected_names=NOMINAL))
    assert result.text == "She moved to the victim's address last year."
    assert [r.rule for r in result.redactions] == [RULE_ADDRESS]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("near 12 rue de la mare", "near the victim's address"),
        ("near 12, Rue de la\nMare", "near the victim's address"),
        ("postcode je23ab", "postcode the victim's postcode"),
        ("postcode JE2  3AB", "postcode the victim's postcode"),
        # A parish alone identifies no one: left (the module's notes).
        ("He lives in St Helier.", "He lives in St Helier."),
    ],
)
def test_address_forms(text: str, expected: str) -> None:
    assert _text(text, VICTIM) == expected


def test_the_nominals_own_name_is_never_removed_even_when_a_victim_shares_the_family_name() -> None:
    """decisions.md: only the victim's given names and full name are removed, never the
    family name alone, because that is the person managed's name too."""
    daughter = Person(kind="victim", given_names="Mary", family_name="Smith")
    protected = ["John", "Smith", "John Smith"]
    text = "John Smith hit Mary Smith. Smith denies it; Mary's injuries were minor. SMITH, John."
    assert (
        _text(text, daughter, protected=protected)
        == "John Smith hit the victim. Smith denies it; the victim's injuries were minor. SMITH, John."
    )


def test_a_given_name_shared_with_the_nominal_is_kept_alone_but_the_full_name_goes() -> None:
    son = Person(kind="child", given_names="Daniel", family_name="Le Cornu")
    assert _text("Daniel took Daniel Le Cornu out.", son) == "Daniel took a child out."


def test_a_name_that_is_also_a_common_word_is_removed_only_as_a_name() -> None:
    """A single name is found only with a capital (a name is written with one): "Rose"
    and "ROSE" go, the verb "rose" stays. A full name goes in any capitals."""
    rose = Person(kind="victim", given_names="Rose", family_name="Will")
    text = "His anger rose. Rose said he will return. WILL said so. rose will is here."
    assert (
        _text(text, rose)
        == "His anger rose. The victim said he will return. The victim said so. The victim is here."
    )


def test_a_word_naming_two_people_gives_both_roles() -> None:
    mother = Person(kind="victim", given_names="Mary", family_name="Smith")
    son = Person(kind="child", given_names="Tom", family_name="Smith")
    assert _text("Smith's house", mother, son) == "The victim or a child's house"
    assert _text("Tom Smith and Mary Smith", mother, son) == "A child and the victim"


def test_initials_and_particles_are_not_removed_alone() -> None:
    person = Person(kind="other", given_names="J", family_name="de la Haye")
    assert _text("J went out. De La Haye's car. J de la Haye. Le Hocq, la plage.", person) == (
        "J went out. A third party's car. A third party. Le Hocq, la plage."
    )


def test_every_redaction_is_recorded_with_its_span_replacement_and_rule() -> None:
    text = "Mary Smith (Molly), born 3/4/90, of JE2 3AB."
    result = redact(text, terms_for([VICTIM], protected_names=NOMINAL))
    assert [(r.original, r.replacement, r.rule) for r in result.redactions] == [
        ("Mary Smith", "the victim", RULE_NAME),
        ("Molly", "the victim", RULE_ALIAS),
        ("3/4/90", "the victim's date of birth", RULE_DATE_OF_BIRTH),
        ("JE2 3AB", "the victim's postcode", RULE_POSTCODE),
    ]
    for r in result.redactions:
        assert text[r.start : r.end] == r.original
    # The side-by-side: the original with the spans marked, the text with the replacements.
    marked = [s.text for s in result.original_segments() if s.marked]
    assert marked == ["Mary Smith", "Molly", "3/4/90", "JE2 3AB"]
    assert "".join(s.text for s in result.original_segments()) == text
    assert "".join(s.text for s in result.redacted_segments()) == result.text
    assert [s.text for s in result.redacted_segments() if s.marked][0] == "The victim"


def test_manual_redactions_in_any_capitals_and_spacing() -> None:
    manual = [Manual("the Co-op on Bath Street", "a shop")]
    assert (
        _text("Seen at THE CO-OP ON\nBATH STREET twice.", VICTIM, manual=manual)
        == "Seen at a shop twice."
    )
    result = redact("at the co-op on bath street", terms_for([], manual=manual))
    assert result.redactions[0].rule == RULE_MANUAL


def test_overlapping_findings_keep_the_earliest_then_the_longest() -> None:
    manual = [Manual("Smith was", "someone was")]
    # "Mary Smith" starts first and wins over the manual phrase that overlaps it.
    assert _text("Mary Smith was there.", VICTIM, manual=manual) == "The victim was there."


def test_names_in_other_scripts() -> None:
    person = Person(kind="victim", given_names="Zoë", family_name="Łukasiewicz")
    assert _text("ZOË ŁUKASIEWICZ and Łukasiewicz's flat", person) == (
        "The victim and the victim's flat"
    )


def test_empty_text_and_no_people() -> None:
    assert redact("", terms_for([VICTIM])).text == ""
    assert redact("Nothing here.", []).text == "Nothing here."


def test_content_only_narrative_values_are_redacted_and_logged() -> None:
    content: dict[str, Any] = {
        "sections": [
            {
                "heading": "1. Person",
                "fields": [
                    {"label": "Name", "value": "Mary Smith", "narrative": False},
                    {"label": "Story", "value": "Mary Smith fled.", "narrative": True},
                ],
                "tables": [
                    {
                        "columns": ["When", "Action"],
                        "rows": [["3 April 1990", "Visit Molly"]],
                        "narrative": [1],
                    }
                ],
            }
        ]
    }
    redacted, items = redact_content(content, terms_for([VICTIM], protected_names=NOMINAL))
    section = redacted["sections"][0]
    assert section["fields"][0]["value"] == "Mary Smith"  # not narrative: left as it is
    assert section["fields"][1]["value"] == "The victim fled."
    assert section["tables"][0]["rows"][0] == ["3 April 1990", "Visit the victim"]
    log = redaction_log(items)
    assert [(e["path"], e["original"]) for e in log] == [
        ("s0.f1", "Mary Smith"),
        ("s0.t0.r0.c1", "Molly"),
    ]
    assert content["sections"][0]["fields"][1]["value"] == "Mary Smith fled."  # unchanged
