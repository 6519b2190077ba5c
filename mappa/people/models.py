"""People around a case: victims, children, vulnerable adults, partners and other third
parties (decisions.md "People around a case"; MAPPA B s.7 safeguarding, s.10 victims).

Each is a structured record linked to one case and shown in a sensitive section
(``mappa.access.models.SensitiveSection``). Their names, aliases, addresses and dates
of birth are kept as fields, per case, so that documents can be redacted from them.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mappa.access.models import SensitiveSection
from mappa.common.dates import today
from mappa.common.models import CaseDataModel
from mappa.register.models import Gender


class PersonKind(models.TextChoices):
    VICTIM = "victim", "Victim or potential victim"
    CHILD = "child", "Child"
    VULNERABLE_ADULT = "vulnerable_adult", "Vulnerable adult"
    PARTNER = "partner", "Partner or former partner"
    OTHER = "other", "Other third party"


# The sensitive section each kind of person is shown in.
SECTION_OF_KIND: dict[str, str] = {
    PersonKind.VICTIM: SensitiveSection.VICTIMS,
    PersonKind.CHILD: SensitiveSection.CHILDREN,
    PersonKind.VULNERABLE_ADULT: SensitiveSection.CHILDREN,
    PersonKind.PARTNER: SensitiveSection.THIRD_PARTIES,
    PersonKind.OTHER: SensitiveSection.THIRD_PARTIES,
}
PEOPLE_SECTIONS = (
    SensitiveSection.VICTIMS,
    SensitiveSection.CHILDREN,
    SensitiveSection.THIRD_PARTIES,
)
SAFEGUARDING_KINDS = (PersonKind.CHILD, PersonKind.VULNERABLE_ADULT)


def kinds_in_sections(sections: set[str]) -> list[str]:
    return [kind for kind, section in SECTION_OF_KIND.items() if section in sections]


class Answer(models.TextChoices):
    # The MAPPA B forms answer these questions "YES / NO / NOT APPLICABLE / NOT KNOWN".
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_KNOWN = "not_known", "Not known"


class CasePerson(CaseDataModel):
    case = models.ForeignKey("register.Case", on_delete=models.PROTECT, related_name="people")
    kind = models.CharField(max_length=20, choices=PersonKind.choices)
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    address_line_1 = models.CharField("Address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or parish", max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    relation_to_nominal = models.CharField("Relationship to the person managed", max_length=200)
    knows_of_management = models.CharField(
        "Do they know the person is managed under MAPPA?",
        max_length=20,
        choices=Answer.choices,
        default=Answer.NOT_KNOWN,
    )
    # MAPPA B s.7a and s.10: what the concerns are.
    concerns = models.TextField(blank=True)
    # MAPPA B s.7 (children and vulnerable adults); J 11: education attends for a child of
    # school age.
    school_age = models.CharField(
        "Of school age", max_length=20, choices=Answer.choices, blank=True
    )
    child_protection_plan = models.CharField(
        "Subject to a child protection plan", max_length=20, choices=Answer.choices, blank=True
    )
    social_worker = models.CharField(
        "Allocated social worker (name and contact details)", max_length=300, blank=True
    )
    # MAPPA B s.10 (victims).
    victim_liaison = models.CharField(
        "Victim Liaison Service taken up", max_length=20, choices=Answer.choices, blank=True
    )
    vlo_contact = models.CharField(
        "Victim liaison officer (contact details)", max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "family_name", "given_names"]
        verbose_name = "person around a case"
        verbose_name_plural = "people around a case"
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        name = " ".join(p for p in (self.given_names, self.family_name) if p)
        return name or "Name not known"

    @property
    def section(self) -> str:
        return SECTION_OF_KIND[self.kind]

    @property
    def address(self) -> str:
        return ", ".join(
            p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p
        )

    def age_on(self, day: dt.date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        self.given_names = " ".join(self.given_names.split())
        self.family_name = " ".join(self.family_name.split())
        self.postcode = " ".join(self.postcode.upper().split())
        if not self.given_names and not self.family_name:
            errors["given_names"] = ["Enter the person's given names or family name"]
        if not self.relation_to_nominal.strip():
            errors["relation_to_nominal"] = [
                "Enter their relationship to the person managed, for example 'daughter'"
            ]
        if self.date_of_birth is not None and self.date_of_birth > today():
            errors["date_of_birth"] = ["Date of birth must be in the past"]
        if self.kind not in SAFEGUARDING_KINDS:
            self.school_age = ""
            self.child_protection_plan = ""
            self.social_worker = ""
        if self.kind != PersonKind.VICTIM:
            self.victim_liaison = ""
            self.vlo_contact = ""
        elif self.victim_liaison == Answer.YES and not self.vlo_contact.strip():
            errors["vlo_contact"] = ["Enter the contact details of the victim liaison officer"]
        if errors:
            raise ValidationError(errors)


class CasePersonAlias(models.Model):
    """Another name the person is known by (redaction removes these too)."""

    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=250)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name
