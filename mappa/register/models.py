"""The register of people managed (J 2.5, 3, 13; MAPPA B sections 1-4).

A *nominal* is the person: one record for life, archived and re-activated,
never duplicated. A *case* is one spell of MAPPA management of a nominal; its
category, level, lead agency and manager are dated history (``CaseState``), so
any past date's population is a query, not a reconstruction.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mappa.access.models import Agency
from mappa.common.dates import today
from mappa.common.models import CaseDataModel


def _verbose(obj: models.Model, name: str) -> str:
    return str(getattr(obj._meta.get_field(name), "verbose_name", name))


def _not_future(
    errors: dict[str, list[str]], value: dt.date | None, field: str, label: str
) -> None:
    if value is not None and value > today():
        errors.setdefault(field, []).append(f"{label} must be today or in the past")


def _not_before(
    errors: dict[str, list[str]],
    later: dt.date | None,
    earlier: dt.date | None,
    field: str,
    message: str,
) -> None:
    if later is not None and earlier is not None and later < earlier:
        errors.setdefault(field, []).append(message)


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class NominalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Category(models.TextChoices):
    # J 3.7-3.10; MAPPA B section 1. Exactly one applies.
    CATEGORY_1 = "1", "Category 1: registered sexual offender"
    CATEGORY_2 = "2", "Category 2: violent and other sexual offender"
    CATEGORY_3 = "3", "Category 3: other dangerous offender"
    PDP = "pdp", "Potentially dangerous person"


class Level(models.IntegerChoices):
    LEVEL_1 = 1, "Level 1: single agency management"
    LEVEL_2 = 2, "Level 2: multi-agency management"
    LEVEL_3 = 3, "Level 3: senior multi-agency management"


class Nominal(CaseDataModel):
    reference = models.CharField(max_length=20, unique=True)
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    # MAPPA A/B notes 2: the actual ethnicity, not a code.
    ethnicity = models.CharField(max_length=200, blank=True)
    photo = models.ImageField(upload_to="photos/", blank=True)
    status = models.CharField(
        max_length=20, choices=NominalStatus.choices, default=NominalStatus.ACTIVE
    )
    # J 13.3: the record is reviewed for removal on the 100th anniversary of birth.
    deletion_review_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic locking: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["status", "family_name"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def is_archived(self) -> bool:
        return self.status == NominalStatus.ARCHIVED

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class StatusChange(models.Model):
    """Each archive and re-activation of a record, with its reason (J 3.4, 13.3)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=NominalStatus.choices)
    reason = models.TextField()
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname"
    BIRTH_NAME = "birth_name", "Birth or previous name"
    SPELLING = "spelling", "Other spelling"


class Alias(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.ALIAS)
    # A nickname may be a single word ("Tiny"); then only one of the two is filled.
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    def clean(self) -> None:
        self.given_names = " ".join(self.given_names.split())
        self.family_name = " ".join(self.family_name.split())
        if not self.given_names and not self.family_name:
            raise ValidationError({"given_names": ["Enter the alias or nickname"]})


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC ID"
    CRO = "cro", "CRO number"
    VISOR = "visor", "ViSOR reference"
    PRISON = "prison", "Prison number"
    NINO = "nino", "National Insurance number"
    AGENCY = "agency", "Agency case number"


class Identifier(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    # Stored in canonical form (see identifiers.py).
    value = models.CharField(max_length=60)
    # For agency case numbers: the system that issued it ("Probation case management").
    issuer = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issuer", "value"], name="identifier_unique_in_register"
            )
        ]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        from mappa.register.identifiers import normalise_identifier

        if self.kind != IdentifierKind.AGENCY:
            self.issuer = ""
        elif not self.issuer.strip():
            raise ValidationError({"issuer": ["Enter the agency or system that issued the number"]})
        try:
            self.value = normalise_identifier(self.kind, self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
        clash = Identifier.objects.filter(kind=self.kind, issuer=self.issuer, value=self.value)
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {"value": [f"{self.get_kind_display()} {self.value} is already on the register"]}
            )


class AddressKind(models.TextChoices):
    LAST_KNOWN_BEFORE_SENTENCE = "last_known", "Last known address before sentence"
    APPROVED_RELEASE = "approved_release", "Approved proposed release address"
    CURRENT = "current", "Current address"
    PREVIOUS = "previous", "Previous address"
    NO_FIXED_ABODE = "nfa", "No fixed abode"


