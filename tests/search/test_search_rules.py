"""The search's rules besides ranking: refusals, who sees what, what is shown."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.register.models import Nominal
from mappa.register.services import case_partner_add, current_case
from mappa.search.matching import name_key
from mappa.search.selectors import search_register
from tests.conftest import Personas
from tests.search.conftest import PEOPLE, build_person


@pytest.mark.parametrize("typed", ["", "Jo", " J-o ", "O'B", "  ab  "])
def test_fewer_than_three_characters_of_name_is_refused(personas: Personas, typed: str) -> None:
    # "O'B" is two letters once the apostrophe is dropped.
    with pytest.raises(ValidationError) as refused:
        search_register(user=personas.coordinator, query=typed)
    assert refused.value.message_dict == {
        "q": ["Enter at least 3 characters of a name or identifier"]
    }


def test_a_short_name_with_a_date_of_birth_is_searched(
    register: dict[str, Nominal], personas: Personas
) -> None:
    outcome = search_register(
        user=personas.coordinator, query="Ca", date_of_birth=dt.date(1985, 7, 14)
    )
    assert [r.nominal for r in outcome.results] == [register["catherine_obrien"]]


def test_outsider_sees_no_one_but_is_told_that_records_match(
    register: dict[str, Nominal], personas: Personas
) -> None:
    # Every person in the fixture is led by probation; education has no part.
    outcome = search_register(user=personas.outsider, query="Steven Thomson")
    assert outcome.results == []
    assert outcome.hidden_matches is True


def test_outsider_is_told_nothing_when_nothing_matches(
    register: dict[str, Nominal], personas: Personas
) -> None:
    outcome = search_register(user=personas.outsider, query="Zebedee Quartermaine")
    assert outcome.results == []
    assert outcome.hidden_matches is False


def test_outsider_searching_an_identifier_is_told_only_that_a_record_matches(
    register: dict[str, Nominal], personas: Personas
) -> None:
    outcome = search_register(user=personas.outsider, query="a1234bc")
    assert outcome.results == []
    assert outcome.hidden_matches is True


def test_coordinator_sees_the_same_person(register: dict[str, Nominal], personas: Personas) -> None:
    outcome = search_register(user=personas.coordinator, query="Steven Thomson")
    assert outcome.results[0].nominal == register["stephen_thompson"]
    assert outcome.hidden_matches is False


def test_owner_sees_their_case_and_partner_sees_only_after_joining(
    register: dict[str, Nominal], personas: Personas
) -> None:
    owner = search_register(user=personas.owner, query="Bill Jones")
    assert owner.results[0].nominal == register["william_jones"]
    before = search_register(user=personas.partner, query="Bill Jones")
    assert before.results == [] and before.hidden_matches
    case = current_case(register["william_jones"])
    assert case is not None
    case_partner_add(
        actor=personas.coordinator,
        case=case,
        agency=personas.housing,
        from_date=dt.date(2024, 1, 1),
    )
    after = search_register(user=personas.partner, query="Bill Jones")
    assert [r.nominal for r in after.results] == [register["william_jones"]]
    # Other Joneses still match and are still closed to housing.
    assert after.hidden_matches is True


def test_result_names_the_alias_that_matched(
    register: dict[str, Nominal], personas: Personas
) -> None:
    best = search_register(user=personas.coordinator, query="Betty Harris").results[0]
    assert best.nominal == register["elizabeth_taylor"]
    assert best.matched_alias is True
    assert best.matched_name == "Betty Harris"
    assert best.matched_identifier == ""
    by_name = search_register(user=personas.coordinator, query="Elizabeth Taylor").results[0]
    assert by_name.matched_alias is False
    assert by_name.matched_name == "Elizabeth Taylor"


def test_identifier_result_names_the_identifier_and_nothing_else_matches(
    register: dict[str, Nominal], personas: Personas
) -> None:
    outcome = search_register(user=personas.coordinator, query="ab123456c")
    assert len(outcome.results) == 1
    result = outcome.results[0]
    assert result.nominal == register["stephen_thompson"]
    assert result.matched_identifier == "National Insurance number AB123456C"


def test_identifier_search_honours_the_date_of_birth(
    register: dict[str, Nominal], personas: Personas
) -> None:
    outcome = search_register(
        user=personas.coordinator, query="AB123456C", date_of_birth=dt.date(2000, 1, 1)
    )
    assert outcome.results == []


def test_results_are_capped_at_the_limit(register: dict[str, Nominal], personas: Personas) -> None:
    outcome = search_register(user=personas.coordinator, query="Jones", limit=2)
    assert len(outcome.results) == 2
    full = search_register(user=personas.coordinator, query="Jones")
    assert len(full.results) > 2


def test_text_is_searched_inertly(register: dict[str, Nominal], personas: Personas) -> None:
    outcome = search_register(user=personas.coordinator, query='Catherine "O\'Brien"; --')
    assert outcome.results[0].nominal == register["catherine_obrien"]
    nothing = search_register(user=personas.coordinator, query="<script>alert('x')</script>")
    assert nothing.results == []


def test_every_read_of_the_name_index_is_bounded(
    register: dict[str, Nominal], personas: Personas
) -> None:
    """No search reads the whole index: each query on it is cut by a LIMIT, and the
    number of queries does not depend on how many people match."""
    counts = []
    search_register(user=personas.coordinator, query="Tiny")  # the user's roles now cached
    for query in ("Steven Thomson", "Smith", "Jones William", "Tiny", "Margaret Smith Jones"):
        with CaptureQueriesContext(connection) as captured:
            search_register(user=personas.coordinator, query=query)
        reads = [q["sql"] for q in captured.captured_queries if "search_nameentry" in q["sql"]]
        assert reads and all("LIMIT" in sql for sql in reads), reads
        counts.append(len(captured.captured_queries))
    assert max(counts) <= 8, counts


def test_query_count_does_not_grow_with_the_register(personas: Personas) -> None:
    build_person(personas, PEOPLE["stephen_thompson"])
    search_register(user=personas.coordinator, query="Steven Thomson")  # roles now cached
    with CaptureQueriesContext(connection) as small:
        search_register(user=personas.coordinator, query="Steven Thomson")
    for key in ("stephen_thomas", "steven_simpson", "stephanie_thompson", "john_smith_1980"):
        build_person(personas, PEOPLE[key])
    with CaptureQueriesContext(connection) as larger:
        search_register(user=personas.coordinator, query="Steven Thomson")
    assert len(larger.captured_queries) == len(small.captured_queries)


def test_a_name_whose_sound_was_mistyped_is_found_by_spelling(
    register: dict[str, Nominal], personas: Personas
) -> None:
    """Neither "ricard" nor "mardin" shares a key with Richard Martin: the first pass
    finds no close name, and the second finds both spellings in the dictionary."""
    assert name_key("ricard") != name_key("richard")
    assert name_key("mardin") != name_key("martin")
    best = search_register(user=personas.coordinator, query="Ricard Mardin").results[0]
    assert best.nominal == register["richard_martin"]
