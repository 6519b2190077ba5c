"""Redaction of the executive summary (J 5.6; decisions.md "People around a case").

Pure functions, no database: the caller gives the people around the case (victims,
children, vulnerable adults, partners, other third parties) and the person managed,
and gets back each narrative text with every name, alias, address and date of birth
of those people replaced by their role ("the victim", "a child"), and a record of
each replacement (the original span, what replaced it, and the rule), so that the
chair can review the two side by side.

How names are found:

- in any capitalisation ("MARY SMITH", "mary smith"), across a line break or any run
  of spaces ("Mary\\nSmith"), with hyphens, spaces and apostrophes in a name treated
  alike ("Le Brocq", "Le-Brocq", "O'Neill", "O’Neill", "ONeill"), a word broken at the
  end of a line ("Smi-\\nth"), with a title in front ("Mrs Smith") and possessive
  after ("Smith's" becomes "the victim's");
- a full name (two words or more) is found in any capitalisation; a single word
  (a given name alone, a family name alone, a one-word alias) only when written with
  a capital, because in English a name is written with one: "Rose" and "ROSE" are
  removed, "his anger rose" is not (a test documents it);
- the person managed's own names are never removed: where a victim shares the family
  name, only the victim's given names and full name are removed, never the family
  name alone (a test documents it);
- a word that names two people of different roles ("Smith", for a victim and a
  child of one family) is replaced by both roles ("the victim or a child").

Addresses: the first line of the address (and the lines after it, when they follow it
in the text) and the postcode in any spacing. A town or parish alone identifies no
one and is left. Dates of birth in the usual written forms: 03/04/2015, 3/4/15,
3.4.15, 3-4-2015, 2015-04-03, 3 April 2015, 3rd April 2015, 3 Apr 15, April 3, 2015,
3rd of April 2015.

Manual redactions (a phrase and its replacement) are found the same way as a full
name (any capitalisation, any spacing) and take part in the same choice: where two
findings overlap, the one that starts first wins, then the longer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The role that replaces each kind of person (mappa.people.models.PersonKind values).
ROLE: dict[str, str] = {
    "victim": "the victim",
    "child": "a child",
    "vulnerable_adult": "a vulnerable adult",
    "partner": "a partner",
    "other": "a third party",
}

RULE_NAME = "name"
RULE_ALIAS = "alias"
RULE_ADDRESS = "address"
RULE_POSTCODE = "postcode"
RULE_DATE_OF_BIRTH = "date of birth"
RULE_MANUAL = "added by hand"

TITLES = r"(?:mr|mrs|ms|miss|mx|dr|master|mstr)\.?"
APOSTROPHES = "'’‘`´"
DASHES = "-‐‑‒–—"
_APOS = f"[{APOSTROPHES}]"
_DASH = f"[{DASHES}]"
# Between the words of a name: spaces (a line break included), hyphens or both.
_GAP = rf"(?:\s|,|{_DASH})+"
# A word broken at the end of a line: "Smi-" then the rest on the next line.
_SOFT_BREAK = r"(?:-[ \t]*\r?\n[ \t]*)?"
_POSSESSIVE = rf"(?P<poss>{_APOS}s(?!\w)|(?<=[sS]){_APOS}(?!\w))?"
_BEFORE = r"(?<![\w])"
_AFTER = r"(?![\w])"

# Words that begin family names ("Le Brocq", "de la Haye", "van Dyke"): never removed
# alone, only as part of the whole name.
PARTICLES = frozenset(
    {
        "le",
        "la",
        "de",
        "du",
        "des",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "st",
        "saint",
        "mc",
        "mac",
        "al",
        "el",
        "bin",
        "ben",
        "ap",
        "o",
    }
)

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


@dataclass(frozen=True)
class Person:
    """One person around the case, as redaction needs them."""

    kind: str  # a PersonKind value
    given_names: str = ""
    family_name: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    address_lines: tuple[str, ...] = ()  # line 1, line 2, town, in that order
    postcode: str = ""

    @property
    def role(self) -> str:
        return ROLE.get(self.kind, ROLE["other"])


@dataclass(frozen=True)
class Manual:
    """A redaction the chair added by hand: a phrase and the words that replace it."""

    phrase: str
    replacement: str


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern[str]
    replacement: str
    rule: str
    # A single word: found only when written with a capital (see the module's notes).
    needs_capital: bool = False
    possessive: bool = True  # "Smith's" -> "the victim's"


@dataclass(frozen=True)
class Redaction:
    start: int  # in the original text
    end: int
    original: str
    replacement: str
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool


@dataclass(frozen=True)
class Redacted:
    original: str
    text: str
    redactions: tuple[Redaction, ...] = field(default=())

    def original_segments(self) -> list[Segment]:
        """The original with each redacted span marked (the left of the side-by-side)."""
        out: list[Segment] = []
        at = 0
        for r in self.redactions:
            if r.start > at:
                out.append(Segment(self.original[at : r.start], False))
            out.append(Segment(self.original[r.start : r.end], True))
            at = r.end
        if at < len(self.original):
            out.append(Segment(self.original[at:], False))
        return out

    def redacted_segments(self) -> list[Segment]:
        """The redacted text with each replacement marked (the right of the side-by-side)."""
        out: list[Segment] = []
        at = 0
        for r, replaced in zip(self.redactions, _replacements(self), strict=True):
            if r.start > at:
                out.append(Segment(self.original[at : r.start], False))
            out.append(Segment(replaced, True))
            at = r.end
        if at < len(self.original):
            out.append(Segment(self.original[at:], False))
        return out


# Building the patterns ------------------------------------------------------------


def _words(text: str) -> list[str]:
    """The words of a name, split at spaces, hyphens and dashes; apostrophes kept."""
    return [w for w in re.split(rf"(?:\s|{_DASH})+", text.strip()) if w]


def _word_pattern(word: str) -> str:
    """One word of a name: letters as written (any case), an apostrophe in any of its
    forms or left out, and a line-end break allowed between any two letters."""
    parts: list[str] = []
    for char in word:
        if char in APOSTROPHES:
            parts.append(rf"(?:{_APOS}\s?|\s)?")
        else:
            parts.append(re.escape(char))
    return _SOFT_BREAK.join(p for p in parts)


def _phrase_pattern(words: Sequence[str]) -> str:
    return _GAP.join(_word_pattern(w) for w in words)


def _compile(body: str, *, title: bool, possessive: bool) -> re.Pattern[str]:
    prefix = rf"(?:{TITLES}\s+)?" if title else ""
    suffix = _POSSESSIVE if possessive else ""
    return re.compile(rf"{_BEFORE}{prefix}(?:{body}){suffix}{_AFTER}", re.IGNORECASE)


def _casefold_words(text: str) -> list[str]:
    return [w.casefold().strip(APOSTROPHES) for w in _words(text)]


def _name_key(words: Sequence[str]) -> str:
    # "O'Neill", "ONeill" and "O Neill" are one name.
    return "".join(re.sub(rf"[{APOSTROPHES}\s]", "", w.casefold()) for w in words)


def _possessive_of(role: str) -> str:
    return f"{role}'s"


def _join_roles(roles: Iterable[str]) -> str:
    unique = list(dict.fromkeys(roles))
    return " or ".join(unique)


def _date_patterns(born: dt.date) -> list[str]:
    d, m, y = born.day, born.month, born.year
    yy = f"{y % 100:02d}"
    day = rf"0?{d}"
    month = rf"0?{m}"
    year = rf"(?:{y}|{yy})"
    sep = r"\s*[/.\-]\s*"
    numeric = rf"{day}{sep}{month}{sep}{year}"
    iso = rf"{y}{sep}0?{m}{sep}0?{d}"
    name = MONTHS[m - 1]
    month_word = rf"(?:{name}|{name[:3]}\.?{'|sept' if m == 9 else ''})"
    ordinal = r"(?:st|nd|rd|th)?"
    written = rf"{day}{ordinal}(?:\s+of)?\s+{month_word},?\s+{year}"
    american = rf"{month_word}\s+{day}{ordinal},?\s+{year}"
    return [numeric, iso, written, american]


def _postcode_pattern(postcode: str) -> str | None:
    compact = re.sub(r"\s+", "", postcode)
    if len(compact) < 4:
        return None
    # The inward code is the last three characters: "JE2 3AB", "JE23AB", "je2  3ab".
    outward, inward = compact[:-3], compact[-3:]
    return rf"{re.escape(outward)}\s*{re.escape(inward)}"


def _address_pattern(lines: Sequence[str], postcode: str) -> str | None:
    """The first line, then (when they follow it in the text) the later lines and the
    postcode, separated by commas, spaces or line breaks."""
    first = lines[0].strip() if lines else ""
    if not first:
        return None
    sep = r"[\s,]+"
    words = [w for w in re.split(r"[\s,]+", first) if w]
    body = sep.join(_word_pattern(w) for w in words)
    tail: list[str] = []
    for line in list(lines[1:]):
        later = [w for w in re.split(r"[\s,]+", line.strip()) if w]
        if later:
            tail.append(rf"(?:{sep}{sep.join(_word_pattern(w) for w in later)})?")
    code = _postcode_pattern(postcode) if postcode else None
    if code:
        tail.append(rf"(?:{sep}{code})?")
    return body + "".join(tail)


def terms_for(
    people: Iterable[Person],
    *,
    protected_names: Iterable[str] = (),
    manual: Iterable[Manual] = (),
) -> list[Term]:
    """Every pattern to look for, from the people around the case.

    ``protected_names``: the person managed's names (given names, family name and
    aliases): no word of them is ever removed on its own, and a full name equal to
    theirs is not removed either.
    """
    protected_words = {w for name in protected_names for w in _casefold_words(name)}
    protected_full = {_name_key(_words(name)) for name in protected_names if name.strip()}

    # Single words may name several people: gather their roles first.
    single: dict[str, tuple[str, list[str], str]] = {}  # key -> (word, roles, rule)
    terms: list[Term] = []
    seen_full: dict[str, int] = {}

    def add_full(words: list[str], role: str, rule: str) -> None:
        key = _name_key(words)
        if not key or key in protected_full:
            return
        if key in seen_full:
            index = seen_full[key]
            old = terms[index]
            terms[index] = Term(
                old.pattern, _join_roles([old.replacement, role]), old.rule, possessive=True
            )
            return
        seen_full[key] = len(terms)
        terms.append(
            Term(_compile(_phrase_pattern(words), title=True, possessive=True), role, rule)
        )

    def add_single(word: str, role: str, rule: str) -> None:
        clean = word.strip(APOSTROPHES + ".,")
        if len(re.sub(r"\W", "", clean)) < 2:
            return  # an initial identifies no one and would match everywhere
        if clean.casefold() in protected_words:
            return
        if clean.casefold() in PARTICLES:
            return  # "Le" of "Le Brocq" alone would match every "Le" in the text
        key = _name_key([clean])
        if key in single:
            single[key][1].append(role)
        else:
            single[key] = (clean, [role], rule)

    for person in people:
        role = person.role
        given = _words(person.given_names)
        family = _words(person.family_name)
        if given and family:
            add_full(given + family, role, RULE_NAME)
            add_full(family + given, role, RULE_NAME)  # "SMITH Mary"
            add_full([given[0], *family], role, RULE_NAME)  # first given name and family
            add_full([*family, given[0]], role, RULE_NAME)  # "SMITH, Mary"
        if len(given) > 1:
            add_full(given, role, RULE_NAME)
        for word in given:
            add_single(word, role, RULE_NAME)
        if len(family) > 1:
            add_full(family, role, RULE_NAME)
        for word in family:
            add_single(word, role, RULE_NAME)
        for alias in person.aliases:
            words = _words(alias)
            if len(words) > 1:
                add_full(words, role, RULE_ALIAS)
            for word in words:
                add_single(word, role, RULE_ALIAS)
        address = _address_pattern(person.address_lines, person.postcode)
        if address:
            terms.append(
                Term(
                    re.compile(rf"{_BEFORE}(?:{address}){_AFTER}", re.IGNORECASE),
                    f"{_possessive_of(role)} address",
                    RULE_ADDRESS,
                    possessive=False,
                )
            )
        code = _postcode_pattern(person.postcode) if person.postcode else None
        if code:
            terms.append(
                Term(
                    re.compile(rf"{_BEFORE}{code}{_AFTER}", re.IGNORECASE),
                    f"{_possessive_of(role)} postcode",
                    RULE_POSTCODE,
                    possessive=False,
                )
            )
        if person.date_of_birth is not None:
            body = "|".join(_date_patterns(person.date_of_birth))
            terms.append(
                Term(
                    re.compile(rf"(?<![\w/.\-])(?:{body})(?![\w]|[/.\-]\d)", re.IGNORECASE),
                    f"{_possessive_of(role)} date of birth",
                    RULE_DATE_OF_BIRTH,
                    possessive=False,
                )
            )

    for word, roles, rule in single.values():
        terms.append(
            Term(
                _compile(_phrase_pattern([word]), title=True, possessive=True),
                _join_roles(roles),
                rule,
                needs_capital=True,
            )
        )

    for item in manual:
        words = [w for w in re.split(r"\s+", item.phrase.strip()) if w]
        if not words:
            continue
        body = r"\s+".join(re.escape(w) for w in words)
        before = _BEFORE if re.match(r"\w", words[0]) else ""
        after = _AFTER if re.search(r"\w$", words[-1]) else ""
        terms.append(
            Term(
                re.compile(rf"{before}{body}{after}", re.IGNORECASE),
                item.replacement.strip(),
                RULE_MANUAL,
                possessive=False,
            )
        )
    return terms


# Applying them --------------------------------------------------------------------


def _starts_with_capital(text: str) -> bool:
    stripped = re.sub(rf"^{TITLES}\s+", "", text, flags=re.IGNORECASE)
    letters = [c for c in stripped if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before.endswith(("\n", ".", "!", "?"))


def _replacement(original_text: str, r: Redaction) -> str:
    words = r.replacement
    if words and _at_sentence_start(original_text, r.start):
        words = words[:1].upper() + words[1:]
    return words


def _replacements(result: Redacted) -> list[str]:
    return [_replacement(result.original, r) for r in result.redactions]


def find(text: str, terms: Sequence[Term]) -> list[Redaction]:
    """Every span to replace in ``text``, without overlaps: where two findings
    overlap, the one that starts first wins, then the longer."""
    found: list[Redaction] = []
    for term in terms:
        for match in term.pattern.finditer(text):
            original = match.group(0)
            if not original.strip():
                continue
            if term.needs_capital and not _starts_with_capital(original):
                continue
            replacement = term.replacement
            if term.possessive and "poss" in match.re.groupindex and match.group("poss"):
                replacement = _possessive_of(replacement)
            found.append(Redaction(match.start(), match.end(), original, replacement, term.rule))
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    chosen: list[Redaction] = []
    end = -1
    for r in found:
        if r.start >= end:
            chosen.append(r)
            end = r.end
    return chosen


def redact(text: str, terms: Sequence[Term]) -> Redacted:
    """``text`` with every finding replaced, and what was replaced."""
    if not text:
        return Redacted(text or "", text or "")
    redactions = tuple(find(text, terms))
    pieces: list[str] = []
    at = 0
    for r in redactions:
        pieces.append(text[at : r.start])
        pieces.append(_replacement(text, r))
        at = r.end
    pieces.append(text[at:])
    return Redacted(text, "".join(pieces), redactions)


# The summary's content ------------------------------------------------------------

# Content is JSON: {"sections": [{"heading", "fields": [{"label", "value", "narrative"}],
# "tables": [{"columns", "rows", "narrative": [column indexes]}], ...}]}. Only narrative
# values (free text typed by people) are redacted; dates, labels and the person
# managed's own details are not.


@dataclass(frozen=True)
class NarrativeItem:
    path: str  # "s2.f0" or "s4.t0.r1.c2"
    section: str
    label: str
    result: Redacted


def narrative_paths(content: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(path, section heading, label, text) of every narrative value, in reading order."""
    out: list[tuple[str, str, str, str]] = []
    for s_index, section in enumerate(content.get("sections", [])):
        heading = str(section.get("heading", ""))
        for f_index, item in enumerate(section.get("fields", [])):
            if item.get("narrative"):
                out.append((f"s{s_index}.f{f_index}", heading, item["label"], item["value"]))
        for t_index, table in enumerate(section.get("tables", [])):
            narrative = set(table.get("narrative", []))
            columns = table.get("columns", [])
            for r_index, row in enumerate(table.get("rows", [])):
                for c_index, cell in enumerate(row):
                    if c_index in narrative:
                        label = f"{columns[c_index]} ({', '.join(str(c) for c in row[:1])})"
                        out.append(
                            (f"s{s_index}.t{t_index}.r{r_index}.c{c_index}", heading, label, cell)
                        )
    return out


