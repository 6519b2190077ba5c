"""Pages for identification, the referral (MAPPA A), endorsement and screening."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mappa.access.gates import check, nominal_get_for_user
from mappa.access.policy import Action, decide
from mappa.audit.services import audit_record
from mappa.referrals import access, choices, services
from mappa.referrals.forms import (
    SECTION_FORMS,
    AssessmentsSectionForm,
    EligibilityForm,
    EndorsementSectionForm,
    InviteeForm,
    NoteForm,
    ReturnForm,
    ScreeningForm,
)
from mappa.referrals.models import Referral, ReferralInvitee, ReferralStatus
from mappa.register.forms import apply_service_errors
from mappa.register.selectors import latest_state_of, nominal_detail, open_case_of


def _referral_for(request: HttpRequest, pk: Any) -> Referral:
    """The one way these views fetch a referral: refused (and audited) unless visible."""
    try:
        referral = Referral.objects.select_related(
            "nominal",
            "case",
            "referrer",
            "referring_agency",
            "line_manager",
            "decided_by",
            "endorsed_by",
        ).get(pk=pk)
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404("No such referral") from exc
    check(request, Action.REFERRAL_VIEW, referral)
    return referral


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    check(request, Action.REFERRAL_LIST)
    queryset = (
        access.referrals_visible_to(request.user)
        .select_related("nominal", "referring_agency", "referrer")
        .order_by("-created_at")
    )
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        queryset = queryset.filter(status=status)
    to_endorse = queryset.filter(
        status=ReferralStatus.AWAITING_ENDORSEMENT, line_manager=request.user
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "to_endorse": list(to_endorse),
            "statuses": ReferralStatus.choices,
            "status": status,
            "query_string": f"status={status}" if status else "",
            "can_screen": bool(decide(request.user, Action.REFERRAL_SCREEN)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_add(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    form = EligibilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.eligibility_record(
                actor=request.user, nominal=nominal, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The person has been recorded as MAPPA-eligible")
            return redirect("register:detail", pk=nominal.pk)
    return render(request, "referrals/eligibility.html", {"form": form, "nominal": nominal})


@login_required
@require_POST
def referral_start(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    try:
        referral = services.referral_start(actor=request.user, nominal=nominal, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("register:detail", pk=nominal.pk)
    return redirect("referrals:detail", pk=referral.pk)


def _answered(referral: Referral, field: str) -> bool:
    if field == "assessments":
        return referral.assessments.exists()
    return getattr(referral, field) not in (None, "", [], False)


def _section_status(referral: Referral, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for key, (label, form_class) in SECTION_FORMS.items():
        fields = list(form_class.base_fields)
        touched = any(_answered(referral, f) for f in fields)
        incomplete = any(f in problems for f in fields)
        rows.append(
            {
                "key": key,
                "label": label,
                "state": "Not started"
                if not touched
                else ("Incomplete" if incomplete else "Completed"),
            }
        )
    rows.append(
        {
            "key": "invitees",
            "label": "People to invite",
            "state": "Incomplete" if "invitees" in problems else "Completed",
        }
    )
    return rows


@login_required
def referral_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral_for(request, pk)
    audit_record(
        actor=request.user,
        action="referral.view",
        obj=referral,
        nominal_id=referral.nominal_id,
        request=request,
    )
    nominal = nominal_detail(referral.nominal_id)
    problems = services.referral_problems(referral) if referral.is_editable else {}
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "nominal": nominal,
            "state": latest_state_of(open_case_of(nominal)),
            "sections": _section_status(referral, problems),
            "invitees": referral.invitees.select_related("agency"),
            "events": referral.events.select_related("by"),
            "can_edit": bool(decide(request.user, Action.REFERRAL_EDIT, referral)),
            "can_endorse": bool(decide(request.user, Action.REFERRAL_ENDORSE, referral))
            and referral.status == ReferralStatus.AWAITING_ENDORSEMENT,
            "can_screen": bool(decide(request.user, Action.REFERRAL_SCREEN, referral))
            and referral.status == ReferralStatus.AWAITING_SCREENING,
            "labels": {
                "restrictive": choices.labels(
                    choices.RESTRICTIVE, referral.plan_restrictive_choices
                ),
                "rehabilitative": choices.labels(
                    choices.REHABILITATIVE, referral.plan_rehabilitative_choices
                ),
                "protective": choices.labels(choices.PROTECTIVE, referral.plan_protective_choices),
                "reasons": choices.labels(choices.REASONS, referral.reason_choices),
            },
        },
    )


def _editable_referral(request: HttpRequest, pk: Any) -> Referral:
    referral = _referral_for(request, pk)
    if not decide(request.user, Action.REFERRAL_EDIT, referral):
        if not referral.is_editable:
            messages.error(request, "This referral has been sent and cannot be changed.")
            raise _RedirectError(referral)
        check(request, Action.REFERRAL_EDIT, referral)
    return referral


class _RedirectError(Exception):
    def __init__(self, referral: Referral) -> None:
        self.referral = referral


def _section_form(section: str, referral: Referral, data: Any = None) -> Any:
    _label, form_class = SECTION_FORMS[section]
    initial = {
        name: getattr(referral, name) for name in form_class.base_fields if name != "assessments"
    }
    if section == "assessments":
        initial["assessments"] = list(referral.assessments.values_list("pk", flat=True))
        return AssessmentsSectionForm(data, initial=initial, nominal=referral.nominal)
    if section == "endorsement":
        initial["line_manager"] = referral.line_manager_id
        return EndorsementSectionForm(data, initial=initial, agency=referral.referring_agency)
    return form_class(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def referral_section(request: HttpRequest, pk: Any, section: str) -> HttpResponse:
    if section not in SECTION_FORMS:
        raise Http404("No such section")
    try:
        referral = _editable_referral(request, pk)
    except _RedirectError as stop:
        return redirect("referrals:detail", pk=stop.referral.pk)
    form = _section_form(section, referral, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(
                actor=request.user,
                referral=referral,
                data=form.cleaned_data,
                expected_version=int(request.POST.get("version", referral.version)),
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{SECTION_FORMS[section][0]}: saved as a draft")
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/section.html",
        {
            "form": form,
            "referral": referral,
            "title": SECTION_FORMS[section][0],
            "section": section,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitee_edit(request: HttpRequest, pk: Any, item: int | None = None) -> HttpResponse:
    try:
        referral = _editable_referral(request, pk)
    except _RedirectError as stop:
        return redirect("referrals:detail", pk=stop.referral.pk)
    instance = (
        get_object_or_404(ReferralInvitee, pk=item, referral=referral)
        if item is not None
        else ReferralInvitee(referral=referral, position=0)
    )
    form = InviteeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_invitee_save(
                actor=request.user, referral=referral, invitee=form.instance, request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The invitee has been saved")
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/invitee.html", {"form": form, "referral": referral})


@login_required
@require_POST
def invitee_remove(request: HttpRequest, pk: Any, item: int) -> HttpResponse:
    try:
        referral = _editable_referral(request, pk)
    except _RedirectError as stop:
        return redirect("referrals:detail", pk=stop.referral.pk)
    invitee = get_object_or_404(ReferralInvitee, pk=item, referral=referral)
    try:
        services.referral_invitee_remove(
            actor=request.user, referral=referral, invitee=invitee, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The invitee has been removed")
    return redirect("referrals:detail", pk=referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def referral_check(request: HttpRequest, pk: Any) -> HttpResponse:
    try:
        referral = _editable_referral(request, pk)
    except _RedirectError as stop:
        return redirect("referrals:detail", pk=stop.referral.pk)
    problems = services.referral_problems(referral)
    if request.method == "POST":
        try:
            referral = services.referral_submit(
                actor=request.user, referral=referral, request=request
            )
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            if referral.status == ReferralStatus.AWAITING_ENDORSEMENT:
                messages.success(request, "Referral sent to your line manager for endorsement")
            else:
                messages.success(request, "Referral sent to the co-ordinator")
            return redirect("referrals:detail", pk=referral.pk)
    nominal = nominal_detail(referral.nominal_id)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "nominal": nominal,
            "state": latest_state_of(open_case_of(nominal)),
            "problems": problems,
            "problem_links": _problem_links(problems),
            "invitees": referral.invitees.select_related("agency"),
            "labels": {
                "restrictive": choices.labels(
                    choices.RESTRICTIVE, referral.plan_restrictive_choices
                ),
                "rehabilitative": choices.labels(
                    choices.REHABILITATIVE, referral.plan_rehabilitative_choices
                ),
                "protective": choices.labels(choices.PROTECTIVE, referral.plan_protective_choices),
                "reasons": choices.labels(choices.REASONS, referral.reason_choices),
            },
        },
    )


def _problem_links(problems: dict[str, list[str]]) -> list[dict[str, str]]:
    """Each problem links to the section page where it is put right."""
    owner = {f: key for key, (_l, form) in SECTION_FORMS.items() for f in form.base_fields}
    links = []
    for field, messages_ in problems.items():
        section = owner.get(field, "invitees" if field == "invitees" else "")
        for message in messages_:
            links.append({"field": field, "section": section, "message": message})
    return links


@login_required
@require_http_methods(["GET", "POST"])
def referral_endorse(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral_for(request, pk)
    check(request, Action.REFERRAL_ENDORSE, referral)
    endorse_form = NoteForm(request.POST if request.POST.get("decision") == "endorse" else None)
    return_form = ReturnForm(request.POST if request.POST.get("decision") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "endorse" and endorse_form.is_valid():
                services.referral_endorse(
                    actor=request.user,
                    referral=referral,
                    note=endorse_form.cleaned_data["note"],
                    request=request,
                )
                messages.success(request, "Referral endorsed and sent to the co-ordinator")
                return redirect("referrals:detail", pk=referral.pk)
            if request.POST.get("decision") == "return" and return_form.is_valid():
                services.referral_return(
                    actor=request.user,
                    referral=referral,
                    note=return_form.cleaned_data["note"],
                    by_coordinator=False,
                    request=request,
                )
                messages.success(request, "Referral returned to the referrer")
                return redirect("referrals:detail", pk=referral.pk)
        except ValidationError as exc:
            apply_service_errors(
                return_form if request.POST.get("decision") == "return" else endorse_form, exc
            )
    return render(
        request,
        "referrals/endorse.html",
        {"referral": referral, "endorse_form": endorse_form, "return_form": return_form},
    )


@login_required
def screening_queue(request: HttpRequest) -> HttpResponse:
    check(request, Action.REFERRAL_SCREEN)
    queue = Referral.objects.filter(status=ReferralStatus.AWAITING_SCREENING).select_related(
        "nominal", "referring_agency", "referrer"
    )
    # Emergencies first, then the earliest deadline (J 10.4).
    ordered = sorted(
        queue,
        key=lambda r: (not r.emergency_meeting, r.first_meeting_due or r.received_on, r.created_at),
    )
    return render(request, "referrals/screening.html", {"queue": ordered})


@login_required
@require_http_methods(["GET", "POST"])
def referral_screen(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral_for(request, pk)
    check(request, Action.REFERRAL_SCREEN, referral)
    if referral.status != ReferralStatus.AWAITING_SCREENING:
        messages.error(request, "This referral is not waiting for screening.")
        return redirect("referrals:detail", pk=referral.pk)
    form = ScreeningForm(
        request.POST or None,
        initial={"category": referral.category, "level": referral.level_sought},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                if data["category"] == "":
                    raise ValidationError({"category": ["Select the category"]})
                services.referral_accept(
                    actor=request.user,
                    referral=referral,
                    category=data["category"],
                    level=data["level"] or 0,
                    note=data["note"],
                    request=request,
                )
                messages.success(request, "Referral accepted")
            elif data["decision"] == "decline":
                services.referral_decline(
                    actor=request.user,
                    referral=referral,
                    reason=data["decline_reason"],
                    note=data["note"],
                    request=request,
                )
                messages.success(request, "Referral declined. The referrer has been told why.")
            else:
                services.referral_return(
                    actor=request.user,
                    referral=referral,
                    note=data["note"],
                    by_coordinator=True,
                    request=request,
                )
                messages.success(request, "Referral returned for more information")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                mapped = {
                    ("decline_reason" if k == "reason" else k): v
                    for k, v in exc.message_dict.items()
                }
                apply_service_errors(form, ValidationError(mapped))
            else:
                apply_service_errors(form, exc)
        else:
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/screen.html", {"referral": referral, "form": form})


@login_required
def declined_log(request: HttpRequest) -> HttpResponse:
    """J 3.5: referrals that did not meet the criteria are noted, with the reason."""
    check(request, Action.REFERRAL_LIST)
    queryset = (
        access.referrals_visible_to(request.user)
        .filter(status=ReferralStatus.DECLINED)
        .select_related("nominal", "referring_agency", "decided_by")
        .order_by("-decided_at")
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "referrals/declined.html", {"page": page, "query_string": ""})
