"""The API's shapes of input and output.

Serializers only shape input: types, what is required, lengths the database holds.
Every rule about the register (formats, check characters, dates that must be in
the past, category and level, archived records) lives in the models and services,
so the API answers with the same messages as the pages. Messages that serializers
do produce follow the GOV.UK style: they name the field and say what is expected.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mappa.access.models import Agency, User
from mappa.access.policy import section_of_entry, sections_for
from mappa.register.identifiers import normalise_identifier
from mappa.register.models import (
    Address,
    Alias,
    Case,
    CasePartner,
    CaseState,
    Category,
    Conviction,
    Gender,
    HospitalDetention,
    Identifier,
    IdentifierKind,
    Level,
    Nominal,
    NominalStatus,
    Sentence,
    StatusChange,
    WarningMarker,
)
from mappa.register.selectors import latest_state_of, open_case_of

HIDDEN_MATCHES_MESSAGE = "Records that you cannot open also match: contact the co-ordinator."

# Mirrors the page's form (forms.StatusForm, forms.NominalCreateForm).
REASON_MAX_LENGTH = 2000
PDP_BEHAVIOUR_MAX_LENGTH = 5000
SEARCH_MAX_LENGTH = 200
DATE_EXAMPLE = "for example 1985-03-27"


# Messages -----------------------------------------------------------------


def _lower(label: str) -> str:
    # Keep acronyms ("PNC ID", "HDC") as written.
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def govuk_messages(kind: str, label: str, choices: Any = None) -> dict[str, Any]:
    """Error messages for one field that name it and say what is expected.

    DRF fills ``{max_length}``, ``{min_value}`` and the like when it raises them.
    """
    lower = _lower(label)
    verb = "Select" if kind in ("choice", "relation") else "Enter"
    messages: dict[str, Any] = {"required": f"{verb} the {lower}", "null": f"{verb} the {lower}"}
    if kind == "text":
        messages.update(
            blank=f"Enter the {lower}",
            invalid=f"{label} must be text",
            max_length=f"{label} must be {{max_length}} characters or fewer",
        )
    elif kind == "date":
        wrong = f"{label} must be a real date in the format YYYY-MM-DD, {DATE_EXAMPLE}"
        messages.update(invalid=wrong, datetime=wrong)
    elif kind == "choice":
        allowed = ", ".join(str(value) for value in dict(choices or {}))
        messages.update(invalid_choice=f"Select the {lower}: one of {allowed}")
    elif kind == "boolean":
        messages.update(invalid=f"{label} must be true or false")
    elif kind == "integer":
        messages.update(
            invalid=f"{label} must be a whole number",
            max_value=f"{label} must be {{max_value}} or less",
            min_value=f"{label} must be {{min_value}} or more",
            max_string_length=f"{label} must be a whole number",
        )
    elif kind == "relation":
        messages.update(
            does_not_exist=f"Select the {lower}: there is none with the id {{pk_value}}",
            incorrect_type=f"{label} must be given by its id, a number",
        )
    return messages


def text(label: str, *, max_length: int, required: bool = False, **kwargs: Any) -> Any:
    # Blank is allowed through: the service says what is missing, as on the page.
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=True,
        error_messages=govuk_messages("text", label),
        **kwargs,
    )


def date(label: str, *, required: bool = False, **kwargs: Any) -> Any:
    return serializers.DateField(
        required=required,
        allow_null=not required,
        error_messages=govuk_messages("date", label),
        **kwargs,
    )


def choice(label: str, choices: Any, *, required: bool = False, **kwargs: Any) -> Any:
    return serializers.ChoiceField(
        choices=choices,
        required=required,
        error_messages=govuk_messages("choice", label, choices),
        **kwargs,
    )


def boolean(label: str, **kwargs: Any) -> Any:
    return serializers.BooleanField(
        required=False, error_messages=govuk_messages("boolean", label), **kwargs
    )


def _field_kind(field_class: type) -> str:
    if issubclass(field_class, serializers.ChoiceField):
        return "choice"
    if issubclass(field_class, serializers.BooleanField):
        return "boolean"
    if issubclass(field_class, serializers.DateField):
        return "date"
    if issubclass(field_class, serializers.IntegerField):
        return "integer"
    return "text"


class DomainModelSerializer(serializers.ModelSerializer):
    """A model's fields with GOV.UK messages; the model's ``clean`` holds the rules.

    ``message_labels`` names fields as the page's forms do, where the model's own
    verbose name would read badly in a message ("Enter the value").
    """

    message_labels: dict[str, str] = {}

    def build_field(
        self, field_name: str, info: Any, model_class: Any, nested_depth: int
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if not kwargs.get("read_only"):
            model_field = model_class._meta.get_field(field_name)
            label = self.message_labels.get(field_name) or capfirst(model_field.verbose_name)
            kind = _field_kind(field_class)
            kwargs["error_messages"] = {
                **govuk_messages(kind, label, kwargs.get("choices")),
                **kwargs.get("error_messages", {}),
            }
        return field_class, kwargs


# Attachments: one serializer each for input and output ----------------------


class AliasSerializer(DomainModelSerializer):
    message_labels = {"kind": "Kind of name", "given_names": "Given names or nickname"}

    class Meta:
        model = Alias
        fields = ["id", "kind", "given_names", "family_name"]


class IdentifierSerializer(DomainModelSerializer):
    message_labels = {
        "kind": "Kind of identifier",
        "value": "Number or reference",
        "issuer": "Issuer",
    }

    class Meta:
        model = Identifier
        fields = ["id", "kind", "value", "issuer"]
        # Uniqueness is the model's rule, checked on the canonical form (Identifier.clean).
        validators: list[Any] = []


class AddressSerializer(DomainModelSerializer):
    message_labels = {"kind": "Type of address", "from_date": "From", "to_date": "Until"}

    class Meta:
        model = Address
        fields = [
            "id",
            "kind",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "reporting_arrangement",
            "from_date",
            "to_date",
        ]


class ConvictionSerializer(DomainModelSerializer):
    message_labels = {
        "conviction_date": "Date of conviction or caution",
        "offence_date": "Date of offence",
        "country": "Country where convicted",
    }

    class Meta:
        model = Conviction
        fields = [
            "id",
            "offence",
            "offence_date",
            "conviction_date",
            "is_caution",
            "court",
            "country",
            "sentence",
            "is_index_offence",
            "details",
        ]


class SentenceSerializer(DomainModelSerializer):
    message_labels = {"sentence_date": "Date of sentence", "description": "Sentence"}

    class Meta:
        model = Sentence
        fields = [
            "id",
            "description",
            "sentence_date",
            "release_date",
            "parole_eligibility_date",
            "non_parole_date",
            "rotl_eligibility_date",
            "licence_expiry_date",
            "sentence_expiry_date",
            "hdc_date",
            "community_order_end_date",
            "mental_health_review_date",
            "is_ipp",
            "is_epp",
            "is_life",
            "has_disqualification_order",
            "has_sopo",
            "has_violent_offender_order",
        ]


class HospitalDetentionSerializer(DomainModelSerializer):
    message_labels = {"admitted_on": "Date of admission"}

    class Meta:
        model = HospitalDetention
        fields = [
            "id",
            "hospital",
            "responsible_clinician",
            "admitted_on",
            "earliest_discharge_date",
            "proposed_release_address",
            "forensic_social_worker",
            "next_tribunal_date",
            "basis",
        ]


class WarningMarkerSerializer(DomainModelSerializer):
    message_labels = {"kind": "Warning", "recorded_on": "Date recorded"}

    class Meta:
        model = WarningMarker
        fields = ["id", "kind", "detail", "recorded_on", "source"]


# Output: the record -------------------------------------------------------


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class StaffRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "name", "agency"]


class CaseStateSerializer(serializers.ModelSerializer):
    lead_agency = AgencyRefSerializer(read_only=True)
    manager = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseState
        fields = [
            "category",
            "level",
            "lead_agency",
            "manager",
            "effective_from",
            "effective_to",
            "reason",
        ]


class CasePartnerSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = CasePartner
        fields = ["agency", "from_date", "to_date"]


class CaseSerializer(serializers.ModelSerializer):
    partners = CasePartnerSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "opened_on",
            "closed_on",
            "close_reason",
            "pdp_behaviour",
            "notification_end_date",
            "notification_indefinite",
            "partners",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["status", "reason", "effective_on"]


class NominalBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nominal
        fields = [
            "id",
            "reference",
            "family_name",
            "given_names",
            "date_of_birth",
            "gender",
            "status",
        ]


class NominalSummarySerializer(NominalBriefSerializer):
    """A row of the register: the person with their current (or final) management."""

    category = serializers.ChoiceField(
        source="current_category", choices=Category.choices, read_only=True, allow_null=True
    )
    level = serializers.ChoiceField(
        source="current_level", choices=Level.choices, read_only=True, allow_null=True
    )
    lead_agency = serializers.SerializerMethodField()

    class Meta(NominalBriefSerializer.Meta):
        fields = [*NominalBriefSerializer.Meta.fields, "category", "level", "lead_agency"]

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_lead_agency(self, nominal: Any) -> dict[str, Any] | None:
        if nominal.current_lead_agency_id is None:
            return None
        return {"id": nominal.current_lead_agency_id, "name": nominal.current_lead_agency}


class RestrictedSectionSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="The sensitive section, for example 'health'.")
    name = serializers.CharField(
        help_text="The section's name, for example 'Health and mental health'."
    )
    message = serializers.CharField(help_text="Whom to ask, in words to show the user.")


class NominalDetailSerializer(serializers.ModelSerializer):
    """The whole record, from ``selectors.nominal_detail`` (a fixed number of queries).

    Pass ``context={"user": ...}``: sensitive sections the user may not see are left
    out and listed in ``restricted_sections`` with whom to ask (J 4.2).
    """

    aliases = AliasSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    convictions = ConvictionSerializer(many=True, read_only=True)
    sentences = SentenceSerializer(many=True, read_only=True)
    hospital_detentions = serializers.SerializerMethodField(
        help_text="Empty where the health section is restricted (see restricted_sections)."
    )
    warning_markers = serializers.SerializerMethodField(
        help_text="Mental-health markers are left out where the health section is restricted."
    )
    restricted_sections = serializers.SerializerMethodField(
        help_text="Sensitive sections of this record the caller may not see, and whom to ask."
    )
    has_photo = serializers.SerializerMethodField()
    current_case = serializers.SerializerMethodField(
        help_text="The open case, or null when the record is archived."
    )
    management = serializers.SerializerMethodField(
        help_text="Category, level, lead agency and manager now; for an archived record, "
        "as they were when its last case closed."
    )
    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Nominal
        fields = [
            "id",
            "reference",
            "version",
            "family_name",
            "given_names",
            "date_of_birth",
            "gender",
            "ethnicity",
            "status",
            "deletion_review_on",
            "has_photo",
            "created_at",
            "updated_at",
            "warning_markers",
            "current_case",
            "management",
            "aliases",
            "identifiers",
            "addresses",
            "convictions",
            "sentences",
            "hospital_detentions",
            "status_changes",
            "restricted_sections",
        ]

    def _sections(self, nominal: Nominal) -> Any:
        cache = self.context.setdefault("section_access", {})
        if nominal.pk not in cache:
            cache[nominal.pk] = sections_for(self.context["user"], nominal)
        return cache[nominal.pk]

    def health_visible(self, nominal: Nominal) -> bool:
        return bool(self._sections(nominal)["health"].allowed)

    @extend_schema_field(HospitalDetentionSerializer(many=True))
    def get_hospital_detentions(self, nominal: Nominal) -> Any:
        if not self.health_visible(nominal):
            return []
        return HospitalDetentionSerializer(nominal.detentions.all(), many=True).data

    @extend_schema_field(WarningMarkerSerializer(many=True))
    def get_warning_markers(self, nominal: Nominal) -> Any:
        shown = [
            w
            for w in nominal.warnings.all()
            if self.health_visible(nominal) or section_of_entry(w) is None
        ]
        return WarningMarkerSerializer(shown, many=True).data

    @extend_schema_field(RestrictedSectionSerializer(many=True))
    def get_restricted_sections(self, nominal: Nominal) -> list[dict[str, str]]:
        return [
            {
                "section": access.key,
                "name": access.label,
                "message": f"This section is restricted. Ask {access.contact} if you need it.",
            }
            for access in self._sections(nominal).values()
            if not access.allowed
        ]

    def get_has_photo(self, nominal: Nominal) -> bool:
        return bool(nominal.photo)

    @extend_schema_field(CaseSerializer(allow_null=True))
    def get_current_case(self, nominal: Nominal) -> dict[str, Any] | None:
        case = open_case_of(nominal)
        return CaseSerializer(case).data if case is not None else None

    @extend_schema_field(CaseStateSerializer(allow_null=True))
    def get_management(self, nominal: Nominal) -> dict[str, Any] | None:
        cases = list(nominal.cases.all())
        case = open_case_of(nominal) or (cases[0] if cases else None)
        state = latest_state_of(case)
        return CaseStateSerializer(state).data if state is not None else None


class SearchResultSerializer(serializers.Serializer):
    nominal = NominalBriefSerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    matched_name = serializers.CharField(read_only=True)
    matched_alias = serializers.BooleanField(read_only=True)
    matched_identifier = serializers.CharField(read_only=True)


class SearchOutcomeSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True, read_only=True)
    hidden_matches = serializers.BooleanField(
        read_only=True,
        help_text="True when records that you cannot open also match. Their names and "
        "number are never given.",
    )
    hidden_matches_message = serializers.CharField(read_only=True, allow_null=True)


# Input ----------------------------------------------------------------------


class RegisterFilterSerializer(serializers.Serializer):
    category = choice("Category", Category.choices)
    level = choice("Level", Level.choices)
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        error_messages=govuk_messages("relation", "Lead agency"),
        help_text="The agency's id",
    )
    status = choice("Status", NominalStatus.choices)


class SearchQuerySerializer(serializers.Serializer):
    q = text(
        "Name or identifier",
        max_length=SEARCH_MAX_LENGTH,
        help_text="A name or alias (spelling need not be exact), or a PNC ID, CRO number, "
        "ViSOR reference, prison or National Insurance number",
    )
    date_of_birth = date("Date of birth", help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}")
    birth_year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": "Year of birth must be a number, like 1985",
            "min_value": "Year of birth must be 1900 or later",
            "max_value": "Year of birth must be 2100 or earlier",
            "max_string_length": "Year of birth must be a number, like 1985",
        },
    )


class NominalCreateSerializer(serializers.Serializer):
    given_names = text("Given names", max_length=150, required=True)
    family_name = text("Family name", max_length=100, required=True)
    date_of_birth = date("Date of birth", required=True, help_text=f"YYYY-MM-DD, {DATE_EXAMPLE}")
    gender = choice("Gender", Gender.choices, required=True)
    ethnicity = text("Ethnicity", max_length=200, help_text="The actual ethnicity, not a code")
    category = choice("Category", Category.choices, required=True)
    level = choice("Level of management", Level.choices, required=True)
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(active=True),
        error_messages=govuk_messages("relation", "Lead agency"),
        help_text="The id of an active agency",
    )
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages=govuk_messages("relation", "Record manager"),
        help_text="The id of the person responsible for the quality of this record (J 13.2)",
    )
    pdp_behaviour = text(
        "Behaviour giving grounds",
        max_length=PDP_BEHAVIOUR_MAX_LENGTH,
        help_text="Potentially dangerous persons only (J 3.10)",
    )
    notification_end_date = date("Notification end date", help_text="Category 1 only")
    notification_indefinite = boolean("Notification is indefinite")
    identifiers = IdentifierSerializer(
        many=True,
        required=False,
        error_messages={
            "not_a_list": "Identifiers must be a list of objects with kind, value and issuer"
        },
    )

    def validate_identifiers(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # The page's form has one box per kind, so it cannot repeat one; a list can. The
        # register's uniqueness rule (Identifier.clean) only looks at saved identifiers.
        seen: set[tuple[str, str, str]] = set()
        for item in items:
            kind = item["kind"]
            try:
                value = normalise_identifier(kind, item["value"])
            except DjangoValidationError:
                continue  # the service reports the format against this identifier
            issuer = item.get("issuer", "") if kind == IdentifierKind.AGENCY else ""
            if (kind, issuer, value) in seen:
                label = IdentifierKind(kind).label
                raise serializers.ValidationError(
                    f"{label} {value} is listed more than once: give each identifier once"
                )
            seen.add((kind, issuer, value))
        return items


class NominalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version of the record you read: a save based on an older one is "
        "refused with 409.",
        error_messages={
            **govuk_messages("integer", "Version"),
            "required": "Enter the version of the record you read, so that nobody's changes "
            "are overwritten",
        },
    )
    given_names = text("Given names", max_length=150)
    family_name = text("Family name", max_length=100)
    date_of_birth = serializers.DateField(
        required=False, error_messages=govuk_messages("date", "Date of birth")
    )
    gender = choice("Gender", Gender.choices)
    ethnicity = text("Ethnicity", max_length=200)


class StatusChangeInputSerializer(serializers.Serializer):
    reason = text("Reason", max_length=REASON_MAX_LENGTH, required=True)
    effective_on = date("Date", help_text="Leave out for today")
