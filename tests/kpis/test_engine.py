"""The KPI engine against the hand-built fixture (numbers worked out in conftest.py)."""

import datetime as dt
from fractions import Fraction

import pytest

from mappa.kpis import engine, measures
from mappa.kpis.engine import (
    KpiResult,
    PeriodError,
    UnknownKpiError,
    compute_kpi,
    compute_kpis,
    trend,
)
from mappa.minutes.models import Minutes, MinutesAmendment, MinutesStatus
from tests.kpis.conftest import Q1_END, Q1_START, World, d

pytestmark = pytest.mark.django_db

IDS = [
    "level3_reviews_on_time",
    "level2_reviews_on_time",
    "disclosure_considered",
    "smb_attendance",
    "meeting_attendance",
]


def by_id(results: list[KpiResult]) -> dict[str, KpiResult]:
    return {r.id: r for r in results}


def figures(result: KpiResult) -> tuple[int, int, float | None, bool | None]:
    return result.numerator, result.denominator, result.value, result.met


@pytest.fixture
def q1(world: World) -> dict[str, KpiResult]:
    return by_id(compute_kpis(start=Q1_START, end=Q1_END))


def test_every_kpi_of_the_profile_in_its_order_with_its_name_and_target(q1) -> None:
    results = compute_kpis(start=Q1_START, end=Q1_END)
    assert [r.id for r in results] == IDS
    level3 = results[0]
    assert level3.name == "Level 3 cases reviewed at least every six weeks"
    assert level3.source == "J 16.2 (1)"
    assert level3.measure.startswith("Level 3 cases")
    assert [r.target for r in results] == [0.9, 0.85, 1.0, 0.9, 0.9]


# Level 3 reviews -------------------------------------------------------------------


def test_level3_reviews(q1) -> None:
    assert figures(q1["level3_reviews_on_time"]) == (4, 8, 0.5, False)


def family(item: engine.FailingItem) -> str:
    assert item.nominal_id is not None
    return engine.Nominal.objects.get(pk=item.nominal_id).family_name


def _failing_of(result: KpiResult) -> list[tuple[str, dt.date | None, int | None]]:
    return sorted((family(f), f.due, f.days_late) for f in result.failing)


def test_level3_failing_reviews_name_case_level_lead_agency_due_and_days_late(q1) -> None:
    result = q1["level3_reviews_on_time"]
    assert _failing_of(result) == [
        ("Birch", d(1, 13), 1),
        ("Damson", d(3, 24), None),
        ("Gorse", d(1, 27), 7),
        ("Gorse", d(3, 17), None),
    ]
    birch = next(f for f in result.failing if f.days_late == 1)
    assert birch.kind == "review"
    assert birch.level == 3
    assert birch.lead_agency == "States of Jersey Police"
    assert birch.case_reference.endswith("/1")
    assert birch.meeting_date == d(1, 14)
    assert birch.detail == (
        "Level 3 review due 13 January 2025 after the meeting of 2 December 2024: "
        "held 14 January 2025, 1 day late"
    )
    damson = next(f for f in result.failing if f.due == d(3, 24))
    assert damson.detail.endswith("not held by 31 March 2025 (7 days overdue then)")
    assert damson.meeting_date is None


def test_a_review_exactly_six_weeks_later_is_met_and_one_day_later_missed(world: World) -> None:
    # 13 and 14 January: Alder's due (2 Dec + 42 = 13 Jan) met that day, Birch's
    # missed (held 14 Jan).
    result = compute_kpi("level3_reviews_on_time", start=d(1, 13), end=d(1, 14))
    assert figures(result) == (1, 2, 0.5, False)
    assert [f.days_late for f in result.failing] == [1]
    # A period ending on the due date: the review was not yet held at its end.
    result = compute_kpi("level3_reviews_on_time", start=d(1, 13), end=d(1, 13))
    assert figures(result) == (1, 2, 0.5, False)
    assert [f.days_late for f in result.failing] == [None]


def test_a_case_that_left_level_3_or_closed_before_its_due_date_has_no_due(world) -> None:
    # Cedar's due would be 24 Feb (moved to level 2 on 3 Feb); Elder's 3 Mar (archived 20 Feb).
    on_24_feb = compute_kpi("level3_reviews_on_time", start=d(2, 24), end=d(2, 24))
    assert figures(on_24_feb) == (1, 1, 1.0, True)  # Alder only
    on_3_mar = compute_kpi("level3_reviews_on_time", start=d(3, 3), end=d(3, 3))
    assert figures(on_3_mar) == (1, 1, 1.0, True)  # Fig only, across the end of February


