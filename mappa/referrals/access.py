"""Who may see and act on referrals and eligibility events; the policy delegates here.

J 10.4 and the issue: a referral is visible to its referrer's agency, the named line
manager, the co-ordinator and administrators (auditors read); invitees' agencies see
the case once invited (that part is granted by the meetings workflow).
"""

from typing import Any

from django.db.models import Q, QuerySet

from mappa.access.models import Role

AREA_WIDE = (Role.COORDINATOR, Role.ADMINISTRATOR)


def referrals_visible_to(user: Any) -> QuerySet[Any]:
    from mappa.access.policy import Action, decide
    from mappa.referrals.models import Referral

    everyone = Referral.objects.all()
    # Signed in, active, vetted and in a role that reads case data at all.
    if not decide(user, Action.REGISTER_LIST):
        return everyone.none()
    if user.has_role(*AREA_WIDE, Role.AUDITOR):
        return everyone
    mine = Q(line_manager=user) | Q(referrer=user)
    if user.agency_id is not None and user.has_role(
        Role.PRACTITIONER, Role.LINE_MANAGER, Role.CHAIR
    ):
        mine |= Q(referring_agency_id=user.agency_id)
    return everyone.filter(mine)


def can_view(user: Any, referral: Any) -> bool:
    return referrals_visible_to(user).filter(pk=referral.pk).exists()


def can_edit(user: Any, referral: Any) -> bool:
    if not referral.is_editable:
        return False
    if user.has_role(*AREA_WIDE):
        return True
    return bool(
        user.agency_id == referral.referring_agency_id
        and user.has_role(Role.PRACTITIONER, Role.LINE_MANAGER)
    )


def can_endorse(user: Any, referral: Any) -> bool:
    return bool(referral.line_manager_id == user.pk and user.has_role(Role.LINE_MANAGER))


def can_screen(user: Any) -> bool:
    # J 2.2, 10.4: the co-ordinator screens referrals.
    return bool(user.has_role(Role.COORDINATOR))
