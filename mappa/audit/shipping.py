"""Shipping audit events, as they are written, to a store outside the database.

A copy held elsewhere is what makes a rewrite of the chain detectable by someone who
can also recompute its hashes (``verify_audit --shipped``). Each committed event is
sent as one JSON line holding the chained content and its hash; the erasable values
are left out unless the target asks for them, so that a retention erasure in the
database is not undone by the copy (decisions.md, "Access and audit").

``settings.MAPPA_AUDIT_SHIP`` (read at each send, so tests can override it):

- ``None``: no shipping (the default)
- ``{"kind": "file", "path": "/var/log/mappa/audit.jsonl"}``
- ``{"kind": "syslog", "address": "/dev/log"}`` or ``{"kind": "syslog", "address": ["host", 514]}``
  (UDP, so a slow or absent collector never holds up a request), with an optional
  ``"facility"`` (default ``"local0"``)

Either may add ``"include_values": True`` to ship the before/after values too.
A failure to ship is logged and never raised: the database write has already
committed and stands.
"""

import json
import logging
import os
import threading
from logging.handlers import SysLogHandler
from typing import Any

from django.conf import settings

from mappa.audit.models import AuditEvent
from mappa.audit.services import canonical_json, hashed_content

logger = logging.getLogger("mappa.audit.shipping")

_handlers: dict[str, SysLogHandler] = {}
_handlers_lock = threading.Lock()


def shipped_record(event: AuditEvent, *, include_values: bool = False) -> dict[str, Any]:
    """The line shipped for ``event``: its chained content and hash."""
    record = hashed_content(event)
    record["hash"] = event.hash
    if include_values:
        record["changes"] = event.changes
    return record


def ship_line(event: AuditEvent, target: dict[str, Any]) -> str:
    return canonical_json(shipped_record(event, include_values=bool(target.get("include_values"))))


class _RaisingSysLogHandler(SysLogHandler):
    """The standard handler prints send errors to stderr; raise them so they are logged."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        # Called from inside the handler's except block: re-raise what it caught.
        raise


def _syslog_handler(target: dict[str, Any]) -> SysLogHandler:
    address = target.get("address", "/dev/log")
    facility = str(target.get("facility", "local0"))
    key = json.dumps([address, facility])
    with _handlers_lock:
        handler = _handlers.get(key)
        if handler is None:
            handler = _RaisingSysLogHandler(
                address=tuple(address) if isinstance(address, list | tuple) else str(address),
                facility=SysLogHandler.facility_names[facility],
            )
            handler.ident = "mappa-audit: "
            handler.append_nul = False
            _handlers[key] = handler
    return handler


def _send_file(path: str, line: str) -> None:
    # One write() on a file opened for append: lines from several processes do not interleave.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
    finally:
        os.close(descriptor)


def _send_syslog(target: dict[str, Any], line: str) -> None:
    record = logging.makeLogRecord(
        {"name": "mappa.audit", "msg": line, "levelno": logging.INFO, "levelname": "INFO"}
    )
    _syslog_handler(target).handle(record)


def ship_event(event: AuditEvent) -> None:
    """Send one committed event to the configured store; log, never raise, on failure."""
    target = getattr(settings, "MAPPA_AUDIT_SHIP", None)
    if not target:
        return
    kind = target.get("kind") if isinstance(target, dict) else None
    try:
        line = ship_line(event, target)
        if kind == "file":
            _send_file(str(target["path"]), line)
        elif kind == "syslog":
            _send_syslog(target, line)
        else:
            raise ValueError(f"unknown audit shipping kind {kind!r}")
    except Exception:
        logger.exception("Audit event #%s was not shipped (%s)", event.sequence, kind)
