"""Keeping the name index in step with the register.

``index_nominal`` is called by the register's services inside the transaction of
every change to a person's name or aliases; ``rebuild_index`` (re)builds many
people at once, for bulk loads such as ``seed_scale``.
"""

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection, transaction

from mappa.register.models import Alias, Nominal
from mappa.search.matching import (
    EntryFields,
    deletion_variants,
    entry_fields,
    initial,
    normalise_name,
)
from mappa.search.models import NameEntry, NameWord, NameWordVariant

__all__ = ["index_nominal", "normalise_name", "rebuild_index"]

COLUMNS = ("nominal_id", "alias_id", *EntryFields._fields)

Row = tuple[Any, ...]


# Names repeat across a register, so a bulk rebuild computes most of them once.
@lru_cache(maxsize=65536)
def _fields(given_names: str, family_name: str) -> EntryFields:
    return entry_fields(given_names, family_name)


def _rows(
    people: Iterable[tuple[Any, str, str]], aliases: Iterable[tuple[Any, Any, str, str]]
) -> list[Row]:
    """Index rows, in ``COLUMNS`` order: the recorded names, then the aliases."""
    rows: list[Row] = [
        (pk, None, *_fields(given or "", family or "")) for pk, given, family in people
    ]
    rows.extend(
        (nominal_id, pk, *_fields(given or "", family or ""))
        for pk, nominal_id, given, family in aliases
    )
    return rows


def _insert(rows: list[Row], batch_size: int) -> None:
    if connection.vendor == "postgresql":
        # COPY writes a batch several times faster than INSERT (PostgreSQL manual,
        # "Populating a Database"): it matters for a register of 100,000 people.
        with connection.cursor() as cursor:
            statement = f"COPY search_nameentry ({', '.join(COLUMNS)}) FROM STDIN"  # noqa: S608
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    NameEntry.objects.bulk_create(
        [NameEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        batch_size=batch_size,
    )


_WORD_COLUMNS = (
    EntryFields._fields.index("given_first") + 2,
    EntryFields._fields.index("family_compact") + 2,
)


def _add_words(rows: list[Row], batch_size: int) -> None:
    """Add the rows' names, if new, to the dictionary of names and its variants."""
    words = {row[i] for row in rows for i in _WORD_COLUMNS if row[i]}
    if not words:
        return
    # Every known word is its own variant: the variants' B-tree says which are new
    # (PostgreSQL would answer "word IN (...)" slowly through the trigram index).
    known = NameWordVariant.objects.filter(variant__in=words, word__in=words)
    new = sorted(words - {w for v, w in known.values_list("variant", "word") if v == w})
    NameWord.objects.bulk_create(
        [NameWord(word=w, initial=initial(w)) for w in new],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    NameWordVariant.objects.bulk_create(
        [NameWordVariant(variant=v, word=w) for w in new for v in sorted(deletion_variants(w))],
        batch_size=batch_size,
        ignore_conflicts=True,
    )


def index_nominal(nominal: Nominal) -> None:
    """Rebuild the nominal's rows: the recorded name and every alias."""
    NameEntry.objects.filter(nominal_id=nominal.pk).delete()
    aliases = Alias.objects.filter(nominal_id=nominal.pk).values_list(
        "pk", "nominal_id", "given_names", "family_name"
    )
    rows = _rows([(nominal.pk, nominal.given_names, nominal.family_name)], aliases)
    NameEntry.objects.bulk_create(
        [NameEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows]
    )
    _add_words(rows, batch_size=100)


def _chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _rows_of_everyone(batch_size: int) -> Iterator[list[Row]]:
    """Every person's and every alias's rows, streamed a batch at a time."""
    people = Nominal.objects.values_list("pk", "given_names", "family_name")
    for chunk in _chunks(people.iterator(chunk_size=batch_size), batch_size):
        yield _rows(chunk, [])
    aliases = Alias.objects.values_list("pk", "nominal_id", "given_names", "family_name")
    for chunk in _chunks(aliases.iterator(chunk_size=batch_size), batch_size):
        yield _rows([], chunk)


def _rows_of(nominal_ids: Iterable[Any], batch_size: int) -> Iterator[list[Row]]:
    """The rows of the given people, replacing theirs, a batch of people at a time."""
    for chunk in _chunks(dict.fromkeys(nominal_ids), batch_size):
        NameEntry.objects.filter(nominal_id__in=chunk).delete()
        people = Nominal.objects.filter(pk__in=chunk).values_list(
            "pk", "given_names", "family_name"
        )
        aliases = Alias.objects.filter(nominal_id__in=chunk).values_list(
            "pk", "nominal_id", "given_names", "family_name"
        )
        yield _rows(people, aliases)


@transaction.atomic
def rebuild_index(nominal_ids: Iterable[Any] | None = None, batch_size: int = 2000) -> int:
    """Rebuild the index rows of the given people, or of everyone when ``None``.

    Reads and writes ``batch_size`` people at a time in bulk (COPY on PostgreSQL,
    bulk_create elsewhere), so that a register of 100,000 people with their
    aliases is indexed in seconds. Returns the number of rows written.
    """
    batch_size = max(1, batch_size)
    if nominal_ids is None:
        NameEntry.objects.all().delete()
        NameWord.objects.all().delete()
        NameWordVariant.objects.all().delete()
        batches = _rows_of_everyone(batch_size)
    else:
        batches = _rows_of(nominal_ids, batch_size)
    written = 0
    for rows in batches:
        _insert(rows, batch_size)
        _add_words(rows, batch_size)
        written += len(rows)
    return written
