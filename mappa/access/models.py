"""Agencies, the people who work in them, and the roles they hold (J 1.1, 10.7, 13.2, 15.2)."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prison"
    HEALTH = "health", "Health and Social Services"
    MENTAL_HEALTH = "mental_health", "Mental Health Services"
    CHILDRENS_SERVICES = "childrens_services", "Children's Services"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    CUSTOMS_IMMIGRATION = "customs_immigration", "Customs and Immigration"
    SOCIAL_SECURITY = "social_security", "Social Security"
    COORDINATION = "coordination", "MAPPA co-ordination unit"
    OTHER = "other", "Other agency"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    # J 1.1: duty-to-co-operate departments and office holders; others join case by case (J 4.3).
    duty_to_cooperate = models.BooleanField(default=True)
    # Core agencies receive minutes through their single point of contact (J 10.12).
    is_core = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Co-ordinator"
    ADMINISTRATOR = "administrator", "Administrator"
    CHAIR = "chair", "Meeting chair"
    PRACTITIONER = "practitioner", "Practitioner (case manager)"
    LINE_MANAGER = "line_manager", "Line manager"
    SMB_MEMBER = "smb_member", "Strategic Management Board member"
    AUDITOR = "auditor", "Auditor"


class VettingLevel(models.TextChoices):
    NONE = "none", "None"
    BPSS = "bpss", "Baseline (BPSS)"
    NPPV2 = "nppv2", "Non-police personnel vetting level 2"
    CTC = "ctc", "Counter-terrorist check"
    SC = "sc", "Security check"
    DV = "dv", "Developed vetting"


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=200, blank=True)
    grade = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    vetting_level = models.CharField(
        max_length=20, choices=VettingLevel.choices, default=VettingLevel.NONE
    )
    vetting_expires = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    @property
    def role_set(self) -> frozenset[str]:
        # Cached per instance: the policy asks many times per request.
        cached: frozenset[str] | None = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_set = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Contact(models.Model):
    """The contact directory: people in agencies who are invited to meetings (J App. B (e))."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField("Role", max_length=200, blank=True)
    grade = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # The agency's single point of contact for MAPPA (J 10.12).
    is_spoc = models.BooleanField("Single point of contact", default=False)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact"
    )

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class CasePartKind(models.TextChoices):
    # J 4.3: agencies outside the core may be invited to a meeting about one case.
    INVITED = "invited", "Invited to a meeting about the case"


class CasePart(models.Model):
    """A part an agency holds in a case because the workflow gave it one (J 4.2, 4.3).

    Lead agency, the manager's agency and partners are read from the register's own
    history (``CaseState``, ``CasePartner``); this table holds the parts other
    workflows grant, such as an invitation to a level 2 or 3 meeting. A part counts
    from ``starts_on``; once ended it still counts up to and including
    ``grace_until``, so an invited agency can finish its actions and read the minutes.
    """

    case = models.ForeignKey("register.Case", on_delete=models.CASCADE, related_name="parts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_parts")
    kind = models.CharField(max_length=20, choices=CasePartKind.choices)
    starts_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    grace_until = models.DateField(null=True, blank=True)
    # What granted the part ("Invited to the level 2 meeting on 3 June 2025").
    source = models.CharField(max_length=300)
    end_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "agency__name"]
        indexes = [models.Index(fields=["agency", "case"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(grace_until__isnull=False, grace_until__gte=models.F("ended_on")),
                name="case_part_grace_after_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.get_kind_display()}"


class SensitiveSection(models.TextChoices):
    """Parts of a record shown only to those the area's configuration names (J 4.2)."""

    VICTIMS = "victims", "Victims"
    CHILDREN = "children", "Children and vulnerable adults"
    THIRD_PARTIES = "third_parties", "Partners and other third parties"
    HEALTH = "health", "Health and mental health"
    INTELLIGENCE = "intelligence", "Police intelligence"


class SectionRule(models.Model):
    """Who may see one sensitive section in this area: by role or by agency kind.

    A user sees the section's content when they may open the record and either hold
    one of ``roles`` or work in an agency whose kind is in ``agency_kinds``. Others see
    that the section exists and whom to ask (``contact``).
    """

    section = models.CharField(max_length=30, choices=SensitiveSection.choices, unique=True)
    roles = models.JSONField(default=list, blank=True)
    agency_kinds = models.JSONField(default=list, blank=True)
    contact = models.CharField("Whom to ask", max_length=200)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["section"]

    def __str__(self) -> str:
        return self.get_section_display()


class EmergencyReason(models.TextChoices):
    # J 10.12: how other agency personnel reach the record in an emergency.
    IMMEDIATE_RISK = "immediate_risk", "Immediate risk to a person"
    POLICE_INCIDENT = "police_incident", "Police incident in progress"
    OUT_OF_HOURS = "out_of_hours", "Out-of-hours safeguarding"
    OTHER = "other", "Other emergency"


class EmergencyAccess(models.Model):
    """A short grant to one user to open one record they would otherwise be refused.

    It counts as a part for that user only (never their agency) until ``expires_at``,
    and stays on the record as a flag and in the co-ordinator's review queue.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="emergency_grants")
    nominal = models.ForeignKey(
        "register.Nominal", on_delete=models.CASCADE, related_name="emergency_grants"
    )
    # The case open when access was granted; empty for an archived record.
    case = models.ForeignKey(
        "register.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emergency_grants",
    )
    reason = models.CharField(max_length=30, choices=EmergencyReason.choices)
    explanation = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "nominal", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_reason_display()}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
