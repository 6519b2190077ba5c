"""Identification, referral (MAPPA A; J appendix A) and screening by the co-ordinator.

J 3.3: identify an eligible person within 3 days of sentence, notification order or
hospital admission; refer 6 months before planned release (a PDP as soon as identified).
J 10.4 and the MAPPA A notes: the referral, endorsed by the line manager, is screened by
the co-ordinator, who accepts it at level 2 or 3, declines it with reasons (J 3.5), or
returns it for more information.
"""

from django.conf import settings
from django.db import models

from mappa.access.models import Agency
from mappa.common.choices import YesNoUnknown
from mappa.common.models import CaseDataModel
from mappa.register.models import Case, Category, Nominal


class EligibilityEventKind(models.TextChoices):
    SENTENCE = "sentence", "Sentence"
    NOTIFICATION_ORDER = "notification_order", "Order making the person subject to notification"
    HOSPITAL_ADMISSION = "hospital_admission", "Admission to hospital"
    TRANSFER_IN = "transfer_in", "Transfer in (prison, hospital or area)"
    PDP_IDENTIFIED = "pdp_identified", "Identified as a potentially dangerous person"


class Custody(models.TextChoices):
    CUSTODY = "custody", "In custody or detained in hospital"
    COMMUNITY = "community", "In the community"


class EligibilityEvent(CaseDataModel):
    """The event that makes a person MAPPA-eligible, and when it was identified."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.PROTECT, related_name="eligibility_events"
    )
    kind = models.CharField(max_length=30, choices=EligibilityEventKind.choices)
    event_date = models.DateField("Date of the event")
    identified_on = models.DateField("Date identified as MAPPA-eligible")
    custody = models.CharField(max_length=20, choices=Custody.choices)
    planned_release_date = models.DateField(
        "Planned release or discharge date", null=True, blank=True
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        Agency, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-event_date", "-created_at"]


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_ENDORSEMENT = "awaiting_endorsement", "Awaiting line manager endorsement"
    AWAITING_SCREENING = "awaiting_screening", "Awaiting screening"
    RETURNED = "returned", "Returned for more information"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible for MAPPA"
    LEVEL_1 = "level_1", "Can be managed at level 1 without a multi-agency meeting"


class Referral(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=30, unique=True)
    status = models.CharField(
        max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    # Optimistic locking: a draft saved from an older page is refused, not overwritten.
    version = models.PositiveIntegerField(default=1)

    # 1. Category and level sought
    category = models.CharField(max_length=5, choices=Category.choices, blank=True)
    level_sought = models.PositiveSmallIntegerField(
        choices=[(2, "Level 2"), (3, "Level 3")], null=True, blank=True
    )
    sexual_offender = models.BooleanField(
        "The person is a sexual offender",
        default=False,
        help_text="Sexual offenders are always discussed at a multi-agency meeting (J 9.2, 10.3)",
    )
    emergency_meeting = models.BooleanField("An emergency meeting is needed", default=False)
    emergency_needed_by = models.DateField("Emergency meeting needed by", null=True, blank=True)
    emergency_reason = models.TextField("Why the case cannot wait for the next meeting", blank=True)
    custody = models.CharField(
        "Where the person is", max_length=20, choices=Custody.choices, blank=True
    )

    # 5. Risk assessments, picked from the person's records (MAPPA B section 5)
    assessments = models.ManyToManyField(
        "assessments.Assessment", blank=True, related_name="referrals"
    )
    # Lead agency risk assessment summary (MAPPA B 11a headings)
    risk_who = models.TextField("Who is at risk?", blank=True)
    risk_nature = models.TextField("What is the nature of the risk?", blank=True)
    risk_when = models.TextField("When is the risk likely to be greatest?", blank=True)
    risk_increase = models.TextField("What circumstances are likely to increase risk?", blank=True)
    risk_reduce = models.TextField("What factors are likely to reduce risk?", blank=True)
    overall_risk = models.CharField(
        "Current risk of serious harm",
        max_length=20,
        choices=[
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("very_high", "Very high"),
        ],
        blank=True,
    )
    # Lead agency risk management plan
    plan_restrictive_choices = models.JSONField(default=list, blank=True)
    plan_restrictive = models.TextField("Restrictive interventions", blank=True)
    plan_rehabilitative_choices = models.JSONField(default=list, blank=True)
    plan_rehabilitative = models.TextField("Rehabilitative interventions", blank=True)
    plan_protective_choices = models.JSONField(default=list, blank=True)
    plan_protective = models.TextField("Protective interventions", blank=True)

    # 6. Relevant information
    reason_choices = models.JSONField(default=list, blank=True)
    reason_for_referral = models.TextField("Reason for referral", blank=True)
    interagency_work = models.TextField("What inter-agency work has been done so far?", blank=True)
    added_value = models.TextField("How will active level 2 or 3 management add value?", blank=True)
    diversity = models.TextField(
        "Diversity considerations linked to risk of serious harm", blank=True
    )

    # 7. Victim concerns
    victim_concerns = models.TextField("Victim concerns", blank=True)

    # 8. Safeguarding (MAPPA B 7)
    child_protection_concerns = models.CharField(
        "Are there any child protection concerns?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    child_protection_details = models.TextField("What are they?", blank=True)
    social_worker = models.CharField(
        "Allocated social worker (name and contact details)", max_length=300, blank=True
    )
    child_protection_plan = models.CharField(
        "Is any child subject to a child protection plan?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    vulnerable_adult_concerns = models.TextField("Vulnerable adult concerns", blank=True)

    # 9. Referring agency and endorsement
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_to_endorse",
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    endorsement_note = models.TextField(blank=True)

    # 11. Co-ordination unit decision
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField("Date the co-ordinator received it", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    accepted_category = models.CharField(max_length=5, choices=Category.choices, blank=True)
    accepted_level = models.PositiveSmallIntegerField(null=True, blank=True)
    first_meeting_due = models.DateField(null=True, blank=True)
    rotl_date_missing = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in (ReferralStatus.DRAFT, ReferralStatus.RETURNED)


class ReferralInvitee(models.Model):
    """MAPPA A section 10: who should be invited. The first is the referrer."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="invitees")
    position = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.TextField("Address or other contact details", blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "position"], name="invitee_position")
        ]


class ReferralSubmission(models.Model):
    """What was sent, kept whole for each submission (one version per submission)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="submission_number")
        ]


class ReferralEvent(models.Model):
    """The referral's history as its people see it: submitted, endorsed, returned, decided."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]
