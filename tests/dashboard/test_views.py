"""The dashboard's pages over HTTP: who may see them, the period filter, the drill-down
lists and what they name, the trend chart and its table (issue 6, point 2)."""

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.dashboard.periods import Quarter
from tests.conftest import Personas
from tests.dashboard.fixture import Scene, build

pytestmark = pytest.mark.django_db

L3 = "level3_reviews_on_time"


@pytest.fixture
def scene(personas: Personas) -> Scene:
    return build(personas)


def _text(response: Any) -> str:
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-sequence").first()
    assert event is not None, f"no {action} audit row"
    return event


# Who may see it -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["smb_member", "coordinator", "administrator", "auditor"])
def test_the_board_the_coordinator_administrators_and_auditors_see_the_dashboard(
    client: Client, personas: Personas, scene: Scene, who: str
) -> None:
    user = getattr(personas, who)
    client.force_login(user)

    response = client.get(reverse("dashboard:index"), scene.query)

    assert response.status_code == 200
    assert "Level 3 cases reviewed at least every six weeks" in _text(response)
    event = _last("dashboard.view")
    assert event.actor_id == user.pk
    assert event.detail["page"] == "dashboard"
    assert event.detail["from"] == scene.start.isoformat()
    assert event.detail["to"] == scene.today.isoformat()


PAGES = [
    ("dashboard:index", [], {}),
    ("dashboard:kpi", [L3], {}),
    ("dashboard:population", [], {"status": "active", "category": "2", "level": "3"}),
    ("dashboard:due", [], {"state": "overdue"}),
    ("dashboard:smb_pack", [], {}),
    ("dashboard:export_pdf", [], {}),
    ("dashboard:export_xlsx", [], {}),
    ("dashboard:smb_pack_download", [], {"quarter": "2026-Q3", "format": "pdf"}),
]


@pytest.mark.parametrize("who", ["owner", "outsider", "partner"])
@pytest.mark.parametrize(("name", "args", "query"), PAGES)
def test_practitioners_are_refused_every_page_and_export_with_an_audit_row(
    client: Client,
    personas: Personas,
    who: str,
    name: str,
    args: list[str],
    query: dict[str, str],
) -> None:
    user = getattr(personas, who)
    client.force_login(user)

    response = client.get(reverse(name, args=args), query)

    assert response.status_code == 403
    refusal = _last("access.refused")
    assert refusal.actor_id == user.pk
    assert refusal.detail["attempted"] in {"figures.view", "figures.export"}
    assert not AuditEvent.objects.filter(action="dashboard.view", actor_id=user.pk).exists()
    assert not AuditEvent.objects.filter(action__endswith="export", actor_id=user.pk).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, scene: Scene) -> None:
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_kpi_is_not_found_for_an_allowed_user(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.smb_member)
    assert client.get(reverse("dashboard:kpi", args=["no_such_kpi"])).status_code == 404


# The period ------------------------------------------------------------------------------


