"""Reads for the account pages."""

from django.db.models import Prefetch, QuerySet

from mappa.access.models import User, UserRole
from mappa.accounts.models import ApiToken
from mappa.register.models import CaseState


def user_list() -> QuerySet[User]:
    """Every account, active first; roles and agency fetched in the same few queries."""
    return (
        User.objects.select_related("agency")
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def tokens_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("created_by", "revoked_by")


def cases_managed_by(user: User) -> QuerySet[CaseState]:
    """Open cases whose current record manager is this user."""
    return (
        CaseState.objects.filter(
            effective_to__isnull=True, manager=user, case__closed_on__isnull=True
        )
        .select_related("case", "case__nominal", "lead_agency")
        .order_by("case__reference")
    )


def cases_awaiting_reassignment() -> QuerySet[CaseState]:
    """Open cases whose current manager's account is disabled (decisions.md: nothing
    is orphaned silently when a user leaves)."""
    return (
        CaseState.objects.filter(
            effective_to__isnull=True,
            case__closed_on__isnull=True,
            manager__isnull=False,
            manager__is_active=False,
        )
        .select_related("case", "case__nominal", "lead_agency", "manager", "manager__agency")
        .order_by("manager__last_name", "case__reference")
    )