def test_a_review_still_outstanding_today_counts_as_missed_and_later_ones_not_yet(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On 25 March 2025 Damson's review (due 24 Mar) is one day overdue; Gorse's (17 Mar)
    # is missed; nothing falls due after today.
    monkeypatch.setattr(engine, "today", lambda: d(3, 25))
    result = compute_kpi("level3_reviews_on_time", start=d(3, 1), end=d(3, 31))
    assert figures(result) == (1, 3, 1 / 3, False)
    damson = next(f for f in result.failing if f.due == d(3, 24))
    assert damson.days_late is None
    assert damson.detail.endswith("not held by 25 March 2025 (1 day overdue then)")
    monkeypatch.setattr(engine, "today", lambda: d(3, 23))
    assert figures(compute_kpi("level3_reviews_on_time", start=d(3, 1), end=d(3, 31))) == (
        1,
        2,
        0.5,
        False,
    )


# Level 2 reviews -------------------------------------------------------------------


def test_level2_reviews(q1) -> None:
    result = q1["level2_reviews_on_time"]
    assert figures(result) == (2, 3, 2 / 3, False)
    assert _failing_of(result) == [("Holly", d(1, 27), 1)]
    assert result.failing[0].level == 2
    assert result.failing[0].lead_agency == "Probation and After-Care Service"


def test_level2_review_exactly_twelve_weeks_later_is_met(world) -> None:
    result = compute_kpi("level2_reviews_on_time", start=d(1, 27), end=d(1, 27))
    assert figures(result) == (1, 2, 0.5, False)  # Hazel met on the day, Holly a day late
    across_month_end = compute_kpi("level2_reviews_on_time", start=d(3, 1), end=d(3, 3))
    assert figures(across_month_end) == (1, 1, 1.0, True)  # Juniper: 9 Dec + 84 = 3 Mar


# Disclosure ------------------------------------------------------------------------


def test_disclosure_considered(q1) -> None:
    result = q1["disclosure_considered"]
    assert figures(result) == (9, 13, 9 / 13, False)
    details = sorted((f.meeting_date, family(f), f.detail) for f in result.failing)
    assert details == [
        (d(1, 13), "Alder", "Level 3 meeting of 13 January 2025: no minutes have been written"),
        (
            d(1, 13),
            "Cedar",
            "Level 3 meeting of 13 January 2025: the minutes record a decision to disclose "
            "without saying why, what, by whom, to whom and by when",
        ),
        (
            d(1, 14),
            "Birch",
            "Level 3 meeting of 14 January 2025: the minutes record no decision on disclosure",
        ),
        (
            d(1, 20),
            "Elder",
            "Level 3 meeting of 20 January 2025: the minutes record a decision not to "
            "disclose without the reasons",
        ),
    ]
    birch = next(f for f in result.failing if f.meeting_date == d(1, 14))
    assert (birch.kind, birch.level, birch.lead_agency, birch.due) == (
        "discussion",
        3,
        "States of Jersey Police",
        d(1, 14),
    )


def test_a_decision_corrected_by_amendment_counts_as_corrected(world: World) -> None:
    def amend(name: str, day: dt.date, field: str, after: str) -> None:
        minutes = Minutes.objects.get(agenda_item=world.items[(name, day)])
        Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.DISTRIBUTED)
        MinutesAmendment.objects.create(
            minutes=minutes,
            field=field,
            before=getattr(minutes, field),
            after=after,
            reason="Correction agreed by the chair",
            author=world.personas.coordinator,
        )

    # Cedar's "yes" gains its "to whom"; Fig's reasons of 3 March are corrected away.
    amend("Cedar", d(1, 13), "disclosure_to_whom", "The new partner")
    amend("Fig", d(3, 3), "disclosure_reasons", "first wrong")
    amend("Fig", d(3, 3), "disclosure_reasons", " ")  # the latest amendment wins
    result = compute_kpi("disclosure_considered", start=Q1_START, end=Q1_END)
    assert figures(result) == (9, 13, 9 / 13, False)
    assert sorted((f.meeting_date, family(f)) for f in result.failing) == [
        (d(1, 13), "Alder"),
        (d(1, 14), "Birch"),
        (d(1, 20), "Elder"),
        (d(3, 3), "Fig"),
    ]
    fig = next(f for f in result.failing if f.meeting_date == d(3, 3))
    assert fig.detail.endswith("a decision not to disclose without the reasons")
    assert fig.lead_agency == "Probation and After-Care Service"


