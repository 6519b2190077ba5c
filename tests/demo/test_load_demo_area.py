"""The demo area (issue 2, point 9): built once, deterministic, every rule kept."""

import datetime as dt
import random
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from mappa.access.models import Agency, AgencyKind, Contact, Role, User
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.register.identifiers import normalise_identifier
from mappa.register.management import demo_area, fake
from mappa.register.models import (
    Address,
    Alias,
    Case,
    CasePartner,
    CaseState,
    Category,
    Conviction,
    HospitalDetention,
    Identifier,
    IdentifierKind,
    Nominal,
    NominalStatus,
    Sentence,
    StatusChange,
    WarningMarker,
)
from mappa.search.models import NameEntry

pytestmark = pytest.mark.django_db

# J 1.1 and 10.7: (kind, duty to co-operate, core).
EXPECTED_AGENCIES = {
    "States of Jersey Police": (AgencyKind.POLICE, True, True),
    "Probation and After-Care Service": (AgencyKind.PROBATION, True, True),
    "HM Prison La Moye": (AgencyKind.PRISON, True, True),
    "Health and Social Services": (AgencyKind.HEALTH, True, True),
    "Mental Health Services": (AgencyKind.MENTAL_HEALTH, True, True),
    "Children's Services": (AgencyKind.CHILDRENS_SERVICES, True, True),
    "Housing Department": (AgencyKind.HOUSING, True, True),
    "Education, Sport and Culture Department": (AgencyKind.EDUCATION, True, False),
    "Customs and Immigration Service": (AgencyKind.CUSTOMS_IMMIGRATION, True, False),
    "Social Security Department": (AgencyKind.SOCIAL_SECURITY, False, False),
    "JMAPPA Co-ordination Unit": (AgencyKind.COORDINATION, True, False),
}

