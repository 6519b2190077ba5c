"""The name index stays in step with the register, however it is written."""

import datetime as dt
from typing import Any

from django.db import connection

from mappa.register.models import Alias, AliasKind, Nominal
from mappa.register.services import attachment_delete, attachment_save, nominal_update
from mappa.search.models import NameEntry, NameWord, NameWordVariant
from mappa.search.selectors import search_register
from mappa.search.services import index_nominal, rebuild_index
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.search.conftest import PEOPLE, build_person

COLUMNS = (
    "nominal_id",
    "alias_id",
    "display_name",
    "given_norm",
    "family_norm",
    "full_norm",
    "family_compact",
    "given_first",
    "given_key",
    "family_key",
    "given_initial",
)


def _rows(nominal_ids: list[Any] | None = None) -> list[tuple[Any, ...]]:
    rows = NameEntry.objects.all()
    if nominal_ids is not None:
        rows = rows.filter(nominal_id__in=nominal_ids)
    return sorted(rows.values_list(*COLUMNS), key=repr)


def _found(personas: Personas, query: str) -> list[Nominal]:
    return [r.nominal for r in search_register(user=personas.coordinator, query=query).results]


def test_alias_added_then_removed(nominal: Nominal, personas: Personas) -> None:
    assert nominal not in _found(personas, "Dodger Bloggs")
    alias = attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Alias(kind=AliasKind.ALIAS, given_names="Dodger", family_name="Bloggs"),
    )
    assert NameEntry.objects.filter(nominal=nominal).count() == 2
    best = search_register(user=personas.coordinator, query="Dodger Blogs").results[0]
    assert best.nominal == nominal and best.matched_name == "Dodger Bloggs"

    assert isinstance(alias, Alias)
    alias.given_names, alias.family_name = "Artful", "Dawkins"
    attachment_save(actor=personas.coordinator, nominal=nominal, instance=alias)
    assert nominal not in _found(personas, "Dodger Bloggs")
    assert nominal in _found(personas, "Artful Dawkins")

    attachment_delete(actor=personas.coordinator, nominal=nominal, instance=alias)
    assert NameEntry.objects.filter(nominal=nominal).count() == 1
    assert nominal not in _found(personas, "Artful Dawkins")
    assert nominal in _found(personas, "John Smith")


def test_name_corrected(nominal: Nominal, personas: Personas) -> None:
    nominal_update(actor=personas.coordinator, nominal=nominal, family_name="Featherstonehaugh")
    assert nominal not in _found(personas, "John Smith")
    assert nominal in _found(personas, "John Featherstonhaugh")


def _make_register(personas: Personas) -> list[Nominal]:
    return [
        build_person(personas, PEOPLE[key])
        for key in ("margaret_smith_jones", "elizabeth_taylor", "william_jones", "john_smith_1980")
    ]


def test_rebuild_of_everyone_matches_index_nominal(personas: Personas) -> None:
    people = _make_register(personas)
    by_service = _rows()
    assert len(by_service) == len(people) + Alias.objects.count()

    NameEntry.objects.all().delete()
    written = rebuild_index()
    assert written == len(by_service)
    assert _rows() == by_service

    # Searches work as before.
    assert people[1] in _found(personas, "Betty Harris")


def test_rebuild_of_some_leaves_the_others(personas: Personas) -> None:
    people = _make_register(personas)
    by_service = _rows()
    # Stale rows for the first two: one changed by hand, one missing.
    NameEntry.objects.filter(nominal=people[0]).update(full_norm="stale", given_key="x")
    NameEntry.objects.filter(nominal=people[1]).delete()
    untouched = NameEntry.objects.filter(nominal__in=people[2:]).order_by("pk")
    before = list(untouched.values_list("pk", flat=True))

    written = rebuild_index([people[0].pk, people[1].pk, people[0].pk], batch_size=1)
    assert written == len(_rows([people[0].pk, people[1].pk]))
    assert _rows() == by_service
    # The others' rows were not rewritten.
    assert list(untouched.values_list("pk", flat=True)) == before


def test_index_nominal_is_idempotent(nominal: Nominal) -> None:
    before = _rows()
    index_nominal(nominal)
    index_nominal(nominal)
    assert _rows() == before


def test_trigram_index_exists_only_on_postgresql(db: None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_nameword_trgm_idx'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "gin_trgm_ops" in definition
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'search_nameword_trgm_idx'"
            )
            assert cursor.fetchone() == (0,)


def test_dictionary_holds_every_name_looked_up(personas: Personas) -> None:
    people = _make_register(personas)
    words = set(NameWord.objects.values_list("word", flat=True))
    assert {"margaret", "smithjones", "price", "betty", "harris", "tiny"} <= words
    looked_up = set(NameEntry.objects.values_list("given_first", flat=True)) | set(
        NameEntry.objects.values_list("family_compact", flat=True)
    )
    assert looked_up - {""} <= words
    NameWord.objects.all().delete()
    NameWordVariant.objects.all().delete()
    rebuild_index([people[0].pk])
    assert {"margaret", "smithjones", "price"} <= set(
        NameWord.objects.values_list("word", flat=True)
    )
    rebuild_index()
    assert set(NameWord.objects.values_list("word", flat=True)) == looked_up - {""}
    # Each word is found by its variants, itself among them.
    assert set(
        NameWordVariant.objects.filter(variant="smthjones").values_list("word", flat=True)
    ) == {"smithjones"}
    assert NameWordVariant.objects.filter(variant="price", word="price").exists()


def test_names_with_odd_characters_are_indexed(personas: Personas) -> None:
    person = make_nominal(
        personas.coordinator,
        given_names="Zoë",
        family_name="D’Arcy-Łukasz",
        date_of_birth=dt.date(1990, 1, 1),
        lead_agency=personas.probation,
    )
    entry = NameEntry.objects.get(nominal=person)
    assert entry.full_norm == "zoe darcy lukasz"
    assert entry.family_compact == "darcylukasz"
    assert person in _found(personas, "Zoe Darcy Lukasz")
