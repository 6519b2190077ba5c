"""``manage.py seed_scale --nominals N [--years 5]``: a large register for benchmarks, fast.

With ``--years`` (``make bench`` gives 5) the people added by the bulk load also get a history
shaped like a real area's over those years (issue 6, point 8): spells at level 2 and 3
for a few per cent of them at any time (category 3 only while at level 2 or 3, then
archived), the panel days that discussed them at the J 10.11 intervals (mostly on
time, some late, quarters better and worse), invitations and attendance per agency,
minutes with their disclosure decision and actions, outcome events over the years, and
the Strategic Management Board's seats and quarterly meetings.

Like the register itself this is written in bulk, not through the per-record services
(which would take days at this size): PostgreSQL's COPY where available, bulk inserts
elsewhere, one audit event summarising the load. The rows are those the services would
write, valid against the same rules; the history is added once to each bulk-loaded case
(a rerun, or a top-up, adds history only to the cases without any).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from mappa.access.models import Agency, AgencyKind, Contact, Role, User, UserRole
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.register.management.demo_area import ensure_agencies
from mappa.register.management.scale import seed_scale
from mappa.register.models import (
    Case,
    CaseState,
    Category,
    Nominal,
    NominalStatus,
    StatusChange,
)

# The reason scale.py gives the one state it writes: how a bulk-loaded case is known;
# once its history is written the first state says so, and a rerun leaves it alone.
BULK_REASON = "Added to the register (bulk load)"
HISTORY_REASON = "Added to the register (bulk load, with its history)"
HISTORY_TABLES = (
    "register_casestate",
    "register_case",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_invitation",
    "meetings_attendance",
    "minutes_minutes",
    "minutes_action",
    "outcomes_outcomeevent",
)


class Command(BaseCommand):
    help = (
        "Add N invented people to the register with bulk inserts (each with aliases, "
        "identifiers, an address, a conviction, a case and its current state), index them "
        "for search and record one audit event for the load; then give the bulk-loaded "
        "cases YEARS of history (levels, meetings, attendance, minutes, actions, outcome "
        "events, the SMB)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nominals", type=int, required=True, help="How many people")
        parser.add_argument("--aliases-min", type=int, default=2)
        parser.add_argument("--aliases-max", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="Add only as many as it takes for the register to hold N people",
        )
        parser.add_argument(
            "--actor", default="", help="Username recorded as having made the load (optional)"
        )
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help="Years of history to give the bulk-loaded cases, ending today (make bench "
            "uses 5; default 0: the register only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"There is no account called {options['actor']!r}")
        if not 0 <= options["years"] <= 20:
            raise CommandError("--years must be between 0 and 20")
        progress = self.stdout.write if options["verbosity"] > 0 else None
        try:
            result = seed_scale(
                nominals=options["nominals"],
                aliases_min=options["aliases_min"],
                aliases_max=options["aliases_max"],
                seed=options["seed"],
                top_up=options["top_up"],
                actor=actor,
                chunk_size=max(1, options["chunk_size"]),
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped_because:
            self.stdout.write(f"Nothing to add: {result.skipped_because}.")
        else:
            counts = result.counts
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {result.people:,} people ({result.first_reference} to "
                    f"{result.last_reference}) with {counts.get('alias', 0):,} aliases, "
                    f"{counts.get('identifier', 0):,} identifiers, "
                    f"{counts.get('address', 0):,} addresses, "
                    f"{counts.get('conviction', 0):,} convictions and "
                    f"{counts.get('index_rows', 0):,} search index rows in "
                    f"{result.seconds:.1f} s (rows {result.seconds_rows:.1f} s, "
                    f"search index {result.seconds_index:.1f} s)."
                )
            )
        if options["years"] == 0:
            return
        history = seed_history(
            years=options["years"], seed=options["seed"], actor=actor, progress=progress
        )
        if not history.cases:
            self.stdout.write("History: every bulk-loaded case has its history already.")
            return
        c = history.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"History of {options['years']} years for {history.cases:,} cases in "
                f"{history.seconds:.1f} s: {c['spells']:,} spells at level 2 or 3, "
                f"{c['meetings']:,} meetings, {c['discussions']:,} case discussions, "
                f"{c['invitations']:,} invitations, {c['attendance']:,} attendance records, "
                f"{c['minutes']:,} minutes, {c['actions']:,} actions, "
                f"{c['outcomes']:,} outcome events, {c['archived']:,} archived, "
                f"{c['smb_meetings']:,} SMB meetings."
            )
        )


# --- Writing rows fast ----------------------------------------------------------------


def _insert(model: type[models.Model], rows: Sequence[models.Model], batch: int = 5000) -> int:
    """Insert ``rows`` (unsaved instances, primary keys set unless automatic).

    PostgreSQL: ``COPY ... FROM STDIN``, several times faster than INSERT for the
    hundreds of thousands of attendance rows. Elsewhere: ``bulk_create``."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=batch)
        return len(rows)
    meta = model._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])
    return len(rows)


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# --- Shape of the area ----------------------------------------------------------------