COUNTED = (
    Nominal,
    Alias,
    Identifier,
    Address,
    Conviction,
    Sentence,
    HospitalDetention,
    WarningMarker,
    Case,
    CaseState,
    CasePartner,
    StatusChange,
    NameEntry,
    Contact,
    User,
    Agency,
    AuditEvent,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _printed_logins(output: str) -> list[tuple[str, str]]:
    """(username, password) from the table the command prints."""
    rows = []
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 4 and cells[3] == demo_area.DEMO_PASSWORD:
            rows.append((cells[0], cells[3]))
    return rows


def _check_agencies_and_directory() -> None:
    agencies = {a.name: a for a in Agency.objects.all()}
    for name, (kind, duty, core) in EXPECTED_AGENCIES.items():
        agency = agencies[name]
        assert (agency.kind, agency.duty_to_cooperate, agency.is_core) == (kind, duty, core), name
        assert Contact.objects.filter(agency=agency).exists(), f"{name} has nobody in the directory"
        if core:
            # J 10.12: minutes go to core agencies through their single point of contact.
            assert Contact.objects.filter(agency=agency, is_spoc=True).count() == 1, name
    for contact in Contact.objects.all():
        assert contact.email.endswith(".example"), contact.email
        assert contact.phone.startswith("01632 960"), contact.phone
        assert contact.role and contact.grade


def _check_accounts() -> None:
    held = Counter(role for user in User.objects.all() for role in user.role_set)
    for role in Role.values:
        assert held[role] >= 1, f"no demo account is a {role}"
    practitioner_agencies = set(
        User.objects.filter(roles__role=Role.PRACTITIONER).values_list("agency__kind", flat=True)
    )
    for kind in (
        AgencyKind.POLICE,
        AgencyKind.PROBATION,
        AgencyKind.HOUSING,
        AgencyKind.CHILDRENS_SERVICES,
        AgencyKind.EDUCATION,
        AgencyKind.MENTAL_HEALTH,
    ):
        assert kind in practitioner_agencies, kind
    for user in User.objects.all():
        # An expired vetting date would lock the demo account out (access policy).
        assert user.vetting_expires is None or user.vetting_expires > today()


def _check_identifiers() -> None:
    values = list(Identifier.objects.values_list("kind", "issuer", "value"))
    assert len(values) == len(set(values))
    for kind, _issuer, value in values:
        # Stored in canonical form: normalising again changes nothing, check letters hold.
        assert normalise_identifier(kind, value) == value, (kind, value)
    kinds = Counter(kind for kind, _, _ in values)
    for kind in IdentifierKind.values:
        assert kinds[kind] > 0, f"no {kind} identifiers"
    assert any(v.startswith("SF") for k, _, v in values if k == IdentifierKind.CRO)


def _check_rules() -> None:
    day = today()
    assert not CaseState.objects.filter(category=Category.CATEGORY_3, level=1).exists()
    for state in CaseState.objects.select_related("case"):
        if state.effective_to is not None:
            assert state.effective_to >= state.effective_from
        assert state.effective_from <= day
    for case in Case.objects.prefetch_related("states", "nominal__convictions"):
        categories = {s.category for s in case.states.all()}
        assert len([s for s in case.states.all() if s.effective_to is None]) == (
            1 if case.closed_on is None else 0
        )
        if Category.PDP in categories:
            assert case.pdp_behaviour.strip()
            assert not [c for c in case.nominal.convictions.all() if c.is_index_offence]
        else:
            assert [c for c in case.nominal.convictions.all() if c.is_index_offence]
        if Category.CATEGORY_1 in categories:
            assert (case.notification_end_date is None) == case.notification_indefinite
            assert case.nominal.identifiers.filter(kind=IdentifierKind.VISOR).exists()
    for nominal in Nominal.objects.all():
        assert nominal.date_of_birth < day
        assert nominal.deletion_review_on.year == nominal.date_of_birth.year + 100
    # Each attachment passes the same checks as a user's entry would.
    for model in (Alias, Address, Conviction, Sentence, HospitalDetention, WarningMarker):
        for instance in model.objects.all():
            instance.clean()
    for sentence in Sentence.objects.all():
        if sentence.release_date:
            assert sentence.release_date >= sentence.sentence_date
            if sentence.licence_expiry_date:
                assert sentence.licence_expiry_date > sentence.release_date


def _check_variety() -> None:
    categories = Counter(
        CaseState.objects.filter(effective_to__isnull=True).values_list("category", flat=True)
    )
    assert all(categories[c] > 0 for c in Category.values)
    levels = Counter(
        CaseState.objects.filter(effective_to__isnull=True).values_list("level", flat=True)
    )
    assert all(levels[n] > 0 for n in (1, 2, 3))
    archived = Nominal.objects.filter(status=NominalStatus.ARCHIVED)
    assert 8 <= archived.count() <= 12
    for nominal in archived:
        assert nominal.status_changes.filter(status=NominalStatus.ARCHIVED).exclude(reason="")
    reactivated = StatusChange.objects.filter(status=NominalStatus.ACTIVE)
    assert reactivated.count() == 1
    assert reactivated.get().nominal.cases.count() == 2
    assert Nominal.objects.filter(aliases__isnull=True).exists()  # some have none
    assert max(Counter(Alias.objects.values_list("nominal", flat=True)).values()) <= 3
    assert Address.objects.filter(kind="nfa").exclude(reporting_arrangement="").exists()
    assert Address.objects.filter(kind="approved_release").exists()
    assert Conviction.objects.exclude(country="Jersey").exists()
    assert Conviction.objects.filter(is_caution=True).exists()
    assert (
        Sentence.objects.filter(is_life=True).exists()
        or Sentence.objects.filter(is_ipp=True).exists()
    )
    assert Sentence.objects.filter(has_sopo=True).exists()
    assert HospitalDetention.objects.count() >= 3
    assert CasePartner.objects.exists()
    assert CaseState.objects.filter(effective_to__isnull=False).exists()
    assert CaseState.objects.filter(manager__isnull=False).count() > 100
    names = {(n.given_names, n.family_name) for n in Nominal.objects.all()}
    for lookalike in demo_area.LOOKALIKES:
        assert (lookalike.given_names, lookalike.family_name) in names
    # Every name and alias is in the search index.
    assert NameEntry.objects.count() == Nominal.objects.count() + Alias.objects.count()


def _check_sign_in(output: str) -> None:
    logins = _printed_logins(output)
    assert {u for u, _ in logins} == {spec.username for spec in demo_area.DEMO_USERS}
    for username, password in logins:
        client = Client()
        # django-axes, when installed, needs the request to be given.
        assert client.login(request=HttpRequest(), username=username, password=password), username


def test_load_demo_area_builds_the_area_once_and_keeps_every_rule() -> None:
    first = StringIO()
    call_command("load_demo_area", "--without-casework", stdout=first)
    assert Nominal.objects.count() == demo_area.DEMO_PEOPLE
    _check_agencies_and_directory()
    _check_accounts()
    _check_identifiers()
    _check_rules()
    _check_variety()
    _check_sign_in(first.getvalue())
    assert AuditEvent.objects.filter(action="nominal.create").count() == demo_area.DEMO_PEOPLE
    assert AuditEvent.objects.filter(action="register.demo_load").count() == 1

    before = _counts()
    again = StringIO()
    call_command("load_demo_area", "--without-casework", stdout=again)
    assert "already loaded" in again.getvalue()
    assert _counts() == before
    # The logins are printed again, as `make run` shows them every time.
    _check_sign_in(again.getvalue())

    # --reset rebuilds (here a small area, to keep the test quick).
    result = demo_area.load_demo_area(reset=True, count=12)
    assert result.removed["people"] == demo_area.DEMO_PEOPLE
    assert Nominal.objects.count() == 12
    assert AuditEvent.objects.filter(action="register.demo_reset").count() == 1
    assert User.objects.filter(username="coordinator").count() == 1
    _check_identifiers_valid_only()


def _check_identifiers_valid_only() -> None:
    for kind, value in Identifier.objects.values_list("kind", "value"):
        assert normalise_identifier(kind, value) == value


def test_the_plan_depends_only_on_the_seed_and_the_date() -> None:
    day = dt.date(2026, 3, 31)
    first = demo_area.plan_area(day, fake.IdentifierPool(random.Random(1)))
    second = demo_area.plan_area(day, fake.IdentifierPool(random.Random(1)))
    assert first == second
    assert len(first) == demo_area.DEMO_PEOPLE
    for plan in first:
        for _name, when in vars(plan).items():
            if isinstance(when, dt.date):
                assert when <= day or _name == "notification_end_date"


def test_reset_is_refused_outside_debug_and_tests(settings) -> None:
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo_area", "--reset", stdout=StringIO())
    assert not Nominal.objects.exists()


# The casework on the full area (issues 4, 5 and 6) is checked in test_demo_history.py.
