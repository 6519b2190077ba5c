"""Minutes for the demo area: two years of the whole cycle.

The last six months are written through the services, as a user would (every save,
check, distribution and action outcome audited); the eighteen months before them are
history written in bulk (``_bulk_history``) with the same fields, action reviews and
distributions, and one audit event for the lot, because two years through the services
would take minutes to load. A few of those older discussions have minutes that were
never finished (no disclosure decision: J 5.2 missed in those quarters).

Call after the meetings demo has made its panel days and agendas:
``build_demo_minutes(today)`` writes the minutes of every case discussion held, in date
order, so that each discussion's section 8 reviews the actions of the one before.
Owners record outcomes in the tracker between meetings (completed, not completed, some
left open and overdue); a few actions are referred to the next meeting; some distributed
minutes carry amendments; some conclusions change the level (to 3, to 1 under the lead
agency, or out of MAPPA for category 3). It ends with minutes outstanding today: the
latest meeting's discussions not started, in draft or checked, and one older draft
overdue.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from mappa.access.models import Agency, AgencyKind, Role, User
from mappa.minutes import services
from mappa.minutes.models import (
    Action,
    ActionReview,
    ActionState,
    Conclusion,
    Distribution,
    Minutes,
    MinutesStatus,
    YesNo,
)
from mappa.profiles import clocks
from mappa.profiles.calendar import add_months, add_working_days
from mappa.profiles.selectors import current_profile
from mappa.register.models import CaseState, Category

SEED = 20100119
# Discussions in these last months go through the services; older ones are bulk history.
SERVICES_MONTHS = 6

VICTIM_CONCERNS = [
    "The former partner lives in the same parish and has reported seeing him near her workplace.",
    "The victim of the index offence has moved; her new address is not known to him and must not be disclosed.",
    "Concern for the children of his new partner, aged 6 and 9, who he has begun to visit.",
    "No identified victim at present; the risk is to lone women at night in the town centre.",
    "Staff at the hostel have reported threats made to a key worker.",
]
RISK = [
    (
        "Former partner and any new partner; children in those households",
        "Physical violence and coercive control, escalating when he feels rejected",
        "When drinking, and when a relationship ends",
        "Alcohol misuse, loss of accommodation, unemployment",
        "Stable accommodation, engagement with supervision, abstinence",
    ),
    (
        "Female children under 13 known to him",
        "Sexual harm through grooming of families",
        "When he has unsupervised access to children",
        "Isolation, new relationships with single mothers, internet access",
        "Treatment programme, disclosure to new partners, restrictions on contact",
    ),
    (
        "Members of the public in the night-time economy",
        "Serious violence with weapons",
        "At weekends, late at night, when intoxicated",
        "Peer group, drug use, carrying a knife",
        "Curfew, employment, distance from his former peer group",
    ),
]
PLANS = [
    (
        "Licence conditions: exclusion zone around the victim's address; no contact with her",
        "Alcohol treatment programme with Health; weekly supervision",
        "Supported accommodation; contact with his sister, a positive influence",
    ),
    (
        "Sexual harm prevention order; police home visits; monitored internet use",
        "Accredited sex offender treatment programme",
        "Employment through the probation employment scheme",
    ),
    (
        "Curfew 21:00 to 07:00 with electronic monitoring; no entry to licensed premises",
        "Thinking skills programme; substance misuse work",
        "Training course at Highlands College; family support",
    ),
]
UPDATES = [
    "Home visit completed; he was compliant and the address is suitable.",
    "He has attended every supervision appointment since the last meeting.",
    "Intelligence suggests renewed contact with his former associates.",
    "The hostel reports he is sober and keeping to his curfew.",
    "He has missed two treatment sessions and has been warned.",
    "The victim reports no contact since the last meeting.",
]
ACTION_TEXTS = {
    AgencyKind.POLICE: "Police to carry out an unannounced home visit and check for breaches",
    AgencyKind.PROBATION: "Probation to review licence conditions with him and report any breach",
    AgencyKind.HOUSING: "Housing to confirm the tenancy and tell police of any move",
    AgencyKind.HEALTH: "Health to confirm attendance at the alcohol treatment programme",
    AgencyKind.MENTAL_HEALTH: "Mental Health Services to complete a psychiatric assessment",
    AgencyKind.CHILDRENS_SERVICES: "Children's Services to visit the new partner's children",
    AgencyKind.PRISON: "Prison to share the pre-release behaviour report",
}
VICTIM_ACTIONS = [
    "Police to update the victim's safety plan and fit a panic alarm",
    "Victim Liaison Officer to tell the victim about the exclusion zone",
    "Police to flag the victim's address for an urgent response",
]
CONTINGENCIES = [
    "If he breaches his curfew or enters the exclusion zone, probation to start recall the same day",
    "If accommodation breaks down, Housing to provide an emergency placement away from the victim",
]
NOT_DONE = [
    "The officer was on leave; rescheduled",
    "He refused to engage with the assessment",
    "Overtaken by events: he moved address before the visit",
]


@dataclass
class DemoMinutesSummary:
    minutes: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    amendments: int = 0
    level_changes: list[str] = field(default_factory=list)
    not_started: int = 0

    def __str__(self) -> str:
        actions = ", ".join(
            f"{count} {state.replace('_', ' ')}" for state, count in sorted(self.actions.items())
        )
        return (
            f"{self.minutes['distributed']} minutes distributed, {self.minutes['checked']} checked, "
            f"{self.minutes['draft']} in draft, {self.not_started} not started; actions: {actions or 'none'}; "
            f"{self.amendments} amendments; {len(self.level_changes)} level changes"
        )


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _people_by_agency() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True, agency__isnull=False, roles__role=Role.PRACTITIONER
    ).order_by("username"):
        if user.agency_id is not None:
            found[user.agency_id].append(user)
    return found


def _agencies() -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for agency in Agency.objects.filter(active=True).order_by("pk"):
        found.setdefault(agency.kind, agency)
    return found


def _working_days_after(day: dt.date, n: int, profile: Any) -> dt.date:
    return add_working_days(day, n, profile)


def _level_in_force(states: list[CaseState], day: dt.date) -> int | None:
    """The level on ``day``: a change decided at a meeting takes effect that day."""
    for state in states:
        if state.effective_from <= day and (state.effective_to is None or day < state.effective_to):
            return state.level
    return None


@transaction.atomic
def build_demo_minutes(
    today: dt.date, *, unfinished_quarters: tuple[int, ...] = ()
) -> DemoMinutesSummary:
    """Write minutes for every demo case discussion held on or before ``today``.

    ``unfinished_quarters``: calendar quarters counted back from today's (1 = the one
    before) in which one older discussion's minutes were never finished."""
    from mappa.meetings.models import AgendaItem

    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    summary = DemoMinutesSummary()
    writer = _user("admin") or _user("coordinator")
    coordinator = _user("coordinator") or writer
    if writer is None or coordinator is None:
        return summary
    profile = current_profile(today)
    agencies = _agencies()
    people = _people_by_agency()
    held = list(
        AgendaItem.objects.filter(
            meeting__date__lte=today, withdrawn_at__isnull=True, minutes__isnull=True
        )
        .exclude(meeting__status="cancelled")
        .select_related("meeting__chair", "case__nominal")
        .order_by("meeting__date", "meeting__start_time", "position")
    )
    if not held:
        return summary
    history: dict[Any, list[CaseState]] = defaultdict(list)
    for known in CaseState.objects.filter(case_id__in={i.case_id for i in held}):
        history[known.case_id].append(known)
    cutoff = add_months(today, -SERVICES_MONTHS)
    older = [i for i in held if i.meeting.date < cutoff]
    held = [i for i in held if i.meeting.date >= cutoff]
    if older:
        _bulk_history(
            older,
            later_cases={i.case_id for i in held},
            history=history,
            writer=writer,
            coordinator=coordinator,
            rng=rng,
            agencies=agencies,
            people=people,
            profile=profile,
            today=today,
            summary=summary,
            unfinished_quarters=unfinished_quarters,
        )
    if not held:
        return summary
    # The last discussion held of each case: only there may the level change. A case
    # leaving level 2 and 3 comes off later planned agendas when its minutes are
    # distributed (services._withdraw_from_later_agendas).
    last_of_case: dict[Any, Any] = {}
    for item in held:
        last_of_case[item.case_id] = item.pk
    latest_day = held[-1].meeting.date
    recent = [i for i in held if i.meeting.date == latest_day]
    # One older discussion stays in draft past its due date: the clock shows it overdue.
    overdue_draft = next(
        (
            i
            for i in reversed(held)
            if clocks.minutes_due(i.meeting.date, i.meeting.level, profile) < today
            and i.meeting.date < latest_day
        ),
        None,
    )
    changes_wanted = ["level_1", "leave", "level_3"]
    targets: dict[Any, str | None] = {}
    for item in held:
        if item in recent:
            position = recent.index(item)
            targets[item.pk] = (
                None
                if position == 0
                else (MinutesStatus.DRAFT if position % 2 else MinutesStatus.CHECKED)
            )
        elif item is overdue_draft:
            targets[item.pk] = MinutesStatus.DRAFT
        else:
            targets[item.pk] = MinutesStatus.DISTRIBUTED
    # The last distributed discussion of each case: one of them refers an action to the
    # next meeting, so that an action waits in that state today.
    final_distributed: dict[Any, Any] = {}
    for item in held:
        if targets[item.pk] == MinutesStatus.DISTRIBUTED:
            final_distributed[item.case_id] = item.pk
    final_items = set(final_distributed.values())
    lasting_referral = False
    for index, item in enumerate(held):
        target = targets[item.pk]
        if target is None:
            summary.not_started += 1
            continue
        conclusion_change = None
        if (
            target == MinutesStatus.DISTRIBUTED
            and last_of_case.get(item.case_id) == item.pk
            and item.case.closed_on is None
            and changes_wanted
        ):
            conclusion_change = _pick_change(item, changes_wanted)
        refer_here = not lasting_referral and item.pk in final_items and conclusion_change is None
        lasting_referral = lasting_referral or refer_here
        with transaction.atomic():
            _simulate_owners(item, rng, today, agencies, summary)
            minutes = _write(
                item,
                writer=writer,
                rng=rng,
                agencies=agencies,
                people=people,
                index=index,
                complete=target != MinutesStatus.DRAFT,
                conclusion_change=conclusion_change,
                profile=profile,
                refer=index % 9 == 7 or refer_here,
                level_then=_level_in_force(history[item.case_id], item.meeting.date),
            )
            if target == MinutesStatus.DRAFT:
                summary.minutes["draft"] += 1
                continue
            checker = item.meeting.chair or coordinator
            services.minutes_finalise(actor=checker, minutes=minutes)
            checked_on = min(_working_days_after(item.meeting.date, 2, profile), today)
            Minutes.objects.filter(pk=minutes.pk).update(
                checked_on=checked_on, prepared_on=checked_on
            )
            if target == MinutesStatus.CHECKED:
                summary.minutes["checked"] += 1
                continue
            level = item.meeting.level
            lateness = rng.choice([0, 0, 0, 1, 2]) if index % 7 == 3 else 0
            limit = 10 if level == 2 else 5
            on = min(
                _working_days_after(item.meeting.date, rng.randint(2, limit) + lateness, profile),
                today,
            )
            minutes = services.minutes_distribute(
                actor=writer, minutes=minutes, on=on, send_notices=False
            )
            _mark_notices_sent(minutes, on, rng)
            summary.minutes["distributed"] += 1
            if conclusion_change:
                summary.level_changes.append(
                    f"{item.case.reference}: {Conclusion(conclusion_change).label} "
                    f"({item.meeting.date:%-d %B %Y})"
                )
            if index % 8 == 5:
                _amend(minutes, coordinator, rng)
                summary.amendments += 1
    for state, count in Counter(
        Action.objects.exclude(minutes__status=MinutesStatus.DRAFT).values_list("state", flat=True)
    ).items():
        summary.actions[state] = count
    return summary


