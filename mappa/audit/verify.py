"""Checking the audit chain: the logic behind ``manage.py verify_audit``.

The chain is walked in sequence order in batches (keyset pagination on the primary
key), so memory stays flat however many rows there are. For each row it checks:

1. its sequence number follows the previous row's (a gap is a deleted row, or a
   row inserted out of line);
2. its hash matches its content (an edited or forged row);
3. its previous hash is the hash of the row before it, or the genesis value for
   row #1 (a row deleted and the rest renumbered, a row replaced and re-hashed,
   or a row inserted);
4. its before/after values, when present, match the digest in the chained content;
   values that are absent must either never have existed (the digest of no values)
   or have been erased under retention: ``erased_at`` set and the row named by a
   later ``audit.values_erased`` event. Those rows are reported as erased, not
   tampered, and the chain still verifies (decisions.md, "Access and audit").

It stops at the first broken link and names the row.

A chain alone cannot show a rewrite by someone who recomputes every later hash, or
a table emptied outright; ``verify_shipped`` compares the database with the copy
shipped as it was written (mappa.audit.shipping) and catches both.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Max

from mappa.audit.models import AuditEvent
from mappa.audit.services import (
    ERASURE_ACTION,
    GENESIS_HASH,
    NO_VALUES_DIGEST,
    content_hash,
    event_hash,
    values_digest,
)

DEFAULT_BATCH_SIZE = 2000
ERASED_SAMPLE_SIZE = 100


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link: the row where the chain stops holding, and why."""

    sequence: int | None  # None: a shipped line that names no row
    kind: str  # "missing", "edited", "link", "values", "erasure", "shipped"
    message: str

    def __str__(self) -> str:
        return self.message if self.sequence is None else f"row #{self.sequence}: {self.message}"


@dataclass
class ChainReport:
    checked: int = 0
    erased: int = 0
    # The first few erased rows, for the summary; the count covers them all.
    erased_sequences: list[int] = field(default_factory=list)
    first_sequence: int | None = None
    last_sequence: int | None = None
    problem: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _batches(batch_size: int, up_to: int) -> Iterator[list[AuditEvent]]:
    # The first batch has no lower bound, so a forged row numbered 0 or below is seen.
    queryset = AuditEvent.objects.filter(sequence__lte=up_to).order_by("sequence")
    batch = list(queryset[:batch_size])
    while batch:
        yield batch
        batch = list(queryset.filter(sequence__gt=batch[-1].sequence)[:batch_size])


def _erasure_authority(up_to: int) -> dict[int, int]:
    """Each erased row's sequence mapped to the erasure event that names it."""
    authority: dict[int, int] = {}
    events = (
        AuditEvent.objects.filter(action=ERASURE_ACTION, sequence__lte=up_to)
        .order_by("sequence")
        .values_list("sequence", "detail")
    )
    for sequence, detail in events.iterator(chunk_size=200):
        ids = detail.get("event_ids", []) if isinstance(detail, dict) else []
        for erased in ids:
            if isinstance(erased, int):
                authority.setdefault(erased, sequence)
    return authority


def _missing(first: int, last: int) -> str:
    return f"row #{first} is" if first == last else f"rows #{first} to #{last} are"


def _check_values(event: AuditEvent, authority: dict[int, int]) -> ChainBreak | str | None:
    """A break, "erased" for a row erased under retention, or None when the values hold."""
    if event.changes is not None:
        if event.erased_at is not None:
            return ChainBreak(
                event.sequence, "values", "it is marked as erased but still holds values"
            )
        if values_digest(event.changes) != event.values_digest:
            return ChainBreak(
                event.sequence,
                "values",
                "its before and after values do not match their digest: the values were edited",
            )
        return None
    if event.erased_at is None:
        if event.values_digest != NO_VALUES_DIGEST:
            return ChainBreak(
                event.sequence,
                "values",
                "its before and after values have been removed without a retention erasure",
            )
        return None
    by = authority.get(event.sequence)
    if by is None or by <= event.sequence:
        return ChainBreak(
            event.sequence,
            "erasure",
            f"its values were erased but no later {ERASURE_ACTION} event names it",
        )
    return "erased"