def test_decision_recorded_in_python_matches_the_minutes_rules() -> None:
    complete = {
        "disclosure": "yes",
        "disclosure_reasons": "Risk to the new partner",
        "disclosure_what": "The offence",
        "disclosure_by_date": "2025-02-01",
        "disclosure_by_whom": "DS Amelia Le Cornu",
        "disclosure_to_whom": "The new partner",
    }
    assert measures.decision_recorded(complete)
    for field in measures.DISCLOSURE_FIELDS[1:]:
        assert not measures.decision_recorded(
            {**complete, field: "  " if field != "disclosure_by_date" else None}
        )
    assert measures.decision_recorded({"disclosure": "no", "disclosure_reasons": "None at risk"})
    assert not measures.decision_recorded({"disclosure": "no", "disclosure_reasons": "\n "})
    assert not measures.decision_recorded({"disclosure": ""})


# Attendance ------------------------------------------------------------------------


def test_meeting_attendance_per_agency(q1) -> None:
    result = q1["meeting_attendance"]
    assert figures(result) == (6, 8, 0.75, False)
    seats = {s.label: (s.numerator, s.denominator, s.met) for s in result.seats}
    assert seats == {
        "Housing": (1, 2, False),
        "Probation and After-Care Service": (3, 3, True),
        "States of Jersey Police": (2, 3, False),
    }
    assert [s.label for s in result.seats] == sorted(seats)
    failing = sorted((f.agency, f.meeting_date, f.detail) for f in result.failing)
    assert [(a, day) for a, day, _ in failing] == [
        ("Housing", d(1, 13)),
        ("States of Jersey Police", d(2, 17)),
    ]
    assert failing[0][2].endswith("at the level 3 meeting of 13 January 2025: sent apologies")
    assert failing[1][2].endswith(": absent")
    police = next(f for f in result.failing if f.agency == "States of Jersey Police")
    assert (police.kind, police.level, police.lead_agency) == (
        "attendance",
        2,
        "States of Jersey Police",
    )


def test_an_agency_that_sent_only_a_report_counts_as_attended(world) -> None:
    # 17 Feb: housing sent a report to Juniper's discussion.
    result = compute_kpi("meeting_attendance", start=d(2, 17), end=d(2, 17))
    housing = next(s for s in result.seats if s.label == "Housing")
    assert (housing.numerator, housing.denominator, housing.value, housing.met) == (
        1,
        1,
        1.0,
        True,
    )


def test_every_agency_at_the_target_meets_the_kpi(world) -> None:
    # 13 January alone: police 2 of 2, probation 2 of 2, housing 0 of 1: not met.
    jan13 = compute_kpi("meeting_attendance", start=d(1, 13), end=d(1, 13))
    assert figures(jan13) == (4, 5, 0.8, False)
    # With only the police: 2 of 2 on that day, met.
    police = compute_kpi(
        "meeting_attendance", start=d(1, 13), end=d(1, 13), agency_id=world.personas.police.pk
    )
    assert figures(police) == (2, 2, 1.0, True)
    assert police.failing == ()


# SMB -------------------------------------------------------------------------------


def test_smb_attendance_per_seat(q1) -> None:
    result = q1["smb_attendance"]
    assert figures(result) == (25, 27, 25 / 27, False)
    assert [(s.label, s.numerator, s.denominator, s.met) for s in result.seats] == [
        ("Chief Officer, States of Jersey Police", 9, 10, True),  # exactly 90%: met
        ("Chief Probation Officer", 10, 10, True),
        ("Director of Housing", 4, 5, False),
        ("Director of Education", 2, 2, True),
    ]
    assert result.seats[0].value == 0.9
    assert [(f.seat, f.due, f.kind) for f in result.failing] == [
        ("Director of Housing", d(3, 3), "smb_attendance")
    ]
    assert result.failing[0].detail == "Director of Housing: SMB meeting of 3 March 2025, absent"
    assert result.failing[0].case_reference == ""