def _pick_change(item: Any, wanted: list[str]) -> str | None:
    state = CaseState.objects.filter(case_id=item.case_id, effective_to__isnull=True).first()
    if state is None:
        return None
    for change in list(wanted):
        if change == "leave" and state.category == Category.CATEGORY_3:
            wanted.remove(change)
            return change
        if change == "level_1" and state.category in (Category.CATEGORY_1, Category.CATEGORY_2):
            wanted.remove(change)
            return change
        if change == "level_3" and item.meeting.level == 2 and state.level == 2:
            wanted.remove(change)
            return change
    return None


def _simulate_owners(
    item: Any,
    rng: random.Random,
    today: dt.date,
    agencies: dict[str, Agency],
    summary: DemoMinutesSummary,
) -> None:
    """Between meetings the owners record what happened to their actions."""
    day = item.meeting.date
    for action in Action.objects.filter(
        case_id=item.case_id, state=ActionState.OPEN, due_date__lt=day
    ).exclude(minutes__status=MinutesStatus.DRAFT):
        roll = rng.random()
        owner = action.owner_user or _user("coordinator")
        if owner is None:
            continue
        if roll < 0.6:
            done = min(action.due_date or day, day - dt.timedelta(days=1), today)
            services.action_progress_add(actor=owner, action=action, note=rng.choice(UPDATES))
            services.action_complete(
                actor=owner,
                action=action,
                completed_on=done,
                note="Done as agreed.",
                expected_version=action.version,
            )
        elif roll < 0.8:
            services.action_not_completed(
                actor=owner,
                action=action,
                reason=rng.choice(NOT_DONE),
                expected_version=action.version,
            )