# J 10.11 and the jersey-2010 profile: review intervals in days (12 and 6 weeks).
INTERVAL = {2: 84, 3: 42}
# A panel hears at most this many cases; a busy day has several panels (J 10.6).
PANEL_SIZE = {2: 12, 3: 6}
PANEL_TIME = {2: [dt.time(9, 30), dt.time(13, 30), dt.time(11), dt.time(15)], 3: [dt.time(14)]}
VENUES = [
    "Police Headquarters, Rouge Bouillon, St Helier",
    "Probation and After-Care Service, Royal Square, St Helier",
]
# Invited to every discussion at the level (J 10.7), and how often each attends
# (in person, by video or phone, or by report): some below the 90% of J 16.2 (5).
STANDING_AGENCIES = {
    AgencyKind.POLICE: 0.97,
    AgencyKind.PROBATION: 0.96,
    AgencyKind.CHILDRENS_SERVICES: 0.91,
    AgencyKind.MENTAL_HEALTH: 0.86,
    AgencyKind.HOUSING: 0.89,
}
# Invited for some cases only (J 10.8), with their attendance rates.
CASE_AGENCIES = {
    AgencyKind.HEALTH: (0.25, 0.84),
    AgencyKind.EDUCATION: (0.08, 0.8),
    AgencyKind.CUSTOMS_IMMIGRATION: (0.05, 0.93),
    AgencyKind.PRISON: (0.15, 0.95),
}
# Per 100 case-years of the people concerned (rates shaped on the published E&W tables).
OUTCOME_RATES: list[tuple[str, str, str, float]] = [
    # (kind, order type, who: "cat1", "cat2", "pdp", "multi" (level 2/3 spells), "any")
    ("notification_breach_caution", "", "cat1", 0.8),
    ("notification_breach_conviction", "", "cat1", 1.4),
    ("order_imposed", "shpo", "cat1", 3.0),
    ("order_imposed", "notification_order", "cat1", 0.2),
    ("order_imposed", "foreign_travel_order", "cat1", 0.1),
    ("order_imposed", "sexual_risk_order", "pdp", 6.0),
    ("order_imposed", "violent_offender_order", "cat2", 0.4),
    ("order_imposed", "restraining_order", "cat2", 1.0),
    ("order_revoked", "shpo", "cat1", 0.3),
    ("notification_after_sro_breach", "", "pdp", 0.6),
    ("lifetime_notification_revoked", "", "cat1_indefinite", 0.2),
    ("deregistration_eligible", "", "cat1", 1.0),
    ("custody_breach_of_licence", "", "multi", 9.0),
    ("custody_breach_of_order", "", "multi", 2.5),
    ("custody_further_offence", "", "multi", 2.0),
    ("serious_further_offence_charge", "", "multi", 0.3),
    ("serious_case_review", "", "multi", 0.05),
]


@dataclass
class Spell:
    """A run of multi-agency management: levels over time, then back to level 1
    (or out of MAPPA for category 3)."""

    start: dt.date
    steps: list[tuple[dt.date, int]]  # (from, level), the first at ``start``
    end: dt.date | None  # first day back at level 1 / out; None: still running
    leaves: bool = False  # category 3: archived at the end
    discussions: list[tuple[dt.date, int, str, dt.date | None, bool]] = field(
        default_factory=list
    )  # (date, level, kind, due, discussed)


@dataclass
class CaseRow:
    case_id: Any
    nominal_id: Any
    reference: str
    category: str
    lead_id: int
    manager_id: int | None
    opened: dt.date
    indefinite: bool
    spells: list[Spell] = field(default_factory=list)


