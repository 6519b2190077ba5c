"""Shapes of the casework API: identification, referrals, assessments, home visits
and the compliance clock (issue 4, point 7).

As in ``serializers.py``, these only shape input (types, what is required, lengths
the database holds). Every rule about referrals, assessments and visits lives in the
services of ``mappa.referrals`` and ``mappa.assessments``, so the API answers with
the same messages as the pages.
"""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from mappa.access.models import Agency, User
from mappa.api.schema import NamedChoiceField, NamedChoicesMixin, enum_name_of
from mappa.api.serializers import (
    DATE_EXAMPLE,
    AgencyRefSerializer,
    DomainModelSerializer,
    NominalBriefSerializer,
    StaffRefSerializer,
    boolean,
    date,
    govuk_messages,
    text,
)
from mappa.assessments.models import (
    TOOL_MODELS,
    HomeVisit,
    RiskLevel,
    Tool,
    VisitOutcome,
)
from mappa.compliance.items import KIND_LABELS
from mappa.profiles.clocks import ClockState
from mappa.referrals import choices as referral_choices
from mappa.referrals.models import (
    Custody,
    DeclineReason,
    EligibilityEvent,
    EligibilityEventKind,
    Referral,
    ReferralEvent,
    ReferralInvitee,
    ReferralStatus,
    ReferralSubmission,
    YesNoUnknown,
)
from mappa.register.models import Category, Level

# Free text has no limit in the database; this bounds what one request may carry.
TEXT_MAX_LENGTH = 20000
LEVEL_SOUGHT_CHOICES = [(2, "Level 2"), (3, "Level 3")]
KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]
STATE_CHOICES = [(state.value, state.label) for state in ClockState]


# Shared ---------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming each: a misspelt field is not saved
    silently as if it had never been sent."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: [f"{key} is not a field of this request"] for key in unknown}
                )
        return super().to_internal_value(data)


def version_field(*, required: bool) -> Any:
    return serializers.IntegerField(
        required=required,
        min_value=1,
        help_text="The version of the referral you read: a change based on an older one "
        "is refused with 409."
        + ("" if required else " Leave out to act on the referral as it is now."),
        error_messages={
            **govuk_messages("integer", "Version"),
            "required": "Enter the version of the referral you read, so that nobody's "
            "changes are overwritten",
        },
    )


def long_text(label: str, **kwargs: Any) -> Any:
    return text(label, max_length=TEXT_MAX_LENGTH, **kwargs)


def _set_name(choices: Any, enum_name: str | None) -> str:
    name = enum_name or enum_name_of(choices)
    if name is None:
        raise ValueError(f"name the choice set {choices!r} for the schema")
    return name


def choice(
    label: str,
    choices: Any,
    *,
    enum_name: str | None = None,
    required: bool = False,
    **kwargs: Any,
) -> Any:
    """A choice from a named set, its messages naming the field ("Select the category")."""
    return NamedChoiceField(
        enum_name=_set_name(choices, enum_name),
        choices=choices,
        required=required,
        error_messages=govuk_messages("choice", label, choices),
        **kwargs,
    )


def answer(prompt: str, choices: Any, *, enum_name: str | None = None, **kwargs: Any) -> Any:
    """A choice whose messages are a question's prompt ("Select where the person is now")."""
    allowed = ", ".join(str(value) for value in dict(choices))
    return NamedChoiceField(
        enum_name=_set_name(choices, enum_name),
        choices=choices,
        required=kwargs.pop("required", False),
        error_messages={
            "required": prompt,
            "null": prompt,
            "invalid_choice": f"{prompt}: one of {allowed}",
        },
        **kwargs,
    )


def choice_list(label: str, choices: list[tuple[str, str]], enum_name: str, **kwargs: Any) -> Any:
    return serializers.ListField(
        child=choice(label, choices, enum_name=enum_name, required=True),
        required=False,
        error_messages={"not_a_list": f"{label} must be a list of choices"},
        **kwargs,
    )


def output_choice_list(choices: list[tuple[str, str]], enum_name: str) -> Any:
    return serializers.ListField(
        child=NamedChoiceField(enum_name=enum_name, choices=choices), read_only=True
    )


