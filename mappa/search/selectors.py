"""Finding a person on the register by name, alias, date of birth or identifier.

Identifiers are matched exactly, in their canonical form. Names in two steps
(issue 2, point 5; decisions.md "Search"):

1. Candidates: a few indexed queries on the name index, each ordered by trigram
   similarity to the query and cut at a fixed number of rows, so that no search
   reads the whole register however large it grows.

   First, by sound-alike keys (``matching.name_key``), through B-tree indexes, the
   same on both databases: family and given name both sound alike (the given name
   may be a nickname form); the family name sounds alike and the given name starts
   alike; the given name sounds alike and the family name's key starts alike.

   Then, only if none of those scores ``CLOSE_ENOUGH`` (a typing error changed
   how a name sounds): the few names in the dictionary of distinct names
   (``NameWord``) spelt most like each word typed, and the entries that have
   them. On PostgreSQL the dictionary is searched by trigram similarity through a
   GIN index (pg_trgm, migration 0002); SQLite, which has no such index, ranks the
   dictionary's names with the same initial by the same similarity, computed by a
   function ``apps.py`` registers.

2. Ranking: every candidate is scored by ``matching.score_candidates``, in Python,
   the same code on both databases; a person's best-scoring name wins.

Only records the user may open are returned; if others match, the outcome says so
and nothing more.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value

from mappa.access.policy import nominals_visible_to
from mappa.register.identifiers import normalise_identifier
from mappa.register.models import Identifier, IdentifierKind, Nominal
from mappa.search.matching import (
    MIN_SCORE,
    Candidate,
    PreparedQuery,
    compact,
    deletion_variants,
    initials_of,
    name_key,
    normalise_name,
    prepare,
    score_candidates,
)
from mappa.search.models import NameEntry, NameWord, NameWordVariant

# Rows read from each candidate query: a few hundred in all, whatever the size of
# the register, keeps a search within its time budget (issue 2, point 10).
PAIR_LIMIT = 300
ANCHOR_LIMIT = 150
SPELLING_LIMIT = 200
# Dictionary names taken for each word of the query by similarity, in all by
# variants, and the words of the query looked up.
WORDS_PER_WORD = 12
VARIANT_ROWS = 500
# pg_trgm's default similarity_threshold, which its % operator applies.
WORD_SIMILARITY = 0.3
MAX_SPELLING_WORDS = 6
# A name found by its keys that scores this well is taken to be what the user
# meant; below it, the search also looks by spelling.
CLOSE_ENOUGH = 90.0
# With an exact date of birth the few people born that day are all read.
DATE_OF_BIRTH_LIMIT = 500

_COLUMNS = ("id", "nominal_id", "alias_id", "display_name", "given_norm", "family_norm")


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


class NameSimilarity(Func):
    """pg_trgm's ``similarity(a, b)``; on SQLite the same measure in Python."""

    function = "similarity"
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="mappa_trigram_similarity", **extra)


def _identifier_values(text: str) -> set[str]:
    """Every canonical form the typed text could be: a PNC ID typed as "12/1234A"
    or "2012/0001234A", a NINO with or without spaces, any case."""
    values = {" ".join(text.split()).upper(), "".join(text.split()).upper()}
    for kind in IdentifierKind.values:
        try:
            values.add(normalise_identifier(kind, text))
        except ValidationError:
            continue
    return values


def _identifier_matches(text: str, born: Q) -> dict[Any, str]:
    labels = dict(IdentifierKind.choices)
    found: dict[Any, str] = {}
    rows = (
        Identifier.objects.filter(born, value__in=_identifier_values(text))
        .order_by("kind", "value")
        .values_list("nominal_id", "kind", "value")
    )
    for nominal_id, kind, value in rows:
        found.setdefault(nominal_id, f"{labels.get(kind, kind)} {value}")
    return found


def _born(date_of_birth: dt.date | None, birth_year: int | None) -> Q:
    """The date of birth filter, on rows that point to the person (``nominal``)."""
    born = Q()
    if date_of_birth:
        born &= Q(nominal__date_of_birth=date_of_birth)
    if birth_year:
        # A range, not __year, so that the date of birth index is used.
        born &= Q(nominal__date_of_birth__gte=dt.date(birth_year, 1, 1))
        born &= Q(nominal__date_of_birth__lte=dt.date(birth_year, 12, 31))
    return born