def test_a_seat_at_exactly_the_target_meets_it() -> None:
    assert engine.reaches(9, 10, Fraction("0.9"))
    assert not engine.reaches(8, 10, Fraction("0.9"))
    assert engine.reaches(17, 20, Fraction("0.85"))


# Filters, empty periods and bad periods ---------------------------------------------


def test_agency_filter(world: World) -> None:
    police = by_id(compute_kpis(start=Q1_START, end=Q1_END, agency_id=world.personas.police.pk))
    assert figures(police["level3_reviews_on_time"])[:2] == (1, 2)  # Birch
    assert figures(police["level2_reviews_on_time"])[:2] == (1, 1)  # Juniper
    assert figures(police["disclosure_considered"])[:2] == (2, 3)  # Birch twice, Juniper
    assert figures(police["meeting_attendance"])[:2] == (2, 3)
    assert [s.label for s in police["meeting_attendance"].seats] == ["States of Jersey Police"]
    assert figures(police["smb_attendance"]) == (9, 10, 0.9, True)
    assert {f.lead_agency for f in police["level3_reviews_on_time"].failing} == {
        "States of Jersey Police"
    }


def test_an_empty_period_counts_nothing_and_divides_by_nothing(world) -> None:
    for result in compute_kpis(start=dt.date(2023, 1, 1), end=dt.date(2023, 3, 31)):
        assert figures(result) == (0, 0, None, None)
        assert result.failing == ()
        assert result.seats == ()


def test_an_empty_register_counts_nothing(db) -> None:
    for result in compute_kpis(start=Q1_START, end=Q1_END):
        assert figures(result) == (0, 0, None, None)


def test_a_one_day_period_is_allowed_and_end_before_start_is_refused(db) -> None:
    compute_kpis(start=Q1_START, end=Q1_START)
    with pytest.raises(PeriodError, match="The end date must be the same as or after"):
        compute_kpis(start=Q1_END, end=Q1_START)
    with pytest.raises(PeriodError):
        compute_kpi("smb_attendance", start=Q1_END, end=Q1_START)


def test_an_unknown_kpi_id_is_refused_by_name(db) -> None:
    with pytest.raises(UnknownKpiError, match="no KPI 'nonsense'"):
        compute_kpi("nonsense", start=Q1_START, end=Q1_END)
    with pytest.raises(UnknownKpiError):
        trend("nonsense", end=Q1_END)


def test_a_profile_kpi_the_engine_cannot_count_is_reported_with_a_note(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = engine.current_profile(Q1_END)
    extra = engine.Kpi(
        id="victim_contact", name="Victims contacted", measure="...", target=0.8, source="local"
    )
    monkeypatch.setattr(type(profile), "kpis", property(lambda self: [extra]))
    [result] = compute_kpis(start=Q1_START, end=Q1_END)
    assert (result.id, result.value, result.met, result.denominator) == (
        "victim_contact",
        None,
        None,
        0,
    )
    assert "does not yet know how to count" in result.note


# Trend ------------------------------------------------------------------------------


def test_trend_gives_eight_quarters_that_agree_with_each_period(world: World) -> None:
    series = trend(end=d(3, 31))
    assert list(series) == IDS
    points = series["level3_reviews_on_time"]
    assert [p.label for p in points][-2:] == ["October to December 2024", "January to March 2025"]
    assert len(points) == 8
    assert points[0].start == dt.date(2023, 4, 1)
    for kpi_id, quarter in series.items():
        for point in quarter[-2:]:
            alone = compute_kpi(kpi_id, start=point.start, end=point.end)
            assert figures(point.result) == figures(alone), (kpi_id, point.label)
            assert point.result.seats == alone.seats
            assert point.result.failing == ()


def test_trend_last_quarter_runs_to_the_end_date(world: World) -> None:
    [point] = trend("smb_attendance", quarters=1, end=d(2, 9))["smb_attendance"]
    assert (point.start, point.end) == (d(1, 1), d(2, 9))
    # Police: 6 Jan to 3 Feb, five meetings, all attended (two by a deputy).
    assert point.result.seats[0].numerator == point.result.seats[0].denominator == 5


def test_how_counted_explains_each_kpi_in_plain_words(db) -> None:
    assert "6 weeks later" in engine.how_counted("level3_reviews_on_time")
    assert "12 weeks later" in engine.how_counted("level2_reviews_on_time")
    for kpi_id in IDS:
        assert engine.how_counted(kpi_id) != engine.UNKNOWN_NOTE
