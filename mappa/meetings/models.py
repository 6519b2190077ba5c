"""Level 2 and 3 multi-agency meetings (J 10; MAPPA B), their agendas, invitations and
attendance. The minutes of each case discussion live in the ``minutes`` app.

A *meeting* is a panel day (or an emergency meeting) at one level; each case discussed
at it is an *agenda item* (a case discussion). Invitations and attendance are recorded
per agency and per case discussion, because the KPI of J 16.2 counts each invited
agency at each case discussion.
"""

from django.conf import settings
from django.db import models

from mappa.access.models import Agency, Contact
from mappa.common.models import CaseDataModel
from mappa.register.models import Case


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class PanelSchedule(models.Model):
    """J 10.6: level 2 and 3 meetings sit on set days each month, set well in advance."""

    level = models.PositiveSmallIntegerField(choices=[(2, "Level 2"), (3, "Level 3")])
    # Which occurrence of the weekday in the month: 1-4, or 5 for the last.
    week_of_month = models.PositiveSmallIntegerField(
        choices=[(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (5, "Last")]
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200)
    video_link = models.URLField(blank=True)
    # The usual chair of this panel; each meeting can have another (J 9.2).
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "week_of_month", "weekday"]

    def __str__(self) -> str:
        return (
            f"Level {self.level}: {self.get_week_of_month_display().lower()} "
            f"{self.get_weekday_display()} of the month at {self.start_time:%H:%M}"
        )


class MeetingKind(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled panel"
    EMERGENCY = "emergency", "Emergency meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(CaseDataModel):
    level = models.PositiveSmallIntegerField(choices=[(2, "Level 2"), (3, "Level 3")])
    kind = models.CharField(
        max_length=20, choices=MeetingKind.choices, default=MeetingKind.SCHEDULED
    )
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    # J 9.2: level 2 chaired by the co-ordinator or a middle or senior manager.
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancelled_reason = models.TextField(blank=True)
    schedule = models.ForeignKey(
        PanelSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # Bumped on every change that invitees must hear about (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # The day the schedule gave this meeting, kept when the date is moved, so that
    # generating the schedule again never adds the same month's meeting twice.
    scheduled_for = models.DateField(null=True, blank=True)
    emergency_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["level", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "scheduled_for"],
                condition=models.Q(schedule__isnull=False, scheduled_for__isnull=False),
                name="one_meeting_per_scheduled_day",
            )
        ]

    def __str__(self) -> str:
        return f"Level {self.level} meeting, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def place(self) -> str:
        """Where it is, as an invitation says it: the venue, the video link, or both."""
        if self.venue and self.video_link:
            return f"{self.venue} (or join by video: {self.video_link})"
        return self.venue or self.video_link


class DiscussionKind(models.TextChoices):
    FIRST = "first", "First meeting"
    REVIEW = "review", "Review"
    EMERGENCY = "emergency", "Emergency discussion"


class AgendaItem(CaseDataModel):
    """One case discussed at one meeting (a "case discussion")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=DiscussionKind.choices)
    # The accepted referral a first meeting answers (sections 1-7 come from it).
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The deadline this discussion meets: first-meeting deadline or review interval.
    due_by = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    # Whether the case was actually discussed (a meeting can run out of time).
    discussed = models.BooleanField(default=False)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting__date", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_meeting")
        ]
        indexes = [models.Index(fields=["case", "discussed"])]

    def __str__(self) -> str:
        return f"{self.case.reference} at {self.meeting}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class InvitationKind(models.TextChoices):
    STANDING = "standing", "Standing member"
    REFERRER = "referrer", "Referrer"
    CASE = "case", "Invited for the case"
    CHILDRENS_SERVICES = "childrens_services", "Children's Services (children's welfare)"
    EDUCATION = "education", "Education (child of school age)"


class InvitationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class Invitation(CaseDataModel):
    """An invitation to a meeting: to the whole meeting (standing members, J 10.7) or to
    one case discussion (the referrer and case invitees, J 10.8; J 11). Offenders and
    their representatives are never invited (J 3.6)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=InvitationKind.choices)
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PROPOSED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(null=True, blank=True)
    # Why the system proposed it ("Child protection concerns on referral MN-000001/R1").
    reason = models.CharField(max_length=300, blank=True)
    standing_member = models.ForeignKey(
        "StandingMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A cancellation notice sent for an invitation that had been sent (or for the meeting).
    cancel_sent_at = models.DateTimeField(null=True, blank=True)
    # Delivery: every failed try is kept here, and the invitation stays unsent.
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # Set while one worker sends this invitation, so that two never send it twice.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"

    @property
    def is_active(self) -> bool:
        return self.status in (InvitationStatus.CONFIRMED, InvitationStatus.SENT)


class AttendanceStatus(models.TextChoices):
    IN_PERSON = "in_person", "Attended in person"
    REMOTE = "remote", "Joined by video or phone"
    REPORT = "report", "Sent a report"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


# J 16.2: video, phone or an appropriate report counts as attendance for the KPI.
COUNTS_AS_ATTENDED = (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE, AttendanceStatus.REPORT)


class Attendance(models.Model):
    """Attendance of one invited agency at one case discussion."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    representative = models.CharField("Name of the person attending", max_length=200, blank=True)
    grade = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "agency"], name="attendance_once")
        ]

    @property
    def counts_as_attended(self) -> bool:
        return self.status in COUNTS_AS_ATTENDED


# J 10.7: the grade each core agency generally sends, by level. The administrator may
# record another grade for a standing member; this is what the form proposes.
GRADE_GUIDANCE: dict[tuple[str, int], str] = {
    ("police", 2): "Inspector",
    ("police", 3): "Chief Inspector or Superintendent",
    ("probation", 2): "Team Leader",
    ("probation", 3): "Assistant Chief Probation Officer",
    ("childrens_services", 2): "Head of Children's Social Work",
    ("childrens_services", 3): "Co-ordinator, Children's Executive",
    ("health", 2): "Head of Children's Social Work",
    ("health", 3): "Co-ordinator, Children's Executive",
    ("mental_health", 2): "Head of Nursing or Operational Service Manager",
    ("mental_health", 3): "Directorate Manager",
    ("housing", 2): "Housing Manager",
    ("housing", 3): "Director",
}


class StandingMember(models.Model):
    """A standing member of the level 2 or level 3 panel (J 10.7): invited to every
    case discussion of every meeting at that level."""

    level = models.PositiveSmallIntegerField(choices=[(2, "Level 2"), (3, "Level 3")])
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    # J 10.7: e.g. Police level 2 Inspector, level 3 Chief Inspector or Superintendent.
    minimum_grade = models.CharField("Minimum grade", max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["level", "agency__name", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "contact"], name="standing_member_once")
        ]

    def __str__(self) -> str:
        return f"Level {self.level}: {self.contact.name} ({self.agency})"


class WrittenInformation(CaseDataModel):
    """J 3.6: the person managed never attends, but may give the meeting written
    information through their case manager, who records it here."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="written_information"
    )
    received_on = models.DateField("Date received")
    summary = models.TextField("Written information from the person")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "created_at"]
        verbose_name_plural = "written information"
