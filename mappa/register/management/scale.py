"""A large register for benchmarks: many invented people, bulk-inserted (issue 2, point 9).

Unlike the demo area this does not go through the per-person services: 100,000
people one ``nominal_create`` at a time would take hours. It writes the same rows
the services would (person, aliases, identifiers, an address, a conviction, a case
and its current state), valid by construction against the same rules, then builds
the search index for them in bulk and writes ONE audit event that summarises the
load, rather than one per row.
"""

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from mappa.access.models import Agency, Role, UserRole
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.register import services
from mappa.register.management import fake
from mappa.register.management.demo_area import ensure_agencies
from mappa.register.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    Case,
    CaseState,
    Category,
    Conviction,
    Identifier,
    IdentifierKind,
    Nominal,
)
from mappa.register.rules import deletion_review_date

REFERENCE_PREFIX = "MN-"
# References are MN- and six digits (services._next_reference reads the largest).
MAX_REFERENCE = 999_999
LEAD_KEYS = ("police", "police", "police", "probation", "probation", "prison", "mental_health")
TABLES = (
    "register_nominal",
    "register_alias",
    "register_identifier",
    "register_address",
    "register_conviction",
    "register_case",
    "register_casestate",
    "search_nameentry",
)


@dataclass
class ScaleResult:
    people: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    first_reference: str = ""
    last_reference: str = ""
    seconds_rows: float = 0.0
    seconds_index: float = 0.0
    skipped_because: str = ""

    @property
    def seconds(self) -> float:
        return self.seconds_rows + self.seconds_index


def next_reference_number() -> int:
    """The next free MN- number, read under the register's reference lock: a person
    added through the services meanwhile waits until the load commits."""
    return int(services._next_reference().split("-")[1])