def _owner(
    agency: Agency | None, people: dict[int, list[User]], rng: random.Random
) -> tuple[str, User | None]:
    if agency is None:
        return "", None
    staff = people.get(agency.pk) or []
    if not staff:
        return "", None
    user = rng.choice(staff)
    return user.display_name, user


def _write(
    item: Any,
    *,
    writer: User,
    rng: random.Random,
    agencies: dict[str, Agency],
    people: dict[int, list[User]],
    index: int,
    complete: bool,
    conclusion_change: str | None,
    profile: Any,
    refer: bool,
    level_then: int | None = None,
) -> Minutes:
    meeting = item.meeting
    minutes = services.minutes_start(actor=writer, agenda_item=item)

    # The sections are written together, as one save of the draft.
    pending: dict[str, dict[str, Any]] = {}

    def save(section: str, data: dict[str, Any]) -> None:
        pending[section] = {**pending.get(section, {}), **data}

    def flush() -> Minutes:
        minutes.refresh_from_db()
        services.minutes_save_sections(
            actor=writer, minutes=minutes, sections=pending, expected_version=minutes.version
        )
        minutes.refresh_from_db()
        return minutes

    reviews = list(ActionReview.objects.filter(minutes=minutes).select_related("action"))
    answers: dict[str, Any] = {}
    for review in reviews:
        if review.completed:
            continue
        if review.action.state == ActionState.REFERRED or rng.random() < 0.3:
            answers[f"review.{review.pk}.completed"] = YesNo.NO
            answers[f"review.{review.pk}.reason"] = rng.choice(NOT_DONE)
        else:
            answers[f"review.{review.pk}.completed"] = YesNo.YES
            answers[f"review.{review.pk}.done_on"] = meeting.date - dt.timedelta(
                days=rng.randint(1, 20)
            )
    if answers:
        save("review", answers)
    lead = (
        CaseState.objects.filter(case_id=item.case_id, effective_to__isnull=True)
        .select_related("lead_agency")
        .first()
    )
    for agency in [
        a for a in (agencies.get(AgencyKind.POLICE), lead.lead_agency if lead else None) if a
    ] + [
        agencies[k]
        for k in (AgencyKind.HOUSING, AgencyKind.HEALTH)
        if k in agencies and rng.random() < 0.5
    ]:
        name, _user_ = _owner(agency, people, rng)
        if name and len(name.split()) >= 2:
            services.agency_update_save(
                actor=writer,
                minutes=minutes,
                data={"person_name": name, "agency": agency, "update": rng.choice(UPDATES)},
            )
    risk = RISK[index % len(RISK)]
    plan = PLANS[index % len(PLANS)]
    save(
        "victims",
        {
            "victim_concerns": rng.choice(VICTIM_CONCERNS),
            "vls_taken_up": rng.choice([YesNo.YES, YesNo.NO, "not_applicable"]),
            "vlo_contact": "Victim Liaison Officer, Probation and After-Care Service",
            "domestic_abuse": YesNo.YES if index % 3 == 0 else YesNo.NO,
            "domestic_abuse_details": "Controlling behaviour towards his former partner"
            if index % 3 == 0
            else "",
            "marac_referred": YesNo.YES if index % 3 == 0 else "",
            "marac_meeting": YesNo.YES if index % 3 == 0 else "",
        },
    )
    save(
        "risk",
        {
            "risk_who": risk[0],
            "risk_nature": risk[1],
            "risk_when": risk[2],
            "risk_increase": risk[3],
            "risk_reduce": risk[4],
            "rosh": rng.choice(["very_high", "high", "high", "medium"]),
        },
    )
    if not complete:
        return flush()
    save(
        "plan",
        {
            "plan_restrictive": plan[0],
            "plan_rehabilitative": plan[1],
            "plan_protective": plan[2],
            "contingency_plan": rng.choice(CONTINGENCIES),
            "differences_of_opinion": "Housing disagreed with the level of risk to neighbours; recorded at its request."
            if index % 11 == 4
            else "",
        },
    )
    disclose = index % 4 == 0
    save(
        "disclosure",
        {
            "disclosure": YesNo.YES if disclose else YesNo.NO,
            "disclosure_reasons": "His new partner has children and needs to know the risk to protect them"
            if disclose
            else "No third party is at risk who does not already know; alternatives considered.",
            "disclosure_what": "The nature of his offending and the risk to children"
            if disclose
            else "",
            "disclosure_by_date": meeting.date + dt.timedelta(days=14) if disclose else None,
            "disclosure_by_whom": "Public Protection Unit, States of Jersey Police"
            if disclose
            else "",
            "disclosure_to_whom": "His new partner" if disclose else "",
            "withhold_from_offender": "withhold" if index % 13 == 6 else "tell",
            "withhold_reasons": "Telling him would increase the risk to the victim"
            if index % 13 == 6
            else "",
        },
    )
    save(
        "media",
        {
            "media_consider": YesNo.YES if index % 17 == 2 else YesNo.NO,
            "media_issue": "Local press interest in the original case" if index % 17 == 2 else "",
            "media_alerted": YesNo.YES if index % 17 == 2 else "",
            "media_alerted_by": "The chair" if index % 17 == 2 else "",
        },
    )
    police = agencies.get(AgencyKind.POLICE)
    victim_owner = _owner(police, people, rng)
    services.action_save(
        actor=writer,
        minutes=minutes,
        data={
            "description": rng.choice(VICTIM_ACTIONS),
            "agency": police,
            "owner_name": victim_owner[0],
            "owner_user": victim_owner[1],
            "due_date": meeting.date + dt.timedelta(days=rng.randint(7, 28)),
            "protects_victims": True,
        },
    )
    for kind in rng.sample(list(ACTION_TEXTS), k=rng.randint(1, 3)):
        owning = agencies.get(kind)
        if owning is None:
            continue
        name, owner = _owner(owning, people, rng)
        services.action_save(
            actor=writer,
            minutes=minutes,
            data={
                "description": ACTION_TEXTS[kind],
                "agency": owning,
                "owner_name": name,
                "owner_user": owner,
                "due_date": meeting.date + dt.timedelta(days=rng.randint(10, 70)),
                "contingency": kind == AgencyKind.HOUSING,
            },
        )
    if refer:
        services.action_save(
            actor=writer,
            minutes=minutes,
            data={
                "description": "A residential treatment place: no agency present can fund it",
                "refer_to_next_meeting": True,
            },
        )
    # The level the case was managed at after this meeting (a change of level takes
    # effect on the day of the meeting that decided it); a closed case stays as it was.
    if level_then is None:
        level_then = lead.level if lead and lead.level in (2, 3) else meeting.level
    conclusion = conclusion_change or f"level_{level_then}"
    stays = conclusion == f"level_{meeting.level}"
    save(
        "conclusion",
        {
            "conclusion": conclusion,
            "conclusion_reasons": {
                "level_1": "The risk is now manageable by the lead agency alone; the plan is working.",
                "leave": "He no longer needs multi-agency management at level 2 or 3: discharged from MAPPA.",
                "level_3": "Threats to kill and new intelligence need senior oversight and extra resources.",
            }.get(
                conclusion,
                "Active multi-agency management still adds value while the risk remains high.",
            ),
            "ongoing_at_level": YesNo.YES if stays else YesNo.NO,
            "ongoing_achieve": "Stable accommodation and completion of the programme"
            if stays
            else "",
            "discharge_considered": True,
            "discharge_notes": "Considered; not yet appropriate." if stays else "Agreed.",
        },
    )
    save(
        "hra",
        {
            "hra_confirmed": True,
            "hra_grounds": ["public_safety", "crime_disorder", "rights_freedoms"],
        },
    )
    level = {"level_2": 2, "level_3": 3}.get(conclusion)
    if level:
        save(
            "administration", {"next_meeting_date": clocks.review_due(meeting.date, level, profile)}
        )
    return flush()


