"""A small register of people with look-alike names, built through the services.

Each person the search should find has decoys beside them: people whose names are
spelt, sound or start alike, so that a test shows the right person ranks first and
not merely that some similar name turns up (decisions.md, "Search").
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from mappa.register.identifiers import check_letter
from mappa.register.models import Alias, AliasKind, Nominal
from mappa.register.services import attachment_save
from tests.conftest import Personas
from tests.factories import make_nominal


def pnc(year: str, serial: str) -> str:
    return f"{year}/{serial}{check_letter(year[2:] + serial)}"


def cro(serial: str, year: str) -> str:
    return f"{serial}/{year}{check_letter(year + serial)}"


@dataclass(frozen=True)
class Person:
    given_names: str
    family_name: str
    born: dt.date
    aliases: tuple[tuple[str, str, str], ...] = ()  # (kind, given names, family name)
    identifiers: tuple[tuple[str, str, str], ...] = ()  # (kind, value, issuer)


PEOPLE: dict[str, Person] = {
    # Wanted people, each with identifiers or aliases the tables search by.
    "stephen_thompson": Person(
        "Stephen",
        "Thompson",
        dt.date(1979, 3, 2),
        identifiers=(("pnc", pnc("2012", "0000001"), ""), ("nino", "AB123456C", "")),
    ),
    "catherine_obrien": Person(
        "Catherine",
        "O'Brien",
        dt.date(1985, 7, 14),
        identifiers=(("cro", cro("000001", "12"), ""), ("visor", "VIS-77120", "")),
    ),
    "william_jones": Person(
        "William", "Jones", dt.date(1970, 1, 20), aliases=((AliasKind.NICKNAME, "Tiny", ""),)
    ),
    "margaret_smith_jones": Person(
        "Margaret",
        "Smith-Jones",
        dt.date(1962, 11, 5),
        aliases=((AliasKind.BIRTH_NAME, "Margaret", "Price"),),
    ),
    "mohammed_rahman": Person("Mohammed", "Rahman", dt.date(1990, 6, 30)),
    "sean_macdonald": Person(
        "Sean",
        "MacDonald",
        dt.date(1988, 2, 11),
        identifiers=(
            ("prison", "A1234BC", ""),
            ("agency", "PR/2020/77", "Probation case management"),
        ),
    ),
    "john_smith_1980": Person("John", "Smith", dt.date(1980, 5, 17)),
    "john_smith_1992": Person("John", "Smith", dt.date(1992, 9, 9)),
    "jean_paul_leclerc": Person("Jean-Paul", "Leclerc", dt.date(1975, 4, 4)),
    "elizabeth_taylor": Person(
        "Elizabeth",
        "Taylor",
        dt.date(1983, 8, 8),
        aliases=((AliasKind.BIRTH_NAME, "Betty", "Harris"),),
    ),
    "robert_wilson": Person(
        "Robert",
        "Wilson",
        dt.date(1968, 12, 1),
        aliases=((AliasKind.ALIAS, "Bobby", "Wilson"),),
    ),
    "geoffrey_davies": Person("Geoffrey", "Davies", dt.date(1959, 10, 10)),
    "siobhan_oneill": Person("Siobhan", "O'Neill", dt.date(1991, 3, 3)),
    "christopher_evans": Person("Christopher", "Evans", dt.date(1986, 6, 16)),
    "kathryn_morgan": Person("Kathryn", "Morgan", dt.date(1994, 1, 1)),
    "richard_martin": Person("Richard", "Martin", dt.date(1977, 7, 7)),
    # Decoys.
    "stephen_thomas": Person(
        "Stephen",
        "Thomas",
        dt.date(1978, 3, 2),
        identifiers=(("pnc", pnc("2012", "0000002"), ""), ("nino", "AB123457C", "")),
    ),
    "steven_simpson": Person("Steven", "Simpson", dt.date(1981, 4, 5)),
    "stephanie_thompson": Person("Stephanie", "Thompson", dt.date(1984, 9, 19), ()),
    "kathleen_obrien": Person(
        "Kathleen",
        "O'Brien",
        dt.date(1985, 7, 15),
        identifiers=(("cro", cro("000002", "12"), ""), ("visor", "VIS-77121", "")),
    ),
    "catherine_bryant": Person("Catherine", "Bryant", dt.date(1987, 2, 2)),
    "william_james": Person("William", "James", dt.date(1971, 2, 2)),
    "willa_jones": Person("Willa", "Jones", dt.date(1972, 3, 3)),
    "tina_jones": Person("Tina", "Jones", dt.date(1973, 4, 4)),
    "margaret_smith": Person("Margaret", "Smith", dt.date(1963, 5, 5)),
    "mary_smith_jones": Person("Mary", "Smith-Jones", dt.date(1964, 6, 6)),
    "megan_price": Person("Megan", "Price", dt.date(1965, 7, 7)),
    "mohammad_rahim": Person("Mohammad", "Rahim", dt.date(1990, 6, 29)),
    "shaun_mcdonnell": Person(
        "Shaun",
        "McDonnell",
        dt.date(1988, 3, 11),
        identifiers=(
            ("prison", "A1234BD", ""),
            ("agency", "PR/2020/78", "Probation case management"),
        ),
    ),
    "john_smyth_1985": Person("John", "Smyth", dt.date(1985, 1, 1)),
    "jane_smith": Person("Jane", "Smith", dt.date(1980, 5, 18)),
    "paul_leclerc": Person("Paul", "Leclerc", dt.date(1976, 5, 5)),
    "elizabeth_tyler": Person("Elizabeth", "Tyler", dt.date(1982, 8, 8)),
    "beth_harrison": Person("Beth", "Harrison", dt.date(1984, 1, 9)),
    "robert_watson": Person("Robert", "Watson", dt.date(1967, 11, 30)),
    "roberta_wilson": Person("Roberta", "Wilson", dt.date(1969, 1, 2)),
    "geoffrey_davidson": Person("Geoffrey", "Davidson", dt.date(1958, 9, 9)),
    "jeffrey_dawes": Person("Jeffrey", "Dawes", dt.date(1960, 12, 12)),
    "sinead_oneill": Person("Sinead", "O'Neill", dt.date(1992, 4, 4)),
    "siobhan_neal": Person("Siobhan", "Neal", dt.date(1990, 2, 2)),
    "christopher_evers": Person("Christopher", "Evers", dt.date(1987, 7, 7)),
    "kristen_evans": Person("Kristen", "Evans", dt.date(1985, 5, 5)),
    "katrina_morgan": Person("Katrina", "Morgan", dt.date(1993, 3, 3)),
    "kathryn_morris": Person("Kathryn", "Morris", dt.date(1995, 5, 5)),
    "richard_marsden": Person("Richard", "Marsden", dt.date(1976, 6, 6)),
    "rita_martin": Person("Rita", "Martin", dt.date(1978, 8, 8)),
    "ricardo_martinez": Person("Ricardo", "Martinez", dt.date(1979, 9, 9)),
}


def build_person(personas: Personas, person: Person) -> Nominal:
    nominal = make_nominal(
        personas.coordinator,
        given_names=person.given_names,
        family_name=person.family_name,
        date_of_birth=person.born,
        lead_agency=personas.probation,
        manager=personas.owner,
        identifiers=list(person.identifiers),
    )
    for kind, given, family in person.aliases:
        attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=Alias(kind=kind, given_names=given, family_name=family),
        )
    return nominal


@pytest.fixture
def register(personas: Personas) -> dict[str, Nominal]:
    return {key: build_person(personas, person) for key, person in PEOPLE.items()}
