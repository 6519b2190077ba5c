"""The number of queries does not grow with the number of cases (issue 6, point 8)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.kpis.engine import compute_kpis, kpis_as_json, trend
from mappa.meetings.models import AttendanceStatus
from tests.conftest import Personas
from tests.kpis.conftest import Q1_END, Q1_START, Builder, World, build_world, d

pytestmark = pytest.mark.django_db

# Profile (area and version, twice: the engine and the JSON), two per review KPI, two
# for disclosure, three for each attendance KPI, one for the names.
MAX_QUERIES = 20


def grow(personas: Personas, world: World, extra: int) -> None:
    """``extra`` more level 3 cases, each discussed three times, with minutes and
    attendance, some late, some without a decision, some absent."""
    b = Builder(personas)
    b.world = world
    for i in range(extra):
        name = f"Extra{i:03d}"
        b.case(name, 3, personas.probation if i % 2 else personas.police)
        b.discuss(name, 3, d(12, 2, 2024))
        b.discuss(name, 3, d(1, 13) if i % 3 else d(1, 14))
        b.discuss(name, 3, d(2, 24))
        if i % 4:
            b.no_disclosure(name, d(2, 24))
        b.attend(
            world.items[(name, d(1, 13) if i % 3 else d(1, 14))],
            **(
                {
                    "police": AttendanceStatus.IN_PERSON,
                    "probation": AttendanceStatus.APOLOGIES if i % 2 else AttendanceStatus.REPORT,
                }
                if i % 3
                else {}
            ),
        )


def queries_for(user: Any) -> tuple[int, dict[str, Any]]:
    # A fresh copy each time: the user's roles are cached on the object once read.
    viewer = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        results = compute_kpis(start=Q1_START, end=Q1_END)
        data = kpis_as_json(results, start=Q1_START, end=Q1_END, viewer=viewer)
    return len(captured.captured_queries), data


def test_the_same_queries_for_a_small_and_a_larger_register(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    world = build_world(personas)
    with django_assert_max_num_queries(MAX_QUERIES):
        small, small_data = queries_for(personas.coordinator)
    grow(personas, world, 12)
    with django_assert_max_num_queries(MAX_QUERIES):
        large, large_data = queries_for(personas.coordinator)
    assert small == large
    # The larger register really did count more (and fail more).
    small_l3, large_l3 = small_data["kpis"][0], large_data["kpis"][0]
    assert large_l3["denominator"] == small_l3["denominator"] + 24
    assert len(large_l3["failing"]) > len(small_l3["failing"])
    assert all("name" in item for item in large_l3["failing"])


def test_the_trend_costs_the_same_queries_as_one_period(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    world = build_world(personas)
    with CaptureQueriesContext(connection) as one_quarter:
        trend(quarters=1, end=Q1_END)
    grow(personas, world, 6)
    with django_assert_max_num_queries(len(one_quarter.captured_queries)):
        series = trend(quarters=8, end=Q1_END)
    assert len(series["disclosure_considered"]) == 8