@dataclass
class HistoryResult:
    cases: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def _lateness(rng: random.Random, day: dt.date, level: int) -> int:
    """Days late for a review, most on time; some quarters are worse (staff leave,
    a postponed panel), so a KPI is met in some quarters and missed in others."""
    quarter = (day.year * 4 + (day.month - 1) // 3) % 5
    late_share = {2: [0.08, 0.2, 0.1, 0.06, 0.25], 3: [0.05, 0.04, 0.15, 0.06, 0.08]}[level][
        quarter
    ]
    if rng.random() >= late_share:
        return 0
    return rng.randint(1, 21)


def _working_day(day: dt.date, *, back: bool = True) -> dt.date:
    while day.weekday() > 4:
        day += dt.timedelta(days=-1 if back else 1)
    return day


def _plan_spells(
    rng: random.Random, row: CaseRow, start: dt.date, end: dt.date
) -> tuple[list[Spell], bool]:
    """Level spells for one case over the window (and whether it left MAPPA)."""
    opened = row.opened
    days = (end - start).days
    spells: list[Spell] = []
    if row.category == Category.CATEGORY_3:
        # J 3.9: category 3 only while managed at level 2 or 3; many leave in the window.
        first = max(opened, start - dt.timedelta(days=rng.randint(0, 400)))
        if first >= end - dt.timedelta(days=14):
            first = end - dt.timedelta(days=rng.randint(14, 120))
            first = max(first, opened)
        spell = _spell(rng, first, end, rng.random() < 0.2)
        if spell.end is not None and rng.random() < 0.7:
            spell.leaves = True
        elif spell.end is not None:
            # Still at level 2: the spell carries on.
            spell.end = None
        spells.append(spell)
        return spells, spell.leaves
    chance = 0.09 if row.category != Category.PDP else 0.15
    if rng.random() >= chance:
        return spells, False
    begin = start + dt.timedelta(days=rng.randint(-200, days - 10))
    begin = max(begin, opened + dt.timedelta(days=rng.randint(0, 30)))
    if begin >= end - dt.timedelta(days=7):
        return spells, False
    spells.append(_spell(rng, begin, end, rng.random() < 0.22))
    return spells, False


def _spell(rng: random.Random, begin: dt.date, end: dt.date, level3: bool) -> Spell:
    steps = [(begin, 3 if level3 else 2)]
    if level3:
        # Level 3 for 2 to 9 months, then down to level 2 for a while (or straight to 1).
        down = begin + dt.timedelta(days=rng.randint(60, 270))
        if rng.random() < 0.7:
            steps.append((down, 2))
            finish = down + dt.timedelta(days=rng.randint(120, 420))
        else:
            finish = down
    else:
        finish = begin + dt.timedelta(days=rng.randint(170, 560))
    return Spell(start=begin, steps=steps, end=finish if finish < end else None)


def _discussions(rng: random.Random, spell: Spell, start: dt.date, end: dt.date) -> None:
    """The spell's case discussions: a first meeting soon after it begins, then a review
    before each interval runs out (J 10.4, 10.11). A planned change of level, and the
    end of the spell, are decided at the last discussion before them, and take effect
    that day; a change planned beyond today has not happened."""
    planned = list(spell.steps[1:])
    finish = spell.end
    decided = [spell.steps[0]]
    level = spell.steps[0][1]
    spell.end = None
    day = _working_day(spell.start + dt.timedelta(days=rng.randint(7, 20)), back=False)
    kind, due = "first", spell.start + dt.timedelta(days=21)

    def next_after(held: dt.date, at: int) -> tuple[dt.date, dt.date]:
        review_due = held + dt.timedelta(days=INTERVAL[at])
        planned_day = _working_day(review_due - dt.timedelta(days=rng.randint(0, 14)))
        return planned_day + dt.timedelta(days=_lateness(rng, review_due, at)), review_due

    while day <= end:
        discussed = rng.random() > 0.015
        if day >= start:
            spell.discussions.append((day, level, kind, due, discussed))
        if not discussed:
            # The panel ran out of time: the case is heard at the next panel, a week later.
            day = _working_day(day + dt.timedelta(days=7), back=False)
            continue
        following, following_due = next_after(day, level)
        if planned and planned[0][0] < following:
            level = planned.pop(0)[1]
            decided.append((day, level))
            following, following_due = next_after(day, level)
        elif not planned and finish is not None and finish < following:
            spell.end = day
            break
        day, due, kind = following, following_due, "review"
    spell.steps = decided


# --- The history ----------------------------------------------------------------------


def _target_cases(limit_to: Iterable[Any] | None = None) -> list[CaseRow]:
    """Bulk-loaded cases with one state and no history yet."""
    from mappa.meetings.models import AgendaItem
    from mappa.outcomes.models import OutcomeEvent

    states = (
        CaseState.objects.filter(
            reason=BULK_REASON,
            effective_to__isnull=True,
            case__closed_on__isnull=True,
            case__nominal__status=NominalStatus.ACTIVE,
        )
        .exclude(case_id__in=AgendaItem.objects.values("case_id"))
        .exclude(case_id__in=OutcomeEvent.objects.filter(case__isnull=False).values("case_id"))
        .order_by("case__reference")
    )
    if limit_to is not None:
        states = states.filter(case_id__in=list(limit_to))
    rows = []
    for values in states.values_list(
        "case_id",
        "case__nominal_id",
        "case__reference",
        "category",
        "lead_agency_id",
        "manager_id",
        "case__opened_on",
        "case__notification_indefinite",
    ).iterator(chunk_size=20_000):
        rows.append(CaseRow(*values))
    return rows


def seed_history(
    *,
    years: int,
    seed: int = 1,
    actor: Any = None,
    progress: Callable[[str], None] | None = None,
    cases: Iterable[Any] | None = None,
) -> HistoryResult:
    """Give the bulk-loaded cases without history ``years`` of it, ending today."""
    from mappa.smb.demo import build_smb

    started = time.perf_counter()
    result = HistoryResult()
    day = today()
    start = day - dt.timedelta(days=round(365.25 * years))
    with transaction.atomic():
        rows = _target_cases(cases)
        if not rows:
            return result
        rng = random.Random(f"history:{seed}:{rows[0].reference}")  # noqa: S311 - test data
        result.cases = len(rows)
        agencies = ensure_agencies()
        by_kind = {a.kind: a for a in agencies.values()}
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        staff = _staff()
        _log(progress, started, f"history for {len(rows):,} cases from {start:%-d %B %Y}")
        archived: list[tuple[CaseRow, dt.date]] = []
        for row in rows:
            row.spells, leaves = _plan_spells(rng, row, start, day)
            for spell in row.spells:
                _discussions(rng, spell, start, day)
                result.counts["spells"] += 1
            if leaves and row.spells[-1].end is not None:
                archived.append((row, row.spells[-1].end))
        _write_states(rows, archived, actor_user, result)
        _log(progress, started, f"{result.counts['states']:,} states written")
        _write_meetings(rng, rows, by_kind, staff, day, result)
        _log(progress, started, f"{result.counts['discussions']:,} discussions written")
        _write_outcomes(rng, rows, start, day, archived, actor_user, result)
        _log(progress, started, f"{result.counts['outcomes']:,} outcome events written")
        smb = build_smb(start=start, end=day, seed=seed)
        result.counts["smb_meetings"] = smb.get("meetings", 0)
        result.seconds = time.perf_counter() - started
        audit_record(
            actor=actor_user or "seed_scale",
            action="register.bulk_seed_history",
            detail={"years": years, "cases": result.cases, **dict(result.counts)},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in HISTORY_TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    result.seconds = time.perf_counter() - started
    return result


def _log(progress: Callable[[str], None] | None, started: float, text: str) -> None:
    if progress:
        progress(f"  {text} ({time.perf_counter() - started:.0f} s)")


@dataclass
class Staff:
    admin: User | None
    chair: User | None
    practitioners: dict[int, list[User]]


def _staff() -> Staff:
    practitioners: dict[int, list[User]] = defaultdict(list)
    for role in UserRole.objects.filter(
        role=Role.PRACTITIONER, user__is_active=True, user__agency__isnull=False
    ).select_related("user"):
        if role.user.agency_id is not None:
            practitioners[role.user.agency_id].append(role.user)
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "chair"])}
    admin = users.get("admin") or User.objects.filter(roles__role=Role.ADMINISTRATOR).first()
    chair = users.get("chair") or User.objects.filter(roles__role=Role.CHAIR).first()
    return Staff(admin=admin, chair=chair, practitioners=practitioners)


