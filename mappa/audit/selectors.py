"""Reads of the audit trail for auditors: who has seen a record, what a user has done.

Callers have passed the AUDIT_VIEW gate: auditors and the co-ordinator read every
event, so these queries are not narrowed by the register's need-to-know filter.
"""

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mappa.access.models import User
from mappa.audit.models import AuditEvent
from mappa.audit.services import NO_VALUES_DIGEST
from mappa.register.models import Nominal

# Kinds of event an auditor filters by. Actions are named "<area>.<verb>", so a kind
# is a pattern over the names, which also catches actions added by later features.
EVENT_KINDS: dict[str, tuple[str, Q]] = {
    "view": ("Views", Q(action__endswith="view")),
    "change": ("Changes to case data", ~Q(values_digest=NO_VALUES_DIGEST)),
    "search": ("Searches", Q(action__endswith="search")),
    "export": (
        "Exports and downloads",
        Q(action__contains="export") | Q(action__contains="download"),
    ),
    "refusal": ("Refusals", Q(outcome="refused")),
    "sign_in": (
        "Sign-in and account events",
        Q(action__regex=r"^(auth|account|accounts|mfa|session|login|logout)\."),
    ),
}


def _start_of(day: dt.date) -> dt.datetime:
    # Dates are the area's local days (settings.TIME_ZONE), as the pages show times.
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _filtered(queryset: QuerySet[AuditEvent], filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    if filters.get("date_from"):
        queryset = queryset.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    kind = filters.get("kind")
    if kind in EVENT_KINDS:
        queryset = queryset.filter(EVENT_KINDS[kind][1])
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    return queryset.order_by("-sequence")


def events_for_record(nominal_id: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Every event about one person's record, newest first."""
    return _filtered(AuditEvent.objects.filter(nominal_id=str(nominal_id)), filters)


def events_by_user(user_id: int, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Everything one user has done, newest first."""
    return _filtered(AuditEvent.objects.filter(actor_id=user_id), filters)


def actions_for_record(nominal_id: Any) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(nominal_id=str(nominal_id))
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )


def actions_by_user(user_id: int) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(actor_id=user_id)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )


def record_for_audit(nominal_id: Any) -> Nominal | None:
    """The record the events concern, if it is still on the register."""
    records = Nominal.objects.filter(pk=nominal_id)
    return records.only("pk", "reference", "family_name", "given_names").first()


def record_by_reference(reference: str) -> Nominal | None:
    return Nominal.objects.filter(reference__iexact=reference.strip()).only("pk").first()


def record_references(nominal_ids: set[str]) -> dict[str, str]:
    """Each record's reference by its id, for the ids that are still on the register."""
    valid: list[uuid.UUID] = []
    for value in nominal_ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:  # not a record id (an empty one, or another kind of object)
            continue
    if not valid:
        return {}
    rows = Nominal.objects.filter(pk__in=valid).values_list("pk", "reference")
    return {str(pk): reference for pk, reference in rows}


def user_names(user_ids: set[int]) -> dict[int, str]:
    """Each user's name and agency, as the pages show who did something."""
    users = User.objects.select_related("agency").filter(pk__in=[pk for pk in user_ids if pk])
    return {
        user.pk: f"{user.display_name}, {user.agency}" if user.agency else user.display_name
        for user in users
    }


def user_for_audit(user_id: int) -> User | None:
    return User.objects.select_related("agency").filter(pk=user_id).first()


def users_for_audit(text: str = "") -> QuerySet[User]:
    """Users to pick from, narrowed by name or username; disabled users included."""
    users = User.objects.select_related("agency").order_by("last_name", "first_name", "username")
    for word in text.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return users