def _bounded(queryset: QuerySet[NameEntry], query: PreparedQuery, limit: int) -> Any:
    """The rows most like the query first, cut at ``limit``."""
    similarity = NameSimilarity(F("full_norm"), Value(query.text))
    return (
        queryset.annotate(similarity=similarity)
        .order_by("-similarity", "id")
        .values_list(*_COLUMNS)[:limit]
    )


def _key_ranges(field_name: str, prefixes: Iterable[str]) -> Q:
    """Keys starting with any of the prefixes, as index ranges (none: no rows)."""
    ranges = Q(pk__in=[])
    for prefix in sorted(prefixes):
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        ranges |= Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": after})
    return ranges


def _by_keys(query: PreparedQuery, entries: QuerySet[NameEntry]) -> list[Any]:
    """First pass, the same on both databases: sound-alike keys, by B-tree index."""
    if len(query.tokens) == 1:
        # One word: a family name or a given name (or a one-word alias).
        return [
            _bounded(entries.filter(family_key__in=query.family_keys), query, ANCHOR_LIMIT),
            _bounded(entries.filter(given_key__in=query.given_keys), query, ANCHOR_LIMIT),
        ]
    return [
        # Both names sound alike (or the given name is a nickname form).
        _bounded(
            entries.filter(
                family_key__in=query.family_keys,
                given_initial__in={k[:1] for k in query.given_keys},
                given_key__in=query.given_keys,
            ),
            query,
            PAIR_LIMIT,
        ),
        # The family name sounds alike; the given name's key only starts alike (a
        # typing error that changed its sound).
        _bounded(
            entries.filter(
                _key_ranges("given_key", query.given_key_prefixes),
                family_key__in=query.family_keys,
                given_initial__in={p[:1] for p in query.given_key_prefixes},
            ),
            query,
            ANCHOR_LIMIT,
        ),
        # The given name sounds alike; the family name's key only starts alike.
        _bounded(
            entries.filter(
                _key_ranges("family_key", query.family_key_prefixes),
                given_key__in=query.typed_given_keys,
            ),
            query,
            ANCHOR_LIMIT,
        ),
    ]


def _similar_words(words: Iterable[str]) -> dict[str, set[str]]:
    """For each word typed, the names in the dictionary spelt like it, found two ways.

    One typing error away, by a shared deletion variant (B-tree, both databases).
    And with the same initial, the closest few by trigram similarity, down to
    pg_trgm's default threshold: on PostgreSQL the ``%`` operator lets the GIN
    index skip the dissimilar names; SQLite, with no such index, ranks every name
    with that initial in the dictionary.
    """
    typed = list(words)[:MAX_SPELLING_WORDS]
    found: dict[str, set[str]] = {word: set() for word in typed}
    makers: dict[str, list[str]] = {}
    for word in typed:
        for variant in deletion_variants(word):
            makers.setdefault(variant, []).append(word)
    pairs = (
        NameWordVariant.objects.filter(variant__in=makers)
        .order_by("variant", "word")
        .values_list("variant", "word")[:VARIANT_ROWS]
    )
    for variant, name in pairs:
        for word in makers[variant]:
            found[word].add(name)
    for word in typed:
        names = NameWord.objects.filter(initial__in=initials_of(word))
        if connection.vendor == "postgresql":
            names = names.filter(word__trigram_similar=word)
        found[word].update(
            names.annotate(similarity=NameSimilarity(F("word"), Value(word)))
            .filter(similarity__gte=WORD_SIMILARITY)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:WORDS_PER_WORD]
        )
    return found


def _by_spelling(query: PreparedQuery, entries: QuerySet[NameEntry]) -> Any:
    """Second pass, when no name sounded close enough (a typing error that changed
    how a name sounds): the names spelt most like the query's words, from the
    dictionary, then the entries that have them."""
    # The words as typed first, then run together ("smithjones").
    words = [*dict.fromkeys(query.tokens)]
    words += sorted((query.family_words | query.given_words) - set(words))
    similar = _similar_words(words)
    family = set().union(*(similar.get(w, set()) for w in query.family_words))
    given = set().union(*(similar.get(w, set()) for w in query.given_words))
    if len(query.tokens) == 1:
        candidates = entries.filter(
            Q(family_compact__in=family) | Q(given_key__in={name_key(w) for w in given})
        )
    else:
        candidates = entries.filter(family_compact__in=family, given_first__in=given)
    return _bounded(candidates, query, SPELLING_LIMIT)


def _read(querysets: Iterable[Any], seen: dict[int, Candidate]) -> list[Candidate]:
    new = []
    for queryset in querysets:
        for entry_id, nominal_id, alias_id, display, given, family in queryset:
            if entry_id not in seen:
                seen[entry_id] = Candidate(
                    entry_id, nominal_id, alias_id is not None, display, given, family
                )
                new.append(seen[entry_id])
    return new


