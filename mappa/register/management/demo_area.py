"""The demo area: a Jersey-like MAPPA area to try the service with (issue 2, point 9).

Built once, deterministically: a fixed random seed and fixed lists of invented names,
with every date counted back from today so the register looks current. Every person
goes through the register's services (``nominal_create``, ``attachment_save`` and
the rest), so the audit trail, the search index and every rule behave exactly as
they do for a record a user adds.

Agencies follow J 1.1 (duty to co-operate departments and office holders, the
interested parties) and J 10.7 (standing members by grade); Mental Health Services
and Children's Services are separate agencies because invitations go to them.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from mappa.access.models import (
    Agency,
    AgencyKind,
    Contact,
    Role,
    User,
    UserRole,
    VettingLevel,
)
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.register import services
from mappa.register.management import fake
from mappa.register.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    Case,
    Category,
    Conviction,
    DetentionBasis,
    HospitalDetention,
    Identifier,
    IdentifierKind,
    Nominal,
    Sentence,
    StatusChange,
    WarningMarker,
)

# Published on purpose: every demo account shares it, and `make run` prints it.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
# The year of the Sex Offender (Jersey) Law: any fixed number would do.
DEMO_SEED = 2010
DEMO_PEOPLE = 150
# The demo area counts as loaded while its co-ordinator's account exists.
MARKER_USERNAME = "coordinator"
LOADER = "load_demo_area"


# --- Agencies (J 1.1, 10.7) ---------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: str
    duty_to_cooperate: bool
    is_core: bool
    mail_domain: str


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("police", "States of Jersey Police", AgencyKind.POLICE, True, True, "police"),
    AgencySpec(
        "probation",
        "Probation and After-Care Service",
        AgencyKind.PROBATION,
        True,
        True,
        "probation",
    ),
    AgencySpec("prison", "HM Prison La Moye", AgencyKind.PRISON, True, True, "prison"),
    AgencySpec("health", "Health and Social Services", AgencyKind.HEALTH, True, True, "health"),
    AgencySpec(
        "mental_health",
        "Mental Health Services",
        AgencyKind.MENTAL_HEALTH,
        True,
        True,
        "mentalhealth",
    ),
    AgencySpec(
        "childrens",
        "Children's Services",
        AgencyKind.CHILDRENS_SERVICES,
        True,
        True,
        "childrens",
    ),
    AgencySpec("housing", "Housing Department", AgencyKind.HOUSING, True, True, "housing"),
    AgencySpec(
        "education",
        "Education, Sport and Culture Department",
        AgencyKind.EDUCATION,
        True,
        False,
        "education",
    ),
    AgencySpec(
        "customs",
        "Customs and Immigration Service",
        AgencyKind.CUSTOMS_IMMIGRATION,
        True,
        False,
        "customs",
    ),
    # J 1.1 note: not yet a duty to co-operate department.
    AgencySpec(
        "social_security",
        "Social Security Department",
        AgencyKind.SOCIAL_SECURITY,
        False,
        False,
        "socialsecurity",
    ),
    AgencySpec(
        "coordination", "JMAPPA Co-ordination Unit", AgencyKind.COORDINATION, True, False, "jmappa"
    ),
    # J 1.1: an interested party whose help and advice is sought, invited case by case.
    AgencySpec(
        "honorary_police",
        "Honorary Police (Comité des Chefs de Police)",
        AgencyKind.OTHER,
        False,
        False,
        "honorarypolice",
    ),
)


def ensure_agencies() -> dict[str, Agency]:
    """Create or correct the area's agencies; safe to call again."""
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "duty_to_cooperate": spec.duty_to_cooperate,
                "is_core": spec.is_core,
                "active": True,
            },
        )
        agencies[spec.key] = agency
    return agencies


# --- Users (domain.md, "Roles") -----------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    agency: str
    first_name: str
    last_name: str
    job_title: str
    grade: str
    vetting: str = VettingLevel.NPPV2


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec(
        "coordinator",
        Role.COORDINATOR,
        "coordination",
        "Elowen",
        "Marchetti",
        "JMAPPA Co-ordinator",
        "Co-ordinator",
        VettingLevel.SC,
    ),
    UserSpec(
        "admin",
        Role.ADMINISTRATOR,
        "coordination",
        "Tobias",
        "Quennell",
        "JMAPPA Administrator",
        "Administrative Officer",
    ),
    UserSpec(
        "chair",
        Role.CHAIR,
        "police",
        "Rosalind",
        "Fenwick-Hale",
        "Detective Chief Inspector, Public Protection",
        "Chief Inspector",
        VettingLevel.SC,
    ),
    UserSpec(
        "police",
        Role.PRACTITIONER,
        "police",
        "Callum",
        "Destry",
        "Detective Constable, Public Protection Unit",
        "Detective Constable",
        VettingLevel.SC,
    ),
    UserSpec(
        "police2",
        Role.PRACTITIONER,
        "police",
        "Priya",
        "Lemarchant",
        "Detective Sergeant, Public Protection Unit",
        "Detective Sergeant",
        VettingLevel.SC,
    ),
    UserSpec(
        "probation",
        Role.PRACTITIONER,
        "probation",
        "Imogen",
        "Treharne",
        "Probation Officer",
        "Probation Officer",
    ),
    UserSpec(
        "probation2",
        Role.PRACTITIONER,
        "probation",
        "Dariusz",
        "Kelway",
        "Probation Officer",
        "Probation Officer",
    ),
    UserSpec(
        "prison",
        Role.PRACTITIONER,
        "prison",
        "Hollis",
        "Barrowcliffe",
        "Offender Management Officer",
        "Senior Officer",
    ),
    UserSpec(
        "housing",
        Role.PRACTITIONER,
        "housing",
        "Saskia",
        "Penhallow",
        "Housing Officer",
        "Housing Officer",
    ),
    UserSpec(
        "childrens",
        Role.PRACTITIONER,
        "childrens",
        "Ottilie",
        "Brannagh",
        "Social Worker",
        "Senior Social Worker",
    ),
    UserSpec(
        "education",
        Role.PRACTITIONER,
        "education",
        "Fergus",
        "Maddox-Lyle",
        "Education Welfare Officer",
        "Senior Officer",
    ),
    UserSpec(
        "health",
        Role.PRACTITIONER,
        "mental_health",
        "Nerys",
        "Caddell",
        "Community Psychiatric Nurse",
        "Senior Nurse",
    ),
    UserSpec(
        "linemanager",
        Role.LINE_MANAGER,
        "probation",
        "Jasper",
        "Holloway-Crane",
        "Team Leader, Public Protection",
        "Team Leader",
    ),
    UserSpec(
        "smb",
        Role.SMB_MEMBER,
        "health",
        "Beatrix",
        "Ormonde",
        "Director of Community and Social Services",
        "Director",
    ),
    UserSpec(
        "auditor",
        Role.AUDITOR,
        "coordination",
        "Wendell",
        "Scarrow",
        "Quality Assurance Auditor",
        "Auditor",
    ),
)


