"""Reads of the access model."""

from typing import Any

from django.db.models import F, QuerySet

from mappa.access.models import CasePart, EmergencyAccess, SectionRule


def emergency_queue(*, reviewed: bool) -> QuerySet[EmergencyAccess]:
    """Emergency grants for the co-ordinator's review queue, newest first."""
    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=not reviewed)
        .select_related("user__agency", "nominal", "case", "reviewed_by")
        .order_by("-granted_at")
    )


def emergency_flags_for(nominal: Any, limit: int = 10) -> list[EmergencyAccess]:
    """Emergency openings of this record, for the flag on its page (newest first)."""
    return list(
        EmergencyAccess.objects.filter(nominal=nominal)
        .select_related("user__agency", "case", "reviewed_by")
        .order_by("-granted_at")[:limit]
    )


def case_parts_for(case: Any) -> QuerySet[CasePart]:
    """The parts the workflow granted in a case, current first."""
    return (
        CasePart.objects.filter(case=case)
        .select_related("agency")
        .order_by(F("ended_on").asc(nulls_first=True), "agency__name")
    )


def section_rules() -> QuerySet[SectionRule]:
    return SectionRule.objects.select_related("updated_by").order_by("section")
