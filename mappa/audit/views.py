"""The auditor's pages: who has seen a record, what a user has done (issue 3, point 4).

Every page passes the AUDIT_VIEW gate (auditors and the co-ordinator); reading the
trail and exporting it are themselves written to the trail.
"""

import csv
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from mappa.access.gates import check
from mappa.access.policy import Action
from mappa.accounts.reauth import require_recent_authentication
from mappa.audit import selectors
from mappa.audit.forms import EventFilterForm, RecordLookupForm, UserLookupForm, action_label
from mappa.audit.models import AuditEvent
from mappa.audit.services import audit_record, canonical_json
from mappa.common.dates import today

PAGE_SIZE = 50
USERS_PAGE_SIZE = 25
EXPORT_BATCH = 1000
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class EventRow:
    event: AuditEvent
    label: str
    actor_name: str = ""
    record_reference: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, list | dict):
        return canonical_json(value)
    return str(value)


def _summary(event: AuditEvent) -> list[str]:
    detail = event.detail if isinstance(event.detail, dict) else {}
    lines = []
    if "section" in detail:
        lines.append(f"Section: {detail['section']}")
    if "terms" in detail:
        lines.append(f"Searched for: {detail['terms']}")
    if "results" in detail:
        lines.append(f"Results: {detail['results']}")
    if "attempted" in detail:
        lines.append(f"Attempted: {action_label(str(detail['attempted']))}")
    if "reason" in detail:
        lines.append(f"Reason: {detail['reason']}")
    if "rows" in detail:
        lines.append(f"Rows exported: {detail['rows']}")
    return lines


def _rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    events = list(events)
    references = selectors.record_references({event.nominal_id for event in events})
    names = selectors.user_names({event.actor_id for event in events if event.actor_id})
    rows = []
    for event in events:
        changes = []
        if isinstance(event.changes, dict):
            for name, pair in sorted(event.changes.items()):
                before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
                changes.append((name.replace("_", " ").capitalize(), _shown(before), _shown(after)))
        rows.append(
            EventRow(
                event=event,
                label=action_label(event.action),
                actor_name=names.get(event.actor_id or 0, event.actor_label),
                record_reference=references.get(event.nominal_id, ""),
                changes=changes,
                summary=_summary(event),
            )
        )
    return rows


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _dates_for_audit(filters: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value.isoformat() if isinstance(value, dt.date) else value)
        for key, value in filters.items()
    }


