"""Risk assessments and home visits on the person (J 6, 9.1, 11, 14.4, 14.9; MAPPA B s.5).

An assessment is a typed, dated, authored record: one row in ``Assessment`` (what
every tool shares: the person, the tool, the date completed, the author and the
assessing agency) and one row in the tool's own table with its fields (Django
multi-table inheritance). History is kept: a new assessment never replaces an old one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mappa.access.models import Agency
from mappa.common.models import CaseDataModel
from mappa.register.models import Nominal


class Tool(models.TextChoices):
    RM2000 = "rm2000", "Risk Matrix 2000 (RM2000)"
    OASYS_RECONVICTION = "oasys_reconviction", "OASys risk of reconviction (OGP, OVP, OGRS3)"
    OASYS_ROSH_COMMUNITY = (
        "oasys_rosh_community",
        "OASys risk of serious harm in the community",
    )
    OASYS_ROSH_CUSTODY = "oasys_rosh_custody", "OASys risk of serious harm in custody"
    SARA = "sara", "Spousal Assault Risk Assessment (SARA)"
    ASSET = "asset", "ASSET (young people under 18)"
    STABLE_ACUTE = "stable_acute_07", "Stable and Acute 2007 (SA07)"
    HCR20 = "hcr20", "HCR-20"
    LSI_R = "lsi_r", "Level of Service Inventory – Revised (LSI-R)"
    MENTAL_HEALTH = "mental_health", "Mental health or psychological risk tool"
    OVERALL_ROSH = "overall_rosh", "Overall risk of serious harm (lead agency)"


# J 11: children are not "mini-adults" and are not assessed with adult tools.
ADULT_ONLY_TOOLS = frozenset(
    {
        Tool.RM2000,
        Tool.OASYS_RECONVICTION,
        Tool.OASYS_ROSH_COMMUNITY,
        Tool.OASYS_ROSH_CUSTODY,
        Tool.SARA,
        Tool.STABLE_ACUTE,
        Tool.HCR20,
        Tool.LSI_R,
    }
)
# ASSET is the youth justice tool: refused for anyone 18 or over on the date completed.
YOUTH_ONLY_TOOLS = frozenset({Tool.ASSET})
ADULT_AGE = 18

# Short names used in messages ("RM2000 is a tool for adults").
TOOL_SHORT_NAMES = {
    Tool.RM2000: "RM2000",
    Tool.OASYS_RECONVICTION: "OASys risk of reconviction",
    Tool.OASYS_ROSH_COMMUNITY: "OASys risk of serious harm",
    Tool.OASYS_ROSH_CUSTODY: "OASys risk of serious harm",
    Tool.SARA: "SARA",
    Tool.ASSET: "ASSET",
    Tool.STABLE_ACUTE: "Stable and Acute 2007",
    Tool.HCR20: "HCR-20",
    Tool.LSI_R: "LSI-R",
    Tool.MENTAL_HEALTH: "The mental health or psychological tool",
    Tool.OVERALL_ROSH: "The overall risk of serious harm",
}


def lower_first(label: str) -> str:
    """For a label inside a sentence: keep acronyms (OGP, RM2000, LSI-R) as written."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


class RiskLevel(models.TextChoices):
    """J 9.1: the levels of risk of serious harm (also RM2000's and OASys's bands)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.VERY_HIGH: 3}


class ThreeLevel(models.TextChoices):
    """SARA's ratings."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Priority(models.TextChoices):
    """Stable-2007, Acute-2007 and HCR-20 summary ratings."""

    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class LsiRBand(models.TextChoices):
    LOW = "low", "Low"
    LOW_MODERATE = "low_moderate", "Low/moderate"
    MODERATE = "moderate", "Moderate"
    MEDIUM_HIGH = "medium_high", "Medium/high"
    HIGH = "high", "High"


class AssetLikelihood(models.TextChoices):
    LOW = "low", "Low"
    LOW_MEDIUM = "low_medium", "Low-medium"
    MEDIUM = "medium", "Medium"
    MEDIUM_HIGH = "medium_high", "Medium-high"
    HIGH = "high", "High"


class Assessment(CaseDataModel):
    """What every risk assessment shares (MAPPA B s.5: tool, date completed, who)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="assessments")
    tool = models.CharField(max_length=30, choices=Tool.choices)
    completed_on = models.DateField("Date completed")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments_authored",
        verbose_name="Assessor",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="Assessing agency"
    )
    notes = models.TextField("Notes", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        indexes = [models.Index(fields=["nominal", "tool", "-completed_on"])]

    def __str__(self) -> str:
        return f"{self.get_tool_display()}, {self.completed_on:%d %B %Y}"

    @property
    def detail(self) -> AssessmentDetail:
        """The tool's own record (loaded with ``select_related(*DETAIL_RELATIONS)``)."""
        if isinstance(self, AssessmentDetail):
            return self
        detail: AssessmentDetail = getattr(self, TOOL_RELATION[Tool(self.tool)])
        return detail

    @property
    def short_name(self) -> str:
        return TOOL_SHORT_NAMES[Tool(self.tool)]


