"""Writes for minutes, actions and level 1 reviews. Each is one transaction, audited inside.

Workflow (J 10.12; MAPPA B s.18): draft -> checked -> distributed.

- A draft is saved section by section; nothing typed is refused for being incomplete
  (a date that is not a date, or a name given as initials, is refused at once).
- Checking ("finalising") runs every rule of ``rules.finalisation_problems`` and
  changes nothing when it refuses.
- Distribution makes the minutes immutable, sends notices to the core agencies'
  single points of contact, closes the reviewed actions, and applies the conclusion to
  the register: a level change, a move to level 1 under the lead agency (which then
  owns the remaining actions), or leaving MAPPA (the record is archived), effective
  from the date of the meeting. Distribution, not checking, is the point the register
  changes, because distributed minutes never change again: a decision applied at
  checking would have to be undone when checked minutes go back to draft.

No lost updates: minutes, agency updates and actions carry a version. A save from an
older page is merged when nobody else changed the fields it holds, and otherwise refused
with the other person's values (``MinutesConflictError``, ``RowConflictError``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from mappa.access.models import Agency, Contact, User
from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.minutes import access, rules
from mappa.minutes.carry import build_snapshot
from mappa.minutes.models import (
    CONCLUSION_LEVEL,
    Action,
    ActionProgress,
    ActionReview,
    ActionState,
    AgencyUpdate,
    Conclusion,
    Distribution,
    HraGround,
    Level1Review,
    Minutes,
    MinutesAmendment,
    MinutesRevision,
    MinutesStatus,
    YesNo,
    minutes_field,
)
from mappa.profiles import clocks
from mappa.profiles.selectors import current_profile
from mappa.register import services as register_services
from mappa.register.models import Case, CaseState

# Sections of MAPPA B written at the meeting, with the minutes fields each holds.
# "review" (s.8) holds one row per earlier action; "agencies" (s.9) and "actions"
# (s.15) hold rows of their own.


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    fields: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section("review", "8", "Review of the actions from the last meeting"),
    Section("agencies", "9", "Information from agencies"),
    Section(
        "victims",
        "10",
        "Current victim concerns",
        (
            "victim_concerns",
            "vls_taken_up",
            "vlo_contact",
            "domestic_abuse",
            "domestic_abuse_details",
            "marac_referred",
            "marac_meeting",
            "marac_date",
            "marac_actions",
        ),
    ),
    Section(
        "risk",
        "11a and 12",
        "Agreed risk assessment and the meeting's view of risk",
        ("risk_who", "risk_nature", "risk_when", "risk_increase", "risk_reduce", "rosh"),
    ),
    Section(
        "plan",
        "11b",
        "Agreed risk management plan",
        (
            "plan_restrictive",
            "plan_rehabilitative",
            "plan_protective",
            "contingency_plan",
            "differences_of_opinion",
        ),
    ),
    Section(
        "disclosure",
        "13",
        "Disclosure, and informing the person",
        (
            "disclosure",
            "disclosure_reasons",
            "disclosure_what",
            "disclosure_by_date",
            "disclosure_by_whom",
            "disclosure_to_whom",
            "withhold_from_offender",
            "withhold_reasons",
        ),
    ),
    Section(
        "media",
        "14",
        "Press and media handling",
        ("media_consider", "media_issue", "media_alerted", "media_alerted_by", "media_who_will"),
    ),
    Section("actions", "15", "MAPPA actions"),
    Section(
        "conclusion",
        "16",
        "Conclusion",
        (
            "conclusion",
            "conclusion_reasons",
            "ongoing_at_level",
            "ongoing_achieve",
            "discharge_considered",
            "discharge_notes",
        ),
    ),
    Section("hra", "17", "Human Rights Act validation", ("hra_confirmed", "hra_grounds")),
    Section(
        "administration",
        "18",
        "Administration",
        ("next_meeting_date", "next_meeting_time", "next_meeting_location"),
    ),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
FIELD_SECTIONS = tuple(s.key for s in SECTIONS if s.fields) + ("review",)
MINUTES_FIELDS = tuple(f for s in SECTIONS for f in s.fields)
# Distributed minutes may be corrected by amendment, except the conclusion, which has
# already changed the register: a different decision needs a meeting.
NOT_AMENDABLE = frozenset(
    {"conclusion", "ongoing_at_level", "discharge_considered", "hra_confirmed", "hra_grounds"}
)
AMENDABLE_FIELDS = tuple(f for f in MINUTES_FIELDS if f not in NOT_AMENDABLE)
ACTION_FIELDS = (
    "description",
    "agency",
    "owner_name",
    "owner_user",
    "due_date",
    "protects_victims",
    "contingency",
    "refer_to_next_meeting",
)
UPDATE_FIELDS = ("person_name", "agency", "update")


class MinutesConflictError(ValidationError):
    """Someone else saved fields of this section after the user opened it.

    ``theirs`` maps each such field to its saved value; ``version`` is the version the
    user's next save merges against (the form is re-shown with both values)."""

    def __init__(
        self, *, theirs: dict[str, Any], version: int, saved_by: str, saved_at: Any
    ) -> None:
        super().__init__(
            "Someone else changed this section while you were editing it. Your changes "
            "have not been saved yet: compare them with the other person's and save again."
        )
        self.theirs = theirs
        self.version = version
        self.saved_by = saved_by
        self.saved_at = saved_at


class RowConflictError(ValidationError):
    """Someone else saved this action or update after the user opened it."""

    def __init__(self, *, theirs: dict[str, Any], version: int) -> None:
        super().__init__(
            "Someone else changed this while you were editing it. Your changes have not "
            "been saved yet: compare them with the other person's and save again."
        )
        self.theirs = theirs
        self.version = version


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _require(decision: Any) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


# Reading values ----------------------------------------------------------------------


def review_keys(review: ActionReview) -> tuple[str, str, str]:
    return (
        f"review.{review.pk}.completed",
        f"review.{review.pk}.done_on",
        f"review.{review.pk}.reason",
    )


