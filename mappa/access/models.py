"""Agencies, the people who work in them, and the roles they hold (J 1.1, 10.7, 13.2, 15.2)."""

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
