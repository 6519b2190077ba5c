"""The demo area's two years of history (issue 6, point 9), built once as `make run`
builds it: every KPI and every annual-report table has real figures, some KPIs met and
some missed, and the dashboard's eight quarters all have reviews and discussions."""

import datetime as dt
from collections import Counter

import pytest

from mappa.common.dates import today
from mappa.kpis.engine import compute_kpis
from mappa.meetings.models import AgendaItem, Meeting, MeetingStatus
from mappa.minutes.models import Minutes
from mappa.outcomes.models import OrderType, OutcomeEvent, OutcomeKind
from mappa.profiles.calendar import add_months
from mappa.profiles.selectors import current_area
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.management import demo_area
from mappa.register.models import CaseState
from mappa.smb.models import SmbAttendance, SmbMeeting, SmbMeetingStatus, SmbSeat

pytestmark = pytest.mark.django_db

REVIEW_AND_DISCLOSURE = (
    "level3_reviews_on_time",
    "level2_reviews_on_time",
    "disclosure_considered",
)
# J 15.2: the minimum membership of the board, by agency kind.
SMB_MINIMUM = {
    "police",
    "probation",
    "prison",
    "coordination",
    "housing",
    "health",
    "education",
    "customs_immigration",
}


def _quarters(day: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The dashboard's trend: the eight calendar quarters ending with today's, the
    current one cut at today."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    out = []
    for back in range(7, -1, -1):
        start = add_months(first, -3 * back)
        out.append((start, min(add_months(start, 3) - dt.timedelta(days=1), day)))
    return out


def _counts() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "items": AgendaItem.objects.count(),
        "minutes": Minutes.objects.count(),
        "referrals": Referral.objects.count(),
        "smb": SmbMeeting.objects.count(),
        "outcomes": OutcomeEvent.objects.count(),
        "states": CaseState.objects.count(),
    }


def test_two_years_of_demo_history_give_every_kpi_and_table_real_figures() -> None:
    from mappa.compliance.services import area_due_items
    from mappa.register.management.commands.load_demo_area import _build_casework

    demo_area.load_demo_area()
    lines = _build_casework()
    assert len(lines) == 5, lines
    day = today()

    # Every KPI over the last year has something to count; some met, some missed.
    year = compute_kpis(start=add_months(day, -12) + dt.timedelta(days=1), end=day)
    assert {k.id for k in year} >= {*REVIEW_AND_DISCLOSURE, "smb_attendance", "meeting_attendance"}
    for kpi in year:
        assert kpi.denominator > 0, kpi.id
        assert kpi.value is not None and kpi.met is not None, kpi.id
    met = {k.id for k in year if k.met}
    assert met and len(met) < len(year), met
    by_id = {k.id: k for k in year}
    # Per-member KPIs: one SMB seat and one or two agencies below 90%, the rest above.
    for kpi_id in ("smb_attendance", "meeting_attendance"):
        rates = [s.met for s in by_id[kpi_id].seats]
        assert rates.count(False) in (1, 2) and rates.count(True) >= 3, (kpi_id, rates)

    # The trend: each of the eight quarters has reviews due and discussions held (the
    # current quarter once it has run long enough for reviews to fall due).
    quarters = _quarters(day)
    seen: dict[str, Counter[bool]] = {kpi: Counter() for kpi in REVIEW_AND_DISCLOSURE}
    for start, end in quarters:
        results = {k.id: k for k in compute_kpis(start=start, end=end)}
        for kpi_id in REVIEW_AND_DISCLOSURE:
            if (end - start).days < 42 and end == day:
                continue
            assert results[kpi_id].denominator > 0, (kpi_id, start)
            seen[kpi_id][bool(results[kpi_id].met)] += 1
    for kpi_id, outcomes in seen.items():
        # Met in some quarters and missed in others, as a real area's trend is.
        assert outcomes[True] and outcomes[False], (kpi_id, outcomes)

    # Every kind of outcome event, in the last twelve months and in the last full
    # calendar year (Jersey's annual report year).
    last_year = (dt.date(day.year - 1, 1, 1), dt.date(day.year - 1, 12, 31))
    for first, last in ((add_months(day, -12), day), last_year):
        kinds = set(
            OutcomeEvent.objects.filter(occurred_on__range=(first, last)).values_list(
                "kind", flat=True
            )
        )
        assert kinds == set(OutcomeKind.values), set(OutcomeKind.values) - kinds
    shpo = OutcomeEvent.objects.filter(kind=OutcomeKind.ORDER_IMPOSED, order_type=OrderType.SHPO)
    assert shpo.filter(foreign_travel_restrictions=True).exists()
    assert shpo.filter(foreign_travel_restrictions=False).exists()
    # Orders of every type the annual report lists (T5), and returns to custody of each kind.
    imposed = set(
        OutcomeEvent.objects.filter(kind=OutcomeKind.ORDER_IMPOSED).values_list(
            "order_type", flat=True
        )
    )
    assert imposed >= {"shpo", "sexual_risk_order", "notification_order", "foreign_travel_order"}
    assert current_area().population == 103_267

    # Referrals received, accepted and declined in each of the two years.
    for first, last in ((add_months(day, -12), day), last_year):
        decided = Referral.objects.filter(received_on__range=(first, last))
        assert decided.filter(status=ReferralStatus.ACCEPTED).exists()
        assert decided.filter(status=ReferralStatus.DECLINED).exists()

    # The board: J 15.2's seats, held; quarterly meetings with a rotating chair.
    seats = SmbSeat.objects.select_related("agency")
    assert SMB_MINIMUM <= {s.agency.kind for s in seats}
    assert all(s.holders.exists() and s.minimum_grade for s in seats)
    held = SmbMeeting.objects.filter(status=SmbMeetingStatus.HELD, date__gte=add_months(day, -24))
    assert 7 <= held.count() <= 9
    assert held.values("chair_seat").distinct().count() >= 3
    assert all(m.minutes.strip() for m in held)
    assert SmbAttendance.objects.filter(status="deputy").exists()

    # Level changes over time, decided at meetings.
    moved = CaseState.objects.filter(effective_from__gt=add_months(day, -24)).exclude(
        reason__startswith="Added"
    )
    assert moved.filter(level=1).exists() and moved.filter(level=2).exists()
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).count() == 1

    # The annual report of the last full year: every table has a figure.
    from mappa.annual.report import annual_report

    report = annual_report(year=day.year - 1)
    for table in report.tables:
        values = [v for row in table.rows for v in row.values if v]
        assert values, table.title

    # Issue 4 point 8 and issue 5 point 12 still hold on the full area.
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {
        ReferralStatus.DRAFT,
        ReferralStatus.AWAITING_ENDORSEMENT,
        ReferralStatus.AWAITING_SCREENING,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.RETURNED,
    } <= statuses
    states = {(e.item.kind, e.state) for e in area_due_items(day)}
    assert {"identification", "referral", "home_visit", "first_meeting", "review"} <= {
        kind for kind, _ in states
    }
    assert {"overdue", "met", "not_yet_due"} <= {state for _, state in states}

    # Built once: a second run changes nothing.
    before = _counts()
    assert not demo_area.load_demo_area().loaded
    _build_casework()
    assert _counts() == before