def minutes_values(minutes: Minutes, reviews: list[ActionReview] | None = None) -> dict[str, Any]:
    """Every value the sections hold, as JSON (the revision and conflict records)."""
    values = {name: _json(getattr(minutes, name)) for name in MINUTES_FIELDS}
    for review in reviews if reviews is not None else minutes.reviews.all():
        completed, done_on, reason = review_keys(review)
        values[completed] = review.completed
        values[done_on] = _json(review.done_on)
        values[reason] = review.reason_not_completed
    return values


def section_keys(section: str, reviews: list[ActionReview]) -> list[str]:
    if section == "review":
        return [key for review in reviews for key in review_keys(review)]
    return list(SECTION_BY_KEY[section].fields)


def meeting_of(minutes: Minutes) -> Any:
    return minutes.agenda_item.meeting


def minutes_due_on(minutes: Minutes) -> dt.date:
    """J 10.12: due 10 working days (level 2) or 5 (level 3) after the meeting."""
    meeting = meeting_of(minutes)
    return clocks.minutes_due(meeting.date, meeting.level, current_profile())


def concluded_level(minutes: Minutes) -> int | None:
    return CONCLUSION_LEVEL.get(Conclusion(minutes.conclusion)) if minutes.conclusion else None


def latest_next_meeting(minutes: Minutes) -> dt.date | None:
    """J 10.11: the latest date of the next meeting at the recommended level."""
    level = concluded_level(minutes) or meeting_of(minutes).level
    if level not in (2, 3):
        return None
    return clocks.review_due(meeting_of(minutes).date, level, current_profile())


def _state_on(case: Case, day: dt.date) -> CaseState | None:
    return (
        CaseState.objects.filter(case=case, effective_from__lte=day)
        .select_related("lead_agency", "manager")
        .order_by("-effective_from", "-recorded_at")
        .first()
    )


def previous_minutes(case: Case, meeting: Any, exclude: Any = None) -> Minutes | None:
    queryset = Minutes.objects.filter(case=case).filter(
        Q(agenda_item__meeting__date__lt=meeting.date)
        | Q(
            agenda_item__meeting__date=meeting.date,
            agenda_item__meeting__start_time__lt=meeting.start_time,
        )
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return (
        queryset.select_related("agenda_item__meeting")
        .order_by("-agenda_item__meeting__date", "-agenda_item__meeting__start_time")
        .first()
    )


def effective_value(
    minutes: Minutes, field: str, amendments: list[MinutesAmendment] | None = None
) -> Any:
    """A field as amended (the latest amendment wins), else as written."""
    found = [
        a
        for a in (amendments if amendments is not None else minutes.amendments.all())
        if a.field == field
    ]
    if found:
        return found[-1].after
    return _json(getattr(minutes, field))


# Starting the minutes --------------------------------------------------------------------


@transaction.atomic
def minutes_start(*, actor: Any, agenda_item: Any, request: Any = None) -> Minutes:
    """Open the minutes of one case discussion, with sections 1-7 copied and section 8
    listing every action of the previous discussion (and any earlier one still open)."""
    from mappa.meetings.models import AgendaItem

    agenda_item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "case__nominal", "referral")
        .get(pk=agenda_item.pk)
    )
    existing = Minutes.objects.filter(agenda_item=agenda_item).first()
    if existing is not None:
        return existing
    _require(access.can_start_minutes(actor, agenda_item))
    meeting = agenda_item.meeting
    if meeting.status == "cancelled":
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    if agenda_item.withdrawn_at is not None:
        raise ValidationError("This case was taken off the agenda: it has no minutes.")
    if meeting.date > today():
        raise ValidationError(
            f"The meeting is on {meeting.date:%-d %B %Y}: start the minutes on or after that day."
        )
    case = agenda_item.case
    previous = previous_minutes(case, meeting)
    snapshot = build_snapshot(
        case=case,
        on=today(),
        referral=agenda_item.referral,
        previous=previous,
        state_on=meeting.date,
    )
    minutes = Minutes(
        agenda_item=agenda_item,
        case=case,
        carried=snapshot,
        prepared_by=actor if isinstance(actor, User) else None,
        prepared_on=today(),
    )
    _prefill(minutes, previous, agenda_item.referral)
    minutes.next_meeting_date = clocks.review_due(meeting.date, meeting.level, current_profile())
    minutes.next_meeting_time = meeting.start_time
    minutes.next_meeting_location = meeting.venue
    minutes.save()
    reviews = _generate_reviews(minutes, case, meeting, previous)
    MinutesRevision.objects.create(
        minutes=minutes,
        version=minutes.version,
        values=minutes_values(minutes, reviews),
        saved_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action="minutes.create",
        obj=minutes,
        nominal_id=case.nominal_id,
        changes={"status": [None, minutes.status]},
        detail={
            "case": case.reference,
            "meeting": meeting.date,
            "level": meeting.level,
            "carried_from": snapshot["source"]["label"],
            "actions_to_review": len(reviews),
        },
        request=request,
    )
    return minutes


def _prefill(minutes: Minutes, previous: Minutes | None, referral: Any) -> None:
    """MAPPA B notes s.10-11: the meeting reviews the victim, risk and plan sections of
    the referral (first meeting) or the previous minutes; they start from those words."""
    if previous is not None:
        amendments = list(previous.amendments.all())
        for name in (
            "victim_concerns",
            "vls_taken_up",
            "vlo_contact",
            "domestic_abuse",
            "domestic_abuse_details",
            "marac_referred",
            "marac_meeting",
            "marac_actions",
            "risk_who",
            "risk_nature",
            "risk_when",
            "risk_increase",
            "risk_reduce",
            "plan_restrictive",
            "plan_rehabilitative",
            "plan_protective",
            "contingency_plan",
        ):
            setattr(minutes, name, effective_value(previous, name, amendments))
        return
    from mappa.minutes.carry import accepted_referral_of
    from mappa.referrals import choices as referral_choices

    found = accepted_referral_of(minutes.case, referral)
    if found is None:
        return
    minutes.victim_concerns = found.victim_concerns
    for name in ("risk_who", "risk_nature", "risk_when", "risk_increase", "risk_reduce"):
        setattr(minutes, name, getattr(found, name))
    for kind, options in (
        ("restrictive", referral_choices.RESTRICTIVE),
        ("rehabilitative", referral_choices.REHABILITATIVE),
        ("protective", referral_choices.PROTECTIVE),
    ):
        parts = referral_choices.labels(options, getattr(found, f"plan_{kind}_choices") or [])
        text = getattr(found, f"plan_{kind}")
        setattr(
            minutes,
            f"plan_{kind}",
            "\n".join([*(f"- {p}" for p in parts), *([text] if text else [])]),
        )