def redact_content(
    content: Mapping[str, Any], terms: Sequence[Term]
) -> tuple[dict[str, Any], list[NarrativeItem]]:
    """The content with every narrative value redacted, and each value's result."""
    items: list[NarrativeItem] = []
    sections: list[dict[str, Any]] = []
    for s_index, section in enumerate(content.get("sections", [])):
        heading = str(section.get("heading", ""))
        fields = []
        for f_index, item in enumerate(section.get("fields", [])):
            new = dict(item)
            if item.get("narrative"):
                result = redact(str(item.get("value", "")), terms)
                new["value"] = result.text
                items.append(
                    NarrativeItem(f"s{s_index}.f{f_index}", heading, item["label"], result)
                )
            fields.append(new)
        tables = []
        for t_index, table in enumerate(section.get("tables", [])):
            narrative = set(table.get("narrative", []))
            columns = table.get("columns", [])
            rows = []
            for r_index, row in enumerate(table.get("rows", [])):
                new_row = []
                for c_index, cell in enumerate(row):
                    if c_index in narrative:
                        result = redact(str(cell), terms)
                        new_row.append(result.text)
                        label = f"{columns[c_index]} ({row[0]})" if row else columns[c_index]
                        items.append(
                            NarrativeItem(
                                f"s{s_index}.t{t_index}.r{r_index}.c{c_index}",
                                heading,
                                label,
                                result,
                            )
                        )
                    else:
                        new_row.append(cell)
                rows.append(new_row)
            tables.append({**table, "rows": rows})
        sections.append({**section, "fields": fields, "tables": tables})
    return {**content, "sections": sections}, items


def redaction_log(items: Iterable[NarrativeItem]) -> list[dict[str, Any]]:
    """Each redaction with where it was, for the record kept beside a version."""
    return [
        {"path": item.path, "label": item.label, **r.as_dict()}
        for item in items
        for r in item.result.redactions
    ]
