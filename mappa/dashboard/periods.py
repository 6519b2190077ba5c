"""Calendar quarters and reporting periods for the dashboard and the SMB pack.

The board meets quarterly (J 15.3) and reads its figures by calendar quarter; the
trend runs over the last eight quarters. A period is any inclusive range of days.
"""

import datetime as dt
from dataclasses import dataclass

TREND_QUARTERS = 8
# Dates outside this range are refused with a message (a year 0001 would otherwise
# break the eight quarters counted back from it).
EARLIEST = dt.date(2000, 1, 1)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str) -> "Quarter | None":
        """``2026-Q3`` (as the quarter picker sends it), or None."""
        text = (value or "").strip().upper()
        year, sep, number = text.partition("-Q")
        if not sep or not year.isdigit() or len(year) != 4 or number not in {"1", "2", "3", "4"}:
            return None
        quarter = cls(int(year), int(number))
        return quarter if quarter.start >= EARLIEST else None

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        first = MONTH_NAMES[3 * self.number - 3]
        last = MONTH_NAMES[3 * self.number - 1]
        return f"{first} to {last} {self.year}"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.year}"

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def to_date(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The quarter's days, cut at ``today`` when it has not ended yet."""
        return self.start, min(self.end, max(today, self.start))


def last_quarters(end: dt.date, count: int = TREND_QUARTERS) -> list[Quarter]:
    """The ``count`` quarters ending with the one holding ``end``, oldest first."""
    quarters = [Quarter.of(end)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))


def quarter_choices(today: dt.date, count: int = 12) -> list[tuple[str, str]]:
    """The picker's options: this quarter and the ``count - 1`` before it, newest first."""
    quarters = list(reversed(last_quarters(today, count)))
    return [(q.key, f"{q.label}{' (to date)' if q == Quarter.of(today) else ''}") for q in quarters]


def period_words(start: dt.date, end: dt.date) -> str:
    """``1 July to 30 September 2026``, ``14 to 27 November 2026``,
    ``1 December 2025 to 5 January 2026``."""
    if start == end:
        return f"{end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
    first = f"{start.day}"
    if (start.year, start.month) != (end.year, end.month):
        first += f" {MONTH_NAMES[start.month - 1]}"
    if start.year != end.year:
        first += f" {start.year}"
    return f"{first} to {end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