def _generate_reviews(
    minutes: Minutes, case: Case, meeting: Any, previous: Minutes | None
) -> list[ActionReview]:
    """Section 8: every action of the previous discussion, and any earlier action still
    open or referred to this meeting; prefilled from what the owners recorded."""
    earlier = (
        Action.objects.filter(case=case)
        .exclude(minutes__status=MinutesStatus.DRAFT)
        .exclude(minutes=minutes)
        .filter(minutes__agenda_item__meeting__date__lte=meeting.date)
    )
    wanted = Q(state__in=[ActionState.OPEN, ActionState.REFERRED])
    if previous is not None:
        wanted |= Q(minutes=previous)
    actions = list(
        earlier.filter(wanted)
        .select_related("minutes__agenda_item__meeting")
        .order_by("minutes__agenda_item__meeting__date", "number")
    )
    reviews = []
    for position, action in enumerate(actions, start=1):
        review = ActionReview(minutes=minutes, action=action, position=position)
        _fill_review_from_action(review, action)
        reviews.append(review)
    ActionReview.objects.bulk_create(reviews)
    return list(minutes.reviews.select_related("action").all())


def _fill_review_from_action(review: ActionReview, action: Action) -> bool:
    """Prefill an unanswered review row from the owner's record; True if it changed."""
    if review.completed:
        return False
    if action.state == ActionState.COMPLETED:
        review.completed = YesNo.YES
        review.done_on = action.completed_on
        return True
    if action.state == ActionState.NOT_COMPLETED:
        review.completed = YesNo.NO
        review.reason_not_completed = action.outcome_note
        return True
    return False


# Saving sections -------------------------------------------------------------------------


def _lock_draft(minutes: Minutes, actor: Any) -> Minutes:
    locked = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting", "case__nominal")
        .get(pk=minutes.pk)
    )
    _require(access.can_write_minutes(actor, locked))
    if not locked.is_draft:
        raise ValidationError(
            f"These minutes are {locked.get_status_display().lower()}: they cannot be changed."
            + (" A correction is made as an amendment." if locked.is_distributed else "")
        )
    return locked


def _bump(minutes: Minutes, actor: Any, reviews: list[ActionReview] | None = None) -> None:
    minutes.version += 1
    if minutes.is_draft:
        # MAPPA B s.18 "Date minutes prepared": the last day the draft was written.
        minutes.prepared_on = today()
    minutes.save()
    MinutesRevision.objects.create(
        minutes=minutes,
        version=minutes.version,
        values=minutes_values(minutes, reviews),
        saved_by=actor if isinstance(actor, User) else None,
    )


def _same(a: Any, b: Any) -> bool:
    def plain(value: Any) -> str:
        return "" if value is None else str(value).strip()

    return plain(a) == plain(b)


def _check_version(
    minutes: Minutes,
    keys: list[str],
    expected_version: int | None,
    reviews: list[ActionReview],
    submitted: dict[str, Any] | None = None,
) -> None:
    if expected_version is None or expected_version == minutes.version:
        return
    base = (
        MinutesRevision.objects.filter(minutes=minutes, version=expected_version)
        .values_list("values", flat=True)
        .first()
    )
    current = minutes_values(minutes, reviews)
    changed = [k for k in keys if base is None or base.get(k) != current.get(k)]
    if not changed:
        # Someone else saved other sections: this section's fields are as the user saw
        # them, so their save merges with the other person's.
        return
    if submitted is not None and all(_same(current.get(k), submitted.get(k)) for k in changed):
        # The newer version already holds what this save sends (typically the page's own
        # autosave a moment before "Save"): nothing would be overwritten.
        return
    last = (
        MinutesRevision.objects.filter(minutes=minutes)
        .select_related("saved_by")
        .order_by("-version")
        .first()
    )
    raise MinutesConflictError(
        theirs={k: current.get(k) for k in changed},
        version=minutes.version,
        saved_by=last.saved_by.display_name if last and last.saved_by else "someone else",
        saved_at=last.saved_at if last else None,
    )


def minutes_save_section(
    *,
    actor: Any,
    minutes: Minutes,
    section: str,
    data: dict[str, Any],
    expected_version: int | None = None,
    request: Any = None,
) -> Minutes:
    """Save one section of a draft. ``data`` holds the section's fields (for section 8,
    the keys of ``review_keys``). Incomplete answers are kept; they are checked when the
    minutes are finalised."""
    return minutes_save_sections(
        actor=actor,
        minutes=minutes,
        sections={section: data},
        expected_version=expected_version,
        request=request,
    )


@transaction.atomic
def minutes_save_sections(
    *,
    actor: Any,
    minutes: Minutes,
    sections: dict[str, dict[str, Any]],
    expected_version: int | None = None,
    request: Any = None,
) -> Minutes:
    """Save several sections of a draft at once (one version, one audit event), as
    ``minutes_save_section`` does for one."""
    unknown_sections = set(sections) - set(FIELD_SECTIONS)
    if unknown_sections:
        raise ValueError(f"not sections with fields: {sorted(unknown_sections)}")
    minutes = _lock_draft(minutes, actor)
    reviews = list(minutes.reviews.select_related("action__minutes__agenda_item__meeting"))
    keys: list[str] = []
    for section, data in sections.items():
        section_fields = section_keys(section, reviews)
        unknown = set(data) - set(section_fields)
        if unknown:
            raise ValueError(f"not fields of section {section}: {sorted(unknown)}")
        keys.extend(section_fields)
    submitted = {k: v for data in sections.values() for k, v in data.items()}
    _check_version(minutes, keys, expected_version, reviews, submitted)
    before = minutes_values(minutes, reviews)
    by_id = {str(r.pk): r for r in reviews}
    for section, data in sections.items():
        if section == "review":
            for key, value in data.items():
                _prefix, review_id, part = key.split(".")
                review = by_id[review_id]
                if part == "completed":
                    review.completed = value or ""
                elif part == "done_on":
                    review.done_on = value
                else:
                    review.reason_not_completed = (value or "").strip()
            continue
        for name, value in data.items():
            if name == "hra_grounds":
                value = [g for g in (value or []) if g in HraGround.values]
            elif isinstance(value, str):
                value = value.strip()
            setattr(minutes, name, value)
    if minutes.marac_date and minutes.marac_date > today() + dt.timedelta(days=366):
        raise ValidationError(
            {"marac_date": ["The date of the MARAC meeting must be within the next year"]}
        )
    after = minutes_values(minutes, reviews)
    changes = diff_fields(before, after)
    if not changes:
        return minutes
    if "review" in sections:
        for review in reviews:
            review.save(update_fields=["completed", "done_on", "reason_not_completed"])
    _bump(minutes, actor, reviews)
    audit_record(
        actor=actor,
        action="minutes.update",
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        changes=changes,
        detail={"sections": sorted(sections), "version": minutes.version},
        request=request,
    )
    return minutes


