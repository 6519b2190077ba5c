"""Reads of the register. Lists always start from what the user may see."""

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from mappa.access.policy import nominals_visible_to
from mappa.register.models import Case, CaseState, Nominal


def _latest_state(field: str) -> Subquery:
    return Subquery(
        CaseState.objects.filter(case__nominal=OuterRef("pk"))
        .order_by("-effective_from", "-recorded_at")
        .values(field)[:1]
    )


def with_management(queryset: QuerySet[Nominal]) -> QuerySet[Nominal]:
    """Annotate each record with its current (or, if archived, final) management."""
    return queryset.annotate(
        current_category=_latest_state("category"),
        current_level=_latest_state("level"),
        current_lead_agency=_latest_state("lead_agency__name"),
        current_lead_agency_id=_latest_state("lead_agency_id"),
    )


def register_list_for_user(user: Any, filters: dict[str, Any]) -> QuerySet[Nominal]:
    # Typed loosely: the annotations are unknown to the type checker.
    queryset: Any = with_management(nominals_visible_to(user))
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("category"):
        queryset = queryset.filter(current_category=filters["category"])
    if filters.get("level"):
        queryset = queryset.filter(current_level=int(filters["level"]))
    if filters.get("lead_agency"):
        queryset = queryset.filter(current_lead_agency_id=filters["lead_agency"].pk)
    return queryset.order_by("family_name", "given_names", "reference")


def nominal_detail(nominal_pk: Any) -> Nominal:
    """The record with every attachment, in a fixed number of queries."""
    return (
        Nominal.objects.select_related("created_by", "updated_by")
        .prefetch_related(
            "aliases",
            "identifiers",
            "addresses",
            "convictions",
            "sentences",
            "detentions",
            "warnings",
            "status_changes__recorded_by",
            Prefetch(
                "cases",
                queryset=Case.objects.order_by("-opened_on").prefetch_related(
                    Prefetch(
                        "states",
                        queryset=CaseState.objects.select_related(
                            "lead_agency", "manager__agency", "recorded_by"
                        ),
                    ),
                    "partners__agency",
                ),
            ),
        )
        .get(pk=nominal_pk)
    )


def open_case_of(nominal: Nominal) -> Case | None:
    """From a nominal loaded by ``nominal_detail`` (no further query)."""
    return next((c for c in nominal.cases.all() if c.closed_on is None), None)


def latest_state_of(case: Case | None) -> CaseState | None:
    if case is None:
        return None
    states = list(case.states.all())
    current = [s for s in states if s.effective_to is None]
    if current:
        return current[0]
    return max(states, key=lambda s: (s.effective_from, s.recorded_at), default=None)
