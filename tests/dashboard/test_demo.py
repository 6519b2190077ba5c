"""The dashboard on the demo area (issue 6, point 9): two years of history give every
KPI a trend; a missed KPI's cases are references for the board member and names for
the co-ordinator; the exports answer. Slow (it loads the whole demo area once)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mappa.access.models import User
from mappa.common.dates import today
from mappa.profiles.selectors import current_profile

pytestmark = pytest.mark.django_db


def test_the_demo_area_fills_the_dashboard_and_its_drill_down(client: Client) -> None:
    call_command("load_demo_area", stdout=StringIO())
    day = today()
    year = {"from": (day - dt.timedelta(days=364)).isoformat(), "to": day.isoformat()}
    client.force_login(User.objects.get(username="smb"))

    response = client.get(reverse("dashboard:index"), year)

    assert response.status_code == 200
    board = response.context["board"]
    assert board.population[0].total > 0
    assert len(board.cards) == len(current_profile().kpis)
    for card in board.cards:
        assert card.result.denominator > 0, card.id
        assert any(p.result.denominator for p in card.trend), card.id
    missed = [c for c in board.cards if c.rating.missed and c.result.failing]
    assert missed, "the demo area has a missed KPI with failing items"
    with_cases = next(c for c in missed if any(i.nominal_id for i in c.result.failing))
    drill = reverse("dashboard:kpi", args=[with_cases.id])

    as_board = client.get(drill, year)
    assert as_board.context["rows"]
    assert not any(row["name"] for row in as_board.context["rows"])
    assert client.get(reverse("dashboard:export_pdf"), year).status_code == 200

    client.force_login(User.objects.get(username="coordinator"))
    as_coordinator = client.get(drill, year)
    named = [row for row in as_coordinator.context["rows"] if row["item"].nominal_id]
    assert named and all(row["name"] for row in named)
    assert client.get(reverse("dashboard:export_xlsx"), year).status_code == 200