# Section 9: information from agencies --------------------------------------------------


def _row_values(row: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        field = row._meta.get_field(name)
        raw = (
            getattr(row, field.attname)
            if isinstance(field, models.ForeignKey)
            else getattr(row, name)
        )
        values[name] = _json(raw)
    return values


def _submitted_values(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _json(data.get(name)) for name in fields if name in data}


def _check_row_version(
    row: Any, fields: tuple[str, ...], data: dict[str, Any], expected_version: int | None
) -> None:
    if expected_version is None or expected_version == row.version:
        return
    current = _row_values(row, fields)
    mine = _submitted_values(data, fields)
    theirs = {k: v for k, v in current.items() if k in mine and mine[k] != v}
    raise RowConflictError(theirs=theirs or current, version=row.version)


@transaction.atomic
def agency_update_save(
    *,
    actor: Any,
    minutes: Minutes,
    data: dict[str, Any],
    update: AgencyUpdate | None = None,
    expected_version: int | None = None,
    request: Any = None,
) -> AgencyUpdate:
    """Add or correct one row of section 9: a full name (never initials), the agency and
    the update."""
    minutes = _lock_draft(minutes, actor)
    errors: dict[str, list[str]] = {}
    name_problem = rules.person_name_problem(
        data.get("person_name", ""), what="the person giving the update"
    )
    if name_problem:
        errors["person_name"] = [name_problem]
    if not isinstance(data.get("agency"), Agency):
        errors["agency"] = ["Select the agency of the person giving the update"]
    if not (data.get("update") or "").strip():
        errors["update"] = ["Enter the update"]
    if errors:
        raise ValidationError(errors)
    is_new = update is None
    if update is None:
        last = minutes.agency_updates.aggregate(m=Max("position"))["m"] or 0
        update = AgencyUpdate(minutes=minutes, position=last + 1)
        before: dict[str, Any] = {}
    else:
        update = AgencyUpdate.objects.select_for_update(of=("self",)).get(
            pk=update.pk, minutes=minutes
        )
        _check_row_version(update, UPDATE_FIELDS, data, expected_version)
        before = _row_values(update, UPDATE_FIELDS)
    update.person_name = " ".join(data["person_name"].split())
    update.agency = data["agency"]
    update.update = data["update"].strip()
    after = _row_values(update, UPDATE_FIELDS)
    changes = diff_fields(before, after)
    if not changes:
        return update
    if not is_new:
        update.version += 1
    update.save()
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="minutes.agency_update_" + ("create" if is_new else "update"),
        obj=update,
        nominal_id=minutes.case.nominal_id,
        changes=changes,
        detail={"minutes": str(minutes.pk)},
        request=request,
    )
    return update


@transaction.atomic
def agency_update_remove(*, actor: Any, update: AgencyUpdate, request: Any = None) -> None:
    minutes = _lock_draft(update.minutes, actor)
    before = _row_values(update, UPDATE_FIELDS)
    object_id = str(update.pk)
    update.delete()
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="minutes.agency_update_delete",
        object_type="minutes.agencyupdate",
        object_id=object_id,
        nominal_id=minutes.case.nominal_id,
        changes={k: [v, None] for k, v in before.items()},
        request=request,
    )


# Section 15: actions ---------------------------------------------------------------------


def _match_owner(agency: Agency | None, owner_name: str) -> User | None:
    """Link a named owner to their account when exactly one active user of the agency
    has that name, so the action appears under "my actions"."""
    if agency is None or not owner_name:
        return None
    parts = owner_name.split()
    if len(parts) < 2:
        return None
    candidates = list(
        User.objects.filter(
            agency=agency,
            is_active=True,
            first_name__iexact=" ".join(parts[:-1]),
            last_name__iexact=parts[-1],
        )[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def action_save(
    *,
    actor: Any,
    minutes: Minutes,
    data: dict[str, Any],
    action: Action | None = None,
    expected_version: int | None = None,
    request: Any = None,
) -> Action:
    """Add or change an action while the minutes are a draft.

    A missing deadline is kept in the draft and refused at finalisation; a name given as
    initials is refused at once. The forms refuse "as soon as possible" as a deadline.
    """
    minutes = _lock_draft(minutes, actor)
    errors: dict[str, list[str]] = {}
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = ["Enter what is to be done"]
    owner_name = " ".join((data.get("owner_name") or "").split())
    if owner_name:
        problem = rules.person_name_problem(owner_name, what="the owner")
        if problem:
            errors["owner_name"] = [problem]
    due = data.get("due_date")
    meeting_date = minutes.agenda_item.meeting.date
    if due is not None and due < meeting_date:
        errors["due_date"] = ["The deadline must be on or after the date of the meeting"]
    owner_user = data.get("owner_user")
    agency = data.get("agency")
    if owner_user is not None and agency is not None and owner_user.agency_id != agency.pk:
        errors["owner_user"] = ["Choose an account in the agency that owns the action"]
    if errors:
        raise ValidationError(errors)
    is_new = action is None
    if action is None:
        number = (minutes.actions.aggregate(m=Max("number"))["m"] or 0) + 1
        action = Action(minutes=minutes, case=minutes.case, number=number)
        before: dict[str, Any] = {}
    else:
        action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk, minutes=minutes)
        _check_row_version(action, ACTION_FIELDS, data, expected_version)
        before = _row_values(action, ACTION_FIELDS)
    action.description = description
    action.agency = agency
    action.owner_name = owner_name
    action.owner_user = owner_user or _match_owner(agency, owner_name)
    action.due_date = due
    action.protects_victims = bool(data.get("protects_victims"))
    action.contingency = bool(data.get("contingency"))
    action.refer_to_next_meeting = bool(data.get("refer_to_next_meeting"))
    after = _row_values(action, ACTION_FIELDS)
    changes = diff_fields(before, after)
    if not changes:
        return action
    if not is_new:
        action.version += 1
    action.save()
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="action.create" if is_new else "action.update",
        obj=action,
        nominal_id=minutes.case.nominal_id,
        changes=changes,
        detail={"minutes": str(minutes.pk), "number": action.number},
        request=request,
    )
    return action


