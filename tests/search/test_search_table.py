"""Issue 2, point 5: the right person within the top three, above every decoy.

Each case names the person the user means and the decoys that must rank below
them (or not be found at all). The same table runs on SQLite and PostgreSQL.
"""

import datetime as dt
from dataclasses import dataclass

from mappa.register.models import Nominal
from mappa.search.selectors import search_register
from tests.conftest import Personas
from tests.search.conftest import cro, pnc


@dataclass(frozen=True)
class Case:
    query: str
    expected: str
    decoys: tuple[str, ...]
    why: str
    date_of_birth: dt.date | None = None
    birth_year: int | None = None


THOMPSON_DECOYS = ("stephen_thomas", "steven_simpson", "stephanie_thompson")
OBRIEN_DECOYS = ("kathleen_obrien", "catherine_bryant")
JONES_DECOYS = ("william_james", "willa_jones")
SMITH_JONES_DECOYS = ("margaret_smith", "mary_smith_jones")
MARTIN_DECOYS = ("richard_marsden", "rita_martin", "ricardo_martinez")

CASES = [
    # Misspellings: sound-alike spellings, typing errors and transposed letters.
    Case("Steven Thomson", "stephen_thompson", THOMPSON_DECOYS, "sound-alike in both names"),
    Case("Stehpen Thompsno", "stephen_thompson", THOMPSON_DECOYS, "transposed letters"),
    Case("Stephen Tompson", "stephen_thompson", THOMPSON_DECOYS, "letter left out"),
    Case("Stepen Thompson", "stephen_thompson", THOMPSON_DECOYS, "letter left out"),
    Case("Kathryn O'Brien", "catherine_obrien", OBRIEN_DECOYS, "Catherine/Kathryn"),
    Case("Muhammad Rahman", "mohammed_rahman", ("mohammad_rahim",), "transliteration"),
    Case("Mohamed Rahmen", "mohammed_rahman", ("mohammad_rahim",), "two spelling errors"),
    Case("Shaun Macdonald", "sean_macdonald", ("shaun_mcdonnell",), "Sean/Shaun"),
    Case("Sean Mcdonald", "sean_macdonald", ("shaun_mcdonnell",), "Mac/Mc"),
    Case("Jeffrey Davies", "geoffrey_davies", ("geoffrey_davidson", "jeffrey_dawes"), "G/J"),
    Case("Geoffery Davis", "geoffrey_davies", ("geoffrey_davidson", "jeffrey_dawes"), "both"),
    Case("Catharine Morgan", "kathryn_morgan", ("katrina_morgan", "kathryn_morris"), "C/K"),
    Case("Christopher Evens", "christopher_evans", ("christopher_evers", "kristen_evans"), "typo"),
    Case("Siobhan O'Neil", "siobhan_oneill", ("sinead_oneill", "siobhan_neal"), "single l"),
    # Typing errors that change how both names sound: found by spelling, through
    # the dictionary of names (pg_trgm on PostgreSQL).
    Case("Ricard Mardin", "richard_martin", MARTIN_DECOYS, "c for ch, d for t"),
    Case("Mardin Ricard", "richard_martin", MARTIN_DECOYS, "the same, swapped"),
    # Given and family names the other way round.
    Case("Thompson Stephen", "stephen_thompson", THOMPSON_DECOYS, "swapped"),
    Case("DAVIES, Geoffrey", "geoffrey_davies", ("geoffrey_davidson",), "family name first"),
    Case("OBrien Catherine", "catherine_obrien", OBRIEN_DECOYS, "swapped, no apostrophe"),
    Case("Thomson Steven", "stephen_thompson", THOMPSON_DECOYS, "swapped and misspelt"),
    # Nickname forms (the nicknames package's list).
    Case("Bill Jones", "william_jones", JONES_DECOYS, "Bill for William"),
    Case("Billy Jones", "william_jones", JONES_DECOYS, "Billy for William"),
    Case("Peggy Smith-Jones", "margaret_smith_jones", SMITH_JONES_DECOYS, "Peggy for Margaret"),
    Case("Bob Wilson", "robert_wilson", ("robert_watson", "roberta_wilson"), "Bob for Robert"),
    Case("Chris Evans", "christopher_evans", ("christopher_evers",), "Chris for Christopher"),
    Case("Betsy Taylor", "elizabeth_taylor", ("elizabeth_tyler",), "Betsy for Elizabeth"),
    Case("Peggy Price", "margaret_smith_jones", ("megan_price",), "nickname of an alias"),
    # Aliases, birth names and single-word nicknames.
    Case("Tiny", "william_jones", ("tina_jones",), "nickname alias"),
    Case("Margaret Price", "margaret_smith_jones", ("megan_price",), "birth name"),
    Case("Betty Harris", "elizabeth_taylor", ("beth_harrison",), "alias"),
    Case("Harris Betty", "elizabeth_taylor", ("beth_harrison",), "alias, swapped"),
    Case("Bobby Wilson", "robert_wilson", ("roberta_wilson", "robert_watson"), "alias"),
    # Spaces, hyphens and apostrophes.
    Case("Catherine OBrien", "catherine_obrien", OBRIEN_DECOYS, "no apostrophe"),
    Case("Catherine O Brien", "catherine_obrien", OBRIEN_DECOYS, "space for apostrophe"),
    Case("Margaret Smith Jones", "margaret_smith_jones", SMITH_JONES_DECOYS, "space for hyphen"),
    Case("Margaret SmithJones", "margaret_smith_jones", SMITH_JONES_DECOYS, "no hyphen"),
    Case("Jean Paul Leclerc", "jean_paul_leclerc", ("paul_leclerc",), "space for hyphen"),
    Case("Jeanpaul Leclerc", "jean_paul_leclerc", ("paul_leclerc",), "given names run together"),
    Case("Siobhan ONeill", "siobhan_oneill", ("sinead_oneill", "siobhan_neal"), "no apostrophe"),
    # Narrowed by date or year of birth.
    Case(
        "John Smith",
        "john_smith_1992",
        ("john_smith_1980",),
        "same name, date of birth",
        date_of_birth=dt.date(1992, 9, 9),
    ),
    Case(
        "Jon Smyth",
        "john_smith_1980",
        ("john_smith_1992", "john_smyth_1985", "jane_smith"),
        "misspelt, year of birth",
        birth_year=1980,
    ),
    Case(
        "Smith John",
        "john_smith_1980",
        ("john_smith_1992",),
        "swapped, year of birth",
        birth_year=1980,
    ),
    Case(
        "",
        "catherine_obrien",
        ("kathleen_obrien",),
        "date of birth alone",
        date_of_birth=dt.date(1985, 7, 14),
    ),
    Case(
        "Stephen",
        "stephen_thompson",
        ("stephen_thomas", "steven_simpson"),
        "given name and date of birth",
        date_of_birth=dt.date(1979, 3, 2),
    ),
    # Identifiers, exactly, in any form they are typed.
    Case(pnc("2012", "0000001"), "stephen_thompson", ("stephen_thomas",), "PNC ID"),
    Case(
        f"12/1{pnc('2012', '0000001')[-1]}".lower(),
        "stephen_thompson",
        ("stephen_thomas",),
        "PNC ID: two-digit year, serial without zeros, lower case",
    ),
    Case("ab 12 34 56 c", "stephen_thompson", ("stephen_thomas",), "NINO, spaced, lower case"),
    Case(cro("000001", "12"), "catherine_obrien", ("kathleen_obrien",), "CRO number"),
    Case(
        f"1/12{cro('000001', '12')[-1]}".lower(),
        "catherine_obrien",
        ("kathleen_obrien",),
        "CRO number without zeros, lower case",
    ),
    Case("vis-77120", "catherine_obrien", ("kathleen_obrien",), "ViSOR reference, lower case"),
    Case("a1234bc", "sean_macdonald", ("shaun_mcdonnell",), "prison number, lower case"),
    Case(" PR/2020/77 ", "sean_macdonald", ("shaun_mcdonnell",), "agency case number"),
]


