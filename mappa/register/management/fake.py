"""Invented people, places and identifiers for the demo area and the scale generator.

Every person built from these lists is fictional: given and family names are drawn
independently and combined at random, streets are generic, telephone numbers are in
Ofcom's range reserved for drama (01632 960xxx) and email addresses are under the
reserved ``.example`` top-level domain, so nothing here can reach a real person.

Identifiers are generated to pass the register's validation
(``mappa.register.identifiers``): PNC IDs and CRO numbers carry the check letter
computed by ``check_letter``; National Insurance numbers use only issued prefixes.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from nicknames import NickNamer

from mappa.register.identifiers import check_letter


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


MALE_GIVEN = _names(
    """
    Aaron, Adam, Adrian, Alan, Albert, Alexander, Alfie, Andrew, Anthony, Arthur, Barry,
    Ben, Bernard, Bradley, Brian, Callum, Carl, Charles, Christopher, Colin, Craig, Daniel,
    Darren, David, Dean, Dennis, Derek, Dominic, Douglas, Edward, Elliot, Eric, Francis,
    Frederick, Gary, Gavin, Geoffrey, George, Gordon, Graham, Gregory, Harry, Henry, Ian,
    Jack, Jacob, James, Jamie, Jason, Jeffrey, Jeremy, John, Jonathan, Joseph, Joshua,
    Keith, Kenneth, Kevin, Kieran, Lee, Leonard, Liam, Louis, Luke, Marcus, Mark, Martin,
    Matthew, Michael, Neil, Nicholas, Nigel, Oliver, Patrick, Paul, Peter, Philip, Raymond,
    Richard, Robert, Roger, Ronald, Ross, Ryan, Samuel, Scott, Sean, Simon, Stanley,
    Stephen, Steven, Stuart, Terence, Thomas, Timothy, Tony, Trevor, Victor, Vincent,
    Wayne, William, Zachary
    """
)

FEMALE_GIVEN = _names(
    """
    Abigail, Alison, Amanda, Amy, Andrea, Angela, Anna, Barbara, Bethany, Carol, Caroline,
    Catherine, Charlotte, Chloe, Christine, Claire, Danielle, Deborah, Diane, Donna,
    Elizabeth, Emily, Emma, Fiona, Gemma, Hannah, Helen, Jacqueline, Jane, Janet, Jennifer,
    Jessica, Joanne, Julie, Karen, Katherine, Kelly, Laura, Lisa, Louise, Lucy, Margaret,
    Michelle, Natalie, Nicola, Patricia, Rachel, Rebecca, Sandra, Sarah, Sharon, Sophie,
    Susan, Tracey, Victoria, Zoë
    """
)

MALE_MIDDLE = _names("Alan, David, Edward, James, John, Lee, Michael, Paul, Peter, Thomas")
FEMALE_MIDDLE = _names("Anne, Grace, Jane, Jean, Louise, Marie, Rose")


@dataclass(frozen=True)
class Origin:
    """Names and the ethnicity people describe themselves by (MAPPA B notes 2)."""

    family: list[str]
    male: list[str]
    female: list[str]
    ethnicities: list[str]
    weight: int


ORIGINS = [
    Origin(
        _names(
            """
            Ahier, Amy, Bisson, Blampied, Cabot, De Gruchy, De la Haye, Du Feu, Falle,
            Gallichan, Hamon, Journeaux, Labey, Laurens, Le Breton, Le Brocq, Le Cocq,
            Le Cornu, Le Feuvre, Le Gallais, Le Maistre, Le Marquand, Le Masurier, Le Quesne,
            Le Sueur, Luce, Mauger, Mourant, Noel, Ozouf, Pallot, Perchard, Picot, Poingdestre,
            Querée, Renouf, Romeril, Rondel, Syvret, Vibert
            """
        ),
        MALE_GIVEN,
        FEMALE_GIVEN,
        ["White Jersey", "White Jersey", "White British"],
        30,
    ),
    Origin(
        _names(
            """
            Adams, Allen, Armstrong, Bailey, Baker, Barker, Bell, Bennett, Brooks, Brown,
            Butler, Campbell, Carter, Chapman, Clarke, Cole, Collins, Cook, Cooper, Cox,
            Davies, Dawson, Dixon, Edwards, Ellis, Evans, Fisher, Fletcher, Foster, Fox,
            Gibson, Graham, Grant, Gray, Green, Griffiths, Hall, Harris, Harrison, Hart, Hill,
            Holmes, Hudson, Hughes, Hunt, Jackson, James, Jenkins, Johnson, Jones, Kelly,
            Kennedy, King, Knight, Lawrence, Lee, Lewis, Lloyd, MacDonald, Marshall, Martin,
            Mason, McCarthy, Mills, Mitchell, Moore, Morgan, Morris, Murphy, Murray, O'Brien,
            O'Neill, Owen, Palmer, Parker, Patel, Pearce, Phillips, Powell, Price, Reid,
            Reynolds, Richards, Roberts, Robinson, Rogers, Rose, Ross, Russell, Scott, Shaw,
            Simpson, Smith, Spencer, Stevens, Stewart, Taylor, Thomas, Thompson, Turner,
            Walker, Wallace, Ward, Watson, Webb, Wells, West, White, Williams, Wilson, Wood,
            Wright, Young
            """
        ),
        MALE_GIVEN,
        FEMALE_GIVEN,
        [
            "White British",
            "White British",
            "White British",
            "White Irish",
            "White Scottish",
            "Black British (Caribbean heritage)",
            "Mixed White and Black Caribbean",
            "British Indian",
        ],
        45,
    ),
    Origin(
        _names(
            """
            Abreu, Correia, Da Silva, De Sousa, Dos Santos, Fernandes, Ferreira, Freitas,
            Gomes, Gonçalves, Nunes, Pereira, Rodrigues, Sousa, Teixeira, Vieira
            """
        ),
        _names("António, Carlos, Duarte, Fernando, João, Jorge, José, Luís, Nuno, Pedro, Rui"),
        _names("Ana, Beatriz, Catarina, Inês, Maria, Marta, Rita, Sofia"),
        ["White Portuguese (Madeiran)", "White Portuguese"],
        15,
    ),
    Origin(
        _names(
            """
            Kamiński, Kowalski, Lewandowski, Nowak, Szymański, Wiśniewski, Wójcik, Zieliński
            """
        ),
        _names("Adam, Jakub, Krzysztof, Łukasz, Marek, Michał, Paweł, Piotr, Tomasz"),
        _names("Agnieszka, Anna, Ewa, Katarzyna, Magdalena, Monika"),
        ["White Polish"],
        7,
    ),
    Origin(
        _names("Ionescu, Popa, Popescu, Stan, Dumitru"),
        _names("Andrei, Bogdan, Cristian, Florin, Ionuț, Mihai"),
        _names("Andreea, Elena, Ioana"),
        ["White Romanian"],
        2,
    ),
    Origin(
        _names("Bērziņš, Kalniņš, Ozoliņš"),
        _names("Andris, Jānis, Māris"),
        _names("Ilze, Līga"),
        ["White Latvian"],
        1,
    ),
]

FAMILY_NAMES = [name for origin in ORIGINS for name in origin.family]


@dataclass(frozen=True)
class PersonName:
    given_names: str
    family_name: str
    gender: str
    ethnicity: str


def random_name(rng: random.Random, *, female_share: float = 0.12) -> PersonName:
    """A made-up person: given and family names drawn independently."""
    origin = rng.choices(ORIGINS, weights=[o.weight for o in ORIGINS])[0]
    female = rng.random() < female_share
    given = rng.choice(origin.female if female else origin.male)
    if rng.random() < 0.35:
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        if middle != given:
            given = f"{given} {middle}"
    return PersonName(
        given_names=given,
        family_name=rng.choice(origin.family),
        gender="female" if female else "male",
        ethnicity=rng.choice(origin.ethnicities),
    )


NICKNAMES_STANDALONE = ["Tiny", "Smudge", "Spider", "Chalky", "Mack", "Dusty", "Tank", "Jonno"]

PARISHES = [
    ("St Helier", "JE2"),
    ("St Helier", "JE1"),
    ("St Saviour", "JE2"),
    ("St Clement", "JE2"),
    ("Grouville", "JE3"),
    ("St Brelade", "JE3"),
    ("St Lawrence", "JE3"),
    ("St Peter", "JE3"),
    ("St Ouen", "JE3"),
    ("St Martin", "JE3"),
    ("St John", "JE3"),
    ("St Mary", "JE3"),
    ("Trinity", "JE3"),
]

STREETS = [
    "Rue du Moulin",
    "Clos de la Fontaine",
    "Rue des Prés",
    "Victoria Road",
    "Park Lane",
    "Church Road",
    "Rue de la Mare",
    "Les Ruettes",
    "Queen's Avenue",
    "Rue du Pont",
    "Clos des Vergers",
    "Station Road",
    "Rue de l'Étang",
    "Mill Street",
    "Harbour View",
    "Rue des Landes",
]

HOUSE_PREFIXES = ["", "", "", "Flat 1, ", "Flat 2, ", "Flat 4, ", "Room 3, "]

POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Offences as a Jersey court would record them; the demo never attaches real cases.
SEXUAL_OFFENCES = [
    "Indecent assault",
    "Rape",
    "Sexual assault of a child",
    "Possession of indecent images of children",
    "Making indecent images of children",
    "Sexual activity with a child",
    "Voyeurism",
    "Indecent exposure",
]
VIOLENT_OFFENCES = [
    "Grave and criminal assault",
    "Manslaughter",
    "Murder",
    "Robbery",
    "Wounding with intent",
    "Kidnapping",
    "Arson with intent to endanger life",
    "False imprisonment",
]
OTHER_DANGEROUS_OFFENCES = [
    "Threats to kill",
    "Affray",
    "Possession of an offensive weapon",
    "Harassment putting people in fear of violence",
    "Common assault (domestic)",
    "Criminal damage",
]
MINOR_OFFENCES = [
    "Larceny",
    "Possession of a controlled drug",
    "Drunk and disorderly",
    "Breach of the peace",
    "Driving while disqualified",
]

# The Magistrate's Court sentences up to 12 months; longer terms come from the Royal Court.
JERSEY_COURTS = ["Royal Court", "Magistrate's Court"]
ABROAD = [
    ("England", "Crown Court at Winchester"),
    ("England", "Crown Court at Exeter"),
    ("Guernsey", "Royal Court of Guernsey"),
    ("Portugal", "Tribunal Judicial da Comarca da Madeira"),
    ("Poland", "Sąd Okręgowy w Gdańsku"),
    ("France", "Tribunal correctionnel de Saint-Malo"),
]

PDP_BEHAVIOURS = [
    "Repeated threats to kill a former partner and her new partner, made in person and by text "
    "message; acquired a knife and was seen outside her address at night.",
    "Loitering outside a primary school at going-home time, photographing children and "
    "approaching two of them with offers of lifts; grooming messages found on his phone.",
    "Escalating stalking of a colleague over eight months, including following her home and "
    "leaving notes describing what he would do to her.",
    "Fire-setting at three properties in the parish without conviction; told a nurse he "
    "wanted to 'see the house burn with them inside'.",
    "Disclosed sexual interest in children to a counsellor and has sought work with a youth "
    "football club; no convictions.",
]

WARNING_DETAILS = {
    "violence": "Assaulted officers on arrest",
    "weapons": "Known to carry a knife",
    "firearms": "Access to a shotgun through a relative",
    "drugs": "Heroin use; needles may be present",
    "self_harm": "History of self-harm when under stress",
    "mental_health": "Diagnosed paranoid schizophrenia; may be unwell when not taking medication",
    "escape": "Absconded from escort in the past",
    "infectious_disease": "Hepatitis C",
    "other": "Aggressive dog at the address",
}

WARNING_SOURCES = [
    "States of Jersey Police intelligence",
    "HM Prison La Moye",
    "Probation and After-Care Service",
    "Mental Health Services",
]

NINO_PREFIXES = [
    "AB",
    "AE",
    "BH",
    "CE",
    "CP",
    "EH",
    "GL",
    "HT",
    "JB",
    "JK",
    "JT",
    "KE",
    "LM",
    "MA",
    "NH",
    "NP",
    "PA",
    "PR",
    "RB",
    "SC",
    "SH",
    "TE",
    "WK",
    "WL",
    "YA",
    "ZB",
]


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def nicknames_for(given_names: str) -> tuple[str, ...]:
    """Common forms of the first given name, from the maintained ``nicknames`` data."""
    first = given_names.split()[0].lower()
    found = _nicknamer().nicknames_of(first)
    return tuple(sorted(n.capitalize() for n in found if len(n) > 2))


def pnc_id(year: int, serial: int) -> str:
    """Canonical PNC ID with its check letter (identifiers.md)."""
    digits = f"{year % 100:02d}{serial:07d}"
    return f"{year:04d}/{serial:07d}{check_letter(digits)}"


def pnc_short_form(canonical: str) -> str:
    """The way people type a PNC ID: two-digit year, serial without leading zeros."""
    year, rest = canonical.split("/")
    serial, letter = rest[:-1], rest[-1]
    return f"{year[2:]}/{int(serial)}{letter}"


def cro_number(serial: int, year: int) -> str:
    yy = f"{year % 100:02d}"
    padded = f"{serial:06d}"
    return f"{padded}/{yy}{check_letter(yy + padded)}"


def cro_fingerprint_only(serial: int, year: int) -> str:
    # Fingerprint-only form: the check letter uses the serial as written, unpadded.
    yy = f"{year % 100:02d}"
    return f"SF{yy}/{serial}{check_letter(yy + str(serial))}"


def nino(prefix: str, number: int, suffix: str) -> str:
    return f"{prefix}{number:06d}{suffix}"


@dataclass
class IdentifierPool:
    """Hands out identifiers that are new to the register and to this run."""

    rng: random.Random
    taken: set[tuple[str, str]] = field(default_factory=set)

    def _fresh(self, kind: str, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if (kind, value) not in self.taken:
                self.taken.add((kind, value))
                return value

    def pnc(self, year: int) -> str:
        return self._fresh("pnc", lambda: pnc_id(year, self.rng.randint(1, 9_999_999)))

    def cro(self, year: int) -> str:
        return self._fresh("cro", lambda: cro_number(self.rng.randint(1, 999_999), year))

    def cro_sf(self, year: int) -> str:
        return self._fresh(
            "cro", lambda: cro_fingerprint_only(self.rng.randint(1000, 999_999), year)
        )

    def nino(self) -> str:
        return self._fresh(
            "nino",
            lambda: nino(
                self.rng.choice(NINO_PREFIXES),
                self.rng.randint(0, 999_999),
                self.rng.choice("ABCD"),
            ),
        )


def street_address(rng: random.Random) -> tuple[str, str, str]:
    """(line 1, town or parish, postcode) on an invented street."""
    parish, district = rng.choice(PARISHES)
    line_1 = f"{rng.choice(HOUSE_PREFIXES)}{rng.randint(1, 120)} {rng.choice(STREETS)}"
    postcode = (
        f"{district} {rng.randint(1, 9)}"
        f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    )
    return line_1, parish, postcode


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's end (decisions.md)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: 28 exists in every month


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def misspell(
    rng: random.Random, word: str, slips: tuple[str, ...] = ("swap", "drop", "double", "vowel")
) -> str:
    """One typing slip: a transposition, a dropped or doubled letter, or a wrong vowel."""
    letters = list(word)
    # Slips inside a word: never the capital that starts it, nor across a space.
    inner = [i for i, c in enumerate(letters) if c.islower()][:-1]
    if len(inner) < 2:
        return word + word[-1]
    how = rng.choice(slips)
    i = rng.choice(inner[:-1])
    if how == "swap" and letters[i + 1].islower() and letters[i + 1] != letters[i]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    elif how == "drop":
        del letters[i]
    elif how == "double":
        letters.insert(i, letters[i])
    else:
        vowels = [j for j in inner if letters[j].lower() in "aeiou"]
        j = rng.choice(vowels) if vowels else i
        letters[j] = rng.choice([v for v in "aeiou" if v != letters[j].lower()])
    result = "".join(letters)
    return result if result.lower() != word.lower() else word + word[-1]
