"""Reads for requests for minutes and executive summaries.

The register of requests a user sees is filtered in the query (``requests_visible_to``),
never row by row after the fact: the co-ordinator, administrators and auditors see
every request; the chair of a case's last meeting sees that case's requests; an agency
sees the requests its own staff recorded.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from mappa.access.models import Role
from mappa.access.policy import CASE_ROLES, READ_ALL_ROLES, _refusal
from mappa.common.dates import today
from mappa.disclosure.models import (
    ExecutiveSummary,
    ExecutiveSummaryVersion,
    MinutesRequest,
    RequestRouting,
)
from mappa.meetings.models import AgendaItem, Meeting, MeetingStatus
from mappa.register.models import Case, Nominal


def _held_items(case_ref: Any) -> QuerySet[AgendaItem]:
    """The case's discussions at meetings held on or before today (not withdrawn,
    not cancelled), latest first."""
    return (
        AgendaItem.objects.filter(
            case=case_ref, withdrawn_at__isnull=True, meeting__date__lte=today()
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .order_by("-meeting__date", "-meeting__start_time")
    )


def last_meeting(case: Case) -> Meeting | None:
    """The case's last meeting (J 5.5: its chair prepares the executive summary)."""
    item = _held_items(case).select_related("meeting__chair__agency").first()
    return item.meeting if item is not None else None


def last_chair_id(case: Case) -> int | None:
    meeting = _held_items(case).values_list("meeting__chair_id", flat=True).first()
    return meeting


def last_chair_subquery() -> Subquery:
    """The chair of the last meeting of the row's case, for annotating a query."""
    return Subquery(_held_items(OuterRef("case_id")).values("meeting__chair_id")[:1])


def requests_visible_to(user: Any) -> QuerySet[MinutesRequest]:
    everyone = MinutesRequest.objects.all()
    if _refusal(user) is not None:
        return everyone.none()
    if user.has_role(*READ_ALL_ROLES):
        return everyone
    if not user.has_role(*CASE_ROLES):
        return everyone.none()
    mine = Q(last_chair=user.pk)
    if user.agency_id is not None:
        mine |= Q(received_by_agency_id=user.agency_id)
    return everyone.annotate(last_chair=last_chair_subquery()).filter(mine)


def request_list(
    user: Any, *, status: str = "", requester_type: str = ""
) -> QuerySet[MinutesRequest]:
    queryset = requests_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if requester_type:
        queryset = queryset.filter(requester_type=requester_type)
    return queryset.select_related(
        "case", "received_by_agency", "received_by", "released_version"
    ).order_by("-received_on", "-created_at")


def request_detail(pk: Any) -> MinutesRequest:
    try:
        return (
            MinutesRequest.objects.select_related(
                "case__nominal",
                "received_by",
                "received_by_agency",
                "clarified_by",
                "decided_by",
                "released_by",
                "released_version",
            )
            .prefetch_related(
                Prefetch(
                    "routings",
                    queryset=RequestRouting.objects.select_related("agency", "routed_by"),
                )
            )
            .get(pk=pk)
        )
    except (MinutesRequest.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such request") from exc


def find_case(text: str) -> tuple[Case | None, str]:
    """The case a reference names, without revealing anything about it.

    A case reference ("MN-000123/1") names the case; a record reference ("MN-000123")
    names the person's open case, or their latest if none is open. Answers the case
    and how it was identified, or (None, "").
    """
    value = " ".join(text.split()).upper()
    if not value:
        return None, ""
    case = Case.objects.filter(reference__iexact=value).first()
    if case is not None:
        return case, "case_reference"
    nominal = Nominal.objects.filter(reference__iexact=value).first()
    if nominal is None:
        return None, ""
    case = (
        nominal.cases.filter(closed_on__isnull=True).first()
        or nominal.cases.order_by("-opened_on").first()
    )
    return case, "record_reference"


def summary_for_case(case: Case) -> ExecutiveSummary | None:
    return ExecutiveSummary.objects.filter(case=case).first()


def summary_detail(pk: Any) -> ExecutiveSummary:
    try:
        return ExecutiveSummary.objects.select_related("case__nominal", "drafted_by").get(pk=pk)
    except (ExecutiveSummary.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such executive summary") from exc


def version_detail(pk: Any) -> ExecutiveSummaryVersion:
    try:
        return ExecutiveSummaryVersion.objects.select_related(
            "summary__case__nominal", "finalised_by"
        ).get(pk=pk)
    except (ExecutiveSummaryVersion.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such version") from exc


def versions_of(summary: ExecutiveSummary) -> list[ExecutiveSummaryVersion]:
    return list(summary.versions.select_related("finalised_by").order_by("-number"))


def coordinators() -> QuerySet[Any]:
    from mappa.access.models import User

    return User.objects.filter(is_active=True, roles__role=Role.COORDINATOR).distinct()
