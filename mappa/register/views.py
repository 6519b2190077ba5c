"""The register's pages. Each view: ask the gate, parse the form, call one service."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access.gates import check, nominal_get_for_user
from mappa.access.policy import Action, decide, section_of_entry, sections_for
from mappa.access.selectors import emergency_flags_for
from mappa.assessments.selectors import risk_panel_for
from mappa.audit.services import audit_record
from mappa.register import forms as register_forms
from mappa.register import services
from mappa.register.models import (
    Address,
    Alias,
    CasePartner,
    Conviction,
    HospitalDetention,
    Identifier,
    Nominal,
    Sentence,
    WarningMarker,
)
from mappa.register.selectors import (
    latest_state_of,
    nominal_detail,
    open_case_of,
    register_list_for_user,
)
from mappa.search.selectors import search_register

PAGE_SIZE = 25


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    check(request, Action.REGISTER_LIST)
    form = register_forms.RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = register_list_for_user(request.user, filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "register/list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "can_create": decide(request.user, Action.NOMINAL_CREATE),
        },
    )


@login_required
def register_search(request: HttpRequest) -> HttpResponse:
    check(request, Action.REGISTER_SEARCH)
    form = register_forms.SearchForm(request.GET or None)
    outcome = None
    if form.is_bound and form.is_valid():
        try:
            outcome = search_register(
                user=request.user,
                query=form.cleaned_data["q"],
                date_of_birth=form.cleaned_data.get("date_of_birth"),
                birth_year=form.cleaned_data.get("birth_year"),
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            audit_record(
                actor=request.user,
                action="register.search",
                detail={
                    "terms": form.cleaned_data["q"],
                    "date_of_birth": form.cleaned_data.get("date_of_birth"),
                    "birth_year": form.cleaned_data.get("birth_year"),
                    "results": len(outcome.results),
                    "hidden_matches": outcome.hidden_matches,
                },
                request=request,
            )
    return render(request, "register/search.html", {"form": form, "outcome": outcome})


@login_required
@require_http_methods(["GET", "POST"])
def nominal_create(request: HttpRequest) -> HttpResponse:
    check(request, Action.NOMINAL_CREATE)
    form = register_forms.NominalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nominal = services.nominal_create(
                actor=request.user,
                family_name=data["family_name"],
                given_names=data["given_names"],
                date_of_birth=data["date_of_birth"],
                gender=data["gender"],
                ethnicity=data["ethnicity"],
                category=data["category"],
                level=data["level"],
                lead_agency=data["lead_agency"],
                manager=data["manager"],
                pdp_behaviour=data["pdp_behaviour"],
                notification_end_date=data["notification_end_date"],
                notification_indefinite=data["notification_indefinite"],
                identifiers=form.identifiers(),
                request=request,
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"{nominal.full_name} has been added to the register")
            return redirect("register:detail", pk=nominal.pk)
    return render(request, "register/create.html", {"form": form})


SECTIONS = {
    "summary": "Summary",
    "identity": "Names and identifiers",
    "addresses": "Addresses",
    "convictions": "Convictions and cautions",
    "sentences": "Sentences and orders",
    "hospital": "Hospital detention",
    "management": "Management history",
}


@login_required
def nominal_view(request: HttpRequest, pk: Any, section: str = "summary") -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such section")
    nominal = nominal_get_for_user(request, pk)
    nominal = nominal_detail(nominal.pk)
    audit_record(
        actor=request.user,
        action="nominal.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"section": section},
        request=request,
    )
    case = open_case_of(nominal)
    cases = list(nominal.cases.all())
    last_case = case or (cases[0] if cases else None)
    state = latest_state_of(last_case)
    addresses = list(nominal.addresses.all())
    sentences = list(nominal.sentences.all())
    eligibility = nominal.eligibility_events.order_by("-event_date").first()
    open_referral = (
        nominal.referrals.exclude(status__in=("accepted", "declined", "withdrawn"))
        .order_by("-created_at")
        .first()
    )
    # Sensitive sections (J 4.2): health detail only for those the area's rules name;
    # everyone else sees that it exists and whom to ask. Each view of it is audited.
    section_access = sections_for(request.user, nominal)
    health = section_access["health"]
    warnings = [w for w in nominal.warnings.all() if health.allowed or section_of_entry(w) is None]
    if health.allowed and (
        section == "hospital"
        or (section == "summary" and any(section_of_entry(w) for w in warnings))
    ):
        audit_record(
            actor=request.user,
            action="section.view",
            obj=nominal,
            nominal_id=nominal.pk,
            detail={"section": "health", "page": section},
            request=request,
        )
    context = {
        "risk_panel": risk_panel_for(nominal) if section == "summary" else None,
        "eligibility": eligibility,
        "open_referral": open_referral,
        "can_refer": bool(decide(request.user, Action.NOMINAL_EDIT, nominal))
        and case is not None
        and open_referral is None
        and getattr(request.user, "agency_id", None) is not None,
        "nominal": nominal,
        "section": section,
        "sections": SECTIONS,
        "case": case,
        "last_case": last_case,
        "cases": cases,
        "state": state,
        "current_address": next(
            (a for a in addresses if a.kind in ("current", "nfa") and not a.to_date), None
        ),
        "latest_sentence": sentences[0] if sentences else None,
        "index_offences": [c for c in nominal.convictions.all() if c.is_index_offence],
        "partners": [p for p in case.partners.all() if p.to_date is None] if case else [],
        "can_edit": bool(decide(request.user, Action.NOMINAL_EDIT, nominal))
        and not nominal.is_archived,
        "can_archive": bool(decide(request.user, Action.NOMINAL_ARCHIVE, nominal)),
        "can_manage": bool(decide(request.user, Action.CASE_MANAGE, nominal)) and case is not None,
        "section_access": section_access,
        "warnings": warnings,
        "emergency_flags": emergency_flags_for(nominal),
    }
    return render(request, "register/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominal_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    if nominal.is_archived:
        messages.error(request, "This record is archived. Re-activate it before changing it.")
        return redirect("register:detail", pk=nominal.pk)
    initial = {
        "version": nominal.version,
        "given_names": nominal.given_names,
        "family_name": nominal.family_name,
        "date_of_birth": nominal.date_of_birth,
        "gender": nominal.gender,
        "ethnicity": nominal.ethnicity,
    }
    form = register_forms.NominalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.nominal_update(
                actor=request.user,
                nominal=nominal,
                expected_version=version,
                request=request,
                **data,
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "The person's details have been updated")
            return redirect("register:detail", pk=nominal.pk)
    return render(request, "register/edit.html", {"form": form, "nominal": nominal})


@login_required
@require_http_methods(["GET", "POST"])
def case_management(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.CASE_MANAGE)
    case = services.current_case(nominal)
    if case is None or nominal.is_archived:
        messages.error(request, "This record has no open case. Re-activate it first.")
        return redirect("register:detail", pk=nominal.pk)
    state = services.current_state(case)
    initial = {
        "category": state.category if state else None,
        "level": state.level if state else None,
        "lead_agency": state.lead_agency_id if state else None,
        "manager": state.manager_id if state else None,
        "pdp_behaviour": case.pdp_behaviour,
        "notification_end_date": case.notification_end_date,
        "notification_indefinite": case.notification_indefinite,
    }
    form = register_forms.ManagementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update_management(actor=request.user, case=case, request=request, **data)
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "Management of the case has been updated")
            return redirect("register:section", pk=nominal.pk, section="management")
    return render(
        request, "register/management.html", {"form": form, "nominal": nominal, "case": case}
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominal_status(request: HttpRequest, pk: Any, change: str) -> HttpResponse:
    action = {"archive": Action.NOMINAL_ARCHIVE, "reactivate": Action.NOMINAL_REACTIVATE}.get(
        change
    )
    if action is None:
        raise Http404("No such change")
    nominal = nominal_get_for_user(request, pk, action)
    form = register_forms.StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.nominal_archive if change == "archive" else services.nominal_reactivate
        try:
            service(
                actor=request.user,
                nominal=nominal,
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
                request=request,
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            done = "archived" if change == "archive" else "re-activated"
            messages.success(request, f"The record has been {done}")
            return redirect("register:detail", pk=nominal.pk)
    return render(
        request, "register/status.html", {"form": form, "nominal": nominal, "change": change}
    )


class AttachmentKind:
    def __init__(
        self, model: type[models.Model], form: type[forms.ModelForm], singular: str, section: str
    ) -> None:
        self.model = model
        self.form = form
        self.singular = singular
        self.section = section


ATTACHMENTS = {
    "aliases": AttachmentKind(Alias, register_forms.AliasForm, "alias or nickname", "identity"),
    "identifiers": AttachmentKind(
        Identifier, register_forms.IdentifierForm, "identifier", "identity"
    ),
    "addresses": AttachmentKind(Address, register_forms.AddressForm, "address", "addresses"),
    "convictions": AttachmentKind(
        Conviction, register_forms.ConvictionForm, "conviction or caution", "convictions"
    ),
    "sentences": AttachmentKind(Sentence, register_forms.SentenceForm, "sentence", "sentences"),
    "hospital": AttachmentKind(
        HospitalDetention, register_forms.HospitalDetentionForm, "hospital detention", "hospital"
    ),
    "warnings": AttachmentKind(
        WarningMarker, register_forms.WarningMarkerForm, "warning marker", "summary"
    ),
}


def _check_sensitive_entry(request: HttpRequest, nominal: Nominal, entry: models.Model) -> None:
    """Health entries (hospital detention, mental-health markers) are changed only by
    those who may see the health section."""
    section = section_of_entry(entry)
    if section is not None:
        check(request, Action.SECTION_EDIT, (nominal, section))


def _attachment(kind: str) -> AttachmentKind:
    try:
        return ATTACHMENTS[kind]
    except KeyError as exc:
        raise Http404("No such kind of entry") from exc


@login_required
@require_http_methods(["GET", "POST"])
def attachment_edit(request: HttpRequest, pk: Any, kind: str, item: Any = None) -> HttpResponse:
    spec = _attachment(kind)
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    if nominal.is_archived:
        messages.error(request, "This record is archived. Re-activate it before changing it.")
        return redirect("register:detail", pk=nominal.pk)
    if item is None:
        instance = spec.model(nominal=nominal)
    else:
        # Scoped to this nominal: another record's entry id answers 404 (no IDOR).
        instance = get_object_or_404(spec.model, pk=item, nominal=nominal)
    _check_sensitive_entry(request, nominal, instance)
    form = spec.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        # The entry may have become sensitive (a marker changed to "mental health").
        _check_sensitive_entry(request, nominal, form.instance)
        try:
            services.attachment_save(
                actor=request.user, nominal=nominal, instance=form.instance, request=request
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {spec.singular} has been saved")
            return redirect("register:section", pk=nominal.pk, section=spec.section)
    return render(
        request,
        "register/attachment_form.html",
        {
            "form": form,
            "nominal": nominal,
            "spec": spec,
            "is_new": item is None,
            "back": reverse("register:section", args=[nominal.pk, spec.section]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: Any, kind: str, item: Any) -> HttpResponse:
    spec = _attachment(kind)
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    instance = get_object_or_404(spec.model, pk=item, nominal=nominal)
    _check_sensitive_entry(request, nominal, instance)
    if request.method == "POST":
        try:
            services.attachment_delete(
                actor=request.user, nominal=nominal, instance=instance, request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The {spec.singular} has been removed")
        return redirect("register:section", pk=nominal.pk, section=spec.section)
    return render(
        request,
        "register/attachment_delete.html",
        {
            "nominal": nominal,
            "spec": spec,
            "instance": instance,
            "back": reverse("register:section", args=[nominal.pk, spec.section]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_add(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.CASE_MANAGE)
    case = services.current_case(nominal)
    if case is None:
        raise Http404("No open case")
    form = register_forms.PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_partner_add(
                actor=request.user, case=case, agency=form.cleaned_data["agency"], request=request
            )
        except ValidationError as exc:
            register_forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "The partner agency has been added")
            return redirect("register:section", pk=nominal.pk, section="management")
    return render(request, "register/partner_form.html", {"form": form, "nominal": nominal})


@login_required
@require_http_methods(["POST"])
def partner_end(request: HttpRequest, pk: Any, partner: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.CASE_MANAGE)
    record = get_object_or_404(CasePartner, pk=partner, case__nominal=nominal, to_date__isnull=True)
    try:
        services.case_partner_end(actor=request.user, partner=record, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{record.agency} is no longer a partner to this record")
    return redirect("register:section", pk=nominal.pk, section="management")


@login_required
def nominal_photo(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """Photos are case data: served through the policy, never as public media."""
    from django.http import FileResponse

    nominal: Nominal = nominal_get_for_user(request, pk)
    if not nominal.photo:
        raise Http404("No photo")
    audit_record(
        actor=request.user,
        action="nominal.photo_view",
        obj=nominal,
        nominal_id=nominal.pk,
        request=request,
    )
    return FileResponse(nominal.photo.open("rb"))