PLAN_SETS = {
    "plan_restrictive_choices": (referral_choices.RESTRICTIVE, "RestrictiveIntervention"),
    "plan_rehabilitative_choices": (
        referral_choices.REHABILITATIVE,
        "RehabilitativeIntervention",
    ),
    "plan_protective_choices": (referral_choices.PROTECTIVE, "ProtectiveIntervention"),
    "reason_choices": (referral_choices.REASONS, "ReferralReason"),
}


def user_by_id(label: str, *, queryset: Any = None, **kwargs: Any) -> Any:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset if queryset is not None else User.objects.all(),
        error_messages=govuk_messages("relation", label),
        **kwargs,
    )


def agency_by_id(label: str, **kwargs: Any) -> Any:
    return serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(active=True),
        error_messages=govuk_messages("relation", label),
        **kwargs,
    )


# Identification (J 3.3) -------------------------------------------------------------


class EligibilityEventSerializer(NamedChoicesMixin, DomainModelSerializer, StrictInputSerializer):
    """Input and output: the event that made the person MAPPA-eligible."""

    kind = answer(
        "Select what made the person eligible", EligibilityEventKind.choices, required=True
    )
    custody = answer("Select where the person is now", Custody.choices, required=True)
    recorded_by = StaffRefSerializer(read_only=True, allow_null=True)
    recorded_by_agency = AgencyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EligibilityEvent
        fields = [
            "id",
            "kind",
            "event_date",
            "identified_on",
            "custody",
            "planned_release_date",
            "notes",
            "recorded_by",
            "recorded_by_agency",
            "created_at",
        ]
        extra_kwargs = {
            "notes": {"max_length": TEXT_MAX_LENGTH},
            "planned_release_date": {
                "help_text": "In custody or hospital only; ignored for a person in the community"
            },
        }


# Referrals (MAPPA A; J appendix A) ----------------------------------------------------


class ReferralInviteeSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = ReferralInvitee
        fields = ["id", "position", "agency", "name", "role", "email", "phone", "address"]


class ReferralInviteeInputSerializer(DomainModelSerializer, StrictInputSerializer):
    message_labels = {
        "agency": "Agency",
        "name": "Name of the person to invite",
        "role": "Role or job title",
        "email": "Email address",
        "phone": "Phone number",
        "address": "Address or other contact details",
    }
    agency = agency_by_id("Agency", help_text="The id of an active agency")
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )

    class Meta:
        model = ReferralInvitee
        fields = ["agency", "name", "role", "email", "phone", "address"]
        extra_kwargs = {
            # Blank is let through: the service says what is missing, as on the page.
            "name": {"allow_blank": True},
            "address": {"max_length": TEXT_MAX_LENGTH},
        }


class ReferralEventSerializer(NamedChoicesMixin, serializers.ModelSerializer):
    by = StaffRefSerializer(read_only=True)

    class Meta:
        model = ReferralEvent
        fields = ["at", "by", "status", "note"]


class ReferralSubmissionSerializer(serializers.ModelSerializer):
    submitted_by = StaffRefSerializer(read_only=True)

    class Meta:
        model = ReferralSubmission
        fields = ["number", "submitted_at", "submitted_by"]


class ReferralSummarySerializer(NamedChoicesMixin, serializers.ModelSerializer):
    """A row of the referral list."""

    nominal = NominalBriefSerializer(read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    referrer = StaffRefSerializer(read_only=True)
    referring_agency = AgencyRefSerializer(read_only=True)
    line_manager = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "version",
            "nominal",
            "case_reference",
            "category",
            "level_sought",
            "emergency_meeting",
            "referrer",
            "referring_agency",
            "line_manager",
            "submitted_at",
            "received_on",
            "first_meeting_due",
            "decided_at",
            "created_at",
            "updated_at",
        ]


class ReferralActionsSerializer(serializers.Serializer):
    edit = serializers.BooleanField(help_text="You may change the draft and submit it.")
    endorse = serializers.BooleanField(
        help_text="You are the line manager named on it and it awaits your endorsement."
    )
    screen = serializers.BooleanField(help_text="You are the co-ordinator and it awaits screening.")


