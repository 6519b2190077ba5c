"""Who is invited (J 10.7, 10.8, 11), who never is (J 3.6), and the part an
invitation gives an agency in the case (J 4.3)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mappa.access.models import CasePart
from mappa.access.policy import nominals_visible_to
from mappa.common.dates import today
from mappa.meetings import services
from mappa.meetings.models import Invitation, InvitationKind, InvitationStatus
from mappa.people.models import CasePerson, PersonKind
from mappa.referrals.models import ReferralInvitee
from mappa.register.models import Alias
from tests.conftest import Personas
from tests.meetings.conftest import accepted_referral, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_meeting(personas: Personas, nominal, chair, standing):
    referral = accepted_referral(personas, nominal, child_protection_concerns="yes")
    ReferralInvitee.objects.create(
        referral=referral,
        position=2,
        agency=personas.housing,
        name="Saskia Penhallow",
        role="Housing Officer",
        email="s.penhallow@housing.example",
    )
    meeting = make_meeting(days=7, chair=chair)
    item = services.agenda_item_add(
        actor=personas.administrator, meeting=meeting, case=referral.case
    )
    return meeting, item, referral


def _kinds(invitations) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for invitation in invitations:
        out.setdefault(invitation.kind, set()).add(invitation.name)
    return out


def test_proposal_for_a_first_meeting(
    personas: Personas, first_meeting, childrens, education_contact
) -> None:
    meeting, item, referral = first_meeting
    CasePerson.objects.create(
        case=referral.case,
        kind=PersonKind.CHILD,
        given_names="Amelie",
        family_name="Roe",
        relation_to_nominal="Partner's daughter",
        date_of_birth=today() - dt.timedelta(days=365 * 9),
    )
    result = services.invitations_propose(actor=personas.administrator, meeting=meeting)
    kinds = _kinds(result.created)
    assert kinds[InvitationKind.STANDING] == {"Gideon Rafferty", "Harriet Quist"}
    assert kinds[InvitationKind.REFERRER] == {personas.owner.display_name}
    assert kinds[InvitationKind.CASE] == {"Saskia Penhallow"}
    assert kinds[InvitationKind.CHILDRENS_SERVICES] == {"Petronella Dunmore"}
    assert kinds[InvitationKind.EDUCATION] == {"Clemency Ashdown"}
    assert all(i.status == InvitationStatus.PROPOSED for i in result.created)
    standing = [i for i in result.created if i.kind == InvitationKind.STANDING]
    assert all(i.agenda_item is None for i in standing)
    assert "Inspector (J 10.7)" in next(i.reason for i in standing if i.name == "Gideon Rafferty")
    # Proposing again adds no one twice.
    assert services.invitations_propose(actor=personas.administrator, meeting=meeting).created == []


def test_no_children_means_neither_childrens_services_nor_education(
    personas: Personas, nominal, chair, childrens, education_contact
) -> None:
    referral = accepted_referral(personas, nominal)
    meeting = make_meeting(days=7, chair=chair)
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    kinds = _kinds(
        services.invitations_propose(actor=personas.administrator, meeting=meeting).created
    )
    assert InvitationKind.CHILDRENS_SERVICES not in kinds
    assert InvitationKind.EDUCATION not in kinds


def test_a_child_too_young_for_school_brings_childrens_services_only(
    personas: Personas, nominal, chair, childrens, education_contact
) -> None:
    referral = accepted_referral(personas, nominal)
    CasePerson.objects.create(
        case=referral.case,
        kind=PersonKind.CHILD,
        given_names="Baby",
        family_name="Roe",
        relation_to_nominal="Son",
        date_of_birth=today() - dt.timedelta(days=365 * 2),
    )
    meeting = make_meeting(days=7, chair=chair)
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    kinds = _kinds(
        services.invitations_propose(actor=personas.administrator, meeting=meeting).created
    )
    assert InvitationKind.CHILDRENS_SERVICES in kinds
    assert InvitationKind.EDUCATION not in kinds


def test_a_review_invites_last_times_case_invitees(
    personas: Personas, first_meeting, chair
) -> None:
    meeting, item, referral = first_meeting
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    item.discussed = True
    item.save()
    meeting.date = today()  # held today, the day the referral was received
    meeting.status = "held"
    meeting.save()
    review = make_meeting(days=60, chair=chair)
    review_item = services.agenda_item_add(
        actor=personas.administrator, meeting=review, case=referral.case
    )
    assert review_item.kind == "review" and review_item.referral is None
    result = services.invitations_propose(actor=personas.administrator, meeting=review)
    case_names = {i.name for i in result.created if i.agenda_item_id == review_item.pk}
    assert {"Saskia Penhallow", personas.owner.display_name} <= case_names


def test_the_person_managed_is_never_invited(personas: Personas, first_meeting) -> None:
    meeting, item, referral = first_meeting
    nominal = referral.nominal
    Alias.objects.create(nominal=nominal, given_names="Johnny", family_name="Smythe")
    for name, role in [
        (f"{nominal.given_names} {nominal.family_name}", ""),
        (f"Mr {nominal.family_name.upper()}, {nominal.given_names}", "Friend"),
        ("Johnny Smythe", ""),
        ("Arthur Pendleton", "Solicitor"),
        ("Arthur Pendleton", "Representative for the offender"),
        ("Arthur Pendleton", f"Advocate for {nominal.given_names} {nominal.family_name}"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.invitation_add(
                actor=personas.administrator,
                meeting=meeting,
                agenda_item=item,
                agency=personas.housing,
                name=name,
                email="x@example.org",
                role=role,
            )
        assert "J 3.6" in exc.value.message_dict["name"][0], (name, role)
    # An agency's representative and a victim's advocate are welcome.
    for name, role in [
        ("Arthur Pendleton", "Housing representative"),
        ("Mary Oakes", "Independent domestic violence advocate"),
    ]:
        invitation = services.invitation_add(
            actor=personas.administrator,
            meeting=meeting,
            agenda_item=item,
            agency=personas.housing,
            name=name,
            email=f"{name.split()[0]}@example.org",
            role=role,
        )
        assert invitation.status == InvitationStatus.CONFIRMED


def test_a_referral_invitee_with_the_persons_name_is_refused_and_said(
    personas: Personas, nominal, chair
) -> None:
    referral = accepted_referral(personas, nominal)
    ReferralInvitee.objects.create(
        referral=referral,
        position=2,
        agency=personas.housing,
        name=f"{nominal.given_names} {nominal.family_name}",
        email="self@example.org",
    )
    meeting = make_meeting(days=7, chair=chair)
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=referral.case)
    result = services.invitations_propose(actor=personas.administrator, meeting=meeting)
    assert len(result.refused) == 1 and "J 3.6" in result.refused[0]
    assert not Invitation.objects.filter(email="self@example.org").exists()


def test_initials_are_refused(personas: Personas, first_meeting) -> None:
    meeting, item, _ = first_meeting
    with pytest.raises(ValidationError, match="not initials"):
        services.invitation_add(
            actor=personas.administrator,
            meeting=meeting,
            agenda_item=item,
            agency=personas.housing,
            name="J. S.",
            email="js@example.org",
        )


def test_confirming_gives_the_invited_agencies_their_part(
    personas: Personas, first_meeting
) -> None:
    meeting, item, referral = first_meeting
    assert not nominals_visible_to(personas.partner).filter(pk=referral.nominal_id).exists()
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    housing = Invitation.objects.get(meeting=meeting, agency=personas.housing)
    services.invitations_confirm(
        actor=personas.administrator, meeting=meeting, invitations=[housing]
    )
    part = CasePart.objects.get(case=referral.case, agency=personas.housing)
    assert part.source == f"Invited to the level 2 meeting on {meeting.date:%-d %B %Y}"
    assert nominals_visible_to(personas.partner).filter(pk=referral.nominal_id).exists()
    # Standing members discuss every case: a case added later gives them a part too.
    services.invitations_confirm(actor=personas.administrator, meeting=meeting)
    assert CasePart.objects.filter(case=referral.case, agency=personas.police).exists()
    from tests.factories import make_nominal

    other = make_nominal(personas.coordinator, family_name="Later", lead_agency=personas.probation)
    later_case = other.cases.get()
    services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=later_case)
    assert CasePart.objects.filter(case=later_case, agency=personas.police).exists()
    assert not CasePart.objects.filter(case=later_case, agency=personas.housing).exists()


def test_taking_a_case_off_the_agenda_needs_a_reason_and_ends_its_invitations(
    personas: Personas, first_meeting
) -> None:
    meeting, item, _ = first_meeting
    services.invitations_propose(actor=personas.administrator, meeting=meeting)
    with pytest.raises(ValidationError):
        services.agenda_item_remove(actor=personas.administrator, item=item, reason=" ")
    services.agenda_item_remove(
        actor=personas.administrator, item=item, reason="Person recalled to prison"
    )
    assert not item.invitations.exclude(status=InvitationStatus.CANCELLED).exists()
    assert (
        meeting.invitations.filter(agenda_item__isnull=True)
        .exclude(status=InvitationStatus.CANCELLED)
        .count()
        == 2
    )
    # Putting it back reinstates the same discussion.
    again = services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=item.case)
    assert again.pk == item.pk and not again.is_withdrawn


def test_agenda_rules_and_order(personas: Personas, chair) -> None:
    from tests.factories import make_nominal

    meeting = make_meeting(days=7, chair=chair)
    cases = [
        make_nominal(
            personas.coordinator, family_name=n, lead_agency=personas.probation
        ).cases.get()
        for n in ("Alpha", "Bravo", "Charlie")
    ]
    items = [
        services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=c)
        for c in cases
    ]
    assert [i.position for i in items] == [1, 2, 3]
    services.agenda_item_move(actor=personas.administrator, item=items[2], direction="up")
    order = list(
        meeting.agenda_items.order_by("position").values_list(
            "case__nominal__family_name", flat=True
        )
    )
    assert order == ["Alpha", "Charlie", "Bravo"]
    with pytest.raises(ValidationError, match="already on this agenda"):
        services.agenda_item_add(actor=personas.administrator, meeting=meeting, case=cases[0])
    level3 = make_nominal(
        personas.coordinator, family_name="Delta", level=3, lead_agency=personas.probation
    )
    with pytest.raises(ValidationError, match="level 3 meeting"):
        services.agenda_item_add(
            actor=personas.administrator, meeting=meeting, case=level3.cases.get()
        )
    later = make_meeting(days=40, chair=chair)
    with pytest.raises(ValidationError, match="remove it there first"):
        services.agenda_item_add(actor=personas.administrator, meeting=later, case=cases[0])