@dataclass
class DemoLogin:
    """One row of the printed sign-in table."""

    username: str
    role: str
    agency: str
    password: str
    user: User | None = None


def _mail(first: str, last: str, domain: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("-", "").replace("'", "")
    return f"{local}@{domain}.jersey.example"


def _phone(number: int) -> str:
    # Ofcom reserves 01632 960000-960999 for drama: these numbers reach nobody.
    return f"01632 960{number % 1000:03d}"


def create_demo_users(
    agencies: dict[str, Agency], password: str = DEMO_PASSWORD
) -> list[DemoLogin]:
    """Create (or restore) every demo account with its one role and the demo password.

    All demo accounts are made here, so anything that must be shown with the
    sign-in details (a second factor's secret, say) is added in one place.
    """
    domains = {spec.key: spec.mail_domain for spec in AGENCIES}
    vetted_until = today().replace(day=1) + dt.timedelta(days=3 * 365)
    logins: list[DemoLogin] = []
    for number, spec in enumerate(DEMO_USERS, start=1):
        agency = agencies[spec.agency]
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.first_name = spec.first_name
        user.last_name = spec.last_name
        user.email = _mail(spec.first_name, spec.last_name, domains[spec.agency])
        user.agency = agency
        user.job_title = spec.job_title
        user.grade = spec.grade
        user.phone = _phone(100 + number)
        user.vetting_level = spec.vetting
        user.vetting_expires = vetted_until
        user.is_active = True
        # The project's validators apply to the demo password too.
        validate_password(password, user)
        user.set_password(password)
        user.save()
        UserRole.objects.filter(user=user).exclude(role=spec.role).delete()
        UserRole.objects.get_or_create(user=user, role=spec.role)
        logins.append(DemoLogin(spec.username, Role(spec.role).label, agency.name, password, user))
    return logins


def existing_demo_logins() -> list[DemoLogin]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[s.username for s in DEMO_USERS]).select_related(
            "agency"
        )
    }
    return [
        DemoLogin(
            spec.username,
            Role(spec.role).label,
            str(users[spec.username].agency or ""),
            DEMO_PASSWORD,
            users[spec.username],
        )
        for spec in DEMO_USERS
        if spec.username in users
    ]


def format_logins(logins: list[DemoLogin]) -> str:
    headers = ("Username", "Role", "Agency", "Password")
    rows = [(x.username, x.role, x.agency, x.password) for x in logins]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


# --- The contact directory (J 10.7, 10.12; App. B (e)) ------------------------------

# (name, role, grade, single point of contact?) for people who are not demo users.
DIRECTORY: dict[str, list[tuple[str, str, str, bool]]] = {
    "police": [
        (
            "Gideon Rafferty",
            "MAPPA single point of contact; level 2 standing member",
            "Detective Inspector",
            True,
        ),
        ("Marguerite Halloran", "Level 3 standing member", "Superintendent", False),
        ("Anselm Petrossian", "ViSOR manager, Public Protection Unit", "Detective Sergeant", False),
    ],
    "probation": [
        (
            "Harriet Quist",
            "MAPPA single point of contact; level 2 standing member",
            "Team Leader",
            True,
        ),
        (
            "Lorcan Abernethy",
            "Level 3 standing member",
            "Assistant Chief Probation Officer",
            False,
        ),
    ],
    "prison": [
        ("Ivor Penwarden", "Head of Offender Management", "Governor", True),
        ("Tamsin Greenhalgh", "Security Manager", "Principal Officer", False),
    ],
    "health": [
        ("Cressida Vowles", "Safeguarding Lead, MAPPA single point of contact", "Manager", True),
    ],
    "mental_health": [
        (
            "Florian Achterberg",
            "MAPPA single point of contact; level 2 standing member",
            "Operational Service Manager",
            True,
        ),
        ("Winifred Strachan", "Level 3 standing member", "Directorate Manager", False),
        ("Ambrose Kettleby", "Consultant Forensic Psychiatrist", "Consultant", False),
    ],
    "childrens": [
        (
            "Petronella Dunmore",
            "Head of Children's Social Work; level 2 standing member",
            "Head of Service",
            True,
        ),
        (
            "Barnaby Illingworth",
            "Co-ordinator, Children's Executive; level 3 standing member",
            "Co-ordinator",
            False,
        ),
    ],
    "housing": [
        (
            "Ludmila Carraway",
            "MAPPA single point of contact; level 2 standing member",
            "Housing Manager",
            True,
        ),
        ("Osric Pendleford", "Level 3 standing member", "Director", False),
    ],
    "education": [
        ("Clemency Ashdown", "Designated Safeguarding Officer", "Senior Officer", False),
    ],
    "customs": [
        ("Rupert Vandersteen", "Senior Immigration Officer", "Senior Officer", False),
    ],
    "social_security": [
        ("Hester Moorcroft", "Fraud and Compliance Manager", "Manager", False),
    ],
    "honorary_police": [
        ("Augustin Delacroix", "Centenier, St Helier", "Centenier", False),
    ],
}


