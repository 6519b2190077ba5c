"""A request for minutes in a real browser (issue 7): a probation officer records a
court's request; the co-ordinator clarifies it (after a wrong first try), routes the
probation-owned part to probation, has the system draft the executive summary from the
referral and the minutes, checks the side-by-side redaction, redacts one more phrase
by hand, finalises version 1 and downloads it. axe runs on every page."""

import pytest
from playwright.sync_api import Page, expect

from mappa.common.dates import today
from mappa.disclosure.models import ExecutiveSummaryVersion, MinutesRequest
from tests.conftest import Personas
from tests.disclosure.conftest import Scene, build_scene
from tests.e2e.pages.requests import RequestListPage
from tests.e2e.pages.sign_in import SignInPage

pytestmark = pytest.mark.django_db(transaction=True)

PROBATION = "Probation and After-Care Service"


@pytest.fixture
def scene(migration_data: None, personas: Personas) -> Scene:
    return build_scene(personas)


def test_record_clarify_route_draft_redact_finalise_download(page: Page, scene: Scene) -> None:
    personas = scene.personas
    day = today()

    # --- A probation officer records the court's request by the case reference.
    SignInPage(page).open().sign_in_as(personas.owner)
    requests = RequestListPage(page).open()
    form = requests.record()
    form.submit()
    form.arrive("request-record-errors")
    form.expect_error("id_case_reference", "Enter the case or record reference")
    request = form.record(
        case=scene.case.reference,
        requester="Royal Court of Jersey",
        kind="Court",
        asked="Copies of all MAPPA meeting minutes for sentencing",
        received=day,
    )
    request.expect_success("has been recorded")
    expect(request.status()).to_have_text("Received")
    expect(page.locator("main")).to_contain_text("never released")
    request.sign_out()

    # --- The co-ordinator finds it in the register and clarifies it in writing.
    SignInPage(page).open().sign_in_as(personas.coordinator)
    requests = RequestListPage(page).open()
    expect(requests.row(request.reference)).to_contain_text("Royal Court of Jersey")
    request = requests.open_request(request.reference)
    step = request.clarify()
    step.press("Save the clarification")
    step.arrive("request-clarify-errors")
    step.expect_error("id_sought", "Enter what information is actually sought")
    step.fill(
        "What information is actually sought",
        "The meeting's view of risk and the plan; probation's own risk assessment",
    )
    step.choose(
        "Is information from the meeting's minutes sought?", "Yes: prepare an executive summary"
    )
    step.choose("How was it clarified in writing?", "Email")
    step.fill_date("clarified_on", day)
    request = step.save("Save the clarification", "The clarification has been recorded")
    expect(request.status()).to_have_text("Summary in preparation")

    # --- The probation-owned risk assessment goes to probation (J 5.5).
    step = request.route()
    step.press("Record the routing")
    step.arrive("request-route-errors")
    step.expect_choice_error("agencies", "Select at least one agency to route the request to")
    step.tick("Which agencies own the information?", PROBATION)
    step.fill("What information is routed to them", "Probation's own risk assessment")
    step.fill_date("routed_on", day)
    request = step.save("Record the routing", "The routing has been recorded")
    expect(page.locator("main")).to_contain_text(PROBATION)

    # --- The summary, drafted from the records and redacted from the people around the case.
    summary = request.draft_summary()
    redactions = summary.redactions()
    expect(redactions).to_contain_text("Mary Smith")
    expect(redactions).to_contain_text("the victim")
    expect(page.locator("mark", has_text="12 Rue de la Mare").first).to_be_visible()
    summary.redact_by_hand("Alcohol treatment programme", "a treatment programme")
    summary.arrive("summary-redacted-by-hand")
    summary.expect_success("The words have been redacted")
    expect(page.locator("main")).to_contain_text("“Alcohol treatment programme” becomes")

    # --- Finalised as version 1, then downloaded.
    version = summary.finalise(personas.coordinator).confirm(1)
    main = page.locator("main")
    expect(main).to_contain_text("A treatment programme")
    expect(main).not_to_contain_text("Alcohol treatment programme")
    expect(main).not_to_contain_text("Mary Smith")
    download = version.download("Download as PDF", personas.coordinator)
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")

    found = MinutesRequest.objects.get()
    assert found.routings.get().agency.name == PROBATION
    stored = ExecutiveSummaryVersion.objects.get()
    assert stored.number == 1 and len(stored.sha256) == 64
