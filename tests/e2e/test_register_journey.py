"""The register's key journey in a real browser, as a MAPPA co-ordinator (issue 2)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from mappa.access.models import User
from tests.conftest import Personas
from tests.e2e.pages.errors import ForbiddenPage
from tests.e2e.pages.register import NewPerson, NominalPage, RegisterListPage, SearchPage
from tests.e2e.pages.sign_in import SignInPage
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, user: User) -> None:
    SignInPage(page).open().sign_in_as(user)


def test_coordinator_finds_adds_corrects_archives_and_reactivates(
    page: Page, personas: Personas
) -> None:
    make_nominal(
        personas.coordinator,
        given_names="Jonathan",
        family_name="Blackwood",
        date_of_birth=dt.date(1979, 2, 11),
        category="2",
        level=2,
        lead_agency=personas.police,
    )
    make_nominal(
        personas.coordinator,
        given_names="Marcus",
        family_name="Le Brocq",
        date_of_birth=dt.date(1968, 9, 30),
        category="1",
        level=1,
        lead_agency=personas.police,
    )

    sign_in(page, personas.coordinator)
    register = RegisterListPage(page).arrive()

    # A misspelt name still finds the person (issue 2, point 5).
    search = SearchPage(page).open_from_navigation().search("Jonathon Blakwood")
    expect(search.results.first).to_contain_text("BLACKWOOD, Jonathan")
    record = search.open_result("BLACKWOOD, Jonathan")
    expect(record.summary_value("Date of birth")).to_have_text("11 February 1979")
    expect(record.status_tag).to_have_text("Active")

    # The register filtered to category 1 shows that person only.
    register = RegisterListPage(page).open()
    expect(register.names).to_have_count(2)
    register.filter(category="Category 1: registered sexual offender")
    expect(register.names).to_have_count(1)
    expect(register.names.first).to_have_text("LE BROCQ, Marcus")

    # Adding a person: the form points out the mistyped PNC ID, the user corrects it.
    person = NewPerson(
        given_names="Alan",
        family_name="Turnbull",
        date_of_birth=dt.date(1975, 4, 3),
        gender="Male",
        category="Category 2: violent and other sexual offender",
        level="Level 2: multi-agency management",
        lead_agency=personas.probation.name,
        pnc_id="2012/0000001A",
    )
    form = register.add_person()
    form.fill_in(person)
    form.save_expecting_errors()
    form.expect_error("id_identifier_pnc", re.compile(r"PNC ID.*check letter", re.IGNORECASE))
    # Everything else the user typed is still there.
    expect(page.get_by_label("Family name", exact=True)).to_have_value("Turnbull")
    form.correct_pnc_id("2012/0000001H")
    record = form.save_expecting_record(person)
    expect(record.summary_value("Lead agency")).to_have_text(personas.probation.name)

    record.section("Names and identifiers")
    expect(page.locator("table", has_text="PNC ID")).to_contain_text("2012/0000001H")
    record.add_alias().add(kind="Nickname", given_names="Big Al")
    record = NominalPage(page, person.record_heading).arrive("record-alias-added")
    record.expect_success("alias or nickname has been saved")
    expect(page.locator("table", has_text="Big Al")).to_contain_text("Nickname")

    # Archiving makes the record read-only until it is re-activated (J 13.3).
    record.section("Summary")
    record.archive().confirm("No longer meets the criteria for MAPPA management.")
    record = NominalPage(page, person.record_heading).arrive("record-archived")
    record.expect_success("archived")
    expect(record.status_tag).to_have_text("Archived")
    expect(page.locator(".govuk-inset-text")).to_contain_text("This record is archived")
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    record.section("Names and identifiers")
    expect(page.get_by_role("link", name="Add an alias or nickname")).to_have_count(0)

    record.reactivate().confirm("Convicted of a further qualifying offence.")
    record = NominalPage(page, person.record_heading).arrive("record-reactivated")
    record.expect_success("re-activated")
    expect(record.status_tag).to_have_text("Active")
    expect(page.get_by_text("This record is archived")).to_have_count(0)


def test_outsider_is_refused_a_record_they_have_no_part_in(page: Page, personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator,
        given_names="Jonathan",
        family_name="Blackwood",
        lead_agency=personas.probation,
        manager=personas.owner,
    )

    sign_in(page, personas.outsider)
    register = RegisterListPage(page).arrive()
    # The list is filtered in the query: the record is not offered to them at all.
    expect(register.page.locator("main")).not_to_contain_text("Blackwood", ignore_case=True)
    ForbiddenPage(page).open(f"/register/{nominal.pk}/")
    # The refusal says nothing about the person.
    expect(page.locator("body")).not_to_contain_text("Blackwood", ignore_case=True)
