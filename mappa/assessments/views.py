"""The person's risk assessments and home visits. Each view: gate, form, one service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access.gates import nominal_get_for_user
from mappa.access.policy import Action, decide
from mappa.assessments import services
from mappa.assessments.forms import (
    TOOL_GUIDANCE,
    AssessmentForm,
    HomeVisitForm,
    ToolChoiceForm,
)
from mappa.assessments.models import ADULT_AGE, RiskLevel, Tool
from mappa.assessments.risk import overall_risk_level
from mappa.assessments.selectors import (
    assessment_history,
    home_visits_for,
    latest_assessments,
    next_home_visit,
)
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.register.forms import apply_service_errors
from mappa.register.models import Nominal

ARCHIVED = "This record is archived. Re-activate it before adding to it."


def _can_add(request: HttpRequest, nominal: Nominal) -> bool:
    return bool(decide(request.user, Action.NOMINAL_EDIT, nominal)) and not nominal.is_archived


@login_required
def assessment_list(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
    history = assessment_history(nominal)
    audit_record(
        actor=request.user,
        action="assessments.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"assessments": len(history)},
        request=request,
    )
    level, source = overall_risk_level(nominal)
    return render(
        request,
        "assessments/list.html",
        {
            "nominal": nominal,
            "latest": latest_assessments(nominal, history=history),
            "history": history,
            "overall_risk_label": RiskLevel(level).label.lower() if level else "not recorded",
            "overall_risk_source": source,
            "can_add": _can_add(request, nominal),
        },
    )


@login_required
def assessment_choose(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    if nominal.is_archived:
        messages.error(request, ARCHIVED)
        return redirect("assessments:list", pk=nominal.pk)
    form = ToolChoiceForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("assessments:add", pk=nominal.pk, tool=form.cleaned_data["tool"])
    age = nominal.age_on(today())
    return render(
        request,
        "assessments/choose.html",
        {"form": form, "nominal": nominal, "age": age, "is_child": age < ADULT_AGE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, pk: Any, tool: str) -> HttpResponse:
    try:
        kind = Tool(tool)
    except ValueError as exc:
        raise Http404("No such assessment tool") from exc
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    if nominal.is_archived:
        messages.error(request, ARCHIVED)
        return redirect("assessments:list", pk=nominal.pk)
    user: Any = request.user
    form = AssessmentForm(
        kind,
        request.POST or None,
        initial={"author": user.pk, "agency": user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                actor=user,
                nominal=nominal,
                tool=kind,
                completed_on=data["completed_on"],
                author=data["author"],
                agency=data["agency"],
                values=form.values(),
                notes=data["notes"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {kind.label} assessment has been recorded")
            return redirect("assessments:list", pk=nominal.pk)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "nominal": nominal,
            "tool": kind,
            "guidance": TOOL_GUIDANCE.get(kind, ""),
            "back": reverse("assessments:choose", args=[nominal.pk]),
        },
    )


@login_required
def home_visit_list(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_VIEW)
    visits = home_visits_for(nominal)
    audit_record(
        actor=request.user,
        action="home_visits.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"visits": len(visits)},
        request=request,
    )
    return render(
        request,
        "assessments/home_visits.html",
        {
            "nominal": nominal,
            "visits": visits,
            "next_visit": next_home_visit(nominal),
            "is_category_1": services.current_category(nominal) == "1",
            "can_add": _can_add(request, nominal),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def home_visit_add(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    if nominal.is_archived:
        messages.error(request, ARCHIVED)
        return redirect("assessments:home_visits", pk=nominal.pk)
    form = HomeVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.home_visit_record(
                actor=request.user,
                nominal=nominal,
                visited_on=data["visited_on"],
                officers=data["officers"],
                announced=data["announced"],
                joint_with_probation=data["joint_with_probation"],
                outcome=data["outcome"],
                outcome_details=data["outcome_details"],
                concerns=data["concerns"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The home visit has been recorded")
            return redirect("assessments:home_visits", pk=nominal.pk)
    return render(request, "assessments/home_visit_form.html", {"form": form, "nominal": nominal})