# For the type checker a detail is an Assessment; at run time the mixin is a plain class
# so that Django makes no table for it.
if TYPE_CHECKING:
    _DetailBase = Assessment
else:
    _DetailBase = object


class AssessmentDetail(_DetailBase):
    """What each tool's table adds to ``Assessment`` (a mixin: never a table of its own)."""

    TOOL: Tool
    # Fields shown on the form and the summary, in order.
    FIELDS: tuple[str, ...] = ()

    def summary(self) -> list[tuple[str, str]]:
        """Each filled field as (label, value in words)."""
        out = []
        for name in self.FIELDS:
            value = getattr(self, name)
            if value in (None, ""):
                continue
            field = self._meta.get_field(name)
            if getattr(field, "choices", None):
                value = getattr(self, f"get_{name}_display")()
            elif name.endswith("_pct"):
                value = f"{value}%"
            out.append((str(getattr(field, "verbose_name", name)), str(value)))
        return out

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.tool = self.TOOL
        super().save(*args, **kwargs)


def _band(label: str, choices: Any = RiskLevel, *, blank: bool = False) -> models.CharField:
    return models.CharField(label, max_length=20, choices=choices.choices, blank=blank)


def _percent(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(100)]
    )


def _score(label: str, maximum: int, *, required: bool = False) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=not required,
        blank=not required,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
    )


def _require_one(obj: models.Model, names: tuple[str, ...], message: str) -> None:
    if all(getattr(obj, n) in (None, "") for n in names):
        raise ValidationError({names[0]: [message]})


class Rm2000(AssessmentDetail, Assessment):
    """MAPPA B s.5: 'RM 2000 risk of reconviction, complete for all sexual offenders'."""

    TOOL = Tool.RM2000
    FIELDS = ("sexual", "violent", "combined")

    sexual = _band("RM2000 sexual", blank=True)
    violent = _band("RM2000 violent", blank=True)
    combined = _band("RM2000 combined", blank=True)

    class Meta:
        verbose_name = "RM2000 assessment"

    def clean(self) -> None:
        _require_one(
            self, self.FIELDS, "Select at least one RM2000 level: sexual, violent or combined"
        )


OASYS_PREDICTORS = (("ogp", "OGP"), ("ovp", "OVP"), ("ogrs3", "OGRS3"))


class OasysReconviction(AssessmentDetail, Assessment):
    """MAPPA B s.5: OGP, OVP and OGRS3, each a 1-year %, a 2-year % and a band."""

    TOOL = Tool.OASYS_RECONVICTION
    FIELDS = (
        "ogp_1y_pct",
        "ogp_2y_pct",
        "ogp_band",
        "ovp_1y_pct",
        "ovp_2y_pct",
        "ovp_band",
        "ogrs3_1y_pct",
        "ogrs3_2y_pct",
        "ogrs3_band",
    )

    ogp_1y_pct = _percent("OGP 1-year percentage")
    ogp_2y_pct = _percent("OGP 2-year percentage")
    ogp_band = _band("OGP band", blank=True)
    ovp_1y_pct = _percent("OVP 1-year percentage")
    ovp_2y_pct = _percent("OVP 2-year percentage")
    ovp_band = _band("OVP band", blank=True)
    ogrs3_1y_pct = _percent("OGRS3 1-year percentage")
    ogrs3_2y_pct = _percent("OGRS3 2-year percentage")
    ogrs3_band = _band("OGRS3 band", blank=True)

    class Meta:
        verbose_name = "OASys risk of reconviction"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{p}_{y}_pct__lte": 100}) | Q(**{f"{p}_{y}_pct__isnull": True}),
                name=f"oasys_{p}_{y}_pct_max_100",
            )
            for p, _ in OASYS_PREDICTORS
            for y in ("1y", "2y")
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        complete = 0
        for prefix, name in OASYS_PREDICTORS:
            one, two, band = (
                getattr(self, f"{prefix}_1y_pct"),
                getattr(self, f"{prefix}_2y_pct"),
                getattr(self, f"{prefix}_band"),
            )
            given = [v not in (None, "") for v in (one, two, band)]
            if any(given) and not all(given):
                missing = [
                    (f"{prefix}_1y_pct", f"Enter the {name} 1-year percentage"),
                    (f"{prefix}_2y_pct", f"Enter the {name} 2-year percentage"),
                    (f"{prefix}_band", f"Select the {name} band"),
                ]
                for (field, message), present in zip(missing, given, strict=True):
                    if not present:
                        errors.setdefault(field, []).append(message)
            elif all(given):
                complete += 1
                # Reconviction within two years includes reconviction within one.
                if two < one:
                    errors.setdefault(f"{prefix}_2y_pct", []).append(
                        f"{name} 2-year percentage must be the same as or more than "
                        "the 1-year percentage"
                    )
        if not complete and not errors:
            errors["ogp_1y_pct"] = ["Enter at least one predictor: OGP, OVP or OGRS3"]
        if errors:
            raise ValidationError(errors)