class _Echo:
    """The write end csv.writer needs; each row is handed straight to the response."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_lines(title: str, events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([settings.MAPPA_PROTECTIVE_MARKING])
    yield writer.writerow([settings.MAPPA_HANDLING_INSTRUCTION])
    yield writer.writerow([_cell(title)])
    yield writer.writerow(
        [
            "Sequence",
            "Date and time",
            "User",
            "User ID",
            "Action",
            "Action code",
            "Outcome",
            "Record reference",
            "Record ID",
            "Object",
            "Details",
            "Changes",
            "Values erased on",
            "IP address",
        ]
    )
    last: int | None = None
    while True:
        batch_query = events if last is None else events.filter(sequence__lt=last)
        batch = list(batch_query[:EXPORT_BATCH])
        if not batch:
            return
        last = batch[-1].sequence
        references = selectors.record_references({event.nominal_id for event in batch})
        for event in batch:
            yield writer.writerow(
                [
                    _cell(value)
                    for value in (
                        event.sequence,
                        timezone.localtime(event.at).isoformat(timespec="seconds"),
                        event.actor_label,
                        event.actor_id or "",
                        action_label(event.action),
                        event.action,
                        event.outcome,
                        references.get(event.nominal_id, ""),
                        event.nominal_id,
                        f"{event.object_type}:{event.object_id}" if event.object_type else "",
                        canonical_json(event.detail) if event.detail else "",
                        canonical_json(event.changes) if event.changes is not None else "",
                        timezone.localtime(event.erased_at).isoformat(timespec="seconds")
                        if event.erased_at
                        else "",
                        event.ip_address,
                    )
                ]
            )


def _export(
    request: HttpRequest,
    *,
    events: QuerySet[AuditEvent],
    title: str,
    filename: str,
    audit: dict[str, Any],
) -> StreamingHttpResponse:
    """Stream the events as CSV, the protective marking and handling instruction first."""
    # The export is of the trail as it stood when asked for, without its own record.
    up_to = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    events = events.filter(sequence__lte=up_to)
    rows = events.count()
    audit_record(
        actor=request.user,
        action="audit.export",
        nominal_id=audit.pop("nominal_id", ""),
        object_type=audit.pop("object_type", ""),
        object_id=audit.pop("object_id", ""),
        detail={**audit, "rows": rows, "format": "csv"},
        request=request,
    )
    exported = timezone.localtime().strftime("%d %B %Y %H:%M")
    heading = f"{title}. Exported by {request.user.get_username()} on {exported}."
    response = StreamingHttpResponse(
        _csv_lines(heading, events), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Issue 3, point 3: an export asks the user to prove who they are again if they
# have not done so in the last few minutes.
@require_recent_authentication()
def _record_export(
    request: HttpRequest, *, nominal_id: uuid.UUID, reference: str, form: EventFilterForm
) -> HttpResponseBase:
    filters = form.filters()
    return _export(
        request,
        events=selectors.events_for_record(nominal_id, filters),
        title=f"Who has seen record {reference or nominal_id}",
        filename=f"audit-record-{slugify(reference or str(nominal_id))}-{today().isoformat()}.csv",
        audit={"page": "record", "nominal_id": nominal_id, "filters": _dates_for_audit(filters)},
    )


@require_recent_authentication()
def _user_export(
    request: HttpRequest, *, user_id: int, username: str, form: EventFilterForm
) -> HttpResponseBase:
    filters = form.filters()
    return _export(
        request,
        events=selectors.events_by_user(user_id, filters),
        title=f"What {username} has done",
        filename=f"audit-user-{slugify(username) or user_id}-{today().isoformat()}.csv",
        audit={
            "page": "user",
            "object_type": "access.user",
            "object_id": str(user_id),
            "filters": _dates_for_audit(filters),
        },
    )


def _filter_form(request: HttpRequest, actions: list[str]) -> EventFilterForm:
    bound = any(key in request.GET for key in EventFilterForm.base_fields) or any(
        key.startswith(("date_from-", "date_to-")) for key in request.GET
    )
    return EventFilterForm(request.GET if bound else None, actions=actions)


def _form_usable(form: EventFilterForm) -> bool:
    return not form.is_bound or form.is_valid()


@login_required
@require_GET
def audit_index(request: HttpRequest) -> HttpResponse:
    check(request, Action.AUDIT_VIEW)
    record_form = RecordLookupForm(request.GET if "reference" in request.GET else None)
    if record_form.is_bound and record_form.is_valid():
        nominal = selectors.record_by_reference(record_form.cleaned_data["reference"])
        if nominal is not None:
            return redirect("audit:record", nominal_id=nominal.pk)
        record_form.add_error("reference", "There is no record with this reference")
    user_form = UserLookupForm(request.GET if "user" in request.GET else None)
    text = user_form.cleaned_data["user"] if user_form.is_bound and user_form.is_valid() else ""
    users = Paginator(selectors.users_for_audit(text), USERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_record(
        actor=request.user,
        action="audit.view",
        detail={
            "page": "index",
            "reference": request.GET.get("reference", "")[:30],
            "user": text,
        },
        request=request,
    )
    return render(
        request,
        "audit/index.html",
        {
            "record_form": record_form,
            "user_form": user_form,
            "users": users,
            "page": users,
            "query_string": _query_without(request, "page"),
        },
    )


@login_required
@require_GET
def record_events(request: HttpRequest, nominal_id: uuid.UUID) -> HttpResponseBase:
    """Who has seen this record: every view, change and refusal concerning it."""
    check(request, Action.AUDIT_VIEW, nominal_id=nominal_id)
    nominal = selectors.record_for_audit(nominal_id)
    actions = selectors.actions_for_record(nominal_id)
    if nominal is None and not actions:
        raise Http404("No such record")
    reference = nominal.reference if nominal else ""
    form = _filter_form(request, actions)
    if request.GET.get("format") == "csv" and _form_usable(form):
        return _record_export(request, nominal_id=nominal_id, reference=reference, form=form)
    filters = form.filters()
    events = (
        selectors.events_for_record(nominal_id, filters)
        if _form_usable(form)
        else AuditEvent.objects.none()
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(page.object_list)
    audit_record(
        actor=request.user,
        action="audit.view",
        nominal_id=nominal_id,
        detail={"page": "record", "filters": _dates_for_audit(filters), "page_number": page.number},
        request=request,
    )
    return render(
        request,
        "audit/record.html",
        {
            "nominal": nominal,
            "nominal_id": nominal_id,
            "reference": reference,
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": _query_without(request, "page", "format"),
        },
    )


@login_required
@require_GET
def user_events(request: HttpRequest, user_id: int) -> HttpResponseBase:
    """What this user has done: everything they did, saw, searched and were refused."""
    check(request, Action.AUDIT_VIEW)
    subject = selectors.user_for_audit(user_id)
    actions = selectors.actions_by_user(user_id)
    if subject is None and not actions:
        raise Http404("No such user")
    username = subject.get_username() if subject else f"user {user_id}"
    form = _filter_form(request, actions)
    if request.GET.get("format") == "csv" and _form_usable(form):
        return _user_export(request, user_id=user_id, username=username, form=form)
    filters = form.filters()
    events = (
        selectors.events_by_user(user_id, filters)
        if _form_usable(form)
        else AuditEvent.objects.none()
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(page.object_list)
    audit_record(
        actor=request.user,
        action="audit.view",
        object_type="access.user",
        object_id=str(user_id),
        detail={"page": "user", "filters": _dates_for_audit(filters), "page_number": page.number},
        request=request,
    )
    return render(
        request,
        "audit/user.html",
        {
            "subject": subject,
            "subject_id": user_id,
            "username": username,
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": _query_without(request, "page", "format"),
        },
    )
