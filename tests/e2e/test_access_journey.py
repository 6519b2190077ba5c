"""Need-to-know access in a real browser (issue 3): a housing officer signs in with a code,
sees only the cases Housing has a part in, is refused another by its address, opens it in
an emergency with a reason, and the co-ordinator reviews that in the queue (J 10.12, 13.2)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from mappa.access.models import AgencyKind, User
from mappa.register import services as register_services
from mappa.register.models import Nominal
from tests.e2e.pages.access import EmergencyQueuePage, RecordPage, RefusedRecordPage
from tests.e2e.pages.register import RegisterListPage, SearchPage
from tests.e2e.pages.sign_in import SignInPage
from tests.factories import Role, make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Immediate risk to a person"
EXPLANATION = (
    "He has turned up at the family hostel asking for a former partner's room number. "
    "Police are on their way; I need his warning markers now."
)


@dataclass
class Cast:
    housing_officer: User
    coordinator: User
    partnered: Nominal  # Housing is a partner agency (J 13.2)
    elsewhere: Nominal  # led by the police; Housing has no part in it


@pytest.fixture
def cast(migration_data: None) -> Cast:
    police = make_agency("States of Jersey Police", AgencyKind.POLICE, is_core=True)
    housing = make_agency("Housing", AgencyKind.HOUSING)
    coordination = make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION)
    coordinator = make_user(
        "coordinator", Role.COORDINATOR, agency=coordination, first_name="Cora", last_name="Dinator"
    )
    housing_officer = make_user(
        "hofficer", Role.PRACTITIONER, agency=housing, first_name="Hana", last_name="Houghton"
    )
    partnered = make_nominal(
        coordinator,
        given_names="Amelia",
        family_name="Vibert",
        date_of_birth=dt.date(1986, 6, 14),
        category="2",
        level=2,
        lead_agency=police,
    )
    case = register_services.current_case(partnered)
    assert case is not None
    register_services.case_partner_add(actor=coordinator, case=case, agency=housing)
    elsewhere = make_nominal(
        coordinator,
        given_names="Marcus",
        family_name="Le Brocq",
        date_of_birth=dt.date(1968, 9, 30),
        category="2",
        level=2,
        lead_agency=police,
    )
    return Cast(housing_officer, coordinator, partnered, elsewhere)


def sign_in(page: Page, user: User) -> None:
    SignInPage(page).open().sign_in_as(user)


def test_housing_officer_sees_only_their_cases_and_uses_emergency_access(
    page: Page, cast: Cast
) -> None:
    # --- Sign-in takes the password and then the code from the authenticator app.
    asked_for_code = SignInPage(page).open().sign_in_as(cast.housing_officer)
    assert asked_for_code, "signing in must ask for the code from the authenticator app"
    register = RegisterListPage(page).arrive()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Emergency access")).to_have_count(0)

    # The register lists only the case Housing is a partner in: filtered in the query.
    expect(register.names).to_have_count(1)
    expect(register.names.first).to_have_text("VIBERT, Amelia")
    expect(page.locator("main")).not_to_contain_text("Le Brocq", ignore_case=True)

    # Search does not leak the other record: it says only that others match.
    search = SearchPage(page).open_from_navigation().search("Marcus Le Brocq")
    expect(search.results).to_have_count(0)
    expect(page.locator(".govuk-inset-text")).to_have_text(
        "Records that you cannot open also match: contact the co-ordinator."
    )
    expect(page.locator("main")).not_to_contain_text("Brocq", ignore_case=True)

    # Their own case opens.
    menu.get_by_role("link", name="Register").click()
    RegisterListPage(page).arrive()
    page.get_by_role("link", name="VIBERT, Amelia", exact=True).click()
    RecordPage(page, "VIBERT, Amelia").arrive()

    # --- The other case, by its address: refused, and the refusal names no one.
    refused = RefusedRecordPage(page).open(f"/register/{cast.elsewhere.pk}/")
    expect(page.locator("main")).not_to_contain_text("Brocq", ignore_case=True)
    expect(page.locator("main")).to_contain_text("This attempt has been recorded.")

    # --- Emergency access: a reason from the list and a description are both required.
    request = refused.request_emergency_access()
    expect(page.locator("main")).not_to_contain_text("Brocq", ignore_case=True)
    request.submit_expecting_errors()
    request.expect_choice_error("reason", "Select the reason for emergency access")
    request.expect_error(
        "id_explanation", "Enter what the emergency is and why you need the record", first=False
    )
    record = request.request(
        reason=REASON, explanation=EXPLANATION, record_heading="LE BROCQ, Marcus"
    )
    record.expect_success("You have emergency access to this record until")
    record.expect_success("The co-ordinator will review it.")
    expect(record.summary_value("Date of birth")).to_have_text("30 September 1968")
    # The record says it was opened in an emergency, by whom and why.
    expect(record.emergency_flag).to_contain_text(
        "Opened in an emergency by Hana Houghton (Housing)"
    )
    expect(record.emergency_flag).to_contain_text("immediate risk to a person")
    expect(record.emergency_flag).to_contain_text("Not yet reviewed")
    record.sign_out()

    # --- The co-ordinator reviews it.
    sign_in(page, cast.coordinator)
    RegisterListPage(page).arrive()
    queue = EmergencyQueuePage(page).open_from_navigation()
    expect(queue.to_review).to_have_count(1)
    grant = queue.to_review.first
    expect(grant).to_contain_text("Hana Houghton")
    expect(grant).to_contain_text("Housing")
    expect(grant).to_contain_text("LE BROCQ, Marcus")
    expect(grant).to_contain_text(REASON)
    expect(grant).to_contain_text(EXPLANATION)
    expect(grant).to_contain_text("Open until")

    review = queue.review(grant)
    expect(review.summary("Opened by")).to_have_text("Hana Houghton, Housing")
    expect(review.summary("Reason")).to_have_text(REASON)
    queue = review.mark_reviewed(
        "Justified: the police were called to the hostel. Housing told to ask the police "
        "for a partner invitation if it needs the record again."
    )
    expect(queue.to_review).to_have_count(0)
    expect(page.locator("main")).to_contain_text("There is no emergency access to review.")
    expect(queue.reviewed).to_have_count(1)
    expect(queue.reviewed.first).to_contain_text("Justified: the police were called")
    expect(queue.reviewed.first).to_contain_text("Cora Dinator")

    # The record keeps the flag, now reviewed.
    queue.reviewed.first.get_by_role("link", name="LE BROCQ, Marcus").click()
    record = RecordPage(page, "LE BROCQ, Marcus").arrive("record-flag-reviewed")
    expect(record.emergency_flag).to_contain_text("Reviewed by the co-ordinator")
