"""Writes for requests for minutes (J 5.5) and executive summaries (J 5.6).

Each is one transaction, audited inside with field-level before/after values.

A request: received -> (clarified) -> routed and/or summary in preparation -> decided
-> closed (what was released, and when). Each step carries the version the user saw:
a step taken from an older page is refused (``StaleError``), never applied over
someone else's.

An executive summary: drafted from the records, redacted from the people around the
case, reviewed, redacted more by hand, finalised as an immutable numbered version.
A finalised summary changes only by starting a new draft, which becomes the next
version when finalised.

The full minutes are never released through this route (J 5.5): ``release`` takes a
finalised executive summary version, or a description of what was sent (a refusal
letter, a pointer to the owning agency), and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from mappa.access.models import Agency
from mappa.audit.services import audit_record, canonical_json, diff_fields
from mappa.common.dates import today
from mappa.disclosure import drafting, redaction
from mappa.disclosure.models import (
    ClarificationChannel,
    ExecutiveSummary,
    ExecutiveSummaryVersion,
    ImmutableError,
    MinutesRequest,
    RequestDecision,
    RequesterType,
    RequestRouting,
    RequestStatus,
    SummaryStatus,
)
from mappa.register.models import Case

_REFERENCE_LOCK_KEY = 0x4D52514E  # "MRQN": serialises request references on PostgreSQL

STALE = (
    "Someone else changed this after you opened the page. Check what it holds now and "
    "make your change again."
)
MAX_PHRASE = 300


class StaleError(ValidationError):
    """A change based on an older version than the one stored."""


REQUEST_FIELDS = (
    "reference",
    "case",
    "identified_by",
    "requester_name",
    "requester_type",
    "asked",
    "received_on",
    "received_by",
    "received_by_agency",
    "status",
    "clarified_sought",
    "minutes_sought",
    "clarification_channel",
    "clarified_on",
    "clarified_by",
    "decision",
    "decision_reasons",
    "decided_on",
    "decided_by",
    "released_version",
    "released_description",
    "released_on",
    "released_by",
    "notes",
)


def _values(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        out[name] = str(value) if field.is_relation and value is not None else value
    return out


def _not_future(errors: dict[str, list[str]], value: dt.date | None, field: str, what: str) -> None:
    if value is not None and value > today():
        errors.setdefault(field, []).append(f"{what} must be today or in the past")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _lock_request(minutes_request: MinutesRequest, expected_version: int | None) -> MinutesRequest:
    locked = MinutesRequest.objects.select_for_update().get(pk=minutes_request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleError(STALE)
    return locked


def _next_reference() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFERENCE_LOCK_KEY])
    last = MinutesRequest.objects.aggregate(m=Max("reference"))["m"]
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"RQ-{number:06d}"


def _audit_request(
    actor: Any,
    action: str,
    minutes_request: MinutesRequest,
    before: dict[str, Any],
    request: Any,
    **detail: Any,
) -> None:
    after = _values(minutes_request, REQUEST_FIELDS)
    audit_record(
        actor=actor,
        action=action,
        obj=minutes_request,
        nominal_id=minutes_request.case.nominal_id,
        changes=diff_fields(before, after),
        detail={"reference": minutes_request.reference, **detail},
        request=request,
    )


# Requests -------------------------------------------------------------------------


@transaction.atomic
def minutes_request_record(
    *,
    actor: Any,
    case: Case,
    requester_name: str,
    requester_type: str,
    asked: str,
    received_on: dt.date | None,
    identified_by: str = "case_reference",
    notes: str = "",
    request: Any = None,
) -> MinutesRequest:
    """Record a request received by ``actor`` (J 5.5: whoever receives it refers it to
    the chair and informs the co-ordinator). The notice goes out once committed."""
    errors: dict[str, list[str]] = {}
    requester_name = " ".join((requester_name or "").split())
    asked = (asked or "").strip()
    if not requester_name:
        errors["requester_name"] = ["Enter who made the request"]
    if requester_type not in RequesterType.values:
        errors["requester_type"] = ["Select the type of requester"]
    if not asked:
        errors["asked"] = ["Enter what was asked for"]
    if received_on is None:
        errors["received_on"] = ["Enter the date the request was received"]
    _not_future(errors, received_on, "received_on", "The date the request was received")
    _raise(errors)
    assert received_on is not None
    minutes_request = MinutesRequest.objects.create(
        reference=_next_reference(),
        case=case,
        identified_by=identified_by,
        requester_name=requester_name,
        requester_type=requester_type,
        asked=asked,
        received_on=received_on,
        received_by=actor,
        received_by_agency_id=getattr(actor, "agency_id", None),
        notes=(notes or "").strip(),
    )
    before = {name: None for name in REQUEST_FIELDS}
    _audit_request(actor, "minutes_request.create", minutes_request, before, request)
    transaction.on_commit(lambda: _notify(minutes_request.pk))
    return minutes_request


def _notify(pk: Any) -> None:
    from mappa.disclosure.tasks import send_request_notice

    send_request_notice.enqueue(str(pk))


@transaction.atomic
def minutes_request_clarify(
    *,
    actor: Any,
    minutes_request: MinutesRequest,
    sought: str,
    minutes_sought: bool | None,
    channel: str,
    clarified_on: dt.date | None,
    expected_version: int | None,
    request: Any = None,
) -> MinutesRequest:
    """Record in writing what information is actually sought (J 5.5)."""
    locked = _lock_request(minutes_request, expected_version)
    if not locked.is_open:
        raise ValidationError("This request has been decided: its clarification cannot change.")
    errors: dict[str, list[str]] = {}
    sought = (sought or "").strip()
    if not sought:
        errors["sought"] = ["Enter what information is actually sought"]
    if minutes_sought is None:
        errors["minutes_sought"] = [
            "Select whether information from the meeting's minutes is sought"
        ]
    if channel not in ClarificationChannel.values:
        errors["channel"] = ["Select how the clarification was recorded in writing"]
    if clarified_on is None:
        errors["clarified_on"] = ["Enter the date it was clarified"]
    _not_future(errors, clarified_on, "clarified_on", "The date it was clarified")
    if clarified_on is not None and clarified_on < locked.received_on:
        errors.setdefault("clarified_on", []).append(
            "The date it was clarified must be the same as or after the date the request "
            "was received"
        )
    _raise(errors)
    before = _values(locked, REQUEST_FIELDS)
    locked.clarified_sought = sought
    locked.minutes_sought = minutes_sought
    locked.clarification_channel = channel
    locked.clarified_on = clarified_on
    locked.clarified_by = actor
    locked.status = _open_status(locked)
    locked.version += 1
    locked.save()
    _audit_request(actor, "minutes_request.clarify", locked, before, request)
    return locked


def _open_status(minutes_request: MinutesRequest) -> str:
    if minutes_request.minutes_sought:
        return RequestStatus.SUMMARY
    if minutes_request.pk and minutes_request.routings.exists():
        return RequestStatus.ROUTED
    if minutes_request.is_clarified:
        return RequestStatus.CLARIFYING
    return RequestStatus.RECEIVED


@transaction.atomic
def minutes_request_route(
    *,
    actor: Any,
    minutes_request: MinutesRequest,
    agencies: Sequence[Agency],
    what: str,
    routed_on: dt.date | None,
    expected_version: int | None,
    request: Any = None,
) -> list[RequestRouting]:
    """Route agency-owned information to the agency that owns it (J 5.5): one row per
    agency, each with what was routed and when."""
    locked = _lock_request(minutes_request, expected_version)
    if not locked.is_open:
        raise ValidationError("This request has been decided: nothing more can be routed.")
    if not locked.is_clarified:
        raise ValidationError(
            "Record what information is actually sought before routing any of it (J 5.5)."
        )
    errors: dict[str, list[str]] = {}
    what = (what or "").strip()
    if not agencies:
        errors["agencies"] = ["Select at least one agency to route the request to"]
    if not what:
        errors["what"] = ["Enter what information is routed to the agency"]
    if routed_on is None:
        errors["routed_on"] = ["Enter the date it was routed"]
    _not_future(errors, routed_on, "routed_on", "The date it was routed")
    if routed_on is not None and routed_on < locked.received_on:
        errors.setdefault("routed_on", []).append(
            "The date it was routed must be the same as or after the date the request was received"
        )
    _raise(errors)
    assert routed_on is not None
    before = _values(locked, REQUEST_FIELDS)
    rows = [
        RequestRouting.objects.create(
            request=locked, agency=agency, what=what, routed_on=routed_on, routed_by=actor
        )
        for agency in agencies
    ]
    locked.status = _open_status(locked)
    locked.version += 1
    locked.save()
    after = _values(locked, REQUEST_FIELDS)
    audit_record(
        actor=actor,
        action="minutes_request.route",
        obj=locked,
        nominal_id=locked.case.nominal_id,
        changes={
            **diff_fields(before, after),
            "routings": [
                None,
                [
                    {"agency": a.name, "what": what, "routed_on": routed_on.isoformat()}
                    for a in agencies
                ],
            ],
        },
        detail={"reference": locked.reference},
        request=request,
    )
    return rows


@transaction.atomic
def minutes_request_decide(
    *,
    actor: Any,
    minutes_request: MinutesRequest,
    decision: str,
    reasons: str,
    expected_version: int | None,
    request: Any = None,
) -> MinutesRequest:
    locked = _lock_request(minutes_request, expected_version)
    if not locked.is_open:
        raise ValidationError("This request has already been decided.")
    if not locked.is_clarified:
        raise ValidationError(
            "Record what information is actually sought before deciding the request (J 5.5)."
        )
    errors: dict[str, list[str]] = {}
    reasons = (reasons or "").strip()
    if decision not in RequestDecision.values:
        errors["decision"] = ["Select the decision"]
    if not reasons:
        errors["reasons"] = ["Enter the reasons for the decision"]
    _raise(errors)
    before = _values(locked, REQUEST_FIELDS)
    locked.decision = decision
    locked.decision_reasons = reasons
    locked.decided_on = today()
    locked.decided_by = actor
    locked.status = RequestStatus.DECIDED
    locked.version += 1
    locked.save()
    _audit_request(actor, "minutes_request.decide", locked, before, request)
    return locked


@transaction.atomic
def minutes_request_release(
    *,
    actor: Any,
    minutes_request: MinutesRequest,
    version: ExecutiveSummaryVersion | None,
    description: str,
    released_on: dt.date | None,
    expected_version: int | None,
    request: Any = None,
) -> MinutesRequest:
    """Record what was sent and when, and close the request. Never the minutes."""
    locked = _lock_request(minutes_request, expected_version)
    if locked.status != RequestStatus.DECIDED:
        raise ValidationError(
            "Record the decision before recording what was sent."
            if locked.is_open
            else "This request is closed: what was sent cannot change."
        )
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if locked.decision == RequestDecision.RELEASE_SUMMARY:
        if version is None:
            errors["released_version"] = ["Select the executive summary version that was sent"]
        elif version.summary.case_id != locked.case_id:
            errors["released_version"] = ["Select a version of this case's executive summary"]
    elif version is not None:
        errors["released_version"] = [
            "The decision was not to release an executive summary: describe what was sent"
        ]
    elif not description:
        errors["description"] = ["Enter what was sent to the requester"]
    if released_on is None:
        errors["released_on"] = ["Enter the date it was sent"]
    _not_future(errors, released_on, "released_on", "The date it was sent")
    if released_on is not None and released_on < locked.received_on:
        errors.setdefault("released_on", []).append(
            "The date it was sent must be the same as or after the date the request was received"
        )
    _raise(errors)
    before = _values(locked, REQUEST_FIELDS)
    locked.released_version = version
    locked.released_description = description
    locked.released_on = released_on
    locked.released_by = actor
    locked.status = RequestStatus.CLOSED
    locked.version += 1
    locked.save()
    _audit_request(
        actor,
        "minutes_request.release",
        locked,
        before,
        request,
        sha256=version.sha256 if version else "",
    )
    return locked


# Executive summaries --------------------------------------------------------------


def people_for_redaction(case: Case) -> list[redaction.Person]:
    """The people around the person's cases (this one and any earlier: a victim of an
    earlier spell is still a victim), as redaction needs them."""
    from django.db.models import Prefetch

    from mappa.people.models import CasePerson, CasePersonAlias

    people = CasePerson.objects.filter(case__nominal_id=case.nominal_id).prefetch_related(
        Prefetch("aliases", queryset=CasePersonAlias.objects.order_by("name"))
    )
    return [
        redaction.Person(
            kind=p.kind,
            given_names=p.given_names,
            family_name=p.family_name,
            aliases=tuple(a.name for a in p.aliases.all()),
            date_of_birth=p.date_of_birth,
            address_lines=tuple(x for x in (p.address_line_1, p.address_line_2, p.town)),
            postcode=p.postcode,
        )
        for p in people
    ]


def protected_names(case: Case) -> list[str]:
    """The person managed's own names: never removed (decisions.md)."""
    nominal = case.nominal
    names = [nominal.given_names, nominal.family_name, nominal.full_name]
    names += [str(a) for a in nominal.aliases.all()]
    return [n for n in names if n]


