"""Render Django form fields through GOV.UK Frontend's own component macros.

govuk-frontend-django renders the components; this module only maps a bound
field (its widget, label, help text and errors) onto the component's parameters,
which that library leaves to the project.
"""

import functools
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from govuk_frontend_django.components.base import GovUKComponent
from govuk_frontend_django.components.checkboxes import GovUKCheckboxes
from govuk_frontend_django.components.date_input import GovUKDateInput
from govuk_frontend_django.components.error_summary import GovUKErrorSummary
from govuk_frontend_django.components.input import GovUKInput
from govuk_frontend_django.components.radios import GovUKRadios
from govuk_frontend_django.components.select import GovUKSelect
from govuk_frontend_django.components.textarea import GovUKTextarea
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    Template,
    select_autoescape,
)

from mappa.common.forms import DateInputWidget

register = template.Library()


@functools.cache
def _jinja_template(jinja2_template: str, macro_name: str) -> Template:
    environment = Environment(
        loader=ChoiceLoader(
            [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
        ),
        autoescape=select_autoescape(),
    )
    return environment.from_string(
        f"{{%- from '{jinja2_template}' import {macro_name} -%}}{{{{ {macro_name}(data) }}}}"
    )


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def render_component(component: GovUKComponent) -> SafeString:
    """Render like ``component.render()``, but with a cached Jinja template.

    govuk-frontend-django builds a new Jinja environment and compiles the macro on
    every render (close to a second per form page); the macros themselves are used
    unchanged.
    """
    template_ = _jinja_template(component._jinja2_template, component._macro_name)
    data = _drop_none({k: v for k, v in component.__dict__.items() if not k.startswith("_")})
    return mark_safe(template_.render(data=data))  # noqa: S308 - the macros escape their input


def field_anchor(field: forms.BoundField) -> str:
    """The id the error summary links to: the first input of the field."""
    widget = field.field.widget
    if isinstance(widget, DateInputWidget):
        return f"{field.html_name}-day"
    # CheckboxSelectMultiple is a subclass of RadioSelect: both anchor on the name.
    if isinstance(widget, forms.RadioSelect):
        return field.html_name
    if isinstance(widget, forms.CheckboxInput):
        return field.auto_id
    return field.auto_id


def _error(field: forms.BoundField) -> dict[str, str] | None:
    if field.errors:
        return {"text": " ".join(str(e) for e in field.errors)}
    return None


def _hint(field: forms.BoundField) -> dict[str, str] | None:
    if field.help_text:
        return {"text": str(field.help_text)}
    return None


def _value(field: forms.BoundField) -> str:
    value = field.value()
    if value is None:
        return ""
    return str(value)


@register.simple_tag
def govuk_field(
    field: forms.BoundField, classes: str = "", page_heading: bool = False, rows: str = ""
) -> SafeString:
    widget = field.field.widget
    label_text = str(field.label)
    label: dict[str, Any] = {"text": label_text}
    legend: dict[str, Any] = {"text": label_text, "classes": "govuk-fieldset__legend--s"}
    if page_heading:
        label.update({"isPageHeading": True, "classes": "govuk-label--l"})
        legend.update({"isPageHeading": True, "classes": "govuk-fieldset__legend--l"})
    error = _error(field)
    hint = _hint(field)
    component: Any
    if isinstance(widget, DateInputWidget):
        raw = field.value()
        if isinstance(raw, list | tuple):
            parts = list(raw) + ["", "", ""]
        else:
            parts = widget.decompress(raw)
        items = []
        for index, (part, width) in enumerate((("day", 2), ("month", 2), ("year", 4))):
            value = parts[index]
            items.append(
                {
                    "id": f"{field.html_name}-{part}",
                    "name": f"{field.html_name}-{part}",
                    "label": part.capitalize(),
                    "value": "" if value is None else str(value),
                    "classes": f"govuk-input--width-{width}"
                    + (" govuk-input--error" if error else ""),
                }
            )
        component = GovUKDateInput(
            id=field.html_name,
            items=items,  # type: ignore[arg-type]
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
            fieldset={"legend": legend},  # type: ignore[arg-type]
        )
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        values = [str(v) for v in (field.value() or [])]
        component = GovUKCheckboxes(
            idPrefix=field.html_name,
            name=field.html_name,
            items=[
                {"value": str(v), "text": str(t), "checked": str(v) in values}  # type: ignore[misc]
                for v, t in field.field.choices  # type: ignore[attr-defined]
            ],
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
            fieldset={"legend": legend},  # type: ignore[arg-type]
        )
    elif isinstance(widget, forms.RadioSelect):
        current = _value(field)
        component = GovUKRadios(
            idPrefix=field.html_name,
            name=field.html_name,
            classes=classes or None,
            items=[
                {"value": str(v), "text": str(t), "checked": str(v) == current}  # type: ignore[misc]
                for v, t in field.field.choices  # type: ignore[attr-defined]
                if str(v) != ""
            ],
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
            fieldset={"legend": legend},  # type: ignore[arg-type]
        )
    elif isinstance(widget, forms.CheckboxInput):
        component = GovUKCheckboxes(
            idPrefix=field.auto_id,
            name=field.html_name,
            classes="govuk-checkboxes--small",
            items=[
                {  # type: ignore[list-item]
                    "id": field.auto_id,
                    "value": "on",
                    "text": label_text,
                    "checked": bool(field.value()),
                    "hint": hint,
                }
            ],
            errorMessage=error,  # type: ignore[arg-type]
        )
    elif isinstance(widget, forms.Select):
        current = _value(field)
        component = GovUKSelect(
            id=field.auto_id,
            name=field.html_name,
            items=[
                {"value": str(v), "text": str(t), "selected": str(v) == current}  # type: ignore[misc]
                for v, t in field.field.choices  # type: ignore[attr-defined]
            ],
            label=label,  # type: ignore[arg-type]
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
        )
    elif isinstance(widget, forms.Textarea):
        component = GovUKTextarea(
            id=field.auto_id,
            name=field.html_name,
            value=_value(field),
            rows=rows or "5",
            label=label,  # type: ignore[arg-type]
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
        )
    else:
        input_type = getattr(widget, "input_type", "text")
        component = GovUKInput(
            id=field.auto_id,
            name=field.html_name,
            type=input_type
            if input_type in {"text", "email", "tel", "number", "password", "file", "search"}
            else "text",
            value=_value(field) if input_type not in {"password", "file"} else None,
            classes=classes or None,
            label=label,  # type: ignore[arg-type]
            hint=hint,  # type: ignore[arg-type]
            errorMessage=error,  # type: ignore[arg-type]
            autocomplete=widget.attrs.get("autocomplete"),
            spellcheck=False if widget.attrs.get("spellcheck") == "false" else None,
        )
    return render_component(component)


@register.simple_tag
def govuk_error_summary(*forms_: forms.BaseForm | None) -> SafeString | str:
    """One error summary for every form on the page, linking to each field."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"text": str(message), "href": "#main-content"})
        for name in form.errors:
            if name == "__all__":
                continue
            bound = form[name]
            for message in bound.errors:
                items.append({"text": str(message), "href": f"#{field_anchor(bound)}"})
    if not items:
        return ""
    return render_component(
        GovUKErrorSummary(
            titleText="There is a problem",
            errorList=items,  # type: ignore[arg-type]
        )
    )
