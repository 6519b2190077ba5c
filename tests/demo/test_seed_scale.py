"""The large-register generator (issue 2, point 9): bulk, valid, indexed, audited once."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mappa.audit.models import AuditEvent
from mappa.register.identifiers import normalise_identifier
from mappa.register.management.fake import pnc_short_form
from mappa.register.models import (
    Alias,
    Case,
    CaseState,
    Category,
    Conviction,
    Identifier,
    IdentifierKind,
    Nominal,
)
from mappa.search.models import NameEntry
from mappa.search.selectors import search_register
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def test_seed_scale_adds_valid_people_indexed_and_audited_once(personas) -> None:
    existing = make_nominal(personas.coordinator, lead_agency=personas.probation)
    out = StringIO()
    call_command("seed_scale", "--nominals", "200", stdout=out)
    assert "Added 200 people (MN-000002 to MN-000201)" in out.getvalue()

    seeded = Nominal.objects.exclude(pk=existing.pk)
    assert seeded.count() == 200
    references = sorted(seeded.values_list("reference", flat=True))
    assert references[0] == "MN-000002" and references[-1] == "MN-000201"

    aliases = Counter(Alias.objects.filter(nominal__in=seeded).values_list("nominal", flat=True))
    assert len(aliases) == 200 and set(aliases.values()) <= {2, 3}
    assert Conviction.objects.filter(nominal__in=seeded).count() == 200
    assert Case.objects.filter(nominal__in=seeded, closed_on__isnull=True).count() == 200
    states = CaseState.objects.filter(case__nominal__in=seeded, effective_to__isnull=True)
    assert states.count() == 200

    # The register's rules hold for generated people too.
    assert not states.filter(category=Category.CATEGORY_3, level=1).exists()
    for state in states.select_related("case"):
        case = state.case
        index = Conviction.objects.filter(nominal_id=case.nominal_id, is_index_offence=True)
        if state.category == Category.PDP:
            assert case.pdp_behaviour and not index.exists()
        else:
            assert index.exists()
        if state.category == Category.CATEGORY_1:
            assert (case.notification_end_date is None) == case.notification_indefinite

    identifiers = list(Identifier.objects.values_list("kind", "value"))
    assert len(identifiers) == len(set(identifiers))
    for kind, value in identifiers:
        assert normalise_identifier(kind, value) == value
    assert Identifier.objects.filter(nominal__in=seeded, kind=IdentifierKind.PNC).count() == 200

    # Every name and alias is in the search index, and search finds the people.
    assert NameEntry.objects.filter(nominal__in=seeded).count() == 200 + sum(aliases.values())
    person = seeded.order_by("reference")[100]
    pnc = person.identifiers.get(kind=IdentifierKind.PNC).value
    outcome = search_register(user=personas.coordinator, query=pnc_short_form(pnc))
    assert [r.nominal.pk for r in outcome.results] == [person.pk]
    outcome = search_register(user=personas.coordinator, query=person.full_name)
    assert person.pk in [r.nominal.pk for r in outcome.results]

    # One audit event for the whole load, with its counts; none per row.
    events = AuditEvent.objects.filter(action="register.bulk_seed")
    assert events.count() == 1
    detail = events.get().detail
    assert detail["people"] == 200
    assert detail["aliases"] == sum(aliases.values())
    assert detail["index_rows"] == 200 + sum(aliases.values())
    assert AuditEvent.objects.filter(action="nominal.create").count() == 1


def test_top_up_adds_only_what_is_missing_without_clashes(personas) -> None:
    call_command("seed_scale", "--nominals", "60", stdout=StringIO())
    out = StringIO()
    call_command("seed_scale", "--nominals", "60", "--top-up", stdout=out)
    assert "Nothing to add" in out.getvalue()
    assert Nominal.objects.count() == 60
    # The same seed again: references and identifiers continue, never repeat.
    call_command("seed_scale", "--nominals", "90", "--top-up", stdout=StringIO())
    assert Nominal.objects.count() == 90
    assert Nominal.objects.order_by("-reference").values_list("reference", flat=True)[0] == (
        "MN-000090"
    )
    assert Identifier.objects.values("kind", "value").distinct().count() == (
        Identifier.objects.count()
    )
    assert AuditEvent.objects.filter(action="register.bulk_seed").count() == 2


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(CommandError, match="aliases"):
        call_command("seed_scale", "--nominals", "5", "--aliases-min", "3", "--aliases-max", "2")
    with pytest.raises(CommandError, match="no account"):
        call_command("seed_scale", "--nominals", "5", "--actor", "nobody")
