"""The KPI engine (J 16.2; issue 6, point 1; decisions.md "KPI output").

INTERFACE FIRST: the dataclasses and function signatures below are what the
dashboard, the annual report, the benchmark and the API use. The bodies are filled
in by the KPI work; keep the names and fields.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field


class PeriodError(ValueError):
    """A period the engine refuses, with the message a user reads
    ("The end date must be the same as or after the start date")."""


@dataclass(frozen=True)
class FailingItem:
    """One thing that made a KPI miss: a review due, a discussion, an agency's absence,
    an SMB seat's absence. Names are never held here: the viewer's access decides
    whether a name and a link are shown (decisions.md)."""

    kind: str  # "review", "discussion", "attendance", "smb_attendance"
    detail: str  # plain words: "Review due 12 March 2026, held 13 March (1 day late)"
    case_id: uuid.UUID | None = None
    case_reference: str = ""
    nominal_id: uuid.UUID | None = None
    level: int | None = None
    lead_agency: str = ""
    due: dt.date | None = None
    days_late: int | None = None  # None when never held (still outstanding at the end)
    meeting_id: uuid.UUID | None = None
    meeting_date: dt.date | None = None
    agency: str = ""  # the absent agency (meeting_attendance)
    seat: str = ""  # the SMB seat (smb_attendance)


@dataclass(frozen=True)
class SeatFigure:
    """One SMB seat's or one agency's own figures in a per-member KPI."""

    id: str
    label: str
    numerator: int
    denominator: int
    value: float | None
    met: bool | None


@dataclass(frozen=True)
class KpiResult:
    id: str
    name: str
    measure: str  # the definition in plain words, shown on the page
    source: str  # "J 16.2 (1)"
    target: float  # a fraction: 0.9
    numerator: int
    denominator: int
    value: float | None  # numerator / denominator, None when the denominator is 0
    met: bool | None  # None when there was nothing to count
    failing: tuple[FailingItem, ...] = ()
    seats: tuple[SeatFigure, ...] = field(default=())  # per-member KPIs only


def compute_kpis(
    *, start: dt.date, end: dt.date, agency_id: int | None = None
) -> list[KpiResult]:
    """Every KPI of the area's current profile for the period start..end inclusive.

    ``agency_id`` narrows to one agency (cases it led; its own attendance; its seats).
    Raises PeriodError for an end before the start.
    """
    raise NotImplementedError


def compute_kpi(
    kpi_id: str, *, start: dt.date, end: dt.date, agency_id: int | None = None
) -> KpiResult:
    raise NotImplementedError