def test_with_no_period_the_page_shows_the_current_quarter_to_date(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:index"))

    quarter = Quarter.of(scene.today)
    event = _last("dashboard.view")
    assert event.detail["quarter"] == quarter.key
    assert event.detail["from"] == quarter.start.isoformat()
    assert event.detail["to"] == scene.today.isoformat()
    assert response.context["period"].start == quarter.start


def test_a_quarter_from_the_picker_gives_the_whole_quarter(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)
    previous = Quarter.of(scene.today).previous()

    response = client.get(reverse("dashboard:index"), {"quarter": previous.key})

    assert response.status_code == 200
    assert response.context["period"].start == previous.start
    assert response.context["period"].end == previous.end


def test_dates_typed_into_the_boxes_are_read(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)
    start, end = scene.start, scene.today
    data = {
        "from-day": str(start.day),
        "from-month": str(start.month),
        "from-year": str(start.year),
        "to-day": str(end.day),
        "to-month": str(end.month),
        "to-year": str(end.year),
        "quarter": "",
    }

    response = client.get(reverse("dashboard:index"), data)

    assert response.context["period"].start == start
    assert response.context["board"].cards[0].result.denominator == 2


BAD_PERIODS = [
    (
        {"from": "2026-07-10", "to": "2026-07-09"},
        "to",
        "The end date must be the same as or after the start date",
    ),
    ({"from": "2026-02-31", "to": "2026-03-31"}, "from", "Start date must be a real date"),
    ({"from": "yesterday", "to": "2026-03-31"}, "from", "Start date must be a real date"),
    ({"from": "2026-03-01"}, "to", "Enter the end date"),
    ({"to": "2026-03-01"}, "from", "Enter the start date"),
    (
        {"from-day": "1", "from-month": "", "from-year": "2026", "to": "2026-03-01"},
        "from",
        "Start date must include a month",
    ),
    (
        {"from": "1999-12-31", "to": "2000-03-01"},
        "from",
        "Start date must be on or after 1 January 2000",
    ),
    ({"from": "2026-01-01", "to": "9999-01-01"}, "to", "End date must be on or before 31 December"),
    ({"from": "2026-01-01", "to": "26-01-01"}, "to", "Year must include 4 numbers"),
    ({"quarter": "2026-Q5"}, "quarter", "Select a quarter from the list"),
    ({"quarter": "1990-Q1"}, "quarter", "Select a quarter from the list"),
    ({"agency": "999999"}, "agency", "Select an agency from the list"),
    ({"agency": "police"}, "agency", "Select an agency from the list"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_PERIODS)
@pytest.mark.parametrize("page", ["dashboard:index", "dashboard:kpi"])
def test_a_bad_period_gives_the_error_summary_and_the_field_message(
    client: Client,
    personas: Personas,
    query: dict[str, str],
    field: str,
    message: str,
    page: str,
) -> None:
    client.force_login(personas.smb_member)
    args = [L3] if page == "dashboard:kpi" else []

    response = client.get(reverse(page, args=args), query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert message in unescape(html)
    anchor = f"id_{field}" if field in {"quarter", "agency"} else f"{field}-day"
    assert f'href="#{anchor}"' in html
    assert html.startswith("<!DOCTYPE html>") or "<html" in html
    assert "<title>Error:" in html
    # No figures are shown for a period the user did not mean.
    assert response.context["result" if page == "dashboard:kpi" else "board"] is None
    assert _last("dashboard.view").detail["invalid"]


def test_an_export_with_a_bad_period_goes_back_to_the_dashboard_with_the_errors(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)
    query = {"from": "2026-07-10", "to": "2026-07-09"}

    response = client.get(reverse("dashboard:export_pdf"), query)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:index") + "?")
    assert client.get(response["Location"]).context["form"].errors["to"]
    assert not AuditEvent.objects.filter(action="dashboard.export").exists()


# The KPI cards ------------------------------------------------------------------------


def test_each_kpi_shows_its_value_target_counts_rating_in_words_and_explanation(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:index"), scene.query)

    text = _text(response)
    # Worked out in tests/dashboard/fixture.py: 1 of 2 reviews on time, 50% against 90%.
    assert "50% (1 of 2)" in text
    assert "Target 90%" in text
    cards = {card.id: card for card in response.context["board"].cards}
    assert cards[L3].rating.words == "Missed"
    assert cards["level2_reviews_on_time"].rating.words == "No items"
    assert cards["disclosure_considered"].result.denominator == 1
    assert "falls due 6 weeks later" in text  # the plain-words explanation
    drill = reverse("dashboard:kpi", args=[L3])
    assert f'href="{drill}?from={scene.start.isoformat()}&amp;to={scene.today.isoformat()}"' in (
        response.content.decode()
    )


def test_the_trend_chart_has_a_title_a_description_and_a_table_with_the_same_numbers(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    html = client.get(reverse("dashboard:index"), scene.query).content.decode()

    svg = re.search(rf'<svg[^>]*id="trend-{L3}".*?</svg>', html, flags=re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img"' in chart
    assert f'aria-labelledby="trend-{L3}-title trend-{L3}-desc"' in chart
    assert re.search(rf'<title id="trend-{L3}-title">Trend over the last 8 quarters', chart)
    desc = re.search(rf'<desc id="trend-{L3}-desc">(.*?)</desc>', chart, flags=re.S)
    assert desc is not None
    # The bars' labels, the description and the table give the same figures, in order.
    bar_values = re.findall(r'font-weight="bold"[^>]*>([^<]+)</text>', chart)
    table = re.search(rf'<table[^>]*id="trend-table-{L3}".*?</table>', html, flags=re.S)
    assert table is not None
    table_values = [
        re.sub(r"<span.*?</span>|<[^>]+>", "", cell).strip()
        for cell in re.findall(
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">',
            table.group(0),
            flags=re.S,
        )
    ]
    assert len(table_values) == 8
    assert [v for v in table_values if v != "No items"] == bar_values
    assert table_values[-1] == "50%"
    for value in table_values:
        assert value in unescape(desc.group(1))
    assert "(missed)" in desc.group(1)


# Drill-down: names only where the viewer may open the record ---------------------------


def test_the_smb_member_sees_the_failing_cases_by_reference_without_names_or_links(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:kpi", args=[L3]), scene.query)

    text = _text(response)
    assert scene.x_case.reference in text
    assert "Renouf" not in text
    assert "Daniel" not in text
    assert reverse("register:detail", args=[scene.x.pk]) not in response.content.decode()
    assert "Not held" in text
    event = _last("dashboard.view")
    assert event.detail["page"] == "kpi"
    assert event.detail["items"] == 1
    assert event.detail["named"] == 0


def test_the_coordinator_sees_names_and_links_to_the_records(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)

    response = client.get(reverse("dashboard:kpi", args=[L3]), scene.query)

    html = response.content.decode()
    assert "Daniel Renouf" in html
    assert f'href="{reverse("register:detail", args=[scene.x.pk])}"' in html
    assert scene.x_case.reference in html
    assert _last("dashboard.view").detail["named"] == 1


def test_a_board_member_who_is_also_a_practitioner_sees_only_their_agencys_names(
    client: Client, personas: Personas, scene: Scene
) -> None:
    from mappa.access.models import Role, UserRole

    # The SMB member works for the police; Y is led by the police, X by probation.
    UserRole.objects.create(user=personas.smb_member, role=Role.PRACTITIONER)
    client.force_login(personas.smb_member)

    response = client.get(
        reverse("dashboard:population"), {"status": "active", "category": "2", "level": "3"}
    )

    text = _text(response)
    assert "Amy Le Brun" in text
    assert "Renouf" not in text
    assert scene.x_case.reference in text


def test_the_drill_down_of_the_kpi_is_narrowed_to_an_agency(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)

    police = client.get(
        reverse("dashboard:kpi", args=[L3]), {**scene.query, "agency": str(personas.police.pk)}
    )

    # Only Y is led by the police, and its review was on time.
    assert police.context["result"].denominator == 1
    assert police.context["rows"] == []
    assert "Nothing failed in this period." in _text(police)


# Population -----------------------------------------------------------------------------


def test_the_population_counts_people_by_category_level_and_status(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:index"), scene.query)

    active, archived = response.context["board"].population
    assert active.cells == {("2", 3): 2, ("1", 2): 1}
    assert archived.cells == {("3", 2): 1}
    assert active.total == 3 and archived.total == 1
    link = reverse("dashboard:population") + "?status=active&amp;category=2&amp;level=3"
    assert link in response.content.decode()


def test_a_population_cell_lists_its_cases_by_reference_for_the_board(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(
        reverse("dashboard:population"), {"status": "active", "category": "2", "level": "3"}
    )

    text = _text(response)
    assert "2 cases" in text
    assert scene.x_case.reference in text
    assert "Renouf" not in text and "Le Brun" not in text
    event = _last("dashboard.view")
    assert event.detail == {
        "page": "population",
        "status": "active",
        "category": "2",
        "level": 3,
        "agency": None,
        "cases": 2,
        "named": 0,
    }


def test_a_population_cell_names_the_cases_for_the_coordinator(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)

    archived = client.get(
        reverse("dashboard:population"), {"status": "archived", "category": "3", "level": "2"}
    )

    assert "Old Leaver" in _text(archived)
    assert reverse("register:detail", args=[scene.w.pk]) in archived.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status": "gone", "category": "2"},
        {"status": "active", "category": "9"},
        {"status": "active", "category": "2", "level": "4"},
        {"status": "active", "category": "2", "agency": "x"},
        {"status": "active", "category": "2", "agency": "999999"},
        {},
    ],
)
def test_a_population_list_with_unknown_parameters_is_not_found(
    client: Client, personas: Personas, query: dict[str, str]
) -> None:
    client.force_login(personas.smb_member)
    assert client.get(reverse("dashboard:population"), query).status_code == 404


# Due and overdue ---------------------------------------------------------------------


def test_due_and_overdue_items_are_counted_by_kind_and_agency_and_listed(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    board = client.get(reverse("dashboard:index"), scene.query).context["board"]

    overdue = next(t for t in board.due if t.state == "overdue")
    # X's level 3 review fell due on D = today - 8 and was not held.
    assert overdue.counts[(personas.probation.pk, "review")] >= 1
    response = client.get(
        reverse("dashboard:due"),
        {"state": "overdue", "kind": "review", "agency": str(personas.probation.pk)},
    )
    text = _text(response)
    assert scene.x_case.reference in text
    assert "Renouf" not in text
    assert "Overdue by 8 days" in text
    # The board cannot open the worklist, so it is not offered.
    assert reverse("compliance:worklist") + "?" not in response.content.decode()


def test_the_coordinator_is_offered_the_worklist_filtered_the_same_way(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)

    response = client.get(
        reverse("dashboard:due"),
        {"state": "overdue", "kind": "review", "agency": str(personas.probation.pk)},
    )

    html = response.content.decode()
    assert "Daniel Renouf" in html
    expected = f"{reverse('compliance:worklist')}?kind=review&amp;state=overdue&amp;agency={personas.probation.pk}"
    assert expected in html


@pytest.mark.parametrize(
    "query", [{"state": "met"}, {"kind": "lunch"}, {"agency": "nobody"}, {"agency": "999999"}]
)
def test_a_due_list_with_unknown_parameters_is_not_found(
    client: Client, personas: Personas, query: dict[str, str]
) -> None:
    client.force_login(personas.smb_member)
    assert client.get(reverse("dashboard:due"), query).status_code == 404


def test_items_with_no_responsible_agency_have_their_own_list(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)
    response = client.get(reverse("dashboard:due"), {"agency": "none"})
    assert response.status_code == 200
    assert all(row["e"].item.agency_id is None for row in response.context["rows"])


def test_the_period_words_cover_one_month_and_two_years() -> None:
    from mappa.dashboard.periods import period_words

    assert period_words(dt.date(2026, 11, 14), dt.date(2026, 11, 27)) == "14 to 27 November 2026"
    assert period_words(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == "1 July to 30 September 2026"
    assert (
        period_words(dt.date(2025, 12, 1), dt.date(2026, 1, 5))
        == "1 December 2025 to 5 January 2026"
    )
    assert period_words(dt.date(2026, 1, 5), dt.date(2026, 1, 5)) == "5 January 2026"