def verify_chain(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_erased: Callable[[AuditEvent], None] | None = None,
) -> ChainReport:
    """Walk the whole chain; stop at the first broken link and name the row.

    Rows appended while the check runs are left for the next run: the walk ends at
    the last row that existed when it started.
    """
    report = ChainReport()
    up_to = AuditEvent.objects.aggregate(last=Max("sequence"))["last"]
    if up_to is None:
        return report
    authority = _erasure_authority(up_to)
    expected = 1
    previous_hash = GENESIS_HASH
    for batch in _batches(batch_size, up_to):
        for event in batch:
            report.checked += 1
            if report.first_sequence is None:
                report.first_sequence = event.sequence
            report.last_sequence = event.sequence
            problem = _check_event(event, expected, previous_hash)
            values = _check_values(event, authority) if problem is None else None
            if isinstance(values, ChainBreak):
                problem = values
            if problem is not None:
                report.problem = problem
                return report
            if values == "erased":
                report.erased += 1
                if len(report.erased_sequences) < ERASED_SAMPLE_SIZE:
                    report.erased_sequences.append(event.sequence)
                if on_erased is not None:
                    on_erased(event)
            previous_hash = event.hash
            expected = event.sequence + 1
    return report


def _check_event(event: AuditEvent, expected: int, previous_hash: str) -> ChainBreak | None:
    if event.sequence < expected:
        return ChainBreak(
            event.sequence,
            "missing",
            f"its sequence number is out of line (the chain starts at #1 and the next row "
            f"should be #{expected}): the row was inserted",
        )
    if event.sequence > expected:
        return ChainBreak(
            event.sequence,
            "missing",
            f"{_missing(expected, event.sequence - 1)} missing before it: deleted, "
            "or this row was inserted out of line",
        )
    if event_hash(event) != event.hash:
        return ChainBreak(
            event.sequence,
            "edited",
            "its content does not match its hash: the row was edited or forged",
        )
    if event.prev_hash != previous_hash:
        if expected == 1:
            message = (
                "it does not start the chain (its previous hash is not the genesis value): "
                "rows before it were deleted and the rest renumbered, or it was forged"
            )
        else:
            message = (
                f"it does not link to row #{expected - 1}: row #{expected - 1} was altered "
                "and re-hashed or replaced, a row was deleted and the rest renumbered, "
                "or this row was inserted"
            )
        return ChainBreak(event.sequence, "link", message)
    return None


@dataclass
class ShippedReport:
    lines: int = 0
    matched: int = 0
    database_rows: int = 0
    problem: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def not_shipped(self) -> int:
        """Rows in the database with no shipped copy (shipping off, lagging or failed)."""
        return max(self.database_rows - self.matched, 0)


def _shipped_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            text = text.strip()
            if not text:
                continue
            try:
                record = json.loads(text)
            except ValueError:
                yield number, None
                continue
            yield number, record if isinstance(record, dict) else None


def _compare_shipped(
    pending: list[tuple[int, dict[str, Any]]], report: ShippedReport
) -> ChainBreak | None:
    stored = dict(
        AuditEvent.objects.filter(sequence__in=[r["sequence"] for _, r in pending]).values_list(
            "sequence", "hash"
        )
    )
    for number, record in pending:
        sequence = record["sequence"]
        if sequence not in stored:
            return ChainBreak(
                sequence,
                "shipped",
                f"it is in the shipped copy (line {number}) but not in the database: deleted",
            )
        if stored[sequence] != record["hash"]:
            return ChainBreak(
                sequence,
                "shipped",
                f"it differs from the shipped copy (line {number}): the database row was "
                "altered or the chain rewritten from here",
            )
        report.matched += 1
    return None


def verify_shipped(path: Path | str, *, batch_size: int = DEFAULT_BATCH_SIZE) -> ShippedReport:
    """Compare every shipped line with the database row of the same sequence number.

    Each line must hash to its own recorded hash (the copy is intact), and the database
    must still hold that row with that hash. Streams the file; looks rows up in batches.
    """
    report = ShippedReport(database_rows=AuditEvent.objects.count())
    pending: list[tuple[int, dict[str, Any]]] = []
    for number, record in _shipped_lines(Path(path)):
        report.lines += 1
        if record is None or not isinstance(record.get("sequence"), int):
            report.problem = ChainBreak(
                None, "shipped", f"line {number} of the shipped copy is unreadable"
            )
            return report
        content = {k: v for k, v in record.items() if k not in ("hash", "changes")}
        if content_hash(content) != record.get("hash"):
            report.problem = ChainBreak(
                record["sequence"],
                "shipped",
                f"line {number} of the shipped copy does not match its own hash",
            )
            return report
        pending.append((number, record))
        if len(pending) >= batch_size:
            report.problem = _compare_shipped(pending, report)
            if report.problem:
                return report
            pending = []
    if pending:
        report.problem = _compare_shipped(pending, report)
    return report
