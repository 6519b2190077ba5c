"""The access matrix: role × relation to the case × action, checked in process against
``decide`` and ``nominals_visible_to`` (decisions.md, "Access and audit").

Every user in the main table works for Housing, an agency the default section rules
do not entitle to any sensitive section, so the section columns show what the role
alone gives. The second table varies the kind of agency for a practitioner whose
agency leads the case.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from mappa.access import services as access_services
from mappa.access.models import Agency, AgencyKind, EmergencyAccess, Role, User
from mappa.access.policy import Action, decide, nominals_visible_to
from mappa.common.dates import today
from mappa.register import services as register_services
from mappa.register.models import Case, Nominal
from tests.conftest import Personas
from tests.factories import make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db

# Columns. "listed" is membership of nominals_visible_to: what the register list,
# search results and every other list show (they all filter by it in the query).
COLUMNS: list[tuple[str, Callable[[User, Nominal], bool]]] = [
    ("view", lambda u, n: bool(decide(u, Action.NOMINAL_VIEW, n))),
    ("listed", lambda u, n: nominals_visible_to(u).filter(pk=n.pk).exists()),
    ("victims", lambda u, n: bool(decide(u, Action.SECTION_VIEW, (n, "victims")))),
    ("children", lambda u, n: bool(decide(u, Action.SECTION_VIEW, (n, "children")))),
    ("third", lambda u, n: bool(decide(u, Action.SECTION_VIEW, (n, "third_parties")))),
    ("health", lambda u, n: bool(decide(u, Action.SECTION_VIEW, (n, "health")))),
    ("intel", lambda u, n: bool(decide(u, Action.SECTION_VIEW, (n, "intelligence")))),
    ("edit", lambda u, n: bool(decide(u, Action.NOMINAL_EDIT, n))),
    ("vic_edit", lambda u, n: bool(decide(u, Action.SECTION_EDIT, (n, "victims")))),
    ("archive", lambda u, n: bool(decide(u, Action.NOMINAL_ARCHIVE, n))),
    ("manage", lambda u, n: bool(decide(u, Action.CASE_MANAGE, n))),
    ("list", lambda u, n: bool(decide(u, Action.REGISTER_LIST))),
    ("search", lambda u, n: bool(decide(u, Action.REGISTER_SEARCH))),
    ("emerg", lambda u, n: bool(decide(u, Action.EMERGENCY_REQUEST, n))),
    # The only export so far: the audit trail's CSV (issue 3, point 4).
    ("export", lambda u, n: bool(decide(u, Action.AUDIT_VIEW))),
]

# Y = allowed, . = refused. Edits to an archived record are refused by the services
# (tests/register, tests/people) whatever the policy says about the user.
MATRIX = """
role           relation           view listed victims children third health intel edit vic_edit archive manage list search emerg export
coordinator    none               Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    lead               Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    manager            Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    partner            Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    invited            Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    ended_in_grace     Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    ended_after_grace  Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    archived           Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    emergency          Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
coordinator    emergency_expired  Y    Y      Y       Y        Y     Y      Y     Y    Y        Y       Y      Y    Y      .     Y
administrator  none               Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  lead               Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  manager            Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  partner            Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  invited            Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  ended_in_grace     Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  ended_after_grace  Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  archived           Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  emergency          Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
administrator  emergency_expired  Y    Y      Y       Y        Y     .      .     Y    Y        Y       Y      Y    Y      .     .
auditor        none               Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        lead               Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        manager            Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        partner            Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        invited            Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        ended_in_grace     Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        ended_after_grace  Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        archived           Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        emergency          Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
auditor        emergency_expired  Y    Y      Y       Y        Y     Y      .     .    .        .       .      Y    Y      .     Y
smb_member     none               .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     lead               .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     manager            .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     partner            .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     invited            .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     ended_in_grace     .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     ended_after_grace  .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     archived           .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     emergency          .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
smb_member     emergency_expired  .    .      .       .        .     .      .     .    .        .       .      .    .      .     .
practitioner   none               .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
practitioner   lead               Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
practitioner   manager            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
practitioner   partner            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
practitioner   invited            Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
practitioner   ended_in_grace     Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
practitioner   ended_after_grace  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
practitioner   archived           .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
practitioner   emergency          Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
practitioner   emergency_expired  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
chair          none               .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
chair          lead               Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
chair          manager            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
chair          partner            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
chair          invited            Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
chair          ended_in_grace     Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
chair          ended_after_grace  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
chair          archived           .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
chair          emergency          Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
chair          emergency_expired  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
line_manager   none               .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
line_manager   lead               Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
line_manager   manager            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
line_manager   partner            Y    Y      .       .        .     .      .     Y    .        .       .      Y    Y      .     .
line_manager   invited            Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
line_manager   ended_in_grace     Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
line_manager   ended_after_grace  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
line_manager   archived           .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
line_manager   emergency          Y    Y      .       .        .     .      .     .    .        .       .      Y    Y      .     .
line_manager   emergency_expired  .    .      .       .        .     .      .     .    .        .       .      Y    Y      Y     .
"""

# A practitioner of each kind of agency: sections on a case their agency leads, and on
# one it has no part in (where nothing shows, whatever the kind).
SECTIONS_BY_AGENCY = """
kind                 part   victims children third health intel
police               lead   Y       Y        Y     .      Y
probation            lead   Y       Y        Y     .      .
childrens_services   lead   Y       Y        Y     .      .
health               lead   .       .        .     Y      .
mental_health        lead   .       .        .     Y      .
housing              lead   .       .        .     .      .
education            lead   .       .        .     .      .
police               none   .       .        .     .      .
childrens_services   none   .       .        .     .      .
mental_health        none   .       .        .     .      .
"""


def _parse(table: str) -> tuple[list[str], dict[tuple[str, str], dict[str, bool]]]:
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    columns = header[2:]
    parsed = {}
    for row in rows:
        assert len(row) == len(header), f"row {row[:2]} has {len(row)} cells, not {len(header)}"
        parsed[(row[0], row[1])] = {c: v == "Y" for c, v in zip(columns, row[2:], strict=True)}
    return columns, parsed


MATRIX_COLUMNS, MATRIX_ROWS = _parse(MATRIX)
RELATIONS = [
    "none",
    "lead",
    "manager",
    "partner",
    "invited",
    "ended_in_grace",
    "ended_after_grace",
    "archived",
    "emergency",
    "emergency_expired",
]
ROLES = [
    Role.COORDINATOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
    Role.SMB_MEMBER,
    Role.PRACTITIONER,
    Role.CHAIR,
    Role.LINE_MANAGER,
]


def test_the_table_covers_every_role_relation_and_column() -> None:
    assert set(MATRIX_ROWS) == {(str(r), rel) for r in ROLES for rel in RELATIONS}
    assert MATRIX_COLUMNS == [name for name, _ in COLUMNS]


@dataclass
class World:
    personas: Personas
    agency: Agency  # the subject's agency
    day: dt.date


def _case(nominal: Nominal) -> Case:
    return nominal.cases.get(closed_on__isnull=True)


def _build(world: World, relation: str, subject: User) -> Nominal:
    """A fresh record standing in ``relation`` to ``subject`` and their agency."""
    p = world.personas
    name = f"{relation.replace('_', ' ').title().replace(' ', '')}"
    lead = world.agency if relation in {"lead", "archived"} else p.probation
    manager = None
    if relation == "manager":
        manager = make_user(f"manager-{subject.username}", Role.PRACTITIONER, agency=world.agency)
    nominal = make_nominal(
        p.coordinator, family_name=name, given_names="Matrix", lead_agency=lead, manager=manager
    )
    day = world.day
    if relation == "partner":
        register_services.case_partner_add(
            actor=p.coordinator, case=_case(nominal), agency=world.agency
        )
    elif relation == "invited":
        access_services.case_part_grant_invited(
            case=_case(nominal), agency=world.agency, on=day - dt.timedelta(days=3), source="L2"
        )
    elif relation in {"ended_in_grace", "ended_after_grace"}:
        ended = day - dt.timedelta(days=10 if relation == "ended_in_grace" else 40)
        access_services.case_part_grant_invited(
            case=_case(nominal),
            agency=world.agency,
            on=ended - dt.timedelta(days=30),
            source="Invited to the level 2 meeting",
        )
        access_services.case_parts_end_for_case(
            case=_case(nominal), on=ended, reason="Moved to level 1"
        )
    elif relation == "archived":
        register_services.nominal_archive(
            actor=p.coordinator, nominal=nominal, reason="No longer eligible"
        )
    elif relation.startswith("emergency"):
        now = timezone.now()
        expires = now + dt.timedelta(minutes=30)
        if relation == "emergency_expired":
            expires = now - dt.timedelta(minutes=1)
        # Straight into the table: the policy must honour (or ignore) a grant whoever
        # holds it; who may obtain one is the service's test.
        EmergencyAccess.objects.create(
            user=subject,
            nominal=nominal,
            case=nominal.cases.first(),
            reason="immediate_risk",
            explanation="Matrix",
            granted_at=now - dt.timedelta(minutes=90),
            expires_at=expires,
        )
    return nominal


def _mismatches(
    subject: User, nominals: dict[str, Nominal], rows: dict[str, dict[str, bool]]
) -> list[str]:
    out = []
    for relation, nominal in nominals.items():
        for column, probe in COLUMNS:
            expected = rows[relation][column]
            actual = probe(subject, nominal)
            if actual != expected:
                out.append(f"{relation:<18} {column:<9} expected {expected}, got {actual}")
    return out


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(personas: Personas, role: str) -> None:
    housing = personas.housing
    subject = make_user(f"subject-{role}", role, agency=housing)
    world = World(personas=personas, agency=housing, day=today())
    nominals = {relation: _build(world, relation, subject) for relation in RELATIONS}
    rows = {relation: MATRIX_ROWS[(str(role), relation)] for relation in RELATIONS}
    assert _mismatches(subject, nominals, rows) == []


def test_expired_vetting_refuses_every_cell(personas: Personas, nominal: Any) -> None:
    lapsed = make_user(
        "lapsed",
        Role.COORDINATOR,
        agency=personas.probation,
        vetting_expires=today() - dt.timedelta(days=1),
    )
    for action in Action:
        obj = (nominal, "victims") if action.startswith("section.") else nominal
        assert not decide(lapsed, action, obj), action
    assert not nominals_visible_to(lapsed).exists()


SECTION_COLUMNS, SECTION_ROWS = _parse(SECTIONS_BY_AGENCY)


def test_sections_by_kind_of_agency(personas: Personas) -> None:
    mismatches = []
    for (kind, part), expected in SECTION_ROWS.items():
        agency = make_agency(f"Agency {kind}", AgencyKind(kind))
        user = make_user(f"{kind}-{part}", Role.PRACTITIONER, agency=agency)
        lead = agency if part == "lead" else personas.probation
        nominal = make_nominal(personas.coordinator, family_name=f"Kind{kind}", lead_agency=lead)
        for section_column in SECTION_COLUMNS:
            key = "third_parties" if section_column == "third" else section_column
            key = "intelligence" if key == "intel" else key
            actual = bool(decide(user, Action.SECTION_VIEW, (nominal, key)))
            if actual != expected[section_column]:
                mismatches.append(f"{kind} {part} {key}: expected {expected[section_column]}")
    assert mismatches == []
