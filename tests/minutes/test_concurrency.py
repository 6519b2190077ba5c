"""No lost updates: two sessions edit the same minutes; the second save is refused with
the other person's values beside its own, and nothing either typed is lost."""

import datetime as dt

import pytest
from django.test import Client

from mappa.minutes import services
from mappa.minutes.models import Minutes

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)
RISK = {
    "risk_who": "",
    "risk_nature": "",
    "risk_when": "",
    "risk_increase": "",
    "risk_reduce": "",
    "rosh": "",
}


def _post(client: Client, minutes: Minutes, section: str, version: int, **values: str):
    return client.post(
        f"/minutes/{minutes.pk}/section/{section}/", {**RISK, **values, "version": str(version)}
    )


def test_second_save_of_the_same_section_is_refused_and_nothing_is_lost(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    first, second = Client(), Client()
    first.force_login(personas.administrator)
    second.force_login(cast.chair)
    # Both open the section at the same version.
    assert first.get(f"/minutes/{minutes.pk}/section/risk/").status_code == 200
    assert second.get(f"/minutes/{minutes.pk}/section/risk/").status_code == 200
    opened = minutes.version

    saved = _post(
        first, minutes, "risk", opened, risk_who="The former partner typed by the administrator"
    )
    assert saved.status_code == 302

    refused = _post(
        second,
        minutes,
        "risk",
        opened,
        risk_who="Her two children typed by the chair",
        rosh="very_high",
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else changed this while you were editing it" in page
    # The chair's words stay in the box; the administrator's are shown beside them.
    assert "Her two children typed by the chair" in page
    assert "The former partner typed by the administrator" in page
    minutes.refresh_from_db()
    assert minutes.risk_who == "The former partner typed by the administrator"
    assert minutes.rosh == ""

    # The form now carries the current version: saving the merged text succeeds.
    merged = _post(
        second,
        minutes,
        "risk",
        minutes.version,
        risk_who="The former partner and her two children",
        rosh="very_high",
    )
    assert merged.status_code == 302
    minutes.refresh_from_db()
    assert minutes.risk_who == "The former partner and her two children"
    assert minutes.rosh == "very_high"


def test_saves_of_different_sections_from_the_same_version_merge(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    opened = minutes.version
    services.minutes_save_section(
        actor=personas.administrator,
        minutes=minutes,
        section="risk",
        data={"risk_who": "The former partner"},
        expected_version=opened,
    )
    services.minutes_save_section(
        actor=cast.chair,
        minutes=minutes,
        section="media",
        data={"media_consider": "no"},
        expected_version=opened,
    )
    minutes.refresh_from_db()
    assert (minutes.risk_who, minutes.media_consider) == ("The former partner", "no")


def test_autosave_respects_the_version(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    client = Client()
    client.force_login(personas.administrator)
    url = f"/minutes/{minutes.pk}/section/risk/autosave/"
    response = client.post(
        url, {**RISK, "risk_who": "Typed so far", "version": str(minutes.version)}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and body["version"] == minutes.version + 1
    # A stale version of the same section is refused, and nothing is overwritten.
    stale = client.post(url, {**RISK, "risk_who": "Older page", "version": str(minutes.version)})
    assert stale.status_code == 409 and stale.json()["conflict"] is True
    minutes.refresh_from_db()
    assert minutes.risk_who == "Typed so far"


def test_the_section_page_works_without_script_and_loads_autosave_from_a_file(
    cast, started
) -> None:
    minutes = started(DAY)
    client = Client()
    client.force_login(cast.personas.administrator)
    page = client.get(f"/minutes/{minutes.pk}/section/risk/").content.decode()
    assert 'data-autosave-url="/minutes/' in page
    assert 'src="/static/minutes/autosave.js"' in page
    assert "<script>" not in page  # no inline script (CSP script-src 'self')
    assert 'type="submit"' in page


def test_two_people_editing_one_action(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    action = services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        data={
            "description": "Visit",
            "agency": personas.police,
            "due_date": DAY + dt.timedelta(days=7),
        },
    )
    opened = action.version
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        action=action,
        expected_version=opened,
        data={
            "description": "Visit the home address",
            "agency": personas.police,
            "due_date": DAY + dt.timedelta(days=7),
        },
    )
    with pytest.raises(services.RowConflictError) as refused:
        services.action_save(
            actor=cast.chair,
            minutes=minutes,
            action=action,
            expected_version=opened,
            data={
                "description": "Visit the workplace",
                "agency": personas.police,
                "due_date": DAY + dt.timedelta(days=7),
            },
        )
    assert refused.value.theirs == {"description": "Visit the home address"}
    action.refresh_from_db()
    assert action.description == "Visit the home address"