class RoshFields(models.Model):
    """OASys risk of serious harm by who may be harmed (J 9.1; MAPPA B s.5)."""

    FIELDS = ("children", "public", "known_adult", "staff", "prisoners")

    children = _band("Risk to children")
    public = _band("Risk to the public")
    known_adult = _band("Risk to a known adult")
    staff = _band("Risk to staff")
    prisoners = _band("Risk to prisoners", blank=True)

    class Meta:
        abstract = True

    @property
    def highest(self) -> str:
        """The highest level over everyone who may be harmed."""
        levels = [getattr(self, n) for n in self.FIELDS if getattr(self, n)]
        return max(levels, key=lambda v: RISK_ORDER[RiskLevel(v)], default="")


class OasysRoshCommunity(AssessmentDetail, Assessment, RoshFields):
    TOOL = Tool.OASYS_ROSH_COMMUNITY
    FIELDS = RoshFields.FIELDS

    class Meta:
        verbose_name = "OASys risk of serious harm in the community"


class OasysRoshCustody(AssessmentDetail, Assessment, RoshFields):
    TOOL = Tool.OASYS_ROSH_CUSTODY
    FIELDS = RoshFields.FIELDS

    class Meta:
        verbose_name = "OASys risk of serious harm in custody"

    def clean(self) -> None:
        # In custody the risk to other prisoners is always rated.
        if not self.prisoners:
            raise ValidationError({"prisoners": ["Select the risk to prisoners"]})


class Sara(AssessmentDetail, Assessment):
    """MAPPA B s.5: 'SARA assessment, complete for all domestic abuse offenders'."""

    TOOL = Tool.SARA
    FIELDS = ("risk_to_partner", "risk_to_others")

    risk_to_partner = _band("Risk to partner", ThreeLevel)
    risk_to_others = _band("Risk to others", ThreeLevel)

    class Meta:
        verbose_name = "SARA assessment"


class Asset(AssessmentDetail, Assessment):
    """MAPPA B s.5: ASSET risk of serious harm and risk of reconviction (under 18s)."""

    TOOL = Tool.ASSET
    FIELDS = ("risk_of_serious_harm", "reconviction_score", "reconviction_likelihood")

    risk_of_serious_harm = _band("Risk of serious harm")
    # The core profile's twelve sections are each scored 0 to 4.
    reconviction_score = _score("Risk of reconviction score", 48)
    reconviction_likelihood = _band("Likelihood of reconviction", AssetLikelihood, blank=True)

    class Meta:
        verbose_name = "ASSET assessment"
        constraints = [
            models.CheckConstraint(
                condition=Q(reconviction_score__lte=48) | Q(reconviction_score__isnull=True),
                name="asset_score_max_48",
            )
        ]


class StableAcute(AssessmentDetail, Assessment):
    """Stable-2007 (13 items scored 0-2) and Acute-2007 (J 6, 14.4)."""

    TOOL = Tool.STABLE_ACUTE
    FIELDS = ("stable_score", "stable_priority", "acute_sexual_violent", "acute_general")

    stable_score = _score("Stable-2007 score", 26)
    stable_priority = _band("Stable-2007 level", Priority)
    acute_sexual_violent = _band("Acute-2007 sexual and violent recidivism", Priority)
    acute_general = _band("Acute-2007 general recidivism", Priority)

    class Meta:
        verbose_name = "Stable and Acute 2007 assessment"
        constraints = [
            models.CheckConstraint(
                condition=Q(stable_score__lte=26) | Q(stable_score__isnull=True),
                name="stable_score_max_26",
            )
        ]