def _score_by_name(
    query: PreparedQuery, entries: QuerySet[NameEntry]
) -> list[tuple[float, Candidate]]:
    seen: dict[int, Candidate] = {}
    scored = score_candidates(query, _read(_by_keys(query, entries), seen))
    if max((value for value, _ in scored), default=0.0) < CLOSE_ENOUGH:
        scored += score_candidates(query, _read([_by_spelling(query, entries)], seen))
    return scored


def _rank_key(item: tuple[float, Candidate]) -> tuple[Any, ...]:
    value, row = item
    # Best score first; at equal scores the recorded name before an alias, then by
    # name, so the order is the same on every database.
    return (-value, row.is_alias, row.family_norm, row.given_norm, str(row.nominal_id))


def _best_per_person(
    scored: Iterable[tuple[float, Candidate]], threshold: float
) -> list[tuple[float, Candidate]]:
    best: dict[Any, tuple[float, Candidate]] = {}
    for item in sorted(scored, key=_rank_key):
        if item[0] >= threshold:
            best.setdefault(item[1].nominal_id, item)
    return sorted(best.values(), key=_rank_key)


@dataclass(frozen=True)
class _Match:
    nominal_id: Any
    score: float
    matched_name: str = ""
    matched_alias: bool = False
    matched_identifier: str = ""


def _name_matches(text: str, born: Q, date_of_birth: dt.date | None) -> list[_Match]:
    query = prepare(text)
    entries = NameEntry.objects.filter(born)
    threshold = MIN_SCORE
    if date_of_birth:
        # An exact date of birth narrows the register to a handful of people: read
        # them all rather than rely on keys.
        rows = [
            Candidate(e, n, a is not None, d, g, f)
            for e, n, a, d, g, f in entries.order_by("id").values_list(*_COLUMNS)[
                :DATE_OF_BIRTH_LIMIT
            ]
        ]
        if len(compact(query.text)) < settings.MAPPA_SEARCH_MIN_CHARS:
            # Too little of a name to judge by: everyone born that day, ordered by
            # how well the name fits.
            threshold = 0.0
        if query.tokens:
            scored = score_candidates(query, rows)
        else:
            scored = [(100.0, row) for row in rows]
    else:
        scored = _score_by_name(query, entries)
    return [
        _Match(row.nominal_id, value, row.display_name, row.is_alias)
        for value, row in _best_per_person(scored, threshold)
    ]


def search_register(
    *,
    user: Any,
    query: str,
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    limit: int = 25,
) -> SearchOutcome:
    """Search the register, best match first, within what ``user`` may open.

    An identifier typed in any accepted form finds its holder exactly; otherwise
    the text is searched as a name. ``date_of_birth`` and ``birth_year`` narrow
    either search. Fewer than three letters of a name, without a date of birth,
    is refused.
    """
    text = " ".join((query or "").split())
    if len(compact(normalise_name(text))) < settings.MAPPA_SEARCH_MIN_CHARS and not date_of_birth:
        raise ValidationError(
            {
                "q": [
                    f"Enter at least {settings.MAPPA_SEARCH_MIN_CHARS} characters of a "
                    "name or identifier"
                ]
            }
        )
    born = _born(date_of_birth, birth_year)
    by_identifier = _identifier_matches(text, born) if text else {}
    if by_identifier:
        matches = [
            _Match(nominal_id, 100.0, matched_identifier=label)
            for nominal_id, label in by_identifier.items()
        ]
    else:
        matches = _name_matches(text, born, date_of_birth)

    # J 4.2, 13.2: only what the user may open is shown; that others match is said,
    # with no name or number.
    matched_ids = {m.nominal_id for m in matches}
    visible = set(nominals_visible_to(user).filter(pk__in=matched_ids).values_list("pk", flat=True))
    shown = [m for m in matches if m.nominal_id in visible][: max(0, limit)]
    nominals = Nominal.objects.in_bulk([m.nominal_id for m in shown])
    return SearchOutcome(
        results=[
            SearchResult(
                nominal=nominals[m.nominal_id],
                score=m.score,
                matched_name=m.matched_name or nominals[m.nominal_id].full_name,
                matched_alias=m.matched_alias,
                matched_identifier=m.matched_identifier,
            )
            for m in shown
        ],
        hidden_matches=len(visible) < len(matched_ids),
    )
