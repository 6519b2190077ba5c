"""Pages for the people around a case. Each asks the gate for the record and for the
sensitive section, audits every view of a section's content, and calls one service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mappa.access.gates import check, nominal_get_for_user
from mappa.access.policy import Action, decide, sections_for
from mappa.audit.services import audit_record
from mappa.people import services
from mappa.people.forms import CasePersonForm
from mappa.people.models import PEOPLE_SECTIONS, SECTION_OF_KIND, PersonKind
from mappa.people.selectors import people_for_user, person_of_nominal
from mappa.register.forms import apply_service_errors
from mappa.register.models import Case

KIND_SINGULAR: dict[str, str] = {
    PersonKind.VICTIM: "victim",
    PersonKind.CHILD: "child",
    PersonKind.VULNERABLE_ADULT: "vulnerable adult",
    PersonKind.PARTNER: "partner or former partner",
    PersonKind.OTHER: "third party",
}


def _audit_section_view(request: HttpRequest, nominal: Any, section: str, **detail: Any) -> None:
    audit_record(
        actor=request.user,
        action="section.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"section": section, **detail},
        request=request,
    )


def _open_case(nominal: Any) -> Case | None:
    return Case.objects.filter(nominal=nominal, closed_on__isnull=True).first()


@login_required
def people_list(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk)
    access = sections_for(request.user, nominal)
    people = list(people_for_user(request.user, nominal))
    case = _open_case(nominal)
    audit_record(
        actor=request.user,
        action="nominal.view",
        obj=nominal,
        nominal_id=nominal.pk,
        detail={"section": "people"},
        request=request,
    )
    sections = []
    for key in PEOPLE_SECTIONS:
        section_access = access[key]
        if section_access.allowed:
            _audit_section_view(request, nominal, key, shown=sum(p.section == key for p in people))
        can_edit = (
            section_access.allowed
            and case is not None
            and bool(decide(request.user, Action.SECTION_EDIT, (nominal, key)))
        )
        sections.append(
            {
                "access": section_access,
                "current": [
                    p for p in people if p.section == key and p.case_id == getattr(case, "pk", None)
                ],
                "earlier": [
                    p for p in people if p.section == key and p.case_id != getattr(case, "pk", None)
                ],
                "can_edit": can_edit,
                "kinds": [
                    (kind, KIND_SINGULAR[kind])
                    for kind, section in SECTION_OF_KIND.items()
                    if section == key
                ],
            }
        )
    return render(
        request,
        "people/list.html",
        {"nominal": nominal, "case": case, "sections": sections},
    )


def _editable_case(request: HttpRequest, nominal: Any) -> Case | None:
    case = _open_case(nominal)
    if nominal.is_archived or case is None:
        messages.error(request, "This record is archived. Re-activate it before changing it.")
        return None
    return case


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    if kind not in PersonKind.values:
        raise Http404("No such kind of person")
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    check(request, Action.SECTION_EDIT, (nominal, SECTION_OF_KIND[kind]))
    case = _editable_case(request, nominal)
    if case is None:
        return redirect("people:list", pk=nominal.pk)
    form = CasePersonForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_person_add(
                actor=request.user,
                case=case,
                kind=kind,
                aliases=form.alias_list(),
                request=request,
                **form.person_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {KIND_SINGULAR[kind]} has been added")
            return redirect("people:list", pk=nominal.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "nominal": nominal,
            "singular": KIND_SINGULAR[kind],
            "is_new": True,
            "back": reverse("people:list", args=[nominal.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: Any, person: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    record = person_of_nominal(nominal, person)
    check(request, Action.SECTION_EDIT, (nominal, record.section))
    if _editable_case(request, nominal) is None:
        return redirect("people:list", pk=nominal.pk)
    if record.case.closed_on is not None:
        messages.error(request, "This person belongs to an earlier case, which is closed.")
        return redirect("people:list", pk=nominal.pk)
    form = CasePersonForm(request.POST or None, instance=record, kind=record.kind)
    if request.method == "GET":
        _audit_section_view(request, nominal, record.section, person=str(record.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_person_update(
                actor=request.user,
                person=record,
                aliases=form.alias_list(),
                request=request,
                **form.person_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {KIND_SINGULAR[record.kind]}'s details have been saved")
            return redirect("people:list", pk=nominal.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "nominal": nominal,
            "singular": KIND_SINGULAR[record.kind],
            "is_new": False,
            "back": reverse("people:list", args=[nominal.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_remove(request: HttpRequest, pk: Any, person: Any) -> HttpResponse:
    nominal = nominal_get_for_user(request, pk, Action.NOMINAL_EDIT)
    record = person_of_nominal(nominal, person)
    check(request, Action.SECTION_EDIT, (nominal, record.section))
    if request.method == "POST":
        try:
            services.case_person_remove(actor=request.user, person=record, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The {KIND_SINGULAR[record.kind]} has been removed")
        return redirect("people:list", pk=nominal.pk)
    _audit_section_view(request, nominal, record.section, person=str(record.pk))
    return render(
        request,
        "people/remove.html",
        {
            "nominal": nominal,
            "person": record,
            "singular": KIND_SINGULAR[record.kind],
            "back": reverse("people:list", args=[nominal.pk]),
        },
    )