class Hcr20(AssessmentDetail, Assessment):
    """HCR-20: historical (10 items), clinical (5) and risk management (5), each 0-2."""

    TOOL = Tool.HCR20
    FIELDS = ("historical_score", "clinical_score", "risk_management_score", "final_judgement")

    historical_score = _score("Historical (H) score", 20)
    clinical_score = _score("Clinical (C) score", 10)
    risk_management_score = _score("Risk management (R) score", 10)
    final_judgement = _band("Final risk judgement", Priority)

    class Meta:
        verbose_name = "HCR-20 assessment"
        constraints = [
            models.CheckConstraint(
                condition=(Q(historical_score__lte=20) | Q(historical_score__isnull=True))
                & (Q(clinical_score__lte=10) | Q(clinical_score__isnull=True))
                & (Q(risk_management_score__lte=10) | Q(risk_management_score__isnull=True)),
                name="hcr20_scores_in_range",
            )
        ]

    @property
    def total(self) -> int | None:
        parts = (self.historical_score, self.clinical_score, self.risk_management_score)
        if any(p is None for p in parts):
            return None
        return sum(p for p in parts if p is not None)


class LsiR(AssessmentDetail, Assessment):
    """LSI-R: 54 items scored 0 or 1, used by the Probation Service (J 6)."""

    TOOL = Tool.LSI_R
    FIELDS = ("total_score", "band")

    total_score = _score("LSI-R total score", 54, required=True)
    band = _band("LSI-R risk band", LsiRBand)

    class Meta:
        verbose_name = "LSI-R assessment"
        constraints = [
            models.CheckConstraint(condition=Q(total_score__lte=54), name="lsi_r_score_max_54")
        ]


class MentalHealthTool(AssessmentDetail, Assessment):
    TOOL = Tool.MENTAL_HEALTH
    FIELDS = ("tool_name", "outcome")

    tool_name = models.CharField("Name of the tool", max_length=200)
    outcome = models.TextField("Outcome")

    class Meta:
        verbose_name = "mental health or psychological assessment"


class OverallRosh(AssessmentDetail, Assessment):
    """The lead agency's overall risk of serious harm (J 9.1).

    It sets the police home-visit interval for a registered sexual offender until a
    meeting agrees its own view of risk (J 14.9; decisions.md).
    """

    TOOL = Tool.OVERALL_ROSH
    FIELDS = ("level", "details")

    level = _band("Overall risk of serious harm (lead agency)")
    details = models.TextField(
        "Who is at risk, and when the risk is greatest",
        blank=True,
    )

    class Meta:
        verbose_name = "overall risk of serious harm (lead agency)"


TOOL_MODELS: dict[Tool, type[AssessmentDetail]] = {
    Tool.RM2000: Rm2000,
    Tool.OASYS_RECONVICTION: OasysReconviction,
    Tool.OASYS_ROSH_COMMUNITY: OasysRoshCommunity,
    Tool.OASYS_ROSH_CUSTODY: OasysRoshCustody,
    Tool.SARA: Sara,
    Tool.ASSET: Asset,
    Tool.STABLE_ACUTE: StableAcute,
    Tool.HCR20: Hcr20,
    Tool.LSI_R: LsiR,
    Tool.MENTAL_HEALTH: MentalHealthTool,
    Tool.OVERALL_ROSH: OverallRosh,
}
# The reverse one-to-one accessor from Assessment to each tool's row.
TOOL_RELATION: dict[Tool, str] = {
    tool: model._meta.model_name or "" for tool, model in TOOL_MODELS.items()
}
DETAIL_RELATIONS = tuple(TOOL_RELATION.values())


class VisitOutcome(models.TextChoices):
    SEEN = "seen", "Visit completed: the person was seen at home"
    NOT_AT_HOME = "not_at_home", "No reply: the person was not at home"
    REFUSED = "refused", "Entry refused"
    OTHER = "other", "Other"


class HomeVisit(CaseDataModel):
    """A police (or joint police and probation) home visit to a registered sexual
    offender (J 14.9). Only a completed visit restarts the visit clock."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="home_visits")
    visited_on = models.DateField("Date of the visit")
    officers = models.CharField("Officers who visited", max_length=500)
    announced = models.BooleanField("Announced")
    joint_with_probation = models.BooleanField("Joint visit with probation", default=False)
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices)
    outcome_details = models.TextField("What happened", blank=True)
    concerns = models.TextField("Concerns", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-created_at"]
        indexes = [models.Index(fields=["nominal", "-visited_on"])]

    def __str__(self) -> str:
        return f"Home visit, {self.visited_on:%d %B %Y}"

    @property
    def is_completed(self) -> bool:
        return self.outcome == VisitOutcome.SEEN

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not self.officers.strip():
            errors["officers"] = ["Enter the officers who visited"]
        if self.outcome == VisitOutcome.OTHER and not self.outcome_details.strip():
            errors["outcome_details"] = ["Describe what happened at the visit"]
        if errors:
            raise ValidationError(errors)