def _mark_notices_sent(minutes: Minutes, on: dt.date, rng: random.Random) -> None:
    sent = timezone.make_aware(dt.datetime.combine(on, dt.time(16, 0)))
    for distribution in Distribution.objects.filter(minutes=minutes):
        distribution.emailed_at = sent if distribution.email else None
        distribution.email_attempts = 1 if distribution.email else 0
        if distribution.user_id and rng.random() < 0.8:
            distribution.read_at = sent + dt.timedelta(days=rng.randint(0, 3))
        distribution.save(update_fields=["emailed_at", "email_attempts", "read_at"])


def _amend(minutes: Minutes, author: User, rng: random.Random) -> None:
    field_name, value, reason = rng.choice(
        [
            (
                "risk_when",
                "When drinking, when a relationship ends, and around the anniversary of the offence",
                "The probation officer's point about the anniversary was left out",
            ),
            (
                "victim_concerns",
                "The victim has moved again; her new address is held by the Victim Liaison Officer only",
                "Update from the Victim Liaison Officer was recorded against the wrong case discussion",
            ),
            (
                "plan_protective",
                "Supported accommodation; weekly contact with his sister",
                "The chair corrected the protective factors after checking her notes",
            ),
        ]
    )
    services.minutes_amend(
        actor=author, minutes=minutes, field=field_name, value=value, reason=reason
    )


