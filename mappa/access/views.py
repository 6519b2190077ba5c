"""Pages for emergency access (J 10.12) and the area's sensitive-section rules."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mappa.access import selectors, services
from mappa.access.forms import EmergencyAccessForm, EmergencyReviewForm, SectionRuleForm
from mappa.access.gates import check, nominal_get_for_user
from mappa.access.models import AgencyKind, EmergencyAccess, Role, SectionRule
from mappa.access.policy import Action, decide, emergency_minutes, nominals_visible_to
from mappa.register.forms import apply_service_errors

QUEUE_REVIEWED_SHOWN = 50


@login_required
@require_http_methods(["GET", "POST"])
def emergency_request(request: HttpRequest, pk: Any) -> HttpResponse:
    """Ask for emergency access to a record the user is refused. The page names no one:
    the user sees the record only once access is granted."""
    if nominals_visible_to(request.user, only=pk).exists():
        return redirect("register:detail", pk=pk)
    nominal = nominal_get_for_user(request, pk, Action.EMERGENCY_REQUEST)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.emergency_access_grant(
                user=request.user,
                nominal=nominal,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            until = timezone.localtime(grant.expires_at)
            messages.success(
                request,
                f"You have emergency access to this record until {until:%H:%M}. "
                "The co-ordinator will review it.",
            )
            return redirect("register:detail", pk=nominal.pk)
    return render(
        request,
        "access/emergency_request.html",
        {"form": form, "nominal_pk": nominal.pk, "minutes": emergency_minutes()},
    )


@login_required
def emergency_queue(request: HttpRequest) -> HttpResponse:
    check(request, Action.EMERGENCY_QUEUE)
    return render(
        request,
        "access/emergency_queue.html",
        {
            "to_review": list(selectors.emergency_queue(reviewed=False)),
            "reviewed": list(selectors.emergency_queue(reviewed=True)[:QUEUE_REVIEWED_SHOWN]),
            "can_review": bool(decide(request.user, Action.EMERGENCY_REVIEW)),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, grant: Any) -> HttpResponse:
    check(request, Action.EMERGENCY_REVIEW)
    record = (
        EmergencyAccess.objects.select_related("user__agency", "nominal", "case")
        .filter(pk=grant)
        .first()
    )
    if record is None:
        raise Http404("No such emergency access")
    if record.is_reviewed:
        messages.error(request, "This emergency access has already been reviewed.")
        return redirect("access:emergency_queue")
    form = EmergencyReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_access_review(
                actor=request.user, grant=record, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The emergency access has been marked as reviewed")
            return redirect("access:emergency_queue")
    return render(request, "access/emergency_review.html", {"form": form, "grant": record})


def _labels(values: list[str], choices: Any) -> list[str]:
    names = dict(choices)
    return [str(names.get(v, v)) for v in values]


@login_required
def section_rule_list(request: HttpRequest) -> HttpResponse:
    check(request, Action.SECTION_RULES_VIEW)
    rules = [
        {
            "rule": rule,
            "roles": _labels(rule.roles, Role.choices),
            "agency_kinds": _labels(rule.agency_kinds, AgencyKind.choices),
        }
        for rule in selectors.section_rules()
    ]
    return render(
        request,
        "access/section_rules.html",
        {"rules": rules, "can_change": bool(decide(request.user, Action.SECTION_CONFIGURE))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_rule_edit(request: HttpRequest, section: str) -> HttpResponse:
    check(request, Action.SECTION_CONFIGURE)
    rule = SectionRule.objects.filter(section=section).first()
    if rule is None:
        raise Http404("No such section")
    form = SectionRuleForm(
        request.POST or None,
        initial={"roles": rule.roles, "agency_kinds": rule.agency_kinds, "contact": rule.contact},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_rule_update(
                actor=request.user,
                rule=rule,
                roles=form.cleaned_data["roles"],
                agency_kinds=form.cleaned_data["agency_kinds"],
                contact=form.cleaned_data["contact"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Access to the {rule} section has been changed")
            return redirect("access:section_rules")
    return render(request, "access/section_rule_form.html", {"form": form, "rule": rule})