class ReferralDetailSerializer(ReferralSummarySerializer):
    """The whole referral with its invitees, history and (while a draft) what stops it
    being submitted. ``problems`` and ``actions`` need the ``actions`` and ``problems``
    entries of the serializer's context."""

    endorsed_by = StaffRefSerializer(read_only=True, allow_null=True)
    decided_by = StaffRefSerializer(read_only=True, allow_null=True)
    plan_restrictive_choices = output_choice_list(*PLAN_SETS["plan_restrictive_choices"])
    plan_rehabilitative_choices = output_choice_list(*PLAN_SETS["plan_rehabilitative_choices"])
    plan_protective_choices = output_choice_list(*PLAN_SETS["plan_protective_choices"])
    reason_choices = output_choice_list(*PLAN_SETS["reason_choices"])
    invitees = ReferralInviteeSerializer(many=True, read_only=True)
    events = ReferralEventSerializer(many=True, read_only=True)
    submissions = ReferralSubmissionSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField(
        help_text="While the referral can be changed: what stops it being submitted, by "
        "field (empty when it is ready). Null once it has been sent."
    )
    actions = serializers.SerializerMethodField()

    class Meta(ReferralSummarySerializer.Meta):
        fields = [
            *ReferralSummarySerializer.Meta.fields,
            # 1. Category and level sought
            "sexual_offender",
            "custody",
            "emergency_needed_by",
            "emergency_reason",
            # 5. Risk assessment summary and risk management plan
            "overall_risk",
            "risk_who",
            "risk_nature",
            "risk_when",
            "risk_increase",
            "risk_reduce",
            "plan_restrictive_choices",
            "plan_restrictive",
            "plan_rehabilitative_choices",
            "plan_rehabilitative",
            "plan_protective_choices",
            "plan_protective",
            # 6. Relevant information
            "reason_choices",
            "reason_for_referral",
            "interagency_work",
            "added_value",
            "diversity",
            # 7. Victims; 8. Safeguarding
            "victim_concerns",
            "child_protection_concerns",
            "child_protection_details",
            "social_worker",
            "child_protection_plan",
            "vulnerable_adult_concerns",
            # 9. Endorsement
            "endorsed_by",
            "endorsed_at",
            "endorsement_note",
            # 10. Invitees; 11. The co-ordinator's decision
            "invitees",
            "decided_by",
            "decision_note",
            "decline_reason",
            "accepted_category",
            "accepted_level",
            "rotl_date_missing",
            "events",
            "submissions",
            "problems",
            "actions",
        ]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), allow_null=True
        )
    )
    def get_problems(self, referral: Referral) -> dict[str, list[str]] | None:
        problems: dict[str, list[str]] | None = self.context["problems"]
        return problems

    @extend_schema_field(ReferralActionsSerializer)
    def get_actions(self, referral: Referral) -> dict[str, bool]:
        actions: dict[str, bool] = self.context["actions"]
        return actions


class ReferralFilterSerializer(serializers.Serializer):
    status = choice("Status", ReferralStatus.choices)


class ReferralCreateSerializer(StrictInputSerializer):
    nominal = serializers.UUIDField(
        help_text="The id of the person on the register",
        error_messages={
            "required": "Enter the id of the person to refer",
            "null": "Enter the id of the person to refer",
            "invalid": "Person must be given by their id, for example "
            "3f2b8c1e-0d4a-4c5e-9b7a-1a2b3c4d5e6f",
        },
    )


