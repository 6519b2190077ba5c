"""Writing audit events. Call inside the transaction of the change being audited.

Appends are serialised so the chain stays one line; each committed event is also
shipped to the store outside the database when one is configured (shipping.py);
``audit_erase_values`` is the one permitted change to a written event. Checking the
chain is verify.py's work.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from mappa.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK_KEY = 0x4D41505041  # "MAPPA"


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_json_default)


def values_digest(changes: Any) -> str:
    return hashlib.sha256(canonical_json(changes).encode()).hexdigest()


# The digest of an event that records no values (a view, a search, a refusal).
NO_VALUES_DIGEST = values_digest(None)


def hashed_content(event: AuditEvent) -> dict[str, Any]:
    """What the chain hashes: every column except the erasable values and the hash itself."""
    return {
        "sequence": event.sequence,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "nominal_id": event.nominal_id,
        "outcome": event.outcome,
        "values_digest": event.values_digest,
        "detail": event.detail,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The chained hash over an event's canonical content (never over erasable values)."""
    return content_hash(hashed_content(event))


def _lock_chain_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: transactions begin IMMEDIATE (settings), so writers are already serialised.


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    nominal_id: Any = "",
    changes: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
    outcome: str = "ok",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    ``changes`` maps field names to ``[before, after]``. The append is serialised so
    that the chain stays one line under concurrent writers.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Stored as they read back from the database, and digested in that form, so that
    # verify_audit recomputes the same digest from the stored values.
    changes_value = json.loads(canonical_json(dict(changes))) if changes is not None else None
    with transaction.atomic():
        _lock_chain_head()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        prev_sequence, prev_hash = last if last else (0, GENESIS_HASH)
        event = AuditEvent(
            sequence=prev_sequence + 1,
            at=timezone.now(),
            actor=user,
            actor_label=(user.get_username() if user else str(actor or "anonymous"))[:200],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            nominal_id=str(nominal_id or ""),
            outcome=outcome,
            changes=changes_value,
            values_digest=values_digest(changes_value),
            detail=json.loads(canonical_json(dict(detail or {}))),
            ip_address=client_ip(request),
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        if getattr(settings, "MAPPA_AUDIT_SHIP", None):
            # Only once the outermost transaction commits: a rolled-back event is never
            # shipped, and a shipping failure cannot undo or hold up the database write.
            from mappa.audit.shipping import ship_event

            # A named function: Django names a failing robust callback by __qualname__,
            # which functools.partial lacks.
            def ship_committed_event() -> None:
                ship_event(event)

            transaction.on_commit(ship_committed_event, robust=True)
    return event


def diff_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field-level [before, after] pairs for the fields that changed."""
    keys = sorted(set(before) | set(after))
    return {
        key: [before.get(key), after.get(key)]
        for key in keys
        if canonical_json(before.get(key)) != canonical_json(after.get(key))
    }


ERASURE_ACTION = "audit.values_erased"
_ERASE_BATCH = 500


@transaction.atomic
def audit_erase_values(*, event_ids: Iterable[int], reason: str, actor: Any) -> AuditEvent | None:
    """Erase the before/after values of audit events under a retention decision.

    Only the values beside the chain go; their digest stays in the chained content,
    so the chain still verifies and verify_audit reports these rows as erased. The
    erasure is itself an audit event naming every row it erased, which is what
    verify_audit accepts as the authority for an erased row (decisions.md, "Access
    and audit"). Rows without values, or already erased, are left alone. Returns the
    erasure event, or None when there was nothing to erase.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Enter the reason for erasing the values"]})
    wanted = sorted({int(event_id) for event_id in event_ids})
    erased_at = timezone.now()
    erased: list[int] = []
    for start in range(0, len(wanted), _ERASE_BATCH):
        rows = AuditEvent.objects.filter(
            sequence__in=wanted[start : start + _ERASE_BATCH],
            changes__isnull=False,
            erased_at__isnull=True,
        )
        batch = list(rows.values_list("sequence", flat=True))
        AuditEvent.objects.filter(sequence__in=batch).update(changes=None, erased_at=erased_at)
        erased.extend(batch)
    if not erased:
        return None
    return audit_record(
        actor=actor,
        action=ERASURE_ACTION,
        object_type="audit.auditevent",
        detail={
            "event_ids": sorted(erased),
            "reason": reason,
            "requested": len(wanted),
            "erased": len(erased),
        },
    )