def _rank(results: list[Nominal], register: dict[str, Nominal], key: str) -> int | None:
    ids = [n.pk for n in results]
    pk = register[key].pk
    return ids.index(pk) if pk in ids else None


def test_table_is_large_enough_and_every_case_has_decoys() -> None:
    assert len(CASES) >= 30
    assert all(case.decoys for case in CASES)


def test_search_table(register: dict[str, Nominal], personas: Personas) -> None:
    failures = []
    for case in CASES:
        outcome = search_register(
            user=personas.coordinator,
            query=case.query,
            date_of_birth=case.date_of_birth,
            birth_year=case.birth_year,
        )
        found = [r.nominal for r in outcome.results]
        rank = _rank(found, register, case.expected)
        shown = ", ".join(f"{r.nominal.full_name} ({r.score})" for r in outcome.results[:5])
        if rank is None or rank > 2:
            failures.append(f"{case.query!r} ({case.why}): {case.expected} at {rank}: {shown}")
            continue
        for decoy in case.decoys:
            decoy_rank = _rank(found, register, decoy)
            if decoy_rank is not None and decoy_rank < rank:
                failures.append(f"{case.query!r} ({case.why}): decoy {decoy} above: {shown}")
        scores = [r.score for r in outcome.results]
        if scores != sorted(scores, reverse=True):
            failures.append(f"{case.query!r}: not ranked best first: {shown}")
        assert not outcome.hidden_matches
    assert not failures, "\n".join(failures)