class ReferralUpdateSerializer(StrictInputSerializer):
    """Any fields of the draft's sections; a draft keeps whatever is sent, and what is
    missing is listed under ``problems`` and refused on submit."""

    version = version_field(required=True)
    # 1. Category and level sought
    category = choice("Category", Category.choices, allow_blank=True)
    sexual_offender = boolean("The person is a sexual offender")
    level_sought = choice(
        "Level sought", LEVEL_SOUGHT_CHOICES, enum_name="ReferralLevelSought", allow_null=True
    )
    custody = answer(
        "Say whether the person is in custody or in the community",
        Custody.choices,
        allow_blank=True,
    )
    emergency_meeting = boolean("An emergency meeting is needed")
    emergency_needed_by = date(
        "Emergency meeting needed by", help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}"
    )
    emergency_reason = long_text("Why the case cannot wait for the next meeting")
    # 5. Lead agency risk assessment summary
    overall_risk = choice("Current risk of serious harm", RiskLevel.choices, allow_blank=True)
    risk_who = long_text("Who is at risk")
    risk_nature = long_text("Nature of the risk")
    risk_when = long_text("When the risk is likely to be greatest")
    risk_increase = long_text("Circumstances likely to increase risk")
    risk_reduce = long_text("Factors likely to reduce risk")
    # Lead agency risk management plan: the guidance's examples, plus free text
    plan_restrictive_choices = choice_list(
        "Restrictive interventions", *PLAN_SETS["plan_restrictive_choices"]
    )
    plan_restrictive = long_text("Restrictive interventions")
    plan_rehabilitative_choices = choice_list(
        "Rehabilitative interventions", *PLAN_SETS["plan_rehabilitative_choices"]
    )
    plan_rehabilitative = long_text("Rehabilitative interventions")
    plan_protective_choices = choice_list(
        "Protective interventions", *PLAN_SETS["plan_protective_choices"]
    )
    plan_protective = long_text("Protective interventions")
    # 6. Relevant information
    reason_choices = choice_list("Concerns behind the referral", *PLAN_SETS["reason_choices"])
    reason_for_referral = long_text("Reason for referral")
    interagency_work = long_text("Inter-agency work so far")
    added_value = long_text("How level 2 or 3 management adds value")
    diversity = long_text("Diversity considerations")
    # 7. Victim concerns
    victim_concerns = long_text("Victim concerns")
    # 8. Safeguarding
    child_protection_concerns = answer(
        "Say whether there are child protection concerns", YesNoUnknown.choices, allow_blank=True
    )
    child_protection_details = long_text("Child protection concerns")
    social_worker = text("Allocated social worker", max_length=300)
    child_protection_plan = answer(
        "Say whether any child is subject to a child protection plan",
        YesNoUnknown.choices,
        allow_blank=True,
    )
    vulnerable_adult_concerns = long_text("Vulnerable adult concerns")
    # 9. Endorsement
    line_manager = user_by_id(
        "Line manager",
        required=False,
        allow_null=True,
        help_text="The id of a line manager in the referring agency, who will endorse it",
    )


class ReferralActionSerializer(StrictInputSerializer):
    version = version_field(required=False)


class ReferralNoteSerializer(ReferralActionSerializer):
    note = long_text("Note")


class ReferralReturnSerializer(ReferralActionSerializer):
    note = long_text("What more information is needed", help_text="The referrer sees this.")


class ReferralAcceptSerializer(ReferralActionSerializer):
    category = choice("Category", Category.choices, allow_blank=True)
    level = choice("Level of management", Level.choices, allow_null=True)
    note = long_text("Reasons for the decision", help_text="The referrer sees this.")


class ReferralDeclineSerializer(ReferralActionSerializer):
    reason = choice("Reason for declining", DeclineReason.choices, allow_blank=True)
    note = long_text("Reasons for the decision", help_text="Required. The referrer sees this.")


# Risk assessments (J 6, 11; MAPPA B s.5) ---------------------------------------------