class Address(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=20, choices=AddressKind.choices)
    line_1 = models.CharField("Address line 1", max_length=200, blank=True)
    line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or parish", max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    # MAPPA A notes 2: where there is no fixed abode, where the person reports instead
    # and the area to which they have closest links.
    reporting_arrangement = models.TextField(blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        if self.kind == AddressKind.NO_FIXED_ABODE:
            return "No fixed abode"
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        self.postcode = " ".join(self.postcode.upper().split())
        if self.kind == AddressKind.NO_FIXED_ABODE:
            if not self.reporting_arrangement.strip():
                errors["reporting_arrangement"] = [
                    "Enter where the person reports instead and the area they have closest links to"
                ]
        elif not self.line_1.strip():
            errors["line_1"] = ["Enter address line 1, typically the building and street"]
        _not_before(
            errors,
            self.to_date,
            self.from_date,
            "to_date",
            "The end date must be the same as or after the start date",
        )
        if errors:
            raise ValidationError(errors)


class Conviction(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="convictions")
    offence = models.CharField(max_length=300)
    offence_date = models.DateField(null=True, blank=True)
    # The date of conviction, or of the caution where is_caution is set.
    conviction_date = models.DateField()
    is_caution = models.BooleanField("Caution, reprimand or warning", default=False)
    court = models.CharField(max_length=200, blank=True)
    # J 3.9: offences committed abroad can qualify.
    country = models.CharField(max_length=100, default="Jersey")
    sentence = models.CharField(max_length=300, blank=True)
    is_index_offence = models.BooleanField("Index offence", default=False)
    details = models.TextField("Brief offence details", blank=True)

    class Meta:
        ordering = ["-conviction_date"]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(
            errors, self.conviction_date, "conviction_date", "Date of conviction or caution"
        )
        _not_future(errors, self.offence_date, "offence_date", "Date of offence")
        _not_before(
            errors,
            self.conviction_date,
            self.offence_date,
            "conviction_date",
            "Date of conviction must be the same as or after the date of the offence",
        )
        if self.is_index_offence and self.nominal_id:
            state = CaseState.objects.filter(
                case__nominal_id=self.nominal_id,
                case__closed_on__isnull=True,
                effective_to__isnull=True,
            ).first()
            if state and state.category == Category.PDP:
                errors.setdefault("is_index_offence", []).append(
                    "A potentially dangerous person has no qualifying conviction: change the "
                    "category before recording an index offence"
                )
        if errors:
            raise ValidationError(errors)


class Sentence(CaseDataModel):
    """Sentence and order dates and flags (MAPPA B section 3, 'Relevant dates')."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="sentences")
    sentence_date = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    release_date = models.DateField("Automatic or conditional release date", null=True, blank=True)
    parole_eligibility_date = models.DateField(null=True, blank=True)
    non_parole_date = models.DateField(null=True, blank=True)
    # decisions.md: the first custody meeting counts back from this date (J 10.4).
    rotl_eligibility_date = models.DateField(
        "Release on temporary licence eligibility date", null=True, blank=True
    )
    licence_expiry_date = models.DateField(null=True, blank=True)
    sentence_expiry_date = models.DateField(null=True, blank=True)
    hdc_date = models.DateField("Home detention curfew date", null=True, blank=True)
    community_order_end_date = models.DateField(null=True, blank=True)
    mental_health_review_date = models.DateField(null=True, blank=True)
    is_ipp = models.BooleanField("Imprisonment for public protection", default=False)
    is_epp = models.BooleanField("Extended sentence for public protection", default=False)
    is_life = models.BooleanField("Life sentence", default=False)
    has_disqualification_order = models.BooleanField("Disqualification order", default=False)
    has_sopo = models.BooleanField("Sexual harm prevention order (SOPO or SHPO)", default=False)
    has_violent_offender_order = models.BooleanField("Violent offender order", default=False)

    class Meta:
        ordering = ["-sentence_date"]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(errors, self.sentence_date, "sentence_date", "Date of sentence")
        for field in (
            "release_date",
            "parole_eligibility_date",
            "non_parole_date",
            "rotl_eligibility_date",
            "licence_expiry_date",
            "sentence_expiry_date",
            "hdc_date",
            "community_order_end_date",
        ):
            label = _verbose(self, field)
            _not_before(
                errors,
                getattr(self, field),
                self.sentence_date,
                field,
                f"{label[:1].upper()}{label[1:]} cannot be before the date of sentence",
            )
        _not_before(
            errors,
            self.licence_expiry_date,
            self.release_date,
            "licence_expiry_date",
            "Licence expiry date cannot be before the release date",
        )
        _not_before(
            errors,
            self.sentence_expiry_date,
            self.release_date,
            "sentence_expiry_date",
            "Sentence expiry date cannot be before the release date",
        )
        if errors:
            raise ValidationError(errors)

    def dates_for_display(self) -> list[tuple[str, dt.date | None]]:
        names = [
            "release_date",
            "parole_eligibility_date",
            "non_parole_date",
            "rotl_eligibility_date",
            "licence_expiry_date",
            "sentence_expiry_date",
            "hdc_date",
            "community_order_end_date",
            "mental_health_review_date",
        ]
        out = []
        for name in names:
            label = _verbose(self, name)
            out.append((label[:1].upper() + label[1:], getattr(self, name)))
        return out

    @property
    def flags(self) -> list[str]:
        names = [
            "is_ipp",
            "is_epp",
            "is_life",
            "has_disqualification_order",
            "has_sopo",
            "has_violent_offender_order",
        ]
        return [_verbose(self, n) for n in names if getattr(self, n)]


class DetentionBasis(models.TextChoices):
    GUARDIANSHIP = "guardianship", "Guardianship order (s.7 or s.37 MHA 1983)"
    HOSPITAL_ORDER = "hospital_order", "Hospital order (s.37 MHA 1983)"
    RESTRICTION_ORDER = "restriction_order", "Restriction order (s.41 MHA 1983)"
    TRANSFER_FROM_PRISON = "transfer", "Transfer from prison (s.47 MHA 1983)"


class HospitalDetention(CaseDataModel):
    """MAPPA B section 4, completed by Mental Health."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="detentions")
    hospital = models.CharField(max_length=200)
    responsible_clinician = models.CharField(max_length=200)
    admitted_on = models.DateField(null=True, blank=True)
    earliest_discharge_date = models.DateField(null=True, blank=True)
    proposed_release_address = models.TextField(blank=True)
    forensic_social_worker = models.CharField(
        "Forensic social worker (name and contact details)", max_length=300, blank=True
    )
    next_tribunal_date = models.DateField(null=True, blank=True)
    basis = models.CharField("Basis for detention", max_length=30, choices=DetentionBasis.choices)

    class Meta:
        ordering = ["-admitted_on"]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(errors, self.admitted_on, "admitted_on", "Date of admission")
        _not_before(
            errors,
            self.earliest_discharge_date,
            self.admitted_on,
            "earliest_discharge_date",
            "Earliest discharge date cannot be before the date of admission",
        )
        if errors:
            raise ValidationError(errors)


class WarningMarker(CaseDataModel):
    """Markers an officer reads first, before a home visit (decisions.md)."""

    class Kind(models.TextChoices):
        VIOLENCE = "violence", "Violence"
        WEAPONS = "weapons", "Weapons"
        FIREARMS = "firearms", "Firearms"
        DRUGS = "drugs", "Drugs"
        SELF_HARM = "self_harm", "Self-harm"
        MENTAL_HEALTH = "mental_health", "Mental health"
        ESCAPE = "escape", "Escape risk"
        INFECTIOUS_DISEASE = "infectious_disease", "Infectious disease"
        OTHER = "other", "Other"

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    recorded_on = models.DateField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind"]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(errors, self.recorded_on, "recorded_on", "Date recorded")
        if errors:
            raise ValidationError(errors)


class Case(CaseDataModel):
    """One spell of MAPPA management of a nominal, from identification to leaving."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30, unique=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    # J 3.10: a PDP has no qualifying conviction; the behaviour that gives grounds is recorded.
    pdp_behaviour = models.TextField("Behaviour giving grounds (PDP)", blank=True)
    # Category 1 (J 3.7): the end of the notification requirements, or indefinite.
    notification_end_date = models.DateField(null=True, blank=True)
    notification_indefinite = models.BooleanField("Notification is indefinite", default=False)

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(closed_on__isnull=True),
                name="one_open_case_per_nominal",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseState(models.Model):
    """Category, level, lead agency and manager from a date, with the decision that set them.

    The row whose ``effective_to`` is empty is the current state. ``effective_to`` is
    the first day the row no longer applies.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="states")
    category = models.CharField(max_length=5, choices=Category.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_case_states",
        verbose_name="Record manager",
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(effective_to__isnull=True), name="one_current_state"
            )
        ]
        indexes = [models.Index(fields=["effective_to", "category", "level"])]


class CasePartner(models.Model):
    """An agency that is a partner to the record (J 13.2), from a date until ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partners")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