def _write_states(
    rows: list[CaseRow],
    archived: list[tuple[CaseRow, dt.date]],
    actor: Any,
    result: HistoryResult,
) -> None:
    """Replace each case's one bulk state by its dated history (decisions.md)."""
    new: list[CaseState] = []
    leaving = {row.case_id: on for row, on in archived}
    for row in rows:
        runs: list[tuple[dt.date, int, str]] = []  # (from, level, reason)
        if row.category == Category.CATEGORY_3:
            # Category 3 exists only while at level 2 or 3: the case opens at its spell.
            spell = row.spells[0]
            runs = [(min(row.opened, spell.start), spell.steps[0][1], HISTORY_REASON)]
            runs += [
                (on, level, f"Agreed at the level {runs[-1][1]} meeting on {on:%-d %B %Y}")
                for on, level in spell.steps[1:]
            ]
        else:
            runs = [(row.opened, 1, HISTORY_REASON)]
            for spell in row.spells:
                first_level = spell.steps[0][1]
                runs.append(
                    (
                        max(spell.start, row.opened),
                        first_level,
                        f"Referral accepted at level {first_level} (J 3.5)",
                    )
                )
                for on, level in spell.steps[1:]:
                    runs.append(
                        (on, level, f"Agreed at the level 2 or 3 meeting on {on:%-d %B %Y}")
                    )
                if spell.end is not None:
                    runs.append(
                        (
                            spell.end,
                            1,
                            f"Agreed at the meeting on {spell.end:%-d %B %Y}: manage at level 1 "
                            "by the lead agency",
                        )
                    )
        # Same-day or out-of-order runs collapse: the later decision of the day stands.
        cleaned: list[tuple[dt.date, int, str]] = []
        for run in sorted(runs, key=lambda r: r[0]):
            if cleaned and run[0] <= cleaned[-1][0]:
                cleaned[-1] = (cleaned[-1][0], run[1], run[2])
            elif cleaned and run[1] == cleaned[-1][1]:
                continue
            else:
                cleaned.append(run)
        closes = leaving.get(row.case_id)
        for index, (begins, level, reason) in enumerate(cleaned):
            ends = cleaned[index + 1][0] if index + 1 < len(cleaned) else closes
            if closes is not None and begins >= closes:
                break
            new.append(
                CaseState(
                    case_id=row.case_id,
                    category=row.category,
                    level=level,
                    lead_agency_id=row.lead_id,
                    manager_id=row.manager_id,
                    effective_from=begins,
                    effective_to=ends,
                    reason=reason[:300],
                    recorded_by=actor,
                )
            )
    ids = [row.case_id for row in rows]
    for chunk in range(0, len(ids), 5000):
        CaseState.objects.filter(case_id__in=ids[chunk : chunk + 5000]).delete()
    result.counts["states"] = _insert(CaseState, new)
    # Category 3 cases whose spell ended left MAPPA: case closed, record archived (J 3.9).
    reason = "Level 2 review: risk now manageable by one agency, so no longer category 3 (J 3.9)"
    cases = []
    for row, on in archived:
        cases.append(Case(id=row.case_id, closed_on=on, close_reason=reason))
    Case.objects.bulk_update(cases, ["closed_on", "close_reason"], batch_size=2000)
    nominal_ids = [row.nominal_id for row, _ in archived]
    for chunk in range(0, len(nominal_ids), 5000):
        Nominal.objects.filter(pk__in=nominal_ids[chunk : chunk + 5000]).update(
            status=NominalStatus.ARCHIVED
        )
    _insert(
        StatusChange,
        [
            StatusChange(
                nominal_id=row.nominal_id,
                status=NominalStatus.ARCHIVED,
                reason=reason,
                effective_on=on,
                recorded_by=actor,
            )
            for row, on in archived
        ],
    )
    result.counts["archived"] = len(archived)