def terms_for_summary(summary: ExecutiveSummary) -> list[redaction.Term]:
    manual = [
        redaction.Manual(item["phrase"], item["replacement"]) for item in summary.manual_redactions
    ]
    return redaction.terms_for(
        people_for_redaction(summary.case),
        protected_names=protected_names(summary.case),
        manual=manual,
    )


def redacted(summary: ExecutiveSummary) -> tuple[dict[str, Any], list[redaction.NarrativeItem]]:
    """The draft as it would be released, and each narrative value's redaction."""
    return redaction.redact_content(summary.draft, terms_for_summary(summary))


def _lock_summary(summary: ExecutiveSummary, expected_version: int | None) -> ExecutiveSummary:
    locked = (
        ExecutiveSummary.objects.select_for_update()
        .select_related("case__nominal")
        .get(pk=summary.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleError(STALE)
    return locked


def _require_draft(summary: ExecutiveSummary) -> None:
    if not summary.is_draft:
        raise ImmutableError(
            "This executive summary is finalised and cannot be changed. Start a new draft "
            "to make a new version."
        )


def _chair_for(case: Case) -> Any:
    from mappa.disclosure.selectors import last_meeting

    meeting = last_meeting(case)
    return meeting.chair if meeting is not None else None


def _summary_audit(
    actor: Any, action: str, summary: ExecutiveSummary, changes: dict[str, Any], request: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=summary,
        nominal_id=summary.case.nominal_id,
        changes=changes,
        detail={"case": summary.case.reference},
        request=request,
    )


@transaction.atomic
def executive_summary_start(*, actor: Any, case: Case, request: Any = None) -> ExecutiveSummary:
    """The case's executive summary, drafted from the records if it has none yet."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    existing = ExecutiveSummary.objects.filter(case=case).first()
    if existing is not None:
        return existing
    summary = ExecutiveSummary.objects.create(
        case=case,
        draft=drafting.build_draft(case, chair=_chair_for(case)),
        drafted_at=timezone.now(),
        drafted_by=actor,
    )
    _summary_audit(
        actor,
        "summary.draft",
        summary,
        {"status": [None, summary.status], "drafted_on": [None, summary.draft["drafted_on"]]},
        request,
    )
    return summary


@transaction.atomic
def executive_summary_redraft(
    *,
    actor: Any,
    summary: ExecutiveSummary,
    expected_version: int | None,
    request: Any = None,
) -> ExecutiveSummary:
    """Draft again from the records as they are now, keeping the manual redactions. On
    a finalised summary this starts the next version's draft; the versions stay."""
    locked = _lock_summary(summary, expected_version)
    # The draft itself is the records' words (victims' names included): the audit keeps
    # its fingerprint, not a second copy.
    before = {"status": locked.status, "draft_sha256": content_sha256(locked.draft)}
    locked.draft = drafting.build_draft(locked.case, chair=_chair_for(locked.case))
    locked.status = SummaryStatus.DRAFT
    locked.drafted_at = timezone.now()
    locked.drafted_by = actor
    locked.version += 1
    locked.save()
    after = {"status": locked.status, "draft_sha256": content_sha256(locked.draft)}
    _summary_audit(actor, "summary.redraft", locked, diff_fields(before, after), request)
    return locked


@transaction.atomic
def executive_summary_add_redaction(
    *,
    actor: Any,
    summary: ExecutiveSummary,
    phrase: str,
    replacement: str,
    expected_version: int | None,
    request: Any = None,
) -> ExecutiveSummary:
    locked = _lock_summary(summary, expected_version)
    _require_draft(locked)
    phrase = " ".join((phrase or "").split())
    replacement = " ".join((replacement or "").split())
    errors: dict[str, list[str]] = {}
    if not phrase:
        errors["phrase"] = ["Enter the words to remove"]
    elif len(phrase) > MAX_PHRASE:
        errors["phrase"] = [f"The words to remove must be {MAX_PHRASE} characters or fewer"]
    elif len(phrase) < 2:
        errors["phrase"] = ["The words to remove must be at least 2 characters"]
    if not replacement:
        errors["replacement"] = ["Enter the words that replace them, for example 'a neighbour'"]
    elif len(replacement) > MAX_PHRASE:
        errors["replacement"] = [
            f"The words that replace them must be {MAX_PHRASE} characters or fewer"
        ]
    elif phrase and phrase.casefold() in replacement.casefold():
        errors["replacement"] = ["The words that replace them must not contain the words removed"]
    if phrase and not errors:
        if any(item["phrase"].casefold() == phrase.casefold() for item in locked.manual_redactions):
            errors["phrase"] = ["These words are already redacted by hand"]
        else:
            found = any(
                r.rule == redaction.RULE_MANUAL
                for item in redaction.redact_content(
                    locked.draft,
                    redaction.terms_for([], manual=[redaction.Manual(phrase, replacement)]),
                )[1]
                for r in item.result.redactions
            )
            if not found:
                errors["phrase"] = ["These words are not in the summary's text"]
    _raise(errors)
    before = list(locked.manual_redactions)
    locked.manual_redactions = [*before, {"phrase": phrase, "replacement": replacement}]
    locked.version += 1
    locked.save()
    _summary_audit(
        actor,
        "summary.redact",
        locked,
        {"manual_redactions": [before, locked.manual_redactions]},
        request,
    )
    return locked


@transaction.atomic
def executive_summary_remove_redaction(
    *,
    actor: Any,
    summary: ExecutiveSummary,
    index: int,
    expected_version: int | None,
    request: Any = None,
) -> ExecutiveSummary:
    locked = _lock_summary(summary, expected_version)
    _require_draft(locked)
    if not 0 <= index < len(locked.manual_redactions):
        raise ValidationError("There is no such redaction.")
    before = list(locked.manual_redactions)
    locked.manual_redactions = before[:index] + before[index + 1 :]
    locked.version += 1
    locked.save()
    _summary_audit(
        actor,
        "summary.unredact",
        locked,
        {"manual_redactions": [before, locked.manual_redactions]},
        request,
    )
    return locked


def content_sha256(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


@transaction.atomic
def executive_summary_finalise(
    *,
    actor: Any,
    summary: ExecutiveSummary,
    expected_version: int | None,
    request: Any = None,
) -> ExecutiveSummaryVersion:
    """Freeze the redacted draft as the next version, with the chair's details and the
    date completed (J 5.6). Refused when nothing changed since the last version."""
    locked = _lock_summary(summary, expected_version)
    _require_draft(locked)
    if not locked.draft.get("sections"):
        raise ValidationError("There is no draft to finalise.")
    content, items = redaction.redact_content(locked.draft, terms_for_summary(locked))
    completed = today()
    content = drafting.with_completion(content, _chair_for(locked.case), completed)
    sha = content_sha256(content)
    last = locked.versions.order_by("-number").first()
    if last is not None and last.sha256 == sha:
        raise ValidationError(
            f"Nothing has changed since version {last.number}: there is no new version to finalise."
        )
    version = ExecutiveSummaryVersion.objects.create(
        summary=locked,
        number=(last.number + 1) if last else 1,
        content=content,
        redactions=redaction.redaction_log(items),
        sha256=sha,
        finalised_at=timezone.now(),
        finalised_by=actor,
    )
    locked.status = SummaryStatus.FINALISED
    locked.version += 1
    locked.save()
    # Requests about the case waiting for the summary stay as they are: the decision
    # and what was sent are recorded on each request.
    audit_record(
        actor=actor,
        action="summary.finalise",
        obj=version,
        nominal_id=locked.case.nominal_id,
        changes={
            "status": [SummaryStatus.DRAFT, SummaryStatus.FINALISED],
            "number": [None, version.number],
            "sha256": [None, sha],
        },
        detail={"case": locked.case.reference, "redactions": len(version.redactions)},
        request=request,
    )
    return version
