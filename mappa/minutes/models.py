"""The minutes of each case discussion (MAPPA B), the actions they set, and level 1 reviews.

One ``Minutes`` record per case discussion (``meetings.AgendaItem``). Sections 1-7 are a
snapshot copied when the minutes are started, from the accepted referral (first
meeting) or the previous minutes (MAPPA B notes: "Sections 1-7 ... automatically
populated"); the record of the meeting starts at section 8. The workflow is
draft -> checked -> distributed (J 10.12); distributed minutes never change, and a
correction is a ``MinutesAmendment`` shown beside the original.

Actions (MAPPA B s.15) live on after the meeting: owners record progress and the
outcome, and the next discussion's section 8 lists them (``ActionReview``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mappa.access.models import Agency, Contact
from mappa.common.choices import YesNoUnknown
from mappa.common.models import CaseDataModel
from mappa.register.models import Case


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class RoshLevel(models.TextChoices):
    # MAPPA B s.12, in the order the form lists them; the keys match assessments.RiskLevel.
    VERY_HIGH = "very_high", "Very high"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CHECKED = "checked", "Checked"
    DISTRIBUTED = "distributed", "Distributed"


class Conclusion(models.TextChoices):
    """MAPPA B s.16: the level of management the meeting agreed (J 10.2, 13.3)."""

    LEVEL_3 = "level_3", "Manage at level 3"
    LEVEL_2 = "level_2", "Manage at level 2"
    LEVEL_1 = "level_1", "Manage at level 1 by the lead agency"
    LEAVE = (
        "leave",
        "Leave MAPPA (no longer eligible, or category 3 no longer needing level 2 or 3)",
    )


CONCLUSION_LEVEL = {Conclusion.LEVEL_3: 3, Conclusion.LEVEL_2: 2, Conclusion.LEVEL_1: 1}


class HraGround(models.TextChoices):
    # MAPPA B s.17, the four grounds the form names.
    PUBLIC_SAFETY = "public_safety", "Public safety"
    CRIME_DISORDER = "crime_disorder", "The prevention of crime and disorder"
    HEALTH_MORALS = "health_morals", "The protection of health and morals"
    RIGHTS_FREEDOMS = "rights_freedoms", "The protection of the rights and freedoms of others"


class Minutes(CaseDataModel):
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.PROTECT, related_name="minutes"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    # Optimistic locking: every save bumps it; a save from an older page is merged or refused.
    version = models.PositiveIntegerField(default=1)

    # Sections 1-7: copied when the minutes were started, with where from and when.
    carried = models.JSONField(default=dict)

    # 10. Current victim concerns
    victim_concerns = models.TextField(
        "Outline any concerns about the victim of the index offence or potential victims",
        blank=True,
    )
    vls_taken_up = models.CharField(
        "Has the victim taken up the Victim Liaison Service?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    vlo_contact = models.TextField("Contact details of the Victim Liaison Officer", blank=True)
    domestic_abuse = models.CharField(
        "Are there any domestic abuse concerns?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    domestic_abuse_details = models.TextField("a. What are they?", blank=True)
    marac_referred = models.CharField(
        "b. Has the victim been referred to MARAC?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    marac_meeting = models.CharField(
        "c. Has a MARAC meeting been held, or is one due to be held?",
        max_length=20,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    marac_date = models.DateField("d. Date of the MARAC meeting (if known)", null=True, blank=True)
    marac_actions = models.TextField("e. Actions from MARAC", blank=True)

    # 11a. Agreed risk assessment summary
    risk_who = models.TextField("Who is at risk?", blank=True)
    risk_nature = models.TextField("What is the nature of the risk?", blank=True)
    risk_when = models.TextField("When is the risk likely to be greatest?", blank=True)
    risk_increase = models.TextField("What circumstances are likely to increase risk?", blank=True)
    risk_reduce = models.TextField("What factors are likely to reduce risk?", blank=True)
    # 12. The meeting's view of risk of serious harm
    rosh = models.CharField(
        "The meeting's view of the risk of serious harm the person poses now",
        max_length=20,
        choices=RoshLevel.choices,
        blank=True,
    )

    # 11b. Agreed risk management plan (J 7.2, 8.3)
    plan_restrictive = models.TextField("Restrictive factors and interventions", blank=True)
    plan_rehabilitative = models.TextField("Rehabilitative factors and interventions", blank=True)
    plan_protective = models.TextField("Protective factors and interventions", blank=True)
    contingency_plan = models.TextField(
        "Contingency plan: what will happen if the plan breaks down", blank=True
    )
    # J 1.3: differences of opinion on the risk assessment or the plan are fully documented.
    differences_of_opinion = models.TextField("Differences of opinion between agencies", blank=True)

    # 13. Disclosure (J 5.2: considered at every meeting)
    disclosure = models.CharField(
        "Are you going to make disclosure?", max_length=5, choices=YesNo.choices, blank=True
    )
    disclosure_reasons = models.TextField("Why, or why not", blank=True)
    disclosure_what = models.TextField("b1. What will be disclosed?", blank=True)
    disclosure_by_date = models.DateField("b1. Disclosure to be made by", null=True, blank=True)
    disclosure_by_whom = models.CharField(
        "b2. Who will make disclosure?", max_length=300, blank=True
    )
    disclosure_to_whom = models.CharField(
        "b3. Who will receive disclosure?", max_length=300, blank=True
    )
    # J 3.6: withholding from the offender the fact of management needs a meeting decision.
    withhold_from_offender = models.CharField(
        "Should the person be told they are managed under MAPPA?",
        max_length=10,
        choices=[("tell", "Yes, tell them"), ("withhold", "No, withhold it")],
        blank=True,
    )
    withhold_reasons = models.TextField("Reasons for withholding it", blank=True)

    # 14. Press and media handling
    media_consider = models.CharField(
        "Does press and media handling need to be considered?",
        max_length=5,
        choices=YesNo.choices,
        blank=True,
    )
    media_issue = models.TextField(
        "What is the issue the media would be interested in?", blank=True
    )
    media_alerted = models.CharField(
        "Has the media handling person been alerted to prepare a strategy?",
        max_length=5,
        choices=YesNo.choices,
        blank=True,
    )
    media_alerted_by = models.CharField("Alerted by whom?", max_length=300, blank=True)
    media_who_will = models.CharField("Who will alert them?", max_length=300, blank=True)

    # 16. Conclusion (J 10.2, 13.3)
    conclusion = models.CharField(
        "What level of MAPPA management is recommended?",
        max_length=20,
        choices=Conclusion.choices,
        blank=True,
    )
    conclusion_reasons = models.TextField("Why", blank=True)
    ongoing_at_level = models.CharField(
        "Does this case require ongoing management at this level?",
        max_length=5,
        choices=YesNo.choices,
        blank=True,
    )
    ongoing_achieve = models.TextField(
        "What will be achieved, and what actions are needed to make sure it happens?", blank=True
    )
    discharge_considered = models.BooleanField(
        "The meeting considered whether the person can be discharged from MAPPA", default=False
    )
    discharge_notes = models.TextField("What the meeting decided about discharge", blank=True)

    # 17. Human Rights Act validation
    hra_confirmed = models.BooleanField(
        "It was agreed that the actions decided upon were necessary and proportionate",
        default=False,
    )
    hra_grounds = models.JSONField("With particular reference to", default=list, blank=True)

    # 18. Administration
    next_meeting_date = models.DateField("Date of the next MAPPA meeting", null=True, blank=True)
    next_meeting_time = models.TimeField("Time of the next MAPPA meeting", null=True, blank=True)
    next_meeting_location = models.CharField(
        "Location of the next MAPPA meeting", max_length=300, blank=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(null=True, blank=True)
    distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    distributed_on = models.DateField(null=True, blank=True)
    # What distribution changed on the register (level, archive, actions moved), in words.
    outcome_applied = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "minutes"
        indexes = [models.Index(fields=["status", "distributed_on"])]

    def __str__(self) -> str:
        return f"Minutes of {self.agenda_item}"

    @property
    def is_draft(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_distributed(self) -> bool:
        return self.status == MinutesStatus.DISTRIBUTED

    def hra_ground_labels(self) -> list[str]:
        lookup = dict(HraGround.choices)
        return [str(lookup[g]) for g in self.hra_grounds if g in lookup]


class MinutesRevision(models.Model):
    """The values of the minutes as each version left them: the base a later save from
    an older page is compared with, to tell whose changes are whose."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    values = models.JSONField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "version"], name="minutes_revision_once")
        ]