DISCLOSURE_NO = (
    "No third party is at risk who does not already know; alternatives (police home "
    "visits, licence conditions) manage the risk."
)
DISCLOSURE_YES = "His new partner has children and needs to know the risk to protect them."
ACTIONS: dict[str, str] = {
    AgencyKind.POLICE: "Police to carry out an unannounced home visit and check for breaches",
    AgencyKind.PROBATION: "Probation to review licence conditions with him and report any breach",
    AgencyKind.HOUSING: "Housing to confirm the tenancy and tell police of any move",
    AgencyKind.MENTAL_HEALTH: "Mental Health Services to complete a psychiatric assessment",
    AgencyKind.CHILDRENS_SERVICES: "Children's Services to visit the new partner's children",
}


def _write_meetings(
    rng: random.Random,
    rows: list[CaseRow],
    by_kind: dict[str, Agency],
    staff: Staff,
    day: dt.date,
    result: HistoryResult,
) -> None:
    from mappa.meetings.models import (
        AgendaItem,
        Attendance,
        DiscussionKind,
        Invitation,
        InvitationKind,
        InvitationStatus,
        Meeting,
        MeetingKind,
        MeetingStatus,
    )
    from mappa.minutes.models import Action, ActionState, Conclusion, Minutes, MinutesStatus

    # Group the discussions into panels: (level, date) -> cases, several panels a busy day.
    by_day: dict[tuple[int, dt.date], list[tuple[CaseRow, Spell, int]]] = defaultdict(list)
    for row in rows:
        for spell in row.spells:
            for index, discussion in enumerate(spell.discussions):
                by_day[(discussion[1], discussion[0])].append((row, spell, index))
    spocs = {
        c.agency_id: c
        for c in Contact.objects.filter(is_spoc=True).select_related("agency").order_by("name")
    }
    agency_of = {a.pk: a for a in by_kind.values()}
    standing = [by_kind[k] for k in STANDING_AGENCIES if k in by_kind]
    case_agencies = [
        (by_kind[k], share, rate) for k, (share, rate) in CASE_AGENCIES.items() if k in by_kind
    ]
    rates = {by_kind[k].pk: rate for k, rate in STANDING_AGENCIES.items() if k in by_kind}
    case_rates = {agency.pk: rate for agency, _share, rate in case_agencies}
    sent_by = staff.admin
    meetings: list[Meeting] = []
    items: list[AgendaItem] = []
    invitations: list[Invitation] = []
    attendance: list[Attendance] = []
    minutes_rows: list[Minutes] = []
    actions: list[Action] = []
    recent = day - dt.timedelta(days=14)

    def flush(final: bool = False) -> None:
        if len(attendance) < 200_000 and not final:
            return
        result.counts["meetings"] += _insert(Meeting, meetings)
        result.counts["agenda_items"] += _insert(AgendaItem, items)
        result.counts["invitations"] += _insert(Invitation, invitations)
        result.counts["attendance"] += _insert(Attendance, attendance)
        result.counts["minutes"] += _insert(Minutes, minutes_rows)
        result.counts["actions"] += _insert(Action, actions)
        for bucket in (meetings, items, invitations, attendance, minutes_rows, actions):
            bucket.clear()

    for (level, when), cases in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        rng.shuffle(cases)
        for panel, first in enumerate(range(0, len(cases), PANEL_SIZE[level])):
            times = PANEL_TIME[level]
            meeting = Meeting(
                id=_uuid(rng),
                level=level,
                kind=MeetingKind.SCHEDULED,
                date=when,
                start_time=times[panel % len(times)],
                venue=VENUES[(level + panel) % len(VENUES)],
                chair=staff.chair,
                status=MeetingStatus.HELD if when <= day else MeetingStatus.PLANNED,
                created_by=sent_by,
            )
            meetings.append(meeting)
            sent_at = _aware(when - dt.timedelta(days=10))
            for agency in standing:
                spoc = spocs.get(agency.pk)
                invitations.append(
                    Invitation(
                        id=_uuid(rng),
                        meeting=meeting,
                        agency=agency,
                        contact=spoc,
                        name=spoc.name if spoc else f"{agency.name} representative",
                        email=spoc.email if spoc else "",
                        kind=InvitationKind.STANDING,
                        reason=f"Level {level} standing member (J 10.7)",
                        status=InvitationStatus.SENT,
                        sent_at=sent_at,
                        sent_sequence=0,
                        attempts=1,
                        confirmed_at=sent_at,
                        confirmed_by=sent_by,
                    )
                )
            for position, (row, spell, index) in enumerate(
                cases[first : first + PANEL_SIZE[level]]
            ):
                date, _level, kind, due, discussed = spell.discussions[index]
                item = AgendaItem(
                    id=_uuid(rng),
                    meeting=meeting,
                    case_id=row.case_id,
                    position=position + 1,
                    kind=DiscussionKind.FIRST if kind == "first" else DiscussionKind.REVIEW,
                    due_by=due,
                    discussed=discussed and when <= day,
                    added_by=sent_by,
                )
                items.append(item)
                result.counts["discussions"] += item.discussed
                invited = list(standing)
                lead = agency_of.get(row.lead_id)
                if lead is not None and lead not in invited:
                    invited.append(lead)
                if lead is not None:
                    invitations.append(
                        Invitation(
                            id=_uuid(rng),
                            meeting=meeting,
                            agenda_item=item,
                            agency=lead,
                            name=f"Case manager, {lead.name}",
                            kind=InvitationKind.REFERRER,
                            reason="Case manager for the lead agency (J 10.8)",
                            status=InvitationStatus.SENT,
                            sent_at=sent_at,
                            sent_sequence=0,
                            attempts=1,
                        )
                    )
                for agency, share, _rate in case_agencies:
                    if agency not in invited and rng.random() < share:
                        invited.append(agency)
                        invitations.append(
                            Invitation(
                                id=_uuid(rng),
                                meeting=meeting,
                                agenda_item=item,
                                agency=agency,
                                name=f"{agency.name} representative",
                                kind=InvitationKind.CASE,
                                reason="Invited for the case (J 10.8)",
                                status=InvitationStatus.SENT,
                                sent_at=sent_at,
                                sent_sequence=0,
                                attempts=1,
                            )
                        )
                if not item.discussed:
                    # Not reached: nobody's attendance at it is counted (J 16.2 (5)).
                    continue
                for agency in invited:
                    status = _attendance(
                        rng,
                        rates.get(agency.pk) or case_rates.get(agency.pk, 0.95),
                        agency.pk == row.lead_id,
                    )
                    attendance.append(
                        Attendance(
                            agenda_item=item,
                            agency=agency,
                            status=status,
                            recorded_by=staff.chair,
                        )
                    )
                # Minutes: distributed with the disclosure decision, except the latest
                # (still being written) and a few never finished (J 5.2 missed).
                missing = when > recent or rng.random() < 0.004
                following = next((d for d in spell.discussions[index + 1 :] if d[4]), None)
                if following is not None:
                    conclusion = Conclusion.LEVEL_3 if following[1] == 3 else Conclusion.LEVEL_2
                elif spell.end is not None:
                    conclusion = (
                        Conclusion.LEAVE
                        if row.category == Category.CATEGORY_3
                        else Conclusion.LEVEL_1
                    )
                else:
                    conclusion = Conclusion.LEVEL_3 if level == 3 else Conclusion.LEVEL_2
                stays = conclusion == f"level_{level}"
                disclose = rng.random() < 0.15
                distributed = when + dt.timedelta(days=rng.randint(2, 12 if level == 2 else 6))
                minutes = Minutes(
                    id=_uuid(rng),
                    agenda_item=item,
                    case_id=row.case_id,
                    status=MinutesStatus.DRAFT if missing else MinutesStatus.DISTRIBUTED,
                    carried={
                        "source": {
                            "kind": "register",
                            "label": "The register (bulk-loaded history)",
                            "date": when.isoformat(),
                        },
                        "copied_on": when.isoformat(),
                        "sections": [],
                    },
                    victim_concerns="The former partner lives in the same parish.",
                    risk_who="Former partner and any new partner; children in those households",
                    risk_nature="Physical violence and coercive control",
                    risk_when="When drinking, and when a relationship ends",
                    risk_increase="Alcohol misuse, loss of accommodation",
                    risk_reduce="Stable accommodation, engagement with supervision",
                    rosh="high" if level == 2 else "very_high",
                    plan_restrictive="Licence conditions: exclusion zone; police home visits",
                    plan_rehabilitative="Accredited programme; weekly supervision",
                    plan_protective="Supported accommodation; family support",
                    contingency_plan="If he breaches his conditions, probation starts recall "
                    "the same day",
                    disclosure="" if missing else ("yes" if disclose else "no"),
                    disclosure_reasons=""
                    if missing
                    else (DISCLOSURE_YES if disclose else DISCLOSURE_NO),
                    disclosure_what="The nature of his offending"
                    if disclose and not missing
                    else "",
                    disclosure_by_date=when + dt.timedelta(days=14)
                    if disclose and not missing
                    else None,
                    disclosure_by_whom="Public Protection Unit" if disclose and not missing else "",
                    disclosure_to_whom="His new partner" if disclose and not missing else "",
                    media_consider="" if missing else "no",
                    conclusion="" if missing else conclusion,
                    conclusion_reasons=""
                    if missing
                    else "Agreed by the agencies present on the evidence reviewed.",
                    ongoing_at_level="" if missing else ("yes" if stays else "no"),
                    ongoing_achieve="Stable accommodation and completion of the programme"
                    if stays and not missing
                    else "",
                    discharge_considered=not missing,
                    hra_confirmed=not missing,
                    hra_grounds=[] if missing else ["public_safety", "crime_disorder"],
                    next_meeting_date=when + dt.timedelta(days=INTERVAL[level]) if stays else None,
                    prepared_by=sent_by,
                    prepared_on=when + dt.timedelta(days=1),
                    checked_by=None if missing else staff.chair,
                    checked_on=None if missing else min(distributed, day),
                    distributed_by=None if missing else sent_by,
                    distributed_on=None if missing else min(distributed, day),
                )
                minutes_rows.append(minutes)
                if missing:
                    continue
                owners = [
                    by_kind[AgencyKind.POLICE],
                    *(
                        by_kind[kind]
                        for kind in rng.sample(list(ACTIONS), k=rng.randint(1, 3))
                        if kind in by_kind
                    ),
                ]
                for number, agency in enumerate(owners, start=1):
                    due_date = when + dt.timedelta(days=rng.randint(10, 70))
                    state, done = ActionState.OPEN, None
                    if due_date < day:
                        roll = rng.random()
                        if roll < 0.82:
                            state = ActionState.COMPLETED
                            done = min(due_date + dt.timedelta(days=rng.randint(-20, 5)), day)
                            done = max(done, when)
                        elif roll < 0.94:
                            state = ActionState.NOT_COMPLETED
                    people = staff.practitioners.get(agency.pk) or []
                    owner_user = people[number % len(people)] if people else None
                    actions.append(
                        Action(
                            id=_uuid(rng),
                            minutes=minutes,
                            case_id=row.case_id,
                            number=number,
                            description=(
                                "Police to update the victim's safety plan"
                                if number == 1
                                else ACTIONS.get(agency.kind, "Review the plan")
                            ),
                            agency=agency,
                            owner_name=owner_user.display_name if owner_user else "",
                            owner_user=owner_user,
                            due_date=due_date,
                            protects_victims=number == 1,
                            state=state,
                            completed_on=done,
                            outcome_note="Not done: overtaken by events"
                            if state == ActionState.NOT_COMPLETED
                            else "",
                        )
                    )
        flush()
    flush(final=True)


