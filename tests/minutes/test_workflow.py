"""The minutes workflow from start to distribution, and what distribution changes."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.minutes import services
from mappa.minutes.models import ActionState, Distribution, MinutesStatus
from mappa.referrals import services as referral_services
from mappa.referrals.models import Referral
from tests.minutes.conftest import complete, save

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


def test_first_meeting_carries_sections_1_to_7_from_the_accepted_referral(
    cast, case_nominal, started
) -> None:
    personas = cast.personas
    referral = referral_services.referral_start(actor=personas.owner, nominal=case_nominal)
    referral_services.referral_update(
        actor=personas.owner,
        referral=referral,
        data={
            "risk_who": "Former partner",
            "victim_concerns": "She fears contact",
            "reason_for_referral": "Escalating threats",
        },
    )
    # Screening is the referrals app's journey; here the referral is simply accepted.
    Referral.objects.filter(pk=referral.pk).update(status="accepted")
    minutes = started(DAY, kind="first", referral=referral)
    sections = {s["number"]: s for s in minutes.carried["sections"]}
    assert sorted(sections) == [1, 2, 3, 4, 5, 6, 7]
    assert minutes.carried["source"]["kind"] == "referral"
    assert ["Who is at risk?", "Former partner"] in sections[5]["rows"]
    assert ["Reason for referral", "Escalating threats"] in sections[6]["rows"]
    assert ["Victim concerns", "She fears contact"] in sections[7]["rows"]
    assert sections[2]["source"] == "The register"
    # Sections 10 and 11a start from the referral's words, for the meeting to review.
    assert minutes.victim_concerns == "She fears contact"
    assert minutes.risk_who == "Former partner"
    # Section 18: the next meeting is proposed from the review interval (12 weeks at level 2).
    assert minutes.next_meeting_date == dt.date(2026, 5, 28)
    assert minutes.status == MinutesStatus.DRAFT


def test_journey_to_distribution(
    cast, case_nominal, started, django_capture_on_commit_callbacks
) -> None:
    personas = cast.personas
    minutes = started(DAY)
    complete(personas.administrator, minutes, personas)
    minutes = services.minutes_finalise(actor=cast.chair, minutes=minutes)
    assert minutes.status == MinutesStatus.CHECKED
    assert minutes.checked_by == cast.chair
    with django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    assert minutes.status == MinutesStatus.DISTRIBUTED
    rows = Distribution.objects.filter(minutes=minutes)
    assert {d.agency for d in rows} == {personas.police, personas.probation}
    assert all(d.emailed_at for d in rows)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Smith" not in message.body and "John" not in message.body
        assert minutes.case.reference in message.body
        assert f"https://mappa.example/minutes/{minutes.pk}/" in message.body
        assert not message.attachments
    # Distributed minutes never change: a draft save is refused.
    with pytest.raises(ValidationError):
        save(personas.administrator, minutes, "risk", {"risk_who": "Someone else"})
    assert minutes.actions.filter(state=ActionState.OPEN).count() == 2
    assert AuditEvent.objects.filter(
        action="minutes.distribute", object_id=str(minutes.pk)
    ).exists()


def test_amendment_is_shown_in_place_and_the_original_kept(
    cast, case_nominal, started, client
) -> None:
    personas = cast.personas
    minutes = started(DAY)
    complete(personas.administrator, minutes, personas)
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    services.minutes_distribute(actor=personas.administrator, minutes=minutes)
    amendment = services.minutes_amend(
        actor=personas.coordinator,
        minutes=minutes,
        field="risk_when",
        value="On contact after drinking, and at weekends",
        reason="The police update was misheard",
    )
    minutes.refresh_from_db()
    assert minutes.risk_when == "On contact after drinking"
    assert amendment.before == "On contact after drinking"
    event = AuditEvent.objects.get(action="minutes.amend")
    assert event.changes == {
        "risk_when": ["On contact after drinking", "On contact after drinking, and at weekends"]
    }
    client.force_login(personas.coordinator)
    page = client.get(f"/minutes/{minutes.pk}/").content.decode()
    assert "On contact after drinking, and at weekends" in page
    assert "The police update was misheard" in page
    with pytest.raises(ValidationError):
        services.minutes_amend(
            actor=personas.coordinator,
            minutes=minutes,
            field="conclusion",
            value="level_1",
            reason="x",
        )
