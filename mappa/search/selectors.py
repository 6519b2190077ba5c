"""Finding a person on the register by name, alias, date of birth or identifier."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from rapidfuzz import fuzz

from mappa.access.policy import nominals_visible_to
from mappa.register.identifiers import normalise_identifier
from mappa.register.models import Identifier, IdentifierKind, Nominal
from mappa.search.models import NameEntry
from mappa.search.services import normalise_name


@dataclass
class SearchResult:
    nominal: Nominal
    score: float
    matched_name: str
    matched_alias: bool
    matched_identifier: str = ""


@dataclass
class SearchOutcome:
    results: list[SearchResult] = field(default_factory=list)
    # True when records the user may not open also match: the page says only that.
    hidden_matches: bool = False


def _identifier_matches(query: str) -> set[Any]:
    text = query.strip()
    values = {text.upper(), " ".join(text.split()).upper()}
    for kind in IdentifierKind.values:
        try:
            values.add(normalise_identifier(kind, text))
        except ValidationError:
            continue
    return set(Identifier.objects.filter(value__in=values).values_list("nominal_id", flat=True))


def search_register(
    *,
    user: Any,
    query: str,
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    limit: int = 25,
) -> SearchOutcome:
    text = (query or "").strip()
    if (
        len(normalise_name(text).replace(" ", "")) < settings.MAPPA_SEARCH_MIN_CHARS
        and not date_of_birth
    ):
        raise ValidationError(
            {
                "q": [
                    f"Enter at least {settings.MAPPA_SEARCH_MIN_CHARS} characters of a name or identifier"
                ]
            }
        )
    scored: dict[Any, SearchResult] = {}
    by_identifier = _identifier_matches(text) if text else set()
    for nominal in Nominal.objects.filter(pk__in=by_identifier):
        scored[nominal.pk] = SearchResult(nominal, 100.0, nominal.full_name, False, text)
    target = normalise_name(text)
    if target and not by_identifier:
        entries = NameEntry.objects.select_related("nominal")
        for entry in entries.iterator():
            score = fuzz.token_sort_ratio(target, entry.full_norm)
            if score < 70:
                continue
            best = scored.get(entry.nominal_id)
            if best is None or score > best.score:
                scored[entry.nominal_id] = SearchResult(
                    entry.nominal, float(score), entry.full_norm, entry.alias_id is not None
                )
    matches = list(scored.values())
    if date_of_birth:
        matches = [m for m in matches if m.nominal.date_of_birth == date_of_birth]
    if birth_year:
        matches = [m for m in matches if m.nominal.date_of_birth.year == birth_year]
    visible = set(
        nominals_visible_to(user)
        .filter(pk__in=[m.nominal.pk for m in matches])
        .values_list("pk", flat=True)
    )
    outcome = SearchOutcome(hidden_matches=any(m.nominal.pk not in visible for m in matches))
    outcome.results = sorted(
        (m for m in matches if m.nominal.pk in visible), key=lambda m: -m.score
    )[:limit]
    return outcome