def _attendance(rng: random.Random, rate: float, lead: bool) -> str:
    """One agency's attendance at one discussion: in person, by video or phone, or by
    report (all count, J 16.2 (5)), else apologies or absent."""
    from mappa.meetings.models import AttendanceStatus

    if lead:
        # The lead agency's case manager presents the case: almost always there.
        rate = max(rate, 0.98)
    roll = rng.random()
    if roll < rate * 0.7:
        return AttendanceStatus.IN_PERSON
    if roll < rate * 0.92:
        return AttendanceStatus.REMOTE
    if roll < rate:
        return AttendanceStatus.REPORT
    if roll < rate + (1 - rate) * 0.6:
        return AttendanceStatus.APOLOGIES
    return AttendanceStatus.ABSENT


def _write_outcomes(
    rng: random.Random,
    rows: list[CaseRow],
    start: dt.date,
    day: dt.date,
    archived: list[tuple[CaseRow, dt.date]],
    actor: Any,
    result: HistoryResult,
) -> None:
    from mappa.outcomes.models import OutcomeEvent

    closes = {row.case_id: on for row, on in archived}
    events: list[OutcomeEvent] = []
    span = (day - start).days

    def when(first: dt.date, last: dt.date) -> dt.date | None:
        if last <= first:
            return None
        return first + dt.timedelta(days=rng.randint(0, (last - first).days - 1))

    for row in rows:
        last = closes.get(row.case_id, day)
        first = max(start, row.opened)
        if last <= first:
            continue
        case_years = (last - first).days / 365.25
        multi_years = sum(
            ((s.end or day) - max(s.start, start)).days / 365.25
            for s in row.spells
            if (s.end or day) > start
        )
        for kind, order_type, who, rate in OUTCOME_RATES:
            if who == "multi":
                exposure = multi_years
            elif who == "cat1":
                exposure = case_years if row.category == Category.CATEGORY_1 else 0
            elif who == "cat1_indefinite":
                exposure = (
                    case_years if row.category == Category.CATEGORY_1 and row.indefinite else 0
                )
            elif who == "cat2":
                exposure = case_years if row.category == Category.CATEGORY_2 else 0
            else:
                exposure = case_years if row.category == Category.PDP else 0
            if not exposure or rng.random() >= rate / 100 * exposure:
                continue
            if who == "multi":
                spell = rng.choice([s for s in row.spells if (s.end or day) > max(s.start, start)])
                on = when(max(spell.start, start), min(spell.end or day, last))
            else:
                on = when(first, last)
            if on is None or span <= 0:
                continue
            events.append(
                OutcomeEvent(
                    id=_uuid(rng),
                    nominal_id=row.nominal_id,
                    case_id=row.case_id,
                    kind=kind,
                    occurred_on=on,
                    order_type=order_type,
                    foreign_travel_restrictions=order_type in ("shpo", "sopo")
                    and kind == "order_imposed"
                    and rng.random() < 0.3,
                    notes="Recorded from the bulk-loaded history",
                    recorded_by=actor,
                )
            )
    result.counts["outcomes"] = _insert(OutcomeEvent, events)