@transaction.atomic
def action_remove(*, actor: Any, action: Action, request: Any = None) -> None:
    minutes = _lock_draft(action.minutes, actor)
    before = _row_values(action, ACTION_FIELDS)
    object_id, number = str(action.pk), action.number
    action.delete()
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="action.delete",
        object_type="minutes.action",
        object_id=object_id,
        nominal_id=minutes.case.nominal_id,
        changes={k: [v, None] for k, v in before.items()},
        detail={"minutes": str(minutes.pk), "number": number},
        request=request,
    )


# Finalising, reopening, distributing ------------------------------------------------------


def _category_on(minutes: Minutes) -> str | None:
    state = _state_on(
        minutes.case, minutes.agenda_item.meeting.date
    ) or register_services.current_state(minutes.case)
    return state.category if state else None


def minutes_problems(minutes: Minutes) -> dict[str, list[str]]:
    """What stops these minutes being checked (empty when they can be)."""
    meeting = minutes.agenda_item.meeting
    reviews = list(minutes.reviews.select_related("action__minutes__agenda_item__meeting"))
    for review in reviews:
        _fill_review_from_action(review, review.action)
    return rules.finalisation_problems(
        minutes,
        actions=list(minutes.actions.all()),
        reviews=reviews,
        meeting_date=meeting.date,
        meeting_level=meeting.level,
        category=_category_on(minutes),
        latest_next_meeting=latest_next_meeting(minutes),
    )


class FinalisationRefusedError(ValidationError):
    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def minutes_finalise(*, actor: Any, minutes: Minutes, request: Any = None) -> Minutes:
    """Draft -> checked (the chair or co-ordination unit confirms the record). Refused,
    changing nothing, while any rule is unmet; the refusal itself is audited."""
    problems = _finalise(actor=actor, minutes=minutes, request=request)
    if problems:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="minutes.finalise",
                obj=minutes,
                nominal_id=minutes.case.nominal_id,
                outcome="refused",
                detail={
                    "problems": sum(len(v) for v in problems.values()),
                    "sections": sorted(problems),
                },
                request=request,
            )
        raise FinalisationRefusedError(problems)
    minutes.refresh_from_db()
    return minutes


@transaction.atomic
def _finalise(*, actor: Any, minutes: Minutes, request: Any) -> dict[str, list[str]]:
    minutes = _lock_draft(minutes, actor)
    problems = minutes_problems(minutes)
    if problems:
        return problems
    reviews = list(minutes.reviews.select_related("action"))
    for review in reviews:
        if _fill_review_from_action(review, review.action):
            review.save(update_fields=["completed", "done_on", "reason_not_completed"])
    minutes.status = MinutesStatus.CHECKED
    minutes.checked_by = actor
    minutes.checked_on = today()
    _bump(minutes, actor, reviews)
    audit_record(
        actor=actor,
        action="minutes.finalise",
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        changes={
            "status": [MinutesStatus.DRAFT, MinutesStatus.CHECKED],
            "checked_on": [None, minutes.checked_on],
        },
        request=request,
    )
    return {}


@transaction.atomic
def minutes_reopen(*, actor: Any, minutes: Minutes, reason: str, request: Any = None) -> Minutes:
    """Checked -> draft, before distribution, to correct them."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting", "case")
        .get(pk=minutes.pk)
    )
    _require(access.can_write_minutes(actor, minutes))
    if minutes.status != MinutesStatus.CHECKED:
        raise ValidationError(
            "Only checked minutes that have not been distributed can go back to draft."
        )
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the minutes need changing"]})
    minutes.status = MinutesStatus.DRAFT
    minutes.checked_by = None
    minutes.checked_on = None
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="minutes.reopen",
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        changes={"status": [MinutesStatus.CHECKED, MinutesStatus.DRAFT]},
        detail={"reason": reason.strip()},
        request=request,
    )
    return minutes


def spoc_contacts() -> list[Contact]:
    """J 10.12: minutes go to the members of the core agencies through their SPOC."""
    return list(
        Contact.objects.filter(is_spoc=True, agency__is_core=True, agency__active=True)
        .select_related("agency", "user")
        .order_by("agency__name", "name")
    )


def core_agencies_without_spoc() -> list[Agency]:
    with_spoc = Contact.objects.filter(is_spoc=True).values("agency_id")
    return list(Agency.objects.filter(is_core=True, active=True).exclude(pk__in=with_spoc))


@transaction.atomic
def minutes_distribute(
    *,
    actor: Any,
    minutes: Minutes,
    request: Any = None,
    on: dt.date | None = None,
    send_notices: bool = True,
) -> Minutes:
    """Checked -> distributed: immutable from now on; notices to the SPOCs; reviewed
    actions closed; the conclusion applied to the register from the meeting date.

    ``on`` records a distribution made earlier (history); ``send_notices=False`` leaves
    the email notices unsent (the demo area records them as already sent)."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting", "case__nominal")
        .get(pk=minutes.pk)
    )
    _require(access.can_write_minutes(actor, minutes))
    if minutes.status != MinutesStatus.CHECKED:
        raise ValidationError("Minutes are distributed once they have been checked.")
    day = on or today()
    meeting = minutes.agenda_item.meeting
    if day < meeting.date:
        raise ValidationError("Minutes cannot be distributed before the meeting.")
    if day > today():
        raise ValidationError("The date of distribution must be today or in the past.")
    minutes.status = MinutesStatus.DISTRIBUTED
    minutes.distributed_by = actor
    minutes.distributed_on = day
    outcome = [
        *_close_reviewed_actions(actor, minutes, request),
        *_apply_conclusion(actor, minutes, request),
    ]
    minutes.outcome_applied = "\n".join(outcome)
    sent = []
    for contact in spoc_contacts():
        Distribution.objects.create(
            minutes=minutes,
            agency=contact.agency,
            contact=contact,
            user=contact.user,
            email=contact.email,
        )
        sent.append(contact.agency.name)
    _bump(minutes, actor)
    audit_record(
        actor=actor,
        action="minutes.distribute",
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        changes={
            "status": [MinutesStatus.CHECKED, MinutesStatus.DISTRIBUTED],
            "distributed_on": [None, day],
        },
        detail={"to": sent, "outcome": outcome},
        request=request,
    )
    if send_notices:
        from mappa.minutes.tasks import send_minutes_notices

        transaction.on_commit(partial(_enqueue_notices, send_minutes_notices, str(minutes.pk)))
    return minutes