class _ToolFields(NamedChoicesMixin, DomainModelSerializer):
    """A tool's own fields, typed as the model stores them.

    Every tool field is optional here: which are needed, and the ranges of scores
    and percentages, are the model's rules, answered by ``assessment_record``.
    """

    def build_field(
        self, field_name: str, info: Any, model_class: Any, nested_depth: int
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if field_name in getattr(model_class, "FIELDS", ()) and not kwargs.get("read_only"):
            for rule in ("validators", "min_value", "max_value"):
                kwargs.pop(rule, None)
            kwargs["required"] = False
            if issubclass(field_class, serializers.ChoiceField | serializers.CharField):
                kwargs["allow_blank"] = True
            else:
                kwargs["allow_null"] = True
        return field_class, kwargs


def _tool_set_name(which: Tool) -> str:
    # One set per tool for the discriminator: "rm2000" is Rm2000ToolChoice.
    return "".join(part.title() for part in which.value.split("_")) + "Tool"


def _tool_output(which: Tool) -> type[serializers.ModelSerializer]:
    tool_model = TOOL_MODELS[which]

    class Output(_ToolFields):
        tool = NamedChoiceField(
            enum_name=_tool_set_name(which),
            choices=[(which.value, which.label)],
            read_only=True,
        )
        author = StaffRefSerializer(read_only=True)
        agency = AgencyRefSerializer(read_only=True)

        class Meta:
            model = tool_model
            fields = ["id", "tool", "completed_on", "author", "agency", "notes", *tool_model.FIELDS]

    Output.__doc__ = f"{which.label}: a completed assessment with its own fields."
    name = f"{tool_model.__name__}AssessmentSerializer"
    Output.__name__ = Output.__qualname__ = name
    return Output


def _tool_input(which: Tool) -> type[serializers.ModelSerializer]:
    tool_model = TOOL_MODELS[which]

    class Input(_ToolFields, StrictInputSerializer):
        tool = NamedChoiceField(
            enum_name=_tool_set_name(which),
            choices=[(which.value, which.label)],
            help_text=which.label,
        )
        completed_on = date(
            "Date completed", required=True, help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}"
        )
        author = user_by_id(
            "Assessor",
            queryset=User.objects.filter(is_active=True),
            required=False,
            help_text="The id of the person who completed it; leave out for yourself",
        )
        agency = agency_by_id(
            "Assessing agency",
            required=False,
            help_text="The id of the assessing agency; leave out for your own",
        )
        notes = long_text("Notes")

        class Meta:
            model = tool_model
            fields = ["tool", "completed_on", "author", "agency", "notes", *tool_model.FIELDS]

    Input.__doc__ = (
        f"{which.label}: its own fields are optional here; which are needed, and the "
        "ranges of scores and percentages, are the tool's rules, answered by the service."
    )
    name = f"{tool_model.__name__}AssessmentCreateSerializer"
    Input.__name__ = Input.__qualname__ = name
    return Input


ASSESSMENT_OUTPUT: dict[str, type[serializers.ModelSerializer]] = {
    tool.value: _tool_output(tool) for tool in Tool
}
ASSESSMENT_INPUT: dict[str, type[serializers.ModelSerializer]] = {
    tool.value: _tool_input(tool) for tool in Tool
}
TOOL_DESCRIPTIONS = "; ".join(f"{tool.value}: {tool.label}" for tool in Tool)


def _by_tool(sets: dict[str, type[serializers.ModelSerializer]]) -> dict[str, Any]:
    return dict(sets)


AssessmentSchema = PolymorphicProxySerializer(
    component_name="Assessment",
    serializers=_by_tool(ASSESSMENT_OUTPUT),
    resource_type_field_name="tool",
)
AssessmentCreateSchema = PolymorphicProxySerializer(
    component_name="AssessmentCreate",
    serializers=_by_tool(ASSESSMENT_INPUT),
    resource_type_field_name="tool",
)


class ToolSerializer(serializers.Serializer):
    """Read first, to know which tool's fields the rest of the request holds."""

    tool = choice("Assessment tool", Tool.choices, required=True)


class RiskSourceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="meeting, overall_rosh, oasys_rosh_community or none")
    description = serializers.CharField()
    on = serializers.DateField(allow_null=True)
    assessment_id = serializers.UUIDField(allow_null=True)


class LatestAssessmentSerializer(serializers.Serializer):
    tool = NamedChoiceField(enum_name="Tool", choices=Tool.choices)
    assessment_id = serializers.UUIDField(source="assessment.pk")
    completed_on = serializers.DateField()
    age_days = serializers.IntegerField()
    age_months = serializers.IntegerField()
    age_text = serializers.CharField(help_text="For example 1 year 3 months")


class OverallRiskSerializer(serializers.Serializer):
    level = NamedChoiceField(enum_name="RiskLevel", choices=RiskLevel.choices, allow_null=True)
    # Only describes the answer; a declared field, so the name is free.
    source = RiskSourceSerializer()  # type: ignore[assignment]


