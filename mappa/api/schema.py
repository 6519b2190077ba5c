"""Choice sets named once in the OpenAPI schema.

drf-spectacular names each choice set after the property that holds it. The casework
API shares choice sets between differently named properties (the risk levels are
the RM2000 bands, the OASys bands and the referral's current risk) and uses names
the register already uses for other sets ("level", "status", "kind"), which leaves
it guessing and warning (``spectacular --fail-on-warn`` fails). A
``NamedChoiceField`` says which set it holds: the schema gets one component per set,
named after it, and every property refers to that component.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

SUFFIX = "Choice"


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField whose choice set is the schema component ``<enum_name>Choice``."""

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = "mappa.api.schema.NamedChoiceField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: NamedChoiceField = self.target
        values = [value for value in field.choices if value not in ("", None)]
        kind = "integer" if all(isinstance(value, int) for value in values) else "string"
        component = ResolvedComponent(
            name=f"{field.enum_name}{SUFFIX}",
            type=ResolvedComponent.SCHEMA,
            object=f"{field.enum_name}{SUFFIX}",
            schema={
                "type": kind,
                "enum": values,
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in field.choices.items()
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        alternatives: list[dict[str, Any]] = [component.ref]
        if field.allow_blank:
            alternatives.append({"type": "string", "enum": [""]})
        if field.allow_null:
            return {"oneOf": alternatives, "nullable": True}
        if len(alternatives) > 1:
            return {"oneOf": alternatives}
        return component.ref


def enum_name_of(choices: Any) -> str | None:
    """The name of a known choice set, found by its values and labels."""
    key = tuple((str(value), str(label)) for value, label in dict(choices).items())
    return KNOWN_SETS.get(key)


def _known_sets() -> dict[tuple[tuple[str, str], ...], str]:
    from mappa.assessments import models as assessments
    from mappa.referrals import models as referrals
    from mappa.register import models as register

    sets = {
        "Category": register.Category,
        "Level": register.Level,
        "RiskLevel": assessments.RiskLevel,
        "SaraRating": assessments.ThreeLevel,
        "Priority": assessments.Priority,
        "LsiRBand": assessments.LsiRBand,
        "AssetLikelihood": assessments.AssetLikelihood,
        "Tool": assessments.Tool,
        "VisitOutcome": assessments.VisitOutcome,
        "EligibilityEventKind": referrals.EligibilityEventKind,
        "Custody": referrals.Custody,
        "ReferralStatus": referrals.ReferralStatus,
        "DeclineReason": referrals.DeclineReason,
        "YesNoUnknown": referrals.YesNoUnknown,
    }
    return {
        tuple((str(value), str(label)) for value, label in choices.choices): name
        for name, choices in sets.items()
    }


KNOWN_SETS = _known_sets()


class NamedChoicesMixin:
    """For ModelSerializers: each model field with choices becomes a NamedChoiceField,
    named by its set if known, else by model and field (``HomeVisitOutcome``)."""

    def build_field(
        self, field_name: str, info: Any, model_class: Any, nested_depth: int
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_field(  # type: ignore[misc]
            field_name, info, model_class, nested_depth
        )
        if field_class is serializers.ChoiceField:
            field_class = NamedChoiceField
            kwargs["enum_name"] = enum_name_of(kwargs["choices"]) or (
                model_class.__name__ + "".join(part.title() for part in field_name.split("_"))
            )
        return field_class, kwargs