def _enqueue_notices(task: Any, minutes_id: str) -> None:
    task.enqueue(minutes_id)


def _close_reviewed_actions(actor: Any, minutes: Minutes, request: Any) -> list[str]:
    """Section 8's answers close the earlier actions (the meeting's review stands)."""
    done: list[str] = []
    meeting = minutes.agenda_item.meeting
    for review in minutes.reviews.select_related("action"):
        action = Action.objects.select_for_update(of=("self",)).get(pk=review.action_id)
        before = _row_values(action, ("state", "completed_on", "outcome_note"))
        if review.completed == YesNo.YES:
            action.state = ActionState.COMPLETED
            action.completed_on = review.done_on or action.completed_on
            if not action.outcome_note:
                action.outcome_note = (
                    f"Recorded as completed at the meeting on {meeting.date:%-d %B %Y}"
                )
        elif review.completed == YesNo.NO:
            action.state = ActionState.NOT_COMPLETED
            action.outcome_note = review.reason_not_completed
        changes = diff_fields(
            before, _row_values(action, ("state", "completed_on", "outcome_note"))
        )
        if not changes:
            continue
        action.version += 1
        action.save()
        ActionProgress.objects.create(
            action=action,
            note=f"Reviewed at the meeting on {meeting.date:%-d %B %Y}: "
            + (
                "completed"
                if review.completed == YesNo.YES
                else f"not completed. {review.reason_not_completed}"
            ),
            by=actor,
        )
        audit_record(
            actor=actor,
            action="action.reviewed",
            obj=action,
            nominal_id=minutes.case.nominal_id,
            changes=changes,
            detail={"minutes": str(minutes.pk)},
            request=request,
        )
        done.append(
            f"Action {action.number} of {action.minutes.agenda_item.meeting.date:%-d %B %Y} closed as {action.get_state_display().lower()}"
        )
    return done


def _apply_conclusion(actor: Any, minutes: Minutes, request: Any) -> list[str]:
    """MAPPA B s.16: the level agreed takes effect from the meeting date."""
    case = Case.objects.select_related("nominal").get(pk=minutes.case_id)
    meeting = minutes.agenda_item.meeting
    conclusion = Conclusion(minutes.conclusion)
    # This meeting's actions the agencies cannot deliver go to the next meeting (J 8.3).
    minutes.actions.filter(refer_to_next_meeting=True, state=ActionState.OPEN).update(
        state=ActionState.REFERRED
    )
    if case.closed_on is not None or case.nominal.is_archived:
        return ["The case was already closed: the register did not change"]
    state = register_services.current_state(case)
    if state is None:
        return ["The case has no management recorded: the register did not change"]
    effective = max(meeting.date, state.effective_from)
    label = f"level {meeting.level} meeting on {meeting.date:%-d %B %Y}"
    reason = f"Agreed at the {label}: {conclusion.label}"[:300]
    withdrawn: list[str] = []
    if conclusion in (Conclusion.LEAVE, Conclusion.LEVEL_1):
        withdrawn = _withdraw_from_later_agendas(actor, case, meeting, reason, request)
    if conclusion == Conclusion.LEAVE:
        moved = _transfer_actions(actor, case, state, effective, reason, request)
        from mappa.access.services import case_parts_end_for_case

        case_parts_end_for_case(
            case=case, on=effective, reason=reason, actor=actor, request=request
        )
        register_services.nominal_archive(
            actor=actor,
            nominal=case.nominal,
            reason=f"Left MAPPA, agreed at the {label}: {minutes.conclusion_reasons}"[:1000],
            effective_on=effective,
            request=request,
        )
        return [f"The record was archived from {effective:%-d %B %Y}", *moved, *withdrawn]
    level = CONCLUSION_LEVEL[conclusion]
    if level == state.level:
        return [f"The case stays at level {level}"]
    register_services.case_update_management(
        actor=actor,
        case=case,
        category=state.category,
        level=level,
        lead_agency=state.lead_agency,
        manager=state.manager,
        effective_from=effective,
        reason=reason,
        pdp_behaviour=case.pdp_behaviour,
        notification_end_date=case.notification_end_date,
        notification_indefinite=case.notification_indefinite,
        request=request,
    )
    out = [f"The case moved from level {state.level} to level {level} from {effective:%-d %B %Y}"]
    if level == 1:
        out.extend(_transfer_actions(actor, case, state, effective, reason, request))
        from mappa.access.services import case_parts_end_for_case

        ended = case_parts_end_for_case(
            case=case, on=effective, reason=reason, actor=actor, request=request
        )
        if ended:
            out.append(f"{ended} invited agencies' parts in the case ended")
        out.extend(withdrawn)
    return out