class AgencyUpdate(CaseDataModel):
    """MAPPA B s.9: the person giving the update (full name, never initials) and agency."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="agency_updates")
    position = models.PositiveSmallIntegerField(default=0)
    person_name = models.CharField("Full name of the person giving the update", max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    update = models.TextField("Update")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "created_at"]


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Not completed"
    # J 8.3: an element the agencies cannot deliver goes to the next meeting.
    REFERRED = "referred", "Referred to the next meeting"


CLOSED_STATES = (ActionState.COMPLETED, ActionState.NOT_COMPLETED)


class Action(CaseDataModel):
    """MAPPA B s.15: a numbered action with its agency, named owner and a deadline date."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="actions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mappa_actions")
    number = models.PositiveSmallIntegerField()
    description = models.TextField("Action")
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Agency",
    )
    owner_name = models.CharField("Named owner", max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mappa_actions",
        verbose_name="Owner's account",
    )
    due_date = models.DateField("Deadline", null=True, blank=True)
    protects_victims = models.BooleanField("This action protects victims", default=False)
    contingency = models.BooleanField("This action is part of the contingency plan", default=False)
    refer_to_next_meeting = models.BooleanField(
        "The agencies cannot deliver this: refer it to the next meeting", default=False
    )
    state = models.CharField(max_length=20, choices=ActionState.choices, default=ActionState.OPEN)
    completed_on = models.DateField("Date done", null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the case leaves level 2 or 3, the lead agency owns what remains (MAPPA B notes 16).
    original_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    original_owner_name = models.CharField(max_length=200, blank=True)
    transferred_on = models.DateField(null=True, blank=True)
    transfer_reason = models.CharField(max_length=300, blank=True)
    # Reminders sent (tasks.action_reminders), so that each is sent once.
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["minutes__agenda_item__meeting__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="action_number_once")
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_date"]),
            models.Index(fields=["owner_user", "state"]),
        ]

    def __str__(self) -> str:
        return f"Action {self.number} ({self.case.reference})"

    @property
    def is_open(self) -> bool:
        return self.state == ActionState.OPEN


class ActionProgress(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at"]


class ActionReview(models.Model):
    """MAPPA B s.8: one earlier action reviewed at this discussion (generated, never typed)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="reviews")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reviews")
    position = models.PositiveSmallIntegerField(default=0)
    completed = models.CharField(
        "Was the action completed?", max_length=5, choices=YesNo.choices, blank=True
    )
    done_on = models.DateField("Date done", null=True, blank=True)
    reason_not_completed = models.TextField("Reason if not completed", blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "action"], name="action_reviewed_once")
        ]


class MinutesAmendment(models.Model):
    """A correction to distributed minutes: the original stays, the amendment shows in place."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(max_length=60)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    reason = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]


class Distribution(models.Model):
    """Minutes sent to one core agency's single point of contact (J 10.12).

    The recipient gets a notice in the application and an email notice carrying the
    case reference and a link, never the minutes or anyone's name (decisions.md).
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="distributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minutes_notices",
    )
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["agency__name"]
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def email_state(self) -> str:
        if not self.email:
            return "No email address"
        if self.emailed_at:
            return "Sent"
        if self.email_attempts:
            return "Failed: will be tried again"
        return "Waiting to be sent"


class Level1Review(CaseDataModel):
    """J 9.2: the lead agency's review of a level 1 case, at least every 3 months."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="level1_reviews")
    review_date = models.DateField("Date of the review")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    new_information = models.TextField("New information affecting the risk assessment or the plan")
    plan_revised = models.CharField(
        "Has the risk management plan been revised?", max_length=5, choices=YesNo.choices
    )
    plan_changes = models.TextField("What changed in the plan", blank=True)
    refer = models.CharField(
        "Does the case now need a referral to level 2 or 3?", max_length=5, choices=YesNo.choices
    )
    refer_reasons = models.TextField("Why", blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-review_date", "-created_at"]


def minutes_field(name: str) -> models.Field:
    """A concrete field of ``Minutes`` (typed for the forms and the display)."""
    field = Minutes._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a field of the minutes")
    return field