class _Builder:
    """Builds one chunk of people and their rows in memory."""

    def __init__(
        self,
        rng: random.Random,
        pool: fake.IdentifierPool,
        day: dt.date,
        leads: list[Agency],
        managers: dict[int, list[int]],
        actor_id: int | None,
        aliases: tuple[int, int],
    ) -> None:
        self.rng = rng
        self.pool = pool
        self.day = day
        self.leads = leads
        self.managers = managers
        self.actor_id = actor_id
        self.aliases = aliases
        self.rows: dict[str, list[Any]] = {}

    def _uuid(self) -> uuid.UUID:
        # Seeded, so that the same seed gives the same register.
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def reset(self) -> None:
        self.rows = {
            "nominal": [],
            "alias": [],
            "identifier": [],
            "address": [],
            "conviction": [],
            "case": [],
            "state": [],
        }

    def person(self, number: int) -> None:
        rng = self.rng
        day = self.day
        name = fake.random_name(rng, female_share=0.1)
        age = rng.randint(18, 76)
        dob = fake.add_months(day, -12 * age) - dt.timedelta(days=rng.randint(1, 360))
        reference = f"{REFERENCE_PREFIX}{number:06d}"
        nominal = Nominal(
            id=self._uuid(),
            reference=reference,
            family_name=name.family_name,
            given_names=name.given_names,
            date_of_birth=dob,
            gender=name.gender,
            ethnicity=name.ethnicity,
            deletion_review_on=deletion_review_date(dob),
            created_by_id=self.actor_id,
            updated_by_id=self.actor_id,
        )
        self.rows["nominal"].append(nominal)
        category = rng.choices(
            [Category.CATEGORY_1, Category.CATEGORY_2, Category.CATEGORY_3, Category.PDP],
            weights=[60, 33, 3, 4],
        )[0]
        if category == Category.CATEGORY_3:
            level = rng.choice([2, 3])
        else:
            level = rng.choices([1, 2, 3], weights=[85, 12, 3])[0]

        adult = fake.add_months(dob, 18 * 12)
        convicted = fake.random_day(rng, adult, day - dt.timedelta(days=30))
        offences = {
            Category.CATEGORY_1: fake.SEXUAL_OFFENCES,
            Category.CATEGORY_2: fake.VIOLENT_OFFENCES,
            Category.CATEGORY_3: fake.OTHER_DANGEROUS_OFFENCES,
            Category.PDP: fake.MINOR_OFFENCES,
        }[category]
        pdp = category == Category.PDP
        # J 3.10: a PDP has no qualifying conviction; their record may hold a caution.
        self.rows["conviction"].append(
            Conviction(
                id=self._uuid(),
                nominal=nominal,
                offence=rng.choice(offences),
                offence_date=convicted - dt.timedelta(days=rng.randint(20, 300)),
                conviction_date=convicted,
                is_caution=pdp,
                court="Parish Hall Enquiry" if pdp else "Royal Court",
                sentence="Centenier's caution" if pdp else "Imprisonment",
                is_index_offence=not pdp,
            )
        )
        opened = (
            day - dt.timedelta(days=rng.randint(10, 900))
            if pdp
            else min(day, convicted + dt.timedelta(days=rng.randint(1, 3)))
        )
        indefinite = category == Category.CATEGORY_1 and rng.random() < 0.5
        notification_end = (
            fake.add_months(convicted, 120)
            if category == Category.CATEGORY_1 and not indefinite
            else None
        )
        case = Case(
            id=self._uuid(),
            nominal=nominal,
            reference=f"{reference}/1",
            opened_on=opened,
            pdp_behaviour=rng.choice(fake.PDP_BEHAVIOURS) if pdp else "",
            notification_end_date=notification_end,
            notification_indefinite=indefinite,
        )
        self.rows["case"].append(case)
        lead = rng.choice(self.leads)
        managers = self.managers.get(lead.pk, [])
        self.rows["state"].append(
            CaseState(
                case=case,
                category=category,
                level=level,
                lead_agency=lead,
                manager_id=rng.choice(managers) if managers else None,
                effective_from=opened,
                reason="Added to the register (bulk load)",
                recorded_by_id=self.actor_id,
            )
        )
        self._identifiers(nominal, dob, convicted, pdp)
        self._aliases(nominal, name)
        self._address(nominal, opened)

    def _identifiers(self, nominal: Nominal, dob: dt.date, convicted: dt.date, pdp: bool) -> None:
        first_arrest = fake.random_day(self.rng, fake.add_months(dob, 16 * 12), convicted)
        values = [(IdentifierKind.PNC, self.pool.pnc(first_arrest.year))]
        if not pdp:
            values.append((IdentifierKind.CRO, self.pool.cro(convicted.year)))
        for kind, value in values:
            self.rows["identifier"].append(
                Identifier(id=self._uuid(), nominal=nominal, kind=kind, value=value)
            )

    def _aliases(self, nominal: Nominal, name: fake.PersonName) -> None:
        rng = self.rng
        low, high = self.aliases
        seen = {(name.given_names, name.family_name)}
        for _ in range(rng.randint(low, high)):
            kind = rng.choice([AliasKind.NICKNAME, AliasKind.SPELLING, AliasKind.ALIAS])
            nicknames = fake.nicknames_for(name.given_names)
            if kind == AliasKind.NICKNAME and nicknames:
                alias = (rng.choice(nicknames), name.family_name)
            elif kind == AliasKind.NICKNAME:
                alias = (rng.choice(fake.NICKNAMES_STANDALONE), "")
            elif kind == AliasKind.SPELLING:
                alias = (
                    name.given_names,
                    fake.misspell(rng, name.family_name, ("vowel", "double")),
                )
            else:
                other = fake.random_name(rng, female_share=1.0 if name.gender == "female" else 0.0)
                alias = (other.given_names, other.family_name)
            if alias in seen:
                # Still the number asked for: a further made-up alias.
                other = fake.random_name(rng, female_share=1.0 if name.gender == "female" else 0.0)
                kind, alias = AliasKind.ALIAS, (other.given_names, other.family_name)
            seen.add(alias)
            self.rows["alias"].append(
                Alias(
                    id=self._uuid(),
                    nominal=nominal,
                    kind=kind,
                    given_names=alias[0],
                    family_name=alias[1],
                )
            )

    def _address(self, nominal: Nominal, since: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.04:
            self.rows["address"].append(
                Address(
                    id=self._uuid(),
                    nominal=nominal,
                    kind=AddressKind.NO_FIXED_ABODE,
                    reporting_arrangement="Reports weekly to Police Headquarters, St Helier",
                    from_date=since,
                )
            )
            return
        line_1, town, postcode = fake.street_address(rng)
        self.rows["address"].append(
            Address(
                id=self._uuid(),
                nominal=nominal,
                kind=AddressKind.CURRENT,
                line_1=line_1,
                town=town,
                postcode=postcode,
                from_date=since,
            )
        )

    def write(self, batch_size: int) -> dict[str, int]:
        models = (
            ("nominal", Nominal),
            ("case", Case),
            ("state", CaseState),
            ("alias", Alias),
            ("identifier", Identifier),
            ("address", Address),
            ("conviction", Conviction),
        )
        counts: dict[str, int] = {}
        for key, model in models:
            rows = self.rows[key]
            model.objects.bulk_create(rows, batch_size=batch_size)
            counts[key] = len(rows)
        return counts


def seed_scale(
    *,
    nominals: int,
    aliases_min: int = 2,
    aliases_max: int = 3,
    seed: int = 1,
    top_up: bool = False,
    actor: Any = None,
    chunk_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Add ``nominals`` invented people (or, with ``top_up``, as many as it takes for
    the register to hold ``nominals``), all in one transaction."""
    if nominals < 0:
        raise ValueError("the number of people must be 0 or more")
    if not 0 <= aliases_min <= aliases_max:
        raise ValueError("aliases: 0 <= minimum <= maximum")
    result = ScaleResult()
    wanted = nominals
    if top_up:
        existing = Nominal.objects.count()
        wanted = max(0, nominals - existing)
        if wanted == 0:
            result.skipped_because = (
                f"the register already holds {existing:,} people (asked for {nominals:,})"
            )
            return result
    started = time.perf_counter()
    with transaction.atomic():
        first = next_reference_number()
        last = first + wanted - 1
        if last > MAX_REFERENCE:
            raise ValueError(
                f"references run from MN-000001 to MN-{MAX_REFERENCE}: "
                f"{wanted:,} more people do not fit"
            )
        agencies = ensure_agencies()
        leads = [agencies[key] for key in LEAD_KEYS]
        managers: dict[int, list[int]] = {}
        for user_id, agency_id in UserRole.objects.filter(
            role=Role.PRACTITIONER, user__is_active=True, user__agency__isnull=False
        ).values_list("user_id", "user__agency_id"):
            managers.setdefault(agency_id, []).append(user_id)
        # Seeded by the first reference too, so a top-up does not repeat earlier people.
        rng = random.Random(f"{seed}:{first}")  # noqa: S311 - test data, not security
        pool = fake.IdentifierPool(random.Random(f"{seed}:{first}:identifiers"))  # noqa: S311
        pool.taken.update(
            Identifier.objects.filter(kind__in=[IdentifierKind.PNC, IdentifierKind.CRO])
            .values_list("kind", "value")
            .iterator(chunk_size=20_000)
        )
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        builder = _Builder(
            rng,
            pool,
            today(),
            leads,
            managers,
            getattr(actor_user, "pk", None),
            (aliases_min, aliases_max),
        )
        totals: dict[str, int] = {}
        index_seconds = 0.0
        from mappa.search import services as search_services

        for start in range(first, last + 1, chunk_size):
            builder.reset()
            for number in range(start, min(start + chunk_size, last + 1)):
                builder.person(number)
            for key, count in builder.write(batch_size=2000).items():
                totals[key] = totals.get(key, 0) + count
            ids = [n.pk for n in builder.rows["nominal"]]
            index_started = time.perf_counter()
            totals["index_rows"] = totals.get("index_rows", 0) + search_services.rebuild_index(
                ids, batch_size=2000
            )
            index_seconds += time.perf_counter() - index_started
            if progress:
                progress(
                    f"  {totals['nominal']:,} of {wanted:,} people "
                    f"({time.perf_counter() - started:.0f} s)"
                )
        result.people = totals.get("nominal", 0)
        result.counts = totals
        result.first_reference = f"{REFERENCE_PREFIX}{first:06d}"
        result.last_reference = f"{REFERENCE_PREFIX}{last:06d}"
        result.seconds_index = index_seconds
        result.seconds_rows = time.perf_counter() - started - index_seconds
        audit_record(
            actor=actor_user or "seed_scale",
            action="register.bulk_seed",
            detail={
                "people": result.people,
                "aliases": totals.get("alias", 0),
                "identifiers": totals.get("identifier", 0),
                "addresses": totals.get("address", 0),
                "convictions": totals.get("conviction", 0),
                "cases": totals.get("case", 0),
                "index_rows": totals.get("index_rows", 0),
                "first_reference": result.first_reference,
                "last_reference": result.last_reference,
                "seed": seed,
                "seconds": round(result.seconds, 1),
            },
        )
    if connection.vendor == "postgresql":
        # The planner must know the tables grew a thousandfold before anyone searches.
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return result
