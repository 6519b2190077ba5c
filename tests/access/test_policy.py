"""The policy's rules one at a time: parts and their grace period, emergency grants,
auditors, unmapped actions and the section rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from mappa.access import services
from mappa.access.models import CasePart, EmergencyAccess, Role, SectionRule
from mappa.access.policy import (
    READ_ACTIONS,
    RULES,
    WRITE_ACTIONS,
    Action,
    decide,
    nominals_visible_to,
    section_contact,
    section_visible,
    sections_for,
    sections_visible_to,
)
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.register import services as register_services
from mappa.register.models import Case, Nominal
from tests.conftest import Personas
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _case(nominal: Nominal) -> Case:
    return nominal.cases.get(closed_on__isnull=True)


def _sees(user: object, nominal: Nominal, day: dt.date | None = None) -> bool:
    return nominals_visible_to(user, day).filter(pk=nominal.pk).exists()


def test_every_action_has_a_rule_and_is_a_read_or_a_write() -> None:
    assert set(RULES) == set(Action)
    assert READ_ACTIONS | WRITE_ACTIONS == set(Action)
    assert not READ_ACTIONS & WRITE_ACTIONS


def test_an_unmapped_action_is_refused_with_its_name(personas: Personas) -> None:
    decision = decide(personas.coordinator, "nominal.shred")
    assert not decision
    assert "nominal.shred" in decision.reason


def test_anonymous_and_disabled_users_are_refused(personas: Personas, nominal: Nominal) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert decide(AnonymousUser(), Action.NOMINAL_VIEW, nominal).reason == "not signed in"
    personas.coordinator.is_active = False
    assert decide(personas.coordinator, Action.NOMINAL_VIEW, nominal).reason == "account disabled"
    assert not nominals_visible_to(personas.coordinator).exists()


@pytest.mark.parametrize("action", sorted(WRITE_ACTIONS))
def test_auditors_are_refused_every_write_with_the_reason(
    personas: Personas, nominal: Nominal, action: Action
) -> None:
    # Even an auditor who also holds an area-wide role: whoever audits never changes.
    both = make_user("audit-coord", Role.AUDITOR, Role.COORDINATOR, agency=personas.probation)
    obj = (nominal, "victims") if action == Action.SECTION_EDIT else nominal
    for user in (personas.auditor, both):
        decision = decide(user, action, obj)
        assert not decision
        assert decision.reason == "Auditors read records and change nothing."


def test_smb_members_are_refused_every_case_object(personas: Personas, nominal: Nominal) -> None:
    smb = personas.smb_member
    for action in (Action.NOMINAL_VIEW, Action.REGISTER_LIST, Action.REGISTER_SEARCH):
        assert not decide(smb, action, nominal)
    assert not decide(smb, Action.EMERGENCY_REQUEST, nominal)
    assert decide(smb, Action.FIGURES_VIEW)
    assert decide(smb, Action.ATTENDANCE_VIEW)
    assert not decide(personas.owner, Action.FIGURES_VIEW)


def test_the_managers_agency_sees_the_case_and_loses_it_when_management_moves(
    personas: Personas, nominal: Nominal
) -> None:
    assert _sees(personas.colleague, nominal)
    register_services.case_update_management(
        actor=personas.coordinator,
        case=_case(nominal),
        category="2",
        level=2,
        lead_agency=personas.police,
        manager=None,
        effective_from=today(),
        reason="Police lead from today",
    )
    assert not _sees(personas.owner, nominal)
    assert not _sees(personas.colleague, nominal)


def test_a_partner_sees_the_case_only_while_the_partnership_lasts(
    personas: Personas, nominal: Nominal
) -> None:
    assert not _sees(personas.partner, nominal)
    partner = register_services.case_partner_add(
        actor=personas.coordinator, case=_case(nominal), agency=personas.housing
    )
    assert _sees(personas.partner, nominal)
    assert decide(personas.partner, Action.NOMINAL_EDIT, nominal)
    register_services.case_partner_end(actor=personas.coordinator, partner=partner)
    assert not _sees(personas.partner, nominal)


def test_an_invitation_takes_effect_at_once_and_is_audited(
    personas: Personas, nominal: Nominal
) -> None:
    case = _case(nominal)
    assert not _sees(personas.outsider, nominal)
    part = services.case_part_grant_invited(
        case=case,
        agency=personas.education,
        on=today(),
        source="Invited to the level 2 meeting on 3 June",
    )
    assert _sees(personas.outsider, nominal)
    # An invited agency reads the record; it does not change it (J 13.2 names partners).
    refusal = decide(personas.outsider, Action.NOMINAL_EDIT, nominal)
    assert not refusal
    assert "read the record, not change it" in refusal.reason
    event = AuditEvent.objects.get(action="access.part_grant")
    assert event.nominal_id == str(nominal.pk)
    assert event.detail["source"] == part.source
    # A second invitation keeps the one part.
    again = services.case_part_grant_invited(
        case=case, agency=personas.education, on=today(), source="Invited again"
    )
    assert again.pk == part.pk
    assert CasePart.objects.count() == 1


def test_an_invitation_in_the_future_does_not_count_yet(
    personas: Personas, nominal: Nominal
) -> None:
    services.case_part_grant_invited(
        case=_case(nominal),
        agency=personas.education,
        on=today() + dt.timedelta(days=2),
        source="Invited",
    )
    assert not _sees(personas.outsider, nominal)
    assert _sees(personas.outsider, nominal, today() + dt.timedelta(days=2))


@override_settings(MAPPA_INVITED_GRACE_DAYS=5)
def test_an_ended_part_counts_to_the_last_day_of_the_grace_period(
    personas: Personas, nominal: Nominal
) -> None:
    case = _case(nominal)
    ended = today() - dt.timedelta(days=20)
    services.case_part_grant_invited(
        case=case, agency=personas.education, on=ended - dt.timedelta(days=9), source="Invited"
    )
    assert services.case_parts_end_for_case(case=case, on=ended, reason="Moved to level 1") == 1
    part = CasePart.objects.get()
    assert part.ended_on == ended
    assert part.grace_until == ended + dt.timedelta(days=5)
    assert part.end_reason == "Moved to level 1"
    assert _sees(personas.outsider, nominal, ended + dt.timedelta(days=5))
    assert not _sees(personas.outsider, nominal, ended + dt.timedelta(days=6))
    assert AuditEvent.objects.filter(action="access.part_end").count() == 1


def test_no_agency_can_be_invited_to_a_closed_case(personas: Personas, nominal: Nominal) -> None:
    case = _case(nominal)
    register_services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Gone")
    with pytest.raises(ValidationError):
        services.case_part_grant_invited(
            case=case, agency=personas.education, on=today(), source="Invited"
        )


@override_settings(MAPPA_INVITED_GRACE_DAYS=28)
def test_a_part_nobody_ended_still_ends_when_the_case_closes(
    personas: Personas, nominal: Nominal
) -> None:
    """Fails closed: even if a workflow forgot to end the part, closing the case ends
    it (after the grace period, counted from the day the case closed)."""
    case = _case(nominal)
    services.case_part_grant_invited(
        case=case, agency=personas.education, on=today() - dt.timedelta(days=60), source="L2"
    )
    closed = today() - dt.timedelta(days=30)
    Case.objects.filter(pk=case.pk).update(closed_on=closed)
    assert CasePart.objects.get().ended_on is None
    assert _sees(personas.outsider, nominal, closed + dt.timedelta(days=28))
    assert not _sees(personas.outsider, nominal)


@override_settings(MAPPA_INVITED_GRACE_DAYS=28)
def test_a_part_nobody_ended_still_ends_when_the_case_moves_to_level_1(
    personas: Personas, nominal: Nominal
) -> None:
    case = _case(nominal)
    services.case_part_grant_invited(
        case=case, agency=personas.education, on=today() - dt.timedelta(days=90), source="L2"
    )
    moved = today() - dt.timedelta(days=40)
    state = case.states.get()
    case.states.update(effective_from=today() - dt.timedelta(days=100), effective_to=moved)
    state.pk = None
    state.level = 1
    state.effective_from = moved
    state.effective_to = None
    state.save()
    assert CasePart.objects.get().ended_on is None
    assert _sees(personas.outsider, nominal, moved + dt.timedelta(days=28))
    assert not _sees(personas.outsider, nominal)


@override_settings(MAPPA_INVITED_GRACE_DAYS=28)
def test_an_archived_case_stays_open_to_invited_agencies_for_the_grace_period(
    personas: Personas, nominal: Nominal
) -> None:
    case = _case(nominal)
    Case.objects.filter(pk=case.pk).update(opened_on=today() - dt.timedelta(days=100))
    services.case_part_grant_invited(
        case=case, agency=personas.education, on=today() - dt.timedelta(days=60), source="L2"
    )
    closed = today() - dt.timedelta(days=30)
    register_services.nominal_archive(
        actor=personas.coordinator, nominal=nominal, reason="Gone", effective_on=closed
    )
    assert _sees(personas.outsider, nominal, closed + dt.timedelta(days=28))
    assert not _sees(personas.outsider, nominal, closed + dt.timedelta(days=29))


def test_an_invitation_to_a_case_already_at_level_1_counts(
    personas: Personas, nominal: Nominal
) -> None:
    """A level 1 case referred up: the agencies invited to the first level 2 meeting
    see it before the meeting, although the case is still at level 1."""
    case = _case(nominal)
    case.states.update(effective_from=today() - dt.timedelta(days=100), level=1)
    services.case_part_grant_invited(
        case=case, agency=personas.education, on=today(), source="Level 2 meeting"
    )
    assert _sees(personas.outsider, nominal)


def test_emergency_access_counts_for_the_user_alone_and_expires(
    personas: Personas, nominal: Nominal
) -> None:
    colleague = make_user("outsider-colleague", Role.PRACTITIONER, agency=personas.education)
    grant = services.emergency_access_grant(
        user=personas.outsider,
        nominal=nominal,
        reason="immediate_risk",
        explanation="Called to the address",
    )
    assert decide(personas.outsider, Action.NOMINAL_VIEW, nominal)
    assert not decide(colleague, Action.NOMINAL_VIEW, nominal)
    # Emergency access reads; it never changes the record.
    assert not decide(personas.outsider, Action.NOMINAL_EDIT, nominal)
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not decide(personas.outsider, Action.NOMINAL_VIEW, nominal)


@override_settings(MAPPA_EMERGENCY_ACCESS_MINUTES=15)
def test_emergency_access_lasts_the_configured_minutes_and_is_audited(
    personas: Personas, nominal: Nominal
) -> None:
    grant = services.emergency_access_grant(
        user=personas.outsider,
        nominal=nominal,
        reason="police_incident",
        explanation="Disturbance reported",
    )
    assert grant.expires_at - grant.granted_at == dt.timedelta(minutes=15)
    assert grant.case == _case(nominal)
    event = AuditEvent.objects.get(action="access.emergency")
    assert event.actor_id == personas.outsider.pk
    assert event.nominal_id == str(nominal.pk)
    assert event.detail["reason"] == "police_incident"
    assert event.detail["reason_text"] == "Police incident in progress"
    assert event.changes == {"explanation": [None, "Disturbance reported"]}


@pytest.mark.parametrize("who", ["owner", "coordinator", "auditor", "smb_member"])
def test_only_a_refused_case_role_may_ask_for_emergency_access(
    personas: Personas, nominal: Nominal, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.emergency_access_grant(
            user=getattr(personas, who),
            nominal=nominal,
            reason="other",
            explanation="Testing",
        )
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_needs_a_listed_reason_and_a_description(
    personas: Personas, nominal: Nominal
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.emergency_access_grant(
            user=personas.outsider, nominal=nominal, reason="curious", explanation="  "
        )
    assert set(caught.value.message_dict) == {"reason", "explanation"}


def test_the_review_is_recorded_once(personas: Personas, nominal: Nominal) -> None:
    grant = services.emergency_access_grant(
        user=personas.outsider, nominal=nominal, reason="out_of_hours", explanation="Night call"
    )
    with pytest.raises(ValidationError):
        services.emergency_access_review(actor=personas.coordinator, grant=grant, note=" ")
    reviewed = services.emergency_access_review(
        actor=personas.coordinator, grant=grant, note="Justified: police attended"
    )
    assert reviewed.reviewed_by == personas.coordinator
    with pytest.raises(ValidationError):
        services.emergency_access_review(actor=personas.coordinator, grant=grant, note="Again")
    assert AuditEvent.objects.filter(action="access.emergency_review").count() == 1


def test_default_section_rules_come_from_the_data_migration() -> None:
    rules = {r.section: r for r in SectionRule.objects.all()}
    assert set(rules) == {"victims", "children", "third_parties", "health", "intelligence"}
    assert set(rules["health"].agency_kinds) == {"health", "mental_health"}
    assert rules["intelligence"].roles == ["coordinator"]
    assert section_contact("victims") == "the MAPPA co-ordinator"


def test_a_change_to_a_section_rule_takes_effect_at_once_and_is_audited(
    personas: Personas, nominal: Nominal
) -> None:
    assert not section_visible(personas.owner, nominal, "health")
    rule = SectionRule.objects.get(section="health")
    services.section_rule_update(
        actor=personas.administrator,
        rule=rule,
        roles=["coordinator", "auditor"],
        agency_kinds=["health", "mental_health", "probation"],
        contact="the Mental Health SPOC on 01534 000000",
    )
    assert section_visible(personas.owner, nominal, "health")
    event = AuditEvent.objects.get(action="section_rule.update")
    assert event.changes is not None
    assert event.changes["agency_kinds"][1] == ["health", "mental_health", "probation"]
    refusal = section_visible(personas.partner, nominal, "health")
    assert not refusal


def test_a_refused_section_names_whom_to_ask(personas: Personas, nominal: Nominal) -> None:
    refusal = section_visible(personas.owner, nominal, "intelligence")
    assert not refusal
    assert refusal.reason == (
        "The police intelligence section is restricted. Ask the MAPPA co-ordinator if you need it."
    )
    assert not decide(personas.owner, Action.SECTION_VIEW, (nominal, "diary"))


def test_sections_for_agrees_with_decide(personas: Personas, nominal: Nominal) -> None:
    for user in (personas.owner, personas.coordinator, personas.auditor, personas.outsider):
        for key, access in sections_for(user, nominal).items():
            assert access.allowed == bool(decide(user, Action.SECTION_VIEW, (nominal, key)))
    assert sections_visible_to(personas.owner) == {"victims", "children", "third_parties"}
    assert sections_visible_to(personas.outsider) == set()


def test_health_entries_of_the_register_belong_to_the_health_section(nominal: Nominal) -> None:
    from mappa.access.policy import section_of_entry
    from mappa.register.models import HospitalDetention, WarningMarker

    assert section_of_entry(HospitalDetention(nominal=nominal)) == "health"
    assert section_of_entry(WarningMarker(nominal=nominal, kind="mental_health")) == "health"
    assert section_of_entry(WarningMarker(nominal=nominal, kind="weapons")) is None
    assert section_of_entry(nominal) is None


def test_referral_screening_is_the_coordinators(personas: Personas) -> None:
    assert decide(personas.coordinator, Action.REFERRAL_SCREEN)
    refusal = decide(personas.owner, Action.REFERRAL_SCREEN)
    assert refusal.reason == "Only the co-ordinator screens referrals."
    assert not decide(personas.owner, Action.REFERRAL_VIEW)
    assert decide(personas.owner, Action.REFERRAL_LIST)
    assert not decide(personas.smb_member, Action.REFERRAL_LIST)


def test_meeting_and_minutes_rules_are_asked_through_the_policy(personas: Personas) -> None:
    """The rules live beside the meetings and minutes; the policy is where they are asked."""
    assert decide(personas.coordinator, Action.MEETING_MANAGE)
    assert not decide(personas.owner, Action.MEETING_MANAGE)
    assert not decide(personas.auditor, Action.MEETING_MANAGE)
    assert decide(personas.owner, Action.MEETING_LIST)
    assert not decide(personas.smb_member, Action.MEETING_LIST)
    assert decide(personas.auditor, Action.ACTION_LIST)
    assert not decide(personas.smb_member, Action.ACTION_LIST)
    # A rule that needs an object refuses without one, never allows.
    assert not decide(personas.coordinator, Action.MEETING_VIEW)
    assert not decide(personas.coordinator, Action.MINUTES_VIEW)