def _withdraw_from_later_agendas(
    actor: Any, case: Case, meeting: Any, reason: str, request: Any
) -> list[str]:
    """A case leaving level 2 and 3 comes off the agendas of later planned meetings."""
    from mappa.meetings.models import AgendaItem, MeetingStatus
    from mappa.meetings.services import agenda_item_remove

    later = AgendaItem.objects.filter(
        case=case,
        meeting__status=MeetingStatus.PLANNED,
        meeting__date__gt=meeting.date,
        withdrawn_at__isnull=True,
    ).select_related("meeting")
    out = []
    for item in later:
        agenda_item_remove(actor=actor, item=item, reason=reason, request=request)
        out.append(
            f"Taken off the agenda of the level {item.meeting.level} meeting on {item.meeting.date:%-d %B %Y}"
        )
    return out


def _transfer_actions(
    actor: Any, case: Case, state: CaseState, on: dt.date, reason: str, request: Any
) -> list[str]:
    """MAPPA B notes s.16: at level 1 (or outside MAPPA) the lead agency makes sure the
    remaining actions are carried out, so it owns them from now on."""
    lead = state.lead_agency
    manager = state.manager if state.manager and state.manager.agency_id == lead.pk else None
    moved = 0
    remaining = Action.objects.select_for_update(of=("self",)).filter(
        case=case, state__in=[ActionState.OPEN, ActionState.REFERRED]
    )
    for action in remaining:
        before = _row_values(
            action, ("agency", "owner_name", "owner_user", "state", "refer_to_next_meeting")
        )
        if action.agency_id != lead.pk:
            if action.original_agency_id is None:
                action.original_agency_id = action.agency_id
                action.original_owner_name = action.owner_name
            action.agency = lead
            action.owner_name = manager.display_name if manager else ""
            action.owner_user = manager
        action.state = ActionState.OPEN
        action.refer_to_next_meeting = False
        action.transferred_on = on
        action.transfer_reason = reason[:300]
        changes = diff_fields(
            before,
            _row_values(
                action, ("agency", "owner_name", "owner_user", "state", "refer_to_next_meeting")
            ),
        )
        action.version += 1
        action.save()
        moved += 1
        audit_record(
            actor=actor,
            action="action.transfer",
            obj=action,
            nominal_id=case.nominal_id,
            changes=changes,
            detail={"reason": reason, "to": lead.name},
            request=request,
        )
    if not moved:
        return []
    return [
        f"{moved} open action{'s' if moved != 1 else ''} now owned by the lead agency, {lead.name}"
    ]


# Amendments ----------------------------------------------------------------------------


def _parse_amendment(field: str, value: Any) -> Any:
    model_field = minutes_field(field)
    if isinstance(model_field, models.DateField):
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value or "").strip()
        for pattern in ("%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d %B %Y"):
            try:
                return dt.datetime.strptime(text, pattern).date().isoformat()  # noqa: DTZ007
            except ValueError:
                continue
        raise ValidationError({"value": ["Enter a real date, for example 27 3 2026"]})
    if isinstance(model_field, models.TimeField):
        text = str(value or "").strip()
        try:
            return dt.time.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValidationError({"value": ["Enter a time, for example 14:30"]}) from exc
    text = str(value or "").strip()
    if model_field.choices and text not in [str(c[0]) for c in model_field.choices]:
        allowed = ", ".join(str(c[1]) for c in model_field.choices)
        raise ValidationError({"value": [f"Enter one of: {allowed}"]})
    return text


@transaction.atomic
def minutes_amend(
    *, actor: Any, minutes: Minutes, field: str, value: Any, reason: str, request: Any = None
) -> MinutesAmendment:
    """Correct distributed minutes: the original stays, the correction shows beside it."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting", "case")
        .get(pk=minutes.pk)
    )
    _require(access.can_write_minutes(actor, minutes))
    if not minutes.is_distributed:
        raise ValidationError("Only distributed minutes are amended; change a draft directly.")
    errors: dict[str, list[str]] = {}
    if field not in AMENDABLE_FIELDS:
        errors["field"] = ["Select the part of the minutes to correct"]
    if not reason.strip():
        errors["reason"] = ["Enter the reason for the correction"]
    if errors:
        raise ValidationError(errors)
    after = _parse_amendment(field, value)
    before = effective_value(minutes, field)
    if before == after:
        raise ValidationError({"value": ["The correction is the same as the minutes already say"]})
    amendment = MinutesAmendment.objects.create(
        minutes=minutes,
        field=field,
        before=before,
        after=after,
        reason=reason.strip(),
        author=actor,
    )
    audit_record(
        actor=actor,
        action="minutes.amend",
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        changes={field: [before, after]},
        detail={"reason": amendment.reason, "amendment": amendment.pk},
        request=request,
    )
    return amendment


# Action tracking -------------------------------------------------------------------------


def _lock_action(action: Action, actor: Any) -> Action:
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("minutes", "case")
        .get(pk=action.pk)
    )
    _require(access.can_update_action(actor, locked))
    if locked.minutes.status == MinutesStatus.DRAFT:
        raise ValidationError("This action is still being written in draft minutes.")
    return locked


@transaction.atomic
def action_progress_add(
    *, actor: Any, action: Action, note: str, request: Any = None
) -> ActionProgress:
    action = _lock_action(action, actor)
    if not note.strip():
        raise ValidationError({"note": ["Enter the progress note"]})
    progress = ActionProgress.objects.create(action=action, note=note.strip(), by=actor)
    audit_record(
        actor=actor,
        action="action.progress",
        obj=action,
        nominal_id=action.case.nominal_id,
        changes={"progress": [None, progress.note]},
        request=request,
    )
    return progress


def _outcome(
    *,
    actor: Any,
    action: Action,
    state: str,
    completed_on: dt.date | None,
    note: str,
    expected_version: int | None,
    request: Any,
) -> Action:
    action = _lock_action(action, actor)
    if action.state not in (ActionState.OPEN, ActionState.REFERRED):
        raise ValidationError(f"This action is already {action.get_state_display().lower()}.")
    submitted = {"state": state, "completed_on": completed_on, "outcome_note": note}
    _check_row_version(
        action, ("state", "completed_on", "outcome_note"), submitted, expected_version
    )
    before = _row_values(action, ("state", "completed_on", "outcome_note"))
    action.state = state
    action.completed_on = completed_on
    action.outcome_note = note.strip()
    action.outcome_by = actor
    action.version += 1
    action.save()
    audit_record(
        actor=actor,
        action="action.outcome",
        obj=action,
        nominal_id=action.case.nominal_id,
        changes=diff_fields(before, _row_values(action, ("state", "completed_on", "outcome_note"))),
        request=request,
    )
    return action


@transaction.atomic
def action_complete(
    *,
    actor: Any,
    action: Action,
    completed_on: dt.date | None,
    note: str,
    expected_version: int | None = None,
    request: Any = None,
) -> Action:
    errors: dict[str, list[str]] = {}
    if completed_on is None:
        errors["completed_on"] = ["Enter the date the action was done"]
    elif completed_on > today():
        errors["completed_on"] = ["The date the action was done must be today or in the past"]
    if not note.strip():
        errors["note"] = ["Enter a note of what was done"]
    if errors:
        raise ValidationError(errors)
    return _outcome(
        actor=actor,
        action=action,
        state=ActionState.COMPLETED,
        completed_on=completed_on,
        note=note,
        expected_version=expected_version,
        request=request,
    )


@transaction.atomic
def action_not_completed(
    *,
    actor: Any,
    action: Action,
    reason: str,
    expected_version: int | None = None,
    request: Any = None,
) -> Action:
    if not reason.strip():
        raise ValidationError({"reason": ["Enter the reason the action was not completed"]})
    return _outcome(
        actor=actor,
        action=action,
        state=ActionState.NOT_COMPLETED,
        completed_on=None,
        note=reason,
        expected_version=expected_version,
        request=request,
    )


# Notices -----------------------------------------------------------------------------------


def distribution_mark_read(*, user: Any, minutes: Minutes) -> int:
    return Distribution.objects.filter(
        minutes=minutes, user_id=user.pk, read_at__isnull=True
    ).update(read_at=timezone.now())


# Level 1 reviews (J 9.2) --------------------------------------------------------------------


def level1_since(states: list[CaseState]) -> dt.date | None:
    """The first day of the current unbroken spell at level 1, from the case's states."""
    ordered = sorted(states, key=lambda s: (s.effective_from, s.recorded_at))
    since: dt.date | None = None
    for state in ordered:
        if state.level == 1:
            since = since or state.effective_from
        else:
            since = None
    return since


