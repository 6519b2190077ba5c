"""The dashboard and the SMB pack as data: what the page, the PDF and the spreadsheet
all show, built once so that the three agree."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from mappa.dashboard import selectors
from mappa.dashboard.forms import Period
from mappa.dashboard.periods import Quarter, period_words
from mappa.dashboard.selectors import DueTable, PopulationTable, Rating, TrendPoint, rate
from mappa.dashboard.svg import trend_chart
from mappa.kpis.engine import KpiResult, SeatFigure
from mappa.smb.models import SMB_COUNTS_AS_ATTENDED, SmbMeeting, SmbSeat


@dataclass(frozen=True)
class SeatRow:
    seat: SeatFigure
    rating: Rating


@dataclass(frozen=True)
class KpiCard:
    result: KpiResult
    rating: Rating
    trend: list[TrendPoint]
    chart: SafeString

    @property
    def id(self) -> str:
        return self.result.id

    @property
    def how_counted(self) -> str:
        return selectors.how_counted(self.result.id)

    @property
    def value(self) -> str:
        return selectors.percent(self.result.value)

    @property
    def target(self) -> str:
        return selectors.percent(self.result.target)

    @property
    def seats(self) -> list[SeatRow]:
        return [SeatRow(seat, seat_rating(seat, self.result.target)) for seat in self.result.seats]

    @property
    def per_member(self) -> bool:
        return self.result.id in {"smb_attendance", "meeting_attendance"}


def seat_rating(seat: SeatFigure, target: float) -> Rating:
    return rate(
        KpiResult(
            id=seat.id,
            name=seat.label,
            measure="",
            source="",
            target=target,
            numerator=seat.numerator,
            denominator=seat.denominator,
            value=seat.value,
            met=seat.met,
        )
    )


@dataclass(frozen=True)
class Dashboard:
    period: Period
    generated: dt.date
    cards: list[KpiCard]
    population: list[PopulationTable]
    due: list[DueTable]

    @property
    def missed(self) -> list[KpiCard]:
        return [c for c in self.cards if c.rating.missed]


def kpi_cards(period: Period, today: dt.date) -> list[KpiCard]:
    results = selectors.kpi_results(period.start, period.end, period.agency_id)
    trends = selectors.kpi_trends(period.end, period.agency_id)
    cards = []
    for result in results:
        points = trends.get(result.id, [])
        cards.append(
            KpiCard(
                result=result,
                rating=rate(result),
                trend=points,
                chart=trend_chart(f"trend-{result.id}", result.name, result.target, points),
            )
        )
    return cards


def dashboard(period: Period, today: dt.date) -> Dashboard:
    return Dashboard(
        period=period,
        generated=today,
        cards=kpi_cards(period, today),
        population=selectors.population(period.agency_id),
        due=selectors.due_summary(today, period.agency_id),
    )


# The quarterly SMB pack ---------------------------------------------------------------


@dataclass(frozen=True)
class PackMeeting:
    meeting: SmbMeeting
    attendance: list[tuple[SmbSeat, str, bool]]  # seat, status in words, counts


@dataclass(frozen=True)
class Pack:
    quarter: Quarter
    start: dt.date
    end: dt.date
    generated: dt.date
    dashboard: Dashboard
    meetings: list[PackMeeting]

    @property
    def words(self) -> str:
        return period_words(self.start, self.end)

    @property
    def smb_seats(self) -> list[SeatRow]:
        card = next((c for c in self.dashboard.cards if c.id == "smb_attendance"), None)
        return card.seats if card else []


def smb_meetings(start: dt.date, end: dt.date) -> list[PackMeeting]:
    """The board's meetings in the quarter with each seat's attendance: two queries."""
    meetings = list(
        SmbMeeting.objects.filter(date__gte=start, date__lte=end)
        .select_related("chair_seat")
        .prefetch_related("attendance__seat")
        .order_by("date")
    )
    out = []
    for meeting in meetings:
        rows = sorted(meeting.attendance.all(), key=lambda a: (a.seat.position, a.seat.title))
        out.append(
            PackMeeting(
                meeting,
                [
                    (a.seat, a.get_status_display(), a.status in SMB_COUNTS_AS_ATTENDED)
                    for a in rows
                ],
            )
        )
    return out


def pack(quarter: Quarter, today: dt.date) -> Pack:
    start, end = quarter.to_date(today)
    period = Period(start, end, quarter, None)
    return Pack(
        quarter=quarter,
        start=start,
        end=end,
        generated=today,
        dashboard=dashboard(period, today),
        meetings=smb_meetings(start, end),
    )


def failing_columns(result: KpiResult) -> dict[str, Any]:
    """Which columns a KPI's failing items need (a seat has no case, a review no agency)."""
    items = result.failing
    return {
        "case": any(i.case_reference for i in items),
        "level": any(i.level is not None for i in items),
        "lead_agency": any(i.lead_agency for i in items),
        "due": any(i.due for i in items),
        "days_late": any(i.due for i in items),
        "meeting": any(i.meeting_date for i in items),
        "agency": any(i.agency for i in items),
        "seat": any(i.seat for i in items),
    }
