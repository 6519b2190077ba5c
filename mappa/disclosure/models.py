"""Requests for minutes (J 5.5) and the chair's executive summary (J 5.6).

A request is recorded by whoever received it, in any agency; it lands with the
co-ordinator, who keeps the register of requests, and with the chair of the case's
last meeting. The request is clarified in writing (what information is actually
sought), agency-owned information is routed to the agency that owns it, and, when it
is the meeting's information that is wanted, the chair releases an executive summary.
**The full minutes are never released through this route**: nothing here attaches or
releases minutes.

The executive summary of a case is drafted by the system from the referral and every
set of distributed minutes, redacted from the people around the case
(``redaction.py``), reviewed and finalised by the chair as an immutable, numbered
version. A later change is a new draft and, once finalised, a new version; older
versions are kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mappa.access.models import Agency
from mappa.common.models import CaseDataModel
from mappa.register.models import Case


class RequesterType(models.TextChoices):
    # J 5.5: the sources of requests for copies of the meeting minutes.
    COURT = "court", "Court"
    COMPLAINTS_BODY = "complaints_body", "Complaints body (such as a police complaints authority)"
    LAW_OFFICERS = "law_officers", "Law Officers' Department"
    OFFENDER = "offender", "The person managed, or their representative"
    OTHER = "other", "Other third party"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    CLARIFYING = "clarifying", "Clarified: awaiting routing or a decision"
    ROUTED = "routed", "Routed to the agency that owns the information"
    SUMMARY = "summary", "Executive summary in preparation"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.CLARIFYING,
    RequestStatus.ROUTED,
    RequestStatus.SUMMARY,
)


class ClarificationChannel(models.TextChoices):
    # J 5.5: "wherever possible, in writing (a letter sent by post or fax or an e-mail)".
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    FAX = "fax", "Fax"
    OTHER = "other", "Other written record"


class RequestDecision(models.TextChoices):
    RELEASE_SUMMARY = "release_summary", "Release an executive summary"
    REFUSE = "refuse", "Refuse the request"
    OTHER = "other", "Other"


class CaseIdentifiedBy(models.TextChoices):
    CASE_REFERENCE = "case_reference", "Case reference"
    RECORD_REFERENCE = "record_reference", "Record reference"
    RECORD_PAGE = "record_page", "From the person's record"


class MinutesRequest(CaseDataModel):
    reference = models.CharField(max_length=20, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="minutes_requests")
    identified_by = models.CharField(
        max_length=20, choices=CaseIdentifiedBy.choices, default=CaseIdentifiedBy.CASE_REFERENCE
    )
    requester_name = models.CharField("Who made the request", max_length=200)
    requester_type = models.CharField(
        "Type of requester", max_length=20, choices=RequesterType.choices
    )
    asked = models.TextField("What was asked for")
    received_on = models.DateField("Date the request was received")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_by_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    # Optimistic locking: each step bumps it; a step from an older page is refused.
    version = models.PositiveIntegerField(default=1)

    # Clarification, in writing (J 5.5).
    clarified_sought = models.TextField("What information is actually sought", blank=True)
    minutes_sought = models.BooleanField(
        "Information from the meeting's minutes is sought", null=True, blank=True
    )
    clarification_channel = models.CharField(
        "How it was clarified in writing",
        max_length=20,
        choices=ClarificationChannel.choices,
        blank=True,
    )
    clarified_on = models.DateField("Date clarified", null=True, blank=True)
    clarified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The decision.
    decision = models.CharField(max_length=20, choices=RequestDecision.choices, blank=True)
    decision_reasons = models.TextField("Reasons for the decision", blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # What was released and when: a finalised executive summary version, or words.
    released_version = models.ForeignKey(
        "ExecutiveSummaryVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
    )
    released_description = models.TextField("What was sent", blank=True)
    released_on = models.DateField("Date sent", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    notes = models.TextField(blank=True)

    # The notice to the co-ordinator and the chair (reference and link only).
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["received_by_agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_clarified(self) -> bool:
        return self.clarified_on is not None


class RequestRouting(models.Model):
    """Information owned by an agency, routed to that agency to answer (J 5.5): "the
    requestor ... should be directed to the service that owns and holds the original
    information"."""

    request = models.ForeignKey(MinutesRequest, on_delete=models.CASCADE, related_name="routings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    what = models.TextField("What information was routed")
    routed_on = models.DateField("Date routed")
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["routed_on", "created_at"]


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINALISED = "finalised", "Finalised"


class ExecutiveSummary(CaseDataModel):
    """The case's executive summary: the current draft, its manual redactions, and the
    finalised versions (``versions``)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="executive_summary")
    status = models.CharField(
        max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    # The draft as the system drew it from the records, before redaction (JSON of
    # sections, see redaction.py), and when.
    draft = models.JSONField(default=dict)
    drafted_at = models.DateTimeField(null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # [{"phrase": ..., "replacement": ...}] added by the chair.
    manual_redactions = models.JSONField(default=list, blank=True)
    # Optimistic locking: every change bumps it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "executive summaries"

    def __str__(self) -> str:
        return f"Executive summary of {self.case.reference}"

    @property
    def is_draft(self) -> bool:
        return self.status == SummaryStatus.DRAFT


class ImmutableError(ValidationError):
    pass


class ExecutiveSummaryVersion(CaseDataModel):
    """A finalised executive summary: never changed, never deleted."""

    summary = models.ForeignKey(ExecutiveSummary, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # The redacted sections as released (JSON, see redaction.py).
    content = models.JSONField()
    # What redaction removed, kept for the record (never part of the document).
    redactions = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64)
    finalised_at = models.DateTimeField()
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["summary", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="summary_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.summary.case.reference} executive summary, version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("A finalised executive summary cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("A finalised executive summary cannot be deleted.")