@transaction.atomic
def level1_review_record(
    *,
    actor: Any,
    case: Case,
    review_date: dt.date | None,
    new_information: str,
    plan_revised: str,
    plan_changes: str,
    refer: str,
    refer_reasons: str,
    request: Any = None,
) -> Level1Review:
    """The lead agency's review of a level 1 case; "refer: yes" starts a referral to
    level 2 or 3 prefilled from this review and the last minutes (J 9.2)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("nominal").get(pk=case.pk)
    state = register_services.current_state(case)
    if case.closed_on is not None or state is None:
        raise ValidationError("This case is closed.")
    _require(access.can_record_level1_review(actor, case, state.lead_agency_id))
    if state.level != 1:
        raise ValidationError(
            f"This case is managed at level {state.level}: level 1 reviews are for level 1 cases."
        )
    errors: dict[str, list[str]] = {}
    if review_date is None:
        errors["review_date"] = ["Enter the date of the review"]
    elif review_date > today():
        errors["review_date"] = ["The date of the review must be today or in the past"]
    elif review_date < case.opened_on:
        errors["review_date"] = ["The date of the review cannot be before the case was opened"]
    if not new_information.strip():
        errors["new_information"] = [
            "Enter any new information affecting the risk assessment or plan, or say there is none"
        ]
    if plan_revised not in YesNo.values:
        errors["plan_revised"] = ["Say whether the risk management plan has been revised"]
    elif plan_revised == YesNo.YES and not plan_changes.strip():
        errors["plan_changes"] = ["Enter what changed in the plan"]
    if refer not in YesNo.values:
        errors["refer"] = ["Say whether the case now needs a referral to level 2 or 3"]
    elif refer == YesNo.YES and not refer_reasons.strip():
        errors["refer_reasons"] = ["Enter why the case needs a referral to level 2 or 3"]
    if errors:
        raise ValidationError(errors)
    assert review_date is not None  # noqa: S101 - checked above
    review = Level1Review.objects.create(
        case=case,
        review_date=review_date,
        agency=state.lead_agency,
        reviewed_by=actor,
        new_information=new_information.strip(),
        plan_revised=plan_revised,
        plan_changes=plan_changes.strip(),
        refer=refer,
        refer_reasons=refer_reasons.strip(),
    )
    audit_record(
        actor=actor,
        action="level1_review.create",
        obj=review,
        nominal_id=case.nominal_id,
        changes={
            "review_date": [None, review_date],
            "plan_revised": [None, plan_revised],
            "refer": [None, refer],
        },
        request=request,
    )
    if refer == YesNo.YES:
        review.referral = _start_referral_from(actor, case, review, request)
        review.save(update_fields=["referral"])
    return review


def _start_referral_from(actor: Any, case: Case, review: Level1Review, request: Any) -> Any:
    from mappa.referrals import services as referral_services

    referral = referral_services.referral_start(actor=actor, nominal=case.nominal, request=request)
    last = (
        Minutes.objects.filter(case=case)
        .exclude(status=MinutesStatus.DRAFT)
        .order_by("-agenda_item__meeting__date")
        .first()
    )
    reason = (
        f"Level 1 review of {review.review_date:%-d %B %Y}: {review.refer_reasons}\n\n"
        f"New information: {review.new_information}"
    )
    if review.plan_revised == YesNo.YES:
        reason += f"\n\nPlan revised: {review.plan_changes}"
    data: dict[str, Any] = {"reason_for_referral": reason}
    if last is not None:
        amendments = list(last.amendments.all())
        for name in (
            "risk_who",
            "risk_nature",
            "risk_when",
            "risk_increase",
            "risk_reduce",
            "victim_concerns",
        ):
            data[name] = effective_value(last, name, amendments)
        for kind in ("restrictive", "rehabilitative", "protective"):
            data[f"plan_{kind}"] = effective_value(last, f"plan_{kind}", amendments)
        rosh = effective_value(last, "rosh", amendments)
        if rosh:
            data["overall_risk"] = rosh
    return referral_services.referral_update(
        actor=actor, referral=referral, data=data, request=request
    )