def reset_demo_minutes() -> dict[str, int]:
    """Remove every minutes record, action and level 1 review, for ``load_demo_area
    --reset`` (which deletes the cases they belong to; the models protect the cases).
    The audit trail keeps its record of them."""
    from mappa.minutes.models import (
        ActionProgress,
        AgencyUpdate,
        Level1Review,
        MinutesAmendment,
        MinutesRevision,
    )

    counts = {"minutes": Minutes.objects.count(), "actions": Action.objects.count()}
    ActionReview.objects.all().delete()
    ActionProgress.objects.all().delete()
    Action.objects.all().delete()
    for model in (AgencyUpdate, MinutesAmendment, MinutesRevision, Distribution):
        model.objects.all().delete()
    Minutes.objects.all().delete()
    counts["level1_reviews"] = Level1Review.objects.all().delete()[0]
    return counts


def _quarter_back(day: dt.date, today: dt.date) -> int:
    """How many calendar quarters before today's quarter ``day`` falls (0 = this one)."""
    return (today.year * 4 + (today.month - 1) // 3) - (day.year * 4 + (day.month - 1) // 3)


def _bulk_history(
    items: list[Any],
    *,
    later_cases: set[Any],
    history: dict[Any, list[CaseState]],
    writer: User,
    coordinator: User,
    rng: random.Random,
    agencies: dict[str, Agency],
    people: dict[int, list[User]],
    profile: Any,
    today: dt.date,
    summary: DemoMinutesSummary,
    unfinished_quarters: tuple[int, ...],
) -> None:
    """The older discussions' minutes, written in bulk with what the services would
    write: distributed minutes with every section, section 8 reviewing the previous
    discussion's actions (which closes them), new actions with owners and deadlines, the
    notices to the single points of contact; one audit event for the lot."""
    from mappa.audit.services import audit_record
    from mappa.minutes.carry import build_snapshot
    from mappa.minutes.models import AgencyUpdate

    spocs = services.spoc_contacts()
    police = agencies.get(AgencyKind.POLICE)
    unfinished: set[Any] = set()
    for quarter in unfinished_quarters:
        chosen = next((i for i in items if _quarter_back(i.meeting.date, today) == quarter), None)
        if chosen is not None:
            unfinished.add(chosen.pk)
    rows: dict[str, list[Any]] = defaultdict(list)
    previous: dict[Any, tuple[Minutes, list[Action]]] = {}
    for index, item in enumerate(items):
        meeting = item.meeting
        case = item.case
        before = previous.get(case.pk)
        if before is None:
            carried = build_snapshot(
                case=case,
                on=meeting.date,
                referral=item.referral,
                previous=None,
                state_on=meeting.date,
            )
        else:
            last = before[0].agenda_item.meeting
            carried = {
                **before[0].carried,
                "source": {
                    "kind": "minutes",
                    "label": f"Minutes of the level {last.level} meeting on {last.date:%-d %B %Y}",
                    "date": last.date.isoformat(),
                    "minutes_id": str(before[0].pk),
                },
                "copied_on": meeting.date.isoformat(),
            }
        risk = RISK[index % len(RISK)]
        plan = PLANS[index % len(PLANS)]
        checked_on = add_working_days(meeting.date, 2, profile)
        minutes = Minutes(
            agenda_item=item,
            case=case,
            carried=carried,
            victim_concerns=rng.choice(VICTIM_CONCERNS),
            vls_taken_up=rng.choice([YesNo.YES, YesNo.NO, "not_applicable"]),
            vlo_contact="Victim Liaison Officer, Probation and After-Care Service",
            domestic_abuse=YesNo.YES if index % 3 == 0 else YesNo.NO,
            domestic_abuse_details="Controlling behaviour towards his former partner"
            if index % 3 == 0
            else "",
            risk_who=risk[0],
            risk_nature=risk[1],
            risk_when=risk[2],
            risk_increase=risk[3],
            risk_reduce=risk[4],
            rosh=rng.choice(["very_high", "high", "high", "medium"]),
            prepared_by=writer,
            prepared_on=checked_on,
        )
        rows["minutes"].append(minutes)
        if item.pk in unfinished:
            # Started and never finished: no disclosure decision, no conclusion.
            summary.minutes["draft"] += 1
            continue
        level = meeting.level
        level_then = _level_in_force(history[case.pk], meeting.date) or level
        conclusion = f"level_{level_then}" if level_then in (1, 2, 3) else f"level_{level}"
        stays = conclusion == f"level_{level}"
        disclose = index % 4 == 0
        lateness = rng.choice([0, 0, 0, 1, 2]) if index % 7 == 3 else 0
        limit = 10 if level == 2 else 5
        distributed_on = min(
            add_working_days(meeting.date, rng.randint(2, limit) + lateness, profile), today
        )
        minutes.status = MinutesStatus.DISTRIBUTED
        minutes.plan_restrictive, minutes.plan_rehabilitative, minutes.plan_protective = plan
        minutes.contingency_plan = rng.choice(CONTINGENCIES)
        minutes.disclosure = YesNo.YES if disclose else YesNo.NO
        minutes.disclosure_reasons = (
            "His new partner has children and needs to know the risk to protect them"
            if disclose
            else "No third party is at risk who does not already know; alternatives considered."
        )
        if disclose:
            minutes.disclosure_what = "The nature of his offending and the risk to children"
            minutes.disclosure_by_date = meeting.date + dt.timedelta(days=14)
            minutes.disclosure_by_whom = "Public Protection Unit, States of Jersey Police"
            minutes.disclosure_to_whom = "His new partner"
        minutes.withhold_from_offender = "tell"
        minutes.media_consider = YesNo.NO
        minutes.conclusion = conclusion
        minutes.conclusion_reasons = (
            "Active multi-agency management still adds value while the risk remains high."
            if stays
            else "The agencies agreed the risk can now be managed at the level recommended."
        )
        minutes.ongoing_at_level = YesNo.YES if stays else YesNo.NO
        minutes.ongoing_achieve = (
            "Stable accommodation and completion of the programme" if stays else ""
        )
        minutes.discharge_considered = True
        minutes.discharge_notes = "Considered; not yet appropriate." if stays else "Agreed."
        minutes.hra_confirmed = True
        minutes.hra_grounds = ["public_safety", "crime_disorder", "rights_freedoms"]
        if stays:
            minutes.next_meeting_date = clocks.review_due(meeting.date, level, profile)
            minutes.next_meeting_time = meeting.start_time
            minutes.next_meeting_location = meeting.venue
        minutes.checked_by = meeting.chair or coordinator
        minutes.checked_on = checked_on
        minutes.distributed_by = writer
        minutes.distributed_on = distributed_on
        minutes.outcome_applied = (
            f"The case stays at level {level}"
            if stays
            else f"The case moved from level {level} to level {level_then} from "
            f"{meeting.date:%-d %B %Y}"
        )
        # Section 8: the previous discussion's actions, reviewed and closed here.
        if before is not None:
            for position, action in enumerate(before[1], start=1):
                if action.state != ActionState.OPEN:
                    continue
                done = rng.random() < 0.68
                review = ActionReview(minutes=minutes, action=action, position=position)
                if done:
                    review.completed = YesNo.YES
                    review.done_on = min(
                        action.due_date or meeting.date, meeting.date - dt.timedelta(days=1)
                    )
                    action.state = ActionState.COMPLETED
                    action.completed_on = review.done_on
                    action.outcome_note = (
                        f"Recorded as completed at the meeting on {meeting.date:%-d %B %Y}"
                    )
                else:
                    review.completed = YesNo.NO
                    review.reason_not_completed = rng.choice(NOT_DONE)
                    action.state = ActionState.NOT_COMPLETED
                    action.outcome_note = review.reason_not_completed
                rows["reviews"].append(review)
        lead = next((s for s in history[case.pk] if s.effective_from <= meeting.date), None)
        for position, agency in enumerate(
            a for a in (police, lead.lead_agency if lead else None) if a is not None
        ):
            name, _owner_user = _owner(agency, people, rng)
            if name and len(name.split()) >= 2:
                rows["updates"].append(
                    AgencyUpdate(
                        minutes=minutes,
                        position=position,
                        person_name=name,
                        agency=agency,
                        update=rng.choice(UPDATES),
                    )
                )
        actions: list[Action] = []
        victim_name, victim_user = _owner(police, people, rng)
        actions.append(
            Action(
                minutes=minutes,
                case=case,
                number=1,
                description=rng.choice(VICTIM_ACTIONS),
                agency=police,
                owner_name=victim_name,
                owner_user=victim_user,
                due_date=meeting.date + dt.timedelta(days=rng.randint(7, 28)),
                protects_victims=True,
            )
        )
        for kind in rng.sample(list(ACTION_TEXTS), k=rng.randint(1, 3)):
            owning = agencies.get(kind)
            if owning is None:
                continue
            name, owner = _owner(owning, people, rng)
            actions.append(
                Action(
                    minutes=minutes,
                    case=case,
                    number=len(actions) + 1,
                    description=ACTION_TEXTS[kind],
                    agency=owning,
                    owner_name=name,
                    owner_user=owner,
                    due_date=meeting.date + dt.timedelta(days=rng.randint(10, 70)),
                    contingency=kind == AgencyKind.HOUSING,
                )
            )
        rows["actions"].extend(actions)
        sent = timezone.make_aware(dt.datetime.combine(distributed_on, dt.time(16)))
        for contact in spocs:
            read = contact.user_id is not None and rng.random() < 0.8
            rows["distributions"].append(
                Distribution(
                    minutes=minutes,
                    agency=contact.agency,
                    contact=contact,
                    user=contact.user,
                    email=contact.email,
                    emailed_at=sent if contact.email else None,
                    email_attempts=1 if contact.email else 0,
                    read_at=sent + dt.timedelta(days=rng.randint(0, 3)) if read else None,
                )
            )
        previous[case.pk] = (minutes, actions)
        summary.minutes["distributed"] += 1
    # Actions of each case's last older discussion: open for the next meeting when the
    # case is discussed again (the services review them), else closed by their owners,
    # a few left open past their deadline.
    for case_id, (_minutes, actions) in previous.items():
        if case_id in later_cases:
            continue
        for action in actions:
            if action.state != ActionState.OPEN or (action.due_date or today) >= today:
                continue
            roll = rng.random()
            if roll < 0.7:
                action.state = ActionState.COMPLETED
                action.completed_on = action.due_date
                action.outcome_note = "Done as agreed."
            elif roll < 0.85:
                action.state = ActionState.NOT_COMPLETED
                action.outcome_note = rng.choice(NOT_DONE)
    Minutes.objects.bulk_create(rows["minutes"], batch_size=500)
    AgencyUpdate.objects.bulk_create(rows["updates"], batch_size=500)
    Action.objects.bulk_create(rows["actions"], batch_size=500)
    ActionReview.objects.bulk_create(rows["reviews"], batch_size=500)
    Distribution.objects.bulk_create(rows["distributions"], batch_size=500)
    audit_record(
        actor=writer,
        action="minutes.demo_history",
        detail={
            "minutes": len(rows["minutes"]),
            "unfinished": len(unfinished),
            "actions": len(rows["actions"]),
            "reviews": len(rows["reviews"]),
            "from": items[0].meeting.date,
            "to": items[-1].meeting.date,
        },
    )