class AssessmentOverviewSerializer(serializers.Serializer):
    """Schema only: the view assembles it, each history entry in its tool's shape."""

    overall_risk = OverallRiskSerializer(
        help_text="The level the person is managed at (J 9.1): agreed at the latest "
        "meeting, else the lead agency's latest assessment"
    )
    latest = LatestAssessmentSerializer(many=True, help_text="The latest of each tool, and its age")
    history = serializers.SerializerMethodField(help_text="Every assessment, newest first")

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="Assessment",
            serializers=_by_tool(ASSESSMENT_OUTPUT),
            resource_type_field_name="tool",
            many=True,
        )
    )
    def get_history(self, overview: Any) -> list[dict[str, Any]]:
        return list(overview["history"])


# Home visits (J 14.9) --------------------------------------------------------------


class HomeVisitSerializer(NamedChoicesMixin, serializers.ModelSerializer):
    recorded_by = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = HomeVisit
        fields = [
            "id",
            "visited_on",
            "officers",
            "announced",
            "joint_with_probation",
            "outcome",
            "outcome_details",
            "concerns",
            "recorded_by",
            "created_at",
        ]


class HomeVisitCreateSerializer(StrictInputSerializer):
    visited_on = date("Date of the visit", required=True, help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}")
    officers = text(
        "Officers who visited",
        max_length=500,
        required=True,
        help_text="Names and agencies, for example PC Jane Le Brocq (police)",
    )
    announced = serializers.BooleanField(
        error_messages={
            "required": "Select whether the visit was announced",
            "null": "Select whether the visit was announced",
            "invalid": "Announced must be true or false",
        }
    )
    joint_with_probation = boolean("Joint visit with probation")
    outcome = choice(
        "Outcome of the visit",
        VisitOutcome.choices,
        required=True,
        help_text="Only a visit where the person was seen at home restarts the visit clock",
    )
    outcome_details = long_text("What happened", help_text="Needed when the outcome is other")
    concerns = long_text("Concerns")


class NextHomeVisitSerializer(serializers.Serializer):
    risk_level = NamedChoiceField(
        enum_name="RiskLevel",
        choices=RiskLevel.choices,
        allow_null=True,
        help_text="The overall risk that sets the interval; null when none is recorded",
    )
    risk_source = RiskSourceSerializer()
    basis_event = serializers.CharField(help_text="What the due date is counted from")
    basis_date = serializers.DateField()
    due = serializers.DateField(allow_null=True)
    state = NamedChoiceField(enum_name="ClockState", choices=STATE_CHOICES, allow_null=True)


class HomeVisitsSerializer(serializers.Serializer):
    visits = HomeVisitSerializer(many=True, help_text="Newest first")
    next_visit = NextHomeVisitSerializer(
        allow_null=True, help_text="Null unless the person is a category 1 case"
    )


# The compliance clock (issue 4, points 6 and 7) --------------------------------------


class ComplianceFilterSerializer(serializers.Serializer):
    as_of = date("As-of date", help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}; leave out for today")
    kind = choice("Kind", KIND_CHOICES, enum_name="DueItemKind")
    state = choice("State", STATE_CHOICES, enum_name="ClockState")
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        error_messages=govuk_messages("relation", "Agency"),
        help_text="The responsible agency's id. Co-ordinator, administrators and auditors "
        "only: everyone else always sees their own agency's items.",
    )


class BasisSerializer(serializers.Serializer):
    event = serializers.CharField(help_text="The event the due date is counted from")
    date = serializers.DateField()


class ComplianceItemSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="The case reference")
    level = serializers.IntegerField(allow_null=True)
    kind = NamedChoiceField(enum_name="DueItemKind", choices=KIND_CHOICES)
    basis = BasisSerializer()
    due = serializers.DateField()
    state = NamedChoiceField(enum_name="ClockState", choices=STATE_CHOICES)
    met_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField()


class ComplianceSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    items = ComplianceItemSerializer(many=True, help_text="Soonest due first")