def build_directory(agencies: dict[str, Agency], logins: list[DemoLogin]) -> int:
    domains = {spec.key: spec.mail_domain for spec in AGENCIES}
    contacts: list[Contact] = []
    number = 300
    for key, people in DIRECTORY.items():
        for name, role, grade, spoc in people:
            first, last = name.split(" ", 1)
            number += 1
            contacts.append(
                Contact(
                    agency=agencies[key],
                    name=name,
                    role=role,
                    grade=grade,
                    email=_mail(first, last, domains[key]),
                    phone=_phone(number),
                    is_spoc=spoc,
                )
            )
    for login in logins:
        user = login.user
        if user is None:
            continue
        contacts.append(
            Contact(
                agency=user.agency,
                name=user.get_full_name(),
                role=user.job_title,
                grade=user.grade,
                email=user.email,
                phone=user.phone,
                is_spoc=False,
                user=user,
            )
        )
    Contact.objects.bulk_create(contacts)
    return len(contacts)


# --- People ------------------------------------------------------------------------

# Pairs that look alike, so that search has something to tell apart.
LOOKALIKES: list[fake.PersonName] = [
    fake.PersonName("John", "Smith", "male", "White British"),
    fake.PersonName("Jon", "Smyth", "male", "White British"),
    fake.PersonName("Stephen", "Le Brocq", "male", "White Jersey"),
    fake.PersonName("Steven", "Lebrocq", "male", "White Jersey"),
    fake.PersonName("Catherine", "O'Neill", "female", "White Irish"),
    fake.PersonName("Katherine", "O'Neil", "female", "White British"),
    fake.PersonName("Mark", "Dos Santos", "male", "White Portuguese (Madeiran)"),
    fake.PersonName("Marc", "De Santos", "male", "White Portuguese"),
    fake.PersonName("Piotr", "Kowalski", "male", "White Polish"),
    fake.PersonName("Peter", "Kowalsky", "male", "White British"),
    fake.PersonName("Philip", "Le Sueur", "male", "White Jersey"),
    fake.PersonName("Phillip", "Lesueur", "male", "White Jersey"),
    fake.PersonName("Thomas", "James", "male", "White British"),
    fake.PersonName("James", "Thomas", "male", "White Welsh"),
]

HOSPITALS = [
    "Orchard Secure Unit, St Saviour",
    "Broadmoor Hospital, Crowthorne",
    "Ravenswood Medium Secure Unit, Fareham",
]
CLINICIANS = ["Dr Ambrose Kettleby", "Dr Sunniva Aldercott", "Dr Emeka Fairbrother"]
SOCIAL_WORKERS = [
    "Rowena Tilbrook, forensic social worker, 01632 960401",
    "Ciaran Mulholland-Vey, forensic social worker, 01632 960402",
]

PARTNER_KEYS = ["housing", "childrens", "education", "mental_health", "customs", "social_security"]


@dataclass
class Change:
    """A dated change of level, lead agency or manager after the case opened."""

    on: dt.date
    before: dict[str, Any]
    reason: str


@dataclass
class PersonPlan:
    given_names: str
    family_name: str
    gender: str
    ethnicity: str
    date_of_birth: dt.date
    category: str
    level: int
    lead: str
    manager: str | None
    opened_on: dt.date
    pdp_behaviour: str = ""
    notification_end_date: dt.date | None = None
    notification_indefinite: bool = False
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    convictions: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    detentions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    partners: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    archive: tuple[dt.date, str] | None = None
    reactivate: tuple[dt.date, str] | None = None


