"""Minutes are case data (J 4.2, 10.12): who reads them, who writes them, and the audit
row of every view, change and refusal."""

import datetime as dt

import pytest
from django.test import Client

from mappa.access.services import case_part_grant_invited
from mappa.audit.models import AuditEvent
from mappa.minutes import access, services
from tests.minutes.conftest import complete

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_outsider_is_refused_and_the_refusal_audited(cast, started) -> None:
    minutes = started(DAY)
    outsider = cast.personas.outsider
    for path in ("", "print/", "pdf/", "section/risk/"):
        response = _client(outsider).get(f"/minutes/{minutes.pk}/{path}")
        assert response.status_code == 403, path
    refusals = AuditEvent.objects.filter(
        action="access.refused", actor=outsider, object_id=str(minutes.pk)
    )
    assert refusals.count() == 4
    assert {e.nominal_id for e in refusals} == {str(minutes.case.nominal_id)}
    assert not AuditEvent.objects.filter(action="minutes.view", actor=outsider).exists()


def test_invited_agency_reads_the_minutes_only_once_invited(cast, started) -> None:
    minutes = started(DAY)
    education = cast.personas.outsider  # an education practitioner
    assert _client(education).get(f"/minutes/{minutes.pk}/").status_code == 403
    case_part_grant_invited(
        case=minutes.case,
        agency=cast.personas.education,
        on=DAY,
        source="Invited to the level 2 meeting",
    )
    response = _client(education).get(f"/minutes/{minutes.pk}/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="minutes.view", actor=education, object_id=str(minutes.pk)
    ).exists()
    # Reading is not writing.
    assert _client(education).get(f"/minutes/{minutes.pk}/section/risk/").status_code == 403


def test_writers_are_the_coordinator_administrators_and_the_chair(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    for user in (personas.coordinator, personas.administrator, cast.chair):
        assert access.can_write_minutes(user, minutes), user
        assert _client(user).get(f"/minutes/{minutes.pk}/section/risk/").status_code == 200
    for user in (personas.owner, personas.auditor, personas.smb_member, personas.outsider):
        assert not access.can_write_minutes(user, minutes), user
    # The lead agency's practitioner reads the minutes but does not write them.
    assert _client(personas.owner).get(f"/minutes/{minutes.pk}/").status_code == 200
    response = _client(personas.owner).post(
        f"/minutes/{minutes.pk}/section/media/",
        {"media_consider": "no", "version": minutes.version},
    )
    assert response.status_code == 403
    minutes.refresh_from_db()
    assert minutes.media_consider == ""
    assert AuditEvent.objects.filter(
        action="access.refused", actor=personas.owner, detail__attempted="minutes.write"
    ).exists()


def test_every_change_is_audited_field_by_field(cast, started) -> None:
    minutes = started(DAY)
    response = _client(cast.chair).post(
        f"/minutes/{minutes.pk}/section/media/",
        {
            "media_consider": "yes",
            "media_issue": "A local newspaper ran a story",
            "media_alerted": "no",
            "media_who_will": "The police press officer",
            "version": minutes.version,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="minutes.update", object_id=str(minutes.pk))
    assert event.actor == cast.chair
    assert (event.changes or {})["media_issue"] == ["", "A local newspaper ran a story"]
    assert event.detail["sections"] == ["media"]
    assert event.nominal_id == str(minutes.case.nominal_id)


def test_the_spoc_a_copy_was_sent_to_reads_it(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    spoc = cast.police_spoc_user  # police has no part in this probation-led case
    assert _client(spoc).get(f"/minutes/{minutes.pk}/").status_code == 403
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    notices = _client(spoc).get("/minutes/notices/").content.decode()
    assert f"/minutes/{minutes.pk}/" in notices
    assert _client(spoc).get(f"/minutes/{minutes.pk}/").status_code == 200
    assert minutes.distributions.get(user=spoc).read_at is not None
    # The copy is the SPOC's alone: the record itself stays closed to them (J 4.2).
    assert _client(spoc).get(f"/register/{minutes.case.nominal_id}/").status_code == 403


def test_actions_are_seen_by_their_agency_and_updated_only_by_it(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    placement = minutes.actions.get(number=2)  # housing's
    assert _client(personas.partner).get(f"/minutes/actions/{placement.pk}/").status_code == 200
    response = _client(personas.outsider).post(
        f"/minutes/actions/{placement.pk}/progress/", {"progress-note": "Not mine"}
    )
    assert response.status_code == 403
    response = _client(personas.partner).post(
        f"/minutes/actions/{placement.pk}/progress/", {"progress-note": "Two placements identified"}
    )
    assert response.status_code == 302
    assert placement.progress.get().note == "Two placements identified"
    agency_list = (
        _client(personas.partner).get("/minutes/actions/?scope=agency&state=").content.decode()
    )
    assert f"/minutes/actions/{placement.pk}/" in agency_list
    assert f"/minutes/actions/{minutes.actions.get(number=1).pk}/" not in agency_list
