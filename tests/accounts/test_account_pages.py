"""Administrators and the co-ordinator manage accounts in pages; every change audited."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.access.models import Role, User, VettingLevel
from mappa.accounts import services
from mappa.audit.models import AuditEvent
from tests.accounts.conftest import give_device, signed_in
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def _new_account(personas: Personas, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "jbloggs",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": "jo.bloggs@example.gov.je",
        "agency": str(personas.housing.pk),
        "roles": [Role.PRACTITIONER],
        "job_title": "Housing officer",
        "grade": "HO2",
        "phone": "01534 000000",
        "vetting_level": VettingLevel.NPPV2,
        "vetting_expires-day": "31",
        "vetting_expires-month": "3",
        "vetting_expires-year": "2030",
        "password": "a long enough passphrase",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["administrator", "coordinator"])
def test_account_managers_see_the_list(client, personas: Personas, who: str) -> None:
    signed_in(client, getattr(personas, who))
    page = client.get(reverse("accounts:users"))
    assert page.status_code == 200
    assert "Owner Tester" in page.content.decode()


@pytest.mark.parametrize("who", ["auditor", "smb_member", "owner", "partner", "outsider"])
def test_everyone_else_is_refused_and_audited(client, personas: Personas, who: str) -> None:
    user = getattr(personas, who)
    signed_in(client, user)
    for url in (
        reverse("accounts:users"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[personas.owner.pk]),
        reverse("accounts:user_edit", args=[personas.owner.pk]),
        reverse("accounts:user_disable", args=[personas.owner.pk]),
        reverse("accounts:reassignment"),
    ):
        assert client.get(url).status_code == 403, url
    refusals = AuditEvent.objects.filter(action="access.refused", actor=user)
    assert refusals.count() == 6
    assert {event.detail["attempted"] for event in refusals} == {"user.manage"}
    response = client.post(reverse("accounts:user_create"), _new_account(personas))
    assert response.status_code == 403
    assert not User.objects.filter(username="jbloggs").exists()


def test_an_administrator_creates_an_account(client, personas: Personas) -> None:
    signed_in(client, personas.administrator)
    response = client.post(reverse("accounts:user_create"), _new_account(personas))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="jbloggs")
    assert user.agency == personas.housing
    assert user.role_set == {Role.PRACTITIONER}
    assert user.vetting_expires == dt.date(2030, 3, 31)
    assert user.check_password("a long enough passphrase")
    assert not TOTPDevice.objects.filter(user=user).exists()

    event = AuditEvent.objects.get(action="user.create")
    assert event.changes is not None
    assert event.actor == personas.administrator
    assert event.changes["job_title"] == [None, "Housing officer"]
    assert event.changes["roles"] == [None, ["practitioner"]]
    assert "a long enough passphrase" not in str(event.changes)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short pass", "at least 12 characters"),
        ("password", "123456789012345", "entirely numeric"),
        ("password", "jbloggs12345", "too similar"),
        ("username", "owner", "this one is in use"),
        ("username", "not valid!", "Enter a valid username"),
        ("roles", [], "Select at least one role"),
        ("first_name", "", "Enter the first name"),
        ("vetting_expires-year", "", "must include a year"),
    ],
)
def test_account_creation_refuses_bad_input(
    client, personas: Personas, field: str, value: object, message: str
) -> None:
    signed_in(client, personas.administrator)
    page = client.post(reverse("accounts:user_create"), _new_account(personas, **{field: value}))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "govuk-error-summary" in page.content.decode()
    assert not User.objects.filter(username__in=["jbloggs", "not valid!"]).exists()


def test_vetting_above_none_needs_an_expiry(client, personas: Personas) -> None:
    signed_in(client, personas.administrator)
    data = _new_account(personas)
    for part in ("day", "month", "year"):
        data[f"vetting_expires-{part}"] = ""
    page = client.post(reverse("accounts:user_create"), data)
    assert "Enter the vetting expiry date" in page.content.decode()


def test_editing_an_account_records_before_and_after(client, personas: Personas) -> None:
    signed_in(client, personas.coordinator)
    data = _new_account(
        personas, job_title="Senior housing officer", roles=["practitioner", "chair"]
    )
    del data["username"], data["password"]
    response = client.post(reverse("accounts:user_edit", args=[personas.partner.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    personas.partner.refresh_from_db()
    assert personas.partner.job_title == "Senior housing officer"
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes is not None
    assert event.actor == personas.coordinator
    assert event.changes["job_title"] == ["", "Senior housing officer"]
    assert event.changes["roles"] == [["practitioner"], ["chair", "practitioner"]]
    assert "agency" not in event.changes


def test_disabling_ends_access_and_lists_cases_for_reassignment(client, personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, manager=personas.owner
    )
    owner_client = type(client)()
    signed_in(owner_client, personas.owner)
    assert owner_client.get(reverse("register:list")).status_code == 200

    signed_in(client, personas.coordinator)
    form = client.get(reverse("accounts:user_disable", args=[personas.owner.pk]))
    assert "record manager of 1 open case" in form.content.decode()
    response = client.post(
        reverse("accounts:user_disable", args=[personas.owner.pk]), {"reason": "Left the service"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:reassignment")

    personas.owner.refresh_from_db()
    assert not personas.owner.is_active
    event = AuditEvent.objects.get(action="user.disable")
    assert event.changes == {"is_active": [True, False]}
    assert event.detail["reason"] == "Left the service"
    assert event.detail["cases_to_reassign"] == [nominal.cases.get().reference]

    page = client.get(reverse("accounts:reassignment"))
    html = page.content.decode()
    assert nominal.reference in html
    assert reverse("register:management", args=[nominal.pk]) in html
    assert owner_client.get(reverse("register:list")).status_code == 302

    services.user_enable(actor=personas.coordinator, user=personas.owner)
    assert nominal.reference not in client.get(reverse("accounts:reassignment")).content.decode()


def test_nobody_disables_their_own_account(client, personas: Personas) -> None:
    signed_in(client, personas.administrator)
    page = client.post(
        reverse("accounts:user_disable", args=[personas.administrator.pk]), {"reason": "Test"}
    )
    assert page.status_code == 200
    personas.administrator.refresh_from_db()
    assert personas.administrator.is_active


def test_resetting_the_authenticator_makes_the_user_set_up_again(
    client, personas: Personas
) -> None:
    give_device(personas.owner)
    signed_in(client, personas.administrator)
    response = client.post(reverse("accounts:user_reset_mfa", args=[personas.owner.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.owner).exists()
    assert AuditEvent.objects.filter(action="user.mfa_reset").exists()


def test_setting_a_new_password_is_audited_and_checked(client, personas: Personas) -> None:
    signed_in(client, personas.administrator)
    url = reverse("accounts:user_password", args=[personas.owner.pk])
    weak = client.post(url, {"password": "password"})
    assert "at least 12 characters" in weak.content.decode()
    assert client.post(url, {"password": "a brand new passphrase"}).status_code == 302
    personas.owner.refresh_from_db()
    assert personas.owner.check_password("a brand new passphrase")
    assert AuditEvent.objects.filter(action="user.password_set").exists()


def test_account_detail_shows_the_state_of_sign_in(client, personas: Personas) -> None:
    services.token_issue(actor=personas.administrator, user=personas.owner, days=5)
    signed_in(client, personas.administrator)
    html = client.get(reverse("accounts:user_detail", args=[personas.owner.pk])).content.decode()
    assert "Not set up" in html
    assert "mappa_" in html
    assert "Disable account" in html