class Planner:
    """Decides, from the seed and today's date, who is on the demo register."""

    def __init__(self, rng: random.Random, day: dt.date, pool: fake.IdentifierPool) -> None:
        self.rng = rng
        self.day = day
        self.pool = pool
        self.prison_numbers = 4000
        self.visor_numbers = 0
        self.case_numbers = 0

    # Dates ---------------------------------------------------------------------
    def _birth(self, age: int) -> dt.date:
        # A birthday between ``age`` and ``age + 1`` years ago.
        latest = fake.add_months(self.day, -12 * age) - dt.timedelta(days=1)
        return latest - dt.timedelta(days=self.rng.randint(0, 360))

    def _on_or_before_today(self, day: dt.date) -> dt.date:
        return min(day, self.day)

    # People --------------------------------------------------------------------
    def plan(
        self,
        category: str,
        name: fake.PersonName,
        *,
        juvenile: bool = False,
        hospital: bool = False,
    ) -> PersonPlan:
        rng = self.rng
        age = 17 if juvenile else rng.randint(20, 74)
        dob = self._birth(age)
        if category == Category.CATEGORY_3:
            level = rng.choice([2, 2, 2, 3])
        else:
            level = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        plan = PersonPlan(
            given_names=name.given_names,
            family_name=name.family_name,
            gender=name.gender,
            ethnicity=name.ethnicity,
            date_of_birth=dob,
            category=category,
            level=level,
            lead="police",
            manager=None,
            opened_on=self.day,
        )
        if category == Category.PDP:
            self._plan_pdp(plan)
        else:
            self._plan_offender(plan, juvenile=juvenile, hospital=hospital)
        self._plan_identity(plan)
        self._plan_warnings(plan)
        if plan.level >= 2:
            self._plan_partners(plan)
        return plan

    def _plan_pdp(self, plan: PersonPlan) -> None:
        rng = self.rng
        plan.pdp_behaviour = rng.choice(fake.PDP_BEHAVIOURS)
        plan.opened_on = self.day - dt.timedelta(days=rng.randint(20, 900))
        plan.lead = rng.choice(["police", "police", "police", "mental_health"])
        plan.manager = (
            "health"
            if plan.lead == "mental_health"
            else rng.choice(PRACTITIONERS_BY_LEAD["police"])
        )
        if rng.random() < 0.4:
            # Older, minor matters are not qualifying convictions (J 3.10).
            plan.convictions.append(self._minor(plan.date_of_birth, plan.opened_on))
        self._plan_home(plan, in_custody=False, since=plan.opened_on)

    def _minor(self, dob: dt.date, before: dt.date) -> dict[str, Any]:
        rng = self.rng
        start = fake.add_months(dob, 17 * 12)
        when = fake.random_day(rng, start, before - dt.timedelta(days=200))
        caution = rng.random() < 0.5
        parish = rng.choice(fake.PARISHES)[0]
        return {
            "offence": rng.choice(fake.MINOR_OFFENCES),
            "offence_date": when - dt.timedelta(days=rng.randint(5, 60)),
            "conviction_date": when,
            "is_caution": caution,
            # Jersey's Parish Hall Enquiry: a Centenier may caution instead of charging.
            "court": f"Parish Hall Enquiry, {parish}" if caution else "Magistrate's Court",
            "sentence": "Centenier's caution" if caution else rng.choice(["Fine", "Binding over"]),
            "is_index_offence": False,
        }

    def _plan_offender(self, plan: PersonPlan, *, juvenile: bool, hospital: bool) -> None:
        rng = self.rng
        day = self.day
        category = plan.category
        dob = plan.date_of_birth
        if category == Category.CATEGORY_1:
            offence = rng.choice(fake.SEXUAL_OFFENCES)
            months = rng.choice([0, 0, 4, 18, 24, 30, 36, 48, 60, 96])
        elif category == Category.CATEGORY_2:
            offence = rng.choice(fake.VIOLENT_OFFENCES)
            months = rng.choice([12, 18, 24, 36, 48, 60, 84, 120])
        else:
            offence = rng.choice(fake.OTHER_DANGEROUS_OFFENCES)
            months = rng.choice([0, 0, 6, 9, 12, 18])
        if juvenile:
            offence, months = "Wounding with intent", 24
        custody = months > 0 and not hospital
        # Category 1 notification (J 3.7): 30 months or more is indefinite, otherwise a
        # period counted from conviction; choose the conviction so the period is running.
        notify_years = 5 if months == 0 else 7 if months < 6 else 10
        earliest_age = 15 if juvenile else 18
        oldest = fake.add_months(dob, earliest_age * 12)
        if category == Category.CATEGORY_1 and months < 30:
            oldest = max(oldest, fake.add_months(day, -12 * notify_years + 3))
        elif category == Category.CATEGORY_2 or custody:
            # Recent enough that the sentence or licence still runs for most.
            oldest = max(oldest, fake.add_months(day, -max(months, 24) - 18))
        else:
            oldest = max(oldest, fake.add_months(day, -60))
        convicted = fake.random_day(rng, oldest, day - dt.timedelta(days=21))
        offence_date = convicted - dt.timedelta(days=rng.randint(30, 300))
        offence_date = max(offence_date, fake.add_months(dob, 14 * 12))
        abroad = not juvenile and rng.random() < 0.12
        country, court = rng.choice(fake.ABROAD) if abroad else ("Jersey", "")
        if not abroad:
            court = (
                "Youth Court"
                if juvenile
                else "Royal Court"
                if months > 12 or hospital
                else rng.choice(fake.JERSEY_COURTS)
            )
        sentence_day = self._on_or_before_today(convicted + dt.timedelta(days=rng.randint(0, 28)))
        life = category == Category.CATEGORY_2 and offence == "Murder" and not hospital
        ipp = not life and custody and category != Category.CATEGORY_3 and rng.random() < 0.05
        if life:
            sentence_text = "Life imprisonment, minimum term 14 years"
        elif ipp:
            sentence_text = "Imprisonment for public protection, minimum term 3 years"
        elif hospital:
            sentence_text = "Hospital order with a restriction order"
        elif custody:
            sentence_text = (
                f"{months} months' youth detention"
                if juvenile
                else f"{months} months' imprisonment"
            )
        else:
            sentence_text = "Probation order, 3 years"
        plan.convictions.append(
            {
                "offence": offence,
                "offence_date": offence_date,
                "conviction_date": convicted,
                "is_caution": False,
                "court": court,
                "country": country,
                "sentence": sentence_text,
                "is_index_offence": True,
                "details": "Details held on the case file.",
            }
        )
        if rng.random() < 0.3 and convicted > fake.add_months(dob, 20 * 12):
            plan.convictions.append(self._minor(dob, convicted))
        plan.opened_on = self._on_or_before_today(
            sentence_day + dt.timedelta(days=rng.randint(1, 3))
        )

        sentence: dict[str, Any] = {"sentence_date": sentence_day, "description": sentence_text}
        release: dt.date | None = None
        licence_end: dt.date | None = None
        if life:
            sentence.update(
                is_life=True, parole_eligibility_date=fake.add_months(sentence_day, 14 * 12)
            )
            sentence["rotl_eligibility_date"] = fake.add_months(sentence_day, 12 * 12)
        elif ipp:
            sentence.update(is_ipp=True, parole_eligibility_date=fake.add_months(sentence_day, 36))
            sentence["rotl_eligibility_date"] = fake.add_months(sentence_day, 30)
        elif hospital:
            admitted = sentence_day
            plan.detentions.append(
                {
                    "hospital": rng.choice(HOSPITALS),
                    "responsible_clinician": rng.choice(CLINICIANS),
                    "admitted_on": admitted,
                    "earliest_discharge_date": max(
                        fake.add_months(admitted, 24), day + dt.timedelta(days=rng.randint(60, 500))
                    ),
                    "forensic_social_worker": rng.choice(SOCIAL_WORKERS),
                    "next_tribunal_date": day + dt.timedelta(days=rng.randint(14, 200)),
                    "basis": rng.choice(
                        [DetentionBasis.RESTRICTION_ORDER, DetentionBasis.HOSPITAL_ORDER]
                    ),
                }
            )
            sentence["mental_health_review_date"] = day + dt.timedelta(days=rng.randint(30, 180))
        elif custody:
            release = fake.add_months(sentence_day, months // 2)
            licence_end = fake.add_months(sentence_day, months)
            sentence.update(release_date=release, licence_expiry_date=licence_end)
            sentence["sentence_expiry_date"] = licence_end
            if months >= 48:
                sentence["parole_eligibility_date"] = fake.add_months(sentence_day, months // 3)
            if months >= 12:
                sentence["rotl_eligibility_date"] = fake.add_months(sentence_day, months // 4)
            if 4 <= months < 48 and not juvenile:
                sentence["hdc_date"] = max(sentence_day, release - dt.timedelta(days=90))
            if category == Category.CATEGORY_2 and months >= 48 and rng.random() < 0.25:
                # An extended sentence adds years on licence after the custodial term.
                sentence["is_epp"] = True
                licence_end = fake.add_months(licence_end, 36)
                sentence["licence_expiry_date"] = licence_end
                sentence["sentence_expiry_date"] = licence_end
        else:
            sentence["community_order_end_date"] = fake.add_months(sentence_day, 36)
            licence_end = sentence["community_order_end_date"]
        if category == Category.CATEGORY_1:
            sentence["has_sopo"] = rng.random() < 0.5
            sentence["has_disqualification_order"] = (
                "child" in offence.lower() and rng.random() < 0.6
            )
            if months >= 30:
                plan.notification_indefinite = True
            else:
                plan.notification_end_date = fake.add_months(convicted, 12 * notify_years)
        if category == Category.CATEGORY_2 and rng.random() < 0.06:
            sentence["has_violent_offender_order"] = True
        plan.sentences.append(sentence)

        in_custody = (release is not None and release > day) or (
            (life or ipp) and sentence.get("parole_eligibility_date", day) > day
        )
        released_on = release if release is not None and release <= day else None
        # Who leads now, and who led before release (the prison, while in custody).
        if hospital:
            plan.lead, plan.manager = "mental_health", "health"
        elif juvenile:
            plan.lead, plan.manager = "childrens", "childrens"
        elif in_custody:
            plan.lead, plan.manager = "prison", "prison"
        elif category == Category.CATEGORY_1:
            plan.lead, plan.manager = "police", rng.choice(PRACTITIONERS_BY_LEAD["police"])
        elif licence_end is not None and licence_end > day:
            plan.lead = "probation"
            plan.manager = rng.choice(PRACTITIONERS_BY_LEAD["probation"])
        else:
            plan.lead, plan.manager = "police", rng.choice(PRACTITIONERS_BY_LEAD["police"])
        if released_on is not None and released_on > plan.opened_on and plan.lead != "prison":
            plan.changes.append(
                Change(
                    released_on,
                    {"lead": "prison", "manager": "prison"},
                    f"Released on licence: {AGENCY_NAMES[plan.lead]} takes the lead",
                )
            )
        self._plan_home(
            plan,
            in_custody=in_custody or hospital,
            since=released_on or sentence_day,
            release=release if in_custody else None,
            sentenced=sentence_day,
        )

    def _plan_home(
        self,
        plan: PersonPlan,
        *,
        in_custody: bool,
        since: dt.date,
        release: dt.date | None = None,
        sentenced: dt.date | None = None,
    ) -> None:
        rng = self.rng
        if sentenced is not None:
            line_1, town, postcode = fake.street_address(rng)
            plan.addresses.append(
                {
                    "kind": AddressKind.LAST_KNOWN_BEFORE_SENTENCE,
                    "line_1": line_1,
                    "town": town,
                    "postcode": postcode,
                    "from_date": sentenced - dt.timedelta(days=rng.randint(200, 2000)),
                    "to_date": sentenced,
                }
            )
        if in_custody:
            # J 3.3: the approved address is settled well before a release that is near.
            if release is not None and release <= fake.add_months(self.day, 8):
                line_1, town, postcode = fake.street_address(rng)
                plan.addresses.append(
                    {
                        "kind": AddressKind.APPROVED_RELEASE,
                        "line_1": line_1,
                        "town": town,
                        "postcode": postcode,
                        "from_date": release,
                    }
                )
            return
        if rng.random() < 0.07:
            plan.addresses.append(
                {
                    "kind": AddressKind.NO_FIXED_ABODE,
                    "reporting_arrangement": rng.choice(
                        [
                            "Reports weekly to Police Headquarters, St Helier; closest links "
                            "to St Helier",
                            "Reports to the Probation office, St Helier, every Monday; sleeps "
                            "at a night shelter in St Helier",
                            "Reports daily by telephone and weekly in person to the Public "
                            "Protection Unit; closest links to St Brelade",
                        ]
                    ),
                    "from_date": min(self.day, since + dt.timedelta(days=rng.randint(0, 60))),
                }
            )
            return
        moved = min(self.day, since + dt.timedelta(days=rng.randint(0, 400)))
        if rng.random() < 0.3 and moved > since:
            line_1, town, postcode = fake.street_address(rng)
            plan.addresses.append(
                {
                    "kind": AddressKind.PREVIOUS,
                    "line_1": line_1,
                    "town": town,
                    "postcode": postcode,
                    "from_date": since,
                    "to_date": moved,
                }
            )
        line_1, town, postcode = fake.street_address(rng)
        plan.addresses.append(
            {
                "kind": AddressKind.CURRENT,
                "line_1": line_1,
                "town": town,
                "postcode": postcode,
                "from_date": moved,
            }
        )

    def _plan_identity(self, plan: PersonPlan) -> None:
        rng = self.rng
        index = next((c for c in plan.convictions if c["is_index_offence"]), None)
        first = min((c["conviction_date"] for c in plan.convictions), default=None)
        if first is not None or rng.random() < 0.6:
            known = first or plan.opened_on
            adult = fake.add_months(plan.date_of_birth, 16 * 12)
            year = fake.random_day(rng, min(adult, known), known).year
            plan.identifiers.append((IdentifierKind.PNC, self.pool.pnc(year), ""))
        if index is not None and rng.random() < 0.65:
            year = index["conviction_date"].year
            value = self.pool.cro_sf(year) if rng.random() < 0.08 else self.pool.cro(year)
            plan.identifiers.append((IdentifierKind.CRO, value, ""))
        if rng.random() < 0.75:
            plan.identifiers.append((IdentifierKind.NINO, self.pool.nino(), ""))
        if any(
            s.get("release_date") or s.get("is_life") or s.get("is_ipp") for s in plan.sentences
        ):
            self.prison_numbers += rng.randint(1, 40)
            plan.identifiers.append((IdentifierKind.PRISON, f"LM{self.prison_numbers:05d}", ""))
        if plan.category == Category.CATEGORY_1 or (plan.level >= 2 and rng.random() < 0.5):
            self.visor_numbers += 1
            plan.identifiers.append(
                (IdentifierKind.VISOR, f"JE-V-{plan.opened_on.year}-{self.visor_numbers:04d}", "")
            )
        if plan.lead == "probation":
            self.case_numbers += rng.randint(1, 9)
            plan.identifiers.append(
                (
                    IdentifierKind.AGENCY,
                    f"PACS/{plan.opened_on.year}/{self.case_numbers:04d}",
                    "Probation case management system",
                )
            )
        self._plan_aliases(plan)

    def _plan_aliases(self, plan: PersonPlan) -> None:
        rng = self.rng
        count = rng.choices([0, 1, 2, 3], weights=[25, 35, 25, 15])[0]
        kinds = [AliasKind.NICKNAME, AliasKind.SPELLING, AliasKind.ALIAS]
        if plan.gender == "female":
            kinds.append(AliasKind.BIRTH_NAME)
        seen = {(plan.given_names, plan.family_name)}
        for kind in rng.sample(kinds, k=min(count, len(kinds))):
            if kind == AliasKind.NICKNAME:
                options = fake.nicknames_for(plan.given_names)
                if options and rng.random() < 0.8:
                    alias = (rng.choice(options), plan.family_name)
                else:
                    alias = (rng.choice(fake.NICKNAMES_STANDALONE), "")
            elif kind == AliasKind.SPELLING:
                # A spelling others have recorded: a vowel or a doubled letter differs.
                alias = (
                    plan.given_names,
                    fake.misspell(rng, plan.family_name, ("vowel", "double")),
                )
            elif kind == AliasKind.BIRTH_NAME:
                alias = (plan.given_names, rng.choice(fake.FAMILY_NAMES))
            else:
                other = fake.random_name(rng, female_share=1.0 if plan.gender == "female" else 0.0)
                alias = (other.given_names, other.family_name)
            if alias not in seen:
                seen.add(alias)
                plan.aliases.append((kind, alias[0], alias[1]))

    def _plan_warnings(self, plan: PersonPlan) -> None:
        rng = self.rng
        if rng.random() >= 0.4:
            return
        kinds: list[str] = list(WarningMarker.Kind.values)
        chosen: list[str]
        if plan.detentions:
            chosen = [WarningMarker.Kind.MENTAL_HEALTH.value]
        else:
            chosen = rng.sample(kinds, k=rng.choice([1, 1, 2]))
        for kind in chosen:
            plan.warnings.append(
                {
                    "kind": kind,
                    "detail": fake.WARNING_DETAILS[kind],
                    "recorded_on": fake.random_day(rng, plan.opened_on, self.day),
                    "source": rng.choice(fake.WARNING_SOURCES),
                }
            )

    def _plan_partners(self, plan: PersonPlan) -> None:
        rng = self.rng
        if rng.random() >= 0.6:
            return
        options = [k for k in PARTNER_KEYS if k != plan.lead]
        for key in rng.sample(options, k=rng.choice([1, 1, 2])):
            start = fake.random_day(
                rng, plan.opened_on, min(self.day, plan.opened_on + dt.timedelta(days=60))
            )
            end = None
            if rng.random() < 0.2 and start < self.day - dt.timedelta(days=60):
                # A part that has ended stays in the history (J 13.2).
                end = fake.random_day(
                    rng, start + dt.timedelta(days=30), self.day - dt.timedelta(days=1)
                )
            plan.partners.append((key, start, end))

    def add_level_history(self, plan: PersonPlan) -> None:
        """The case began one level higher and came down at a meeting (J 10.2)."""
        start = max([plan.opened_on, *(c.on for c in plan.changes)]) + dt.timedelta(days=30)
        if plan.level >= 3 or start >= self.day:
            return
        on = fake.random_day(self.rng, start, self.day - dt.timedelta(days=1))
        higher = plan.level + 1
        plan.changes.append(
            Change(
                on,
                {"level": higher},
                f"Level {higher} meeting: risk reduced; managed at level {plan.level} from now",
            )
        )


PRACTITIONERS_BY_LEAD = {
    "police": ["police", "police2"],
    "probation": ["probation", "probation2"],
    "prison": ["prison"],
    "mental_health": ["health"],
    "childrens": ["childrens"],
}
AGENCY_NAMES = {spec.key: spec.name for spec in AGENCIES}

LEFT_ISLAND = "Moved to England: management transferred to the receiving area (J 14.9)"
RETURNED = "Returned to the island and is MAPPA-eligible again"
DIED = "Died: death confirmed to the States of Jersey Police"
SENTENCE_ENDED = "The licence or order has ended and the person is no longer MAPPA-eligible"
REVIEWED = {
    Category.CATEGORY_3: "Level 2 review: risk now manageable by one agency, so no longer "
    "category 3 (J 3.9)",
    Category.PDP: "Review found the person no longer meets the criteria for a potentially "
    "dangerous person (J 3.10)",
}


def _last_event(plan: PersonPlan) -> dt.date:
    return max([plan.opened_on, *(c.on for c in plan.changes)])


def _archive_reason(
    rng: random.Random, plan: PersonPlan, day: dt.date, *, left_island: bool
) -> tuple[dt.date, str]:
    """When and why the record was archived, consistent with its dates."""
    after = _last_event(plan) + dt.timedelta(days=7)
    latest = day - dt.timedelta(days=14)
    if not left_island and plan.category == Category.CATEGORY_2:
        for sentence in plan.sentences:
            ended = sentence.get("licence_expiry_date") or sentence.get("community_order_end_date")
            if ended is not None and after <= ended <= latest:
                return ended, SENTENCE_ENDED
    on = fake.random_day(rng, after, latest)
    if left_island:
        return on, LEFT_ISLAND
    return on, REVIEWED.get(Category(plan.category), DIED)


def plan_area(
    day: dt.date, pool: fake.IdentifierPool, count: int = DEMO_PEOPLE
) -> list[PersonPlan]:
    """Every person on the demo register, decided from the seed and ``day`` alone."""
    # Demo data, not security: a seeded generator makes the area the same every time.
    rng = random.Random(DEMO_SEED)  # noqa: S311
    planner = Planner(rng, day, pool)
    categories = (
        [Category.CATEGORY_1] * 62
        + [Category.CATEGORY_2] * 54
        + [Category.CATEGORY_3] * 18
        + [Category.PDP] * 16
    )
    categories = (categories * (count // len(categories) + 1))[:count]
    rng.shuffle(categories)
    plans: list[PersonPlan] = []
    category_2 = 0
    for n, category in enumerate(categories):
        name = LOOKALIKES[n] if n < len(LOOKALIKES) else fake.random_name(rng)
        juvenile = hospital = False
        if category == Category.CATEGORY_2 and n >= len(LOOKALIKES):
            category_2 += 1
            # One young person (J 11: not managed as a mini-adult) and a few hospital orders.
            juvenile = category_2 == 2
            hospital = category_2 % 9 == 5
        plans.append(planner.plan(str(category), name, juvenile=juvenile, hospital=hospital))
    for n, plan in enumerate(plans):
        if n % 9 == 4 and plan.category != Category.CATEGORY_3:
            planner.add_level_history(plan)
        elif n % 9 == 7 and plan.category == Category.CATEGORY_3 and plan.level == 2:
            planner.add_level_history(plan)
    # About ten archived records (J 3.4, 13.3), one re-activated since.
    candidates = [
        p
        for p in plans[len(LOOKALIKES) :]
        if _last_event(p) < day - dt.timedelta(days=60) and not p.detentions
    ]
    archived = candidates[3 :: max(1, len(candidates) // 10)][:10]
    for number, plan in enumerate(archived):
        on, reason = _archive_reason(rng, plan, day, left_island=number % 4 == 0)
        plan.partners = [
            (k, start, end if end is not None and end <= on else None)
            for k, start, end in plan.partners
            if start <= on
        ]
        plan.archive = (on, reason)
        if number == 0:
            plan.reactivate = (fake.random_day(rng, on + dt.timedelta(days=1), day), RETURNED)
    return plans


@dataclass
class BuildSummary:
    people: int = 0
    archived: int = 0
    reactivated: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_level: Counter[int] = field(default_factory=Counter)
    attachments: Counter[str] = field(default_factory=Counter)


def _state_at(plan: PersonPlan, changes: list[Change]) -> dict[str, Any]:
    """The management in force before ``changes`` (the later ones) took effect."""
    values: dict[str, Any] = {"level": plan.level, "lead": plan.lead, "manager": plan.manager}
    for change in changes:
        values.update(change.before)
    return values


def build_person(
    plan: PersonPlan,
    *,
    actor: User,
    agencies: dict[str, Agency],
    users: dict[str, User],
    summary: BuildSummary,
) -> Nominal:
    changes = sorted(plan.changes, key=lambda c: c.on)
    first = _state_at(plan, changes)
    nominal = services.nominal_create(
        actor=actor,
        family_name=plan.family_name,
        given_names=plan.given_names,
        date_of_birth=plan.date_of_birth,
        gender=plan.gender,
        ethnicity=plan.ethnicity,
        category=plan.category,
        level=first["level"],
        lead_agency=agencies[first["lead"]],
        manager=users.get(first["manager"] or ""),
        opened_on=plan.opened_on,
        pdp_behaviour=plan.pdp_behaviour,
        notification_end_date=plan.notification_end_date,
        notification_indefinite=plan.notification_indefinite,
        identifiers=plan.identifiers,
    )
    summary.attachments["identifier"] += len(plan.identifiers)
    attachments: list[Any] = [
        *(Alias(kind=k, given_names=g, family_name=f) for k, g, f in plan.aliases),
        *(Address(**a) for a in plan.addresses),
        *(Conviction(**c) for c in plan.convictions),
        *(Sentence(**s) for s in plan.sentences),
        *(HospitalDetention(**d) for d in plan.detentions),
        *(WarningMarker(**w) for w in plan.warnings),
    ]
    for instance in attachments:
        services.attachment_save(actor=actor, nominal=nominal, instance=instance)
        summary.attachments[instance._meta.model_name] += 1
    case = services.current_case(nominal)
    if case is None:
        raise RuntimeError(f"{nominal.reference} has no open case")
    for index, change in enumerate(changes):
        state = _state_at(plan, changes[index + 1 :])
        services.case_update_management(
            actor=actor,
            case=case,
            category=plan.category,
            level=state["level"],
            lead_agency=agencies[state["lead"]],
            manager=users.get(state["manager"] or ""),
            effective_from=change.on,
            reason=change.reason,
            pdp_behaviour=plan.pdp_behaviour,
            notification_end_date=plan.notification_end_date,
            notification_indefinite=plan.notification_indefinite,
        )
    for key, start, end in plan.partners:
        partner = services.case_partner_add(
            actor=actor, case=case, agency=agencies[key], from_date=start
        )
        if end is not None:
            services.case_partner_end(actor=actor, partner=partner, to_date=end)
    if plan.archive is not None:
        on, reason = plan.archive
        services.nominal_archive(actor=actor, nominal=nominal, reason=reason, effective_on=on)
        summary.archived += 1
        if plan.reactivate is not None:
            on, reason = plan.reactivate
            services.nominal_reactivate(
                actor=actor, nominal=nominal, reason=reason, effective_on=on
            )
            summary.archived -= 1
            summary.reactivated += 1
    summary.people += 1
    summary.by_category[plan.category] += 1
    summary.by_level[plan.level] += 1
    return nominal


# --- Loading and resetting ----------------------------------------------------------


@dataclass
class LoadResult:
    loaded: bool
    logins: list[DemoLogin]
    summary: BuildSummary
    contacts: int = 0
    removed: dict[str, int] = field(default_factory=dict)


def demo_is_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


def reset_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))


def reset_register() -> dict[str, int]:
    """Remove every person, case and directory entry; keep accounts and the audit trail.

    The audit trail is append-only (decisions.md), so it records the reset rather
    than losing the history of what was there.
    """
    counts = {"people": Nominal.objects.count(), "contacts": Contact.objects.count()}
    StatusChange.objects.all().delete()
    Case.objects.all().delete()
    Nominal.objects.all().delete()
    Contact.objects.all().delete()
    audit_record(actor=LOADER, action="register.demo_reset", detail=counts)
    return counts


@transaction.atomic
def load_demo_area(*, reset: bool = False, count: int = DEMO_PEOPLE) -> LoadResult:
    """Build the demo area unless it is there already (then change nothing).

    ``reset`` first removes every person and directory entry, in the same transaction.
    """
    removed: dict[str, int] = {}
    if reset:
        removed = reset_register()
    elif demo_is_loaded():
        return LoadResult(loaded=False, logins=existing_demo_logins(), summary=BuildSummary())
    agencies = ensure_agencies()
    logins = create_demo_users(agencies)
    users = {login.username: login.user for login in logins if login.user is not None}
    contacts = build_directory(agencies, logins)
    day = today()
    # Demo data, not security: the pool's generator is seeded like the planner's.
    pool = fake.IdentifierPool(random.Random(DEMO_SEED + 1))  # noqa: S311
    pool.taken.update(Identifier.objects.values_list("kind", "value"))
    summary = BuildSummary()
    actor = users[MARKER_USERNAME]
    for plan in plan_area(day, pool, count):
        build_person(plan, actor=actor, agencies=agencies, users=users, summary=summary)
    audit_record(
        actor=actor,
        action="register.demo_load",
        detail={
            "people": summary.people,
            "archived": summary.archived,
            "reactivated": summary.reactivated,
            "users": len(logins),
            "contacts": contacts,
            "as_at": day,
        },
    )
    return LoadResult(
        loaded=True, logins=logins, summary=summary, contacts=contacts, removed=removed
    )
