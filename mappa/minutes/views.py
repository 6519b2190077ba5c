"""Pages for the minutes (MAPPA B), the action tracker and level 1 reviews.

Each view: gate (audited refusal) -> form -> one service -> redirect or render. Every
view of case data is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mappa.access.gates import Refusal
from mappa.access.models import Role
from mappa.access.policy import Action as PolicyAction
from mappa.access.policy import decide
from mappa.accounts.reauth import require_recent_authentication
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.minutes import forms, selectors, services
from mappa.minutes.display import display_value, sections_for_display
from mappa.minutes.models import (
    Action,
    ActionState,
    AgencyUpdate,
    Distribution,
    Level1Review,
    Minutes,
    MinutesStatus,
)
from mappa.register.forms import apply_service_errors
from mappa.register.models import Case


def _refuse(request: HttpRequest, obj: Any, nominal_id: Any, reason: str, attempted: str) -> None:
    audit_record(
        actor=request.user,
        action="access.refused",
        obj=obj,
        nominal_id=nominal_id,
        outcome="refused",
        detail={"attempted": attempted, "reason": reason, "path": request.path},
        request=request,
    )
    request.access_refusal = Refusal(reason=reason)  # type: ignore[attr-defined]
    raise PermissionDenied(reason)


def _gate(request: HttpRequest, decision: Any, obj: Any, nominal_id: Any, attempted: str) -> None:
    if not decision:
        _refuse(request, obj, nominal_id, decision.reason, attempted)


def _minutes_for(request: HttpRequest, pk: Any, *, write: bool = False) -> Minutes:
    """The one way these views fetch minutes: refused (and audited) unless allowed."""
    try:
        minutes = selectors.minutes_detail(pk)
    except (Minutes.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such minutes") from exc
    nominal_id = minutes.case.nominal_id
    _gate(
        request,
        decide(request.user, PolicyAction.MINUTES_VIEW, minutes),
        minutes,
        nominal_id,
        str(PolicyAction.MINUTES_VIEW),
    )
    if write:
        _gate(
            request,
            decide(request.user, PolicyAction.MINUTES_WRITE, minutes),
            minutes,
            nominal_id,
            str(PolicyAction.MINUTES_WRITE),
        )
    return minutes


def _audit_view(
    request: HttpRequest, minutes: Minutes, action: str = "minutes.view", **detail: Any
) -> None:
    audit_record(
        actor=request.user,
        action=action,
        obj=minutes,
        nominal_id=minutes.case.nominal_id,
        detail=detail,
        request=request,
    )


def _agenda_item_for(request: HttpRequest, pk: Any) -> Any:
    from mappa.meetings.models import AgendaItem

    try:
        item = AgendaItem.objects.select_related("meeting__chair", "case__nominal").get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case discussion") from exc
    user = request.user
    chair = item.meeting.chair_id is not None and item.meeting.chair_id == user.pk
    decision = decide(user, PolicyAction.NOMINAL_VIEW, item.case.nominal)
    if not decision and not chair:
        _refuse(
            request, item, item.case.nominal_id, decision.reason, str(PolicyAction.NOMINAL_VIEW)
        )
    return item


# Minutes --------------------------------------------------------------------------------


@login_required
def discussion(request: HttpRequest, pk: Any) -> HttpResponse:
    """A case discussion's minutes, or the page to start them."""
    item = _agenda_item_for(request, pk)
    existing = Minutes.objects.filter(agenda_item=item).first()
    if existing is not None:
        return redirect("minutes:detail", pk=existing.pk)
    meeting = item.meeting
    from mappa.profiles import clocks
    from mappa.profiles.selectors import current_profile

    due = (
        clocks.minutes_due(meeting.date, meeting.level, current_profile())
        if meeting.level in (2, 3)
        else None
    )
    audit_record(
        actor=request.user,
        action="minutes.view",
        obj=item,
        nominal_id=item.case.nominal_id,
        detail={"state": "not started"},
        request=request,
    )
    return render(
        request,
        "minutes/start.html",
        {
            "item": item,
            "meeting": meeting,
            "due": due,
            "can_start": bool(decide(request.user, PolicyAction.MINUTES_START, item)),
            "too_early": meeting.date > today(),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: Any) -> HttpResponse:
    item = _agenda_item_for(request, pk)
    _gate(
        request,
        decide(request.user, PolicyAction.MINUTES_START, item),
        item,
        item.case.nominal_id,
        str(PolicyAction.MINUTES_WRITE),
    )
    try:
        minutes = services.minutes_start(actor=request.user, agenda_item=item, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("minutes:discussion", pk=item.pk)
    messages.success(request, "The minutes have been started")
    return redirect("minutes:detail", pk=minutes.pk)


def _status_context(minutes: Minutes) -> dict[str, Any]:
    from mappa.profiles import clocks
    from mappa.profiles.selectors import current_profile

    due = services.minutes_due_on(minutes)
    profile = current_profile()
    status = clocks.clock_status(due, minutes.distributed_on, today(), profile.due_soon_days)
    return {"due": due, "due_status": status}


@login_required
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk)
    _audit_view(request, minutes)
    services.distribution_mark_read(user=request.user, minutes=minutes)
    amendments = list(minutes.amendments.all())
    can_write = bool(decide(request.user, PolicyAction.MINUTES_WRITE, minutes))
    problems = services.minutes_problems(minutes) if minutes.is_draft and can_write else {}
    return render(
        request,
        "minutes/detail.html",
        {
            **_body_context(minutes, amendments),
            **_status_context(minutes),
            "can_write": can_write,
            "problems": problems,
            "problem_count": sum(len(v) for v in problems.values()),
            "distributions": list(minutes.distributions.all()),
            "missing_spoc": services.core_agencies_without_spoc() if minutes.is_distributed else [],
        },
    )


def _body_context(minutes: Minutes, amendments: list[Any]) -> dict[str, Any]:
    meeting = minutes.agenda_item.meeting
    from mappa.register.services import current_state

    state = services._state_on(minutes.case, meeting.date) or current_state(minutes.case)
    return {
        "minutes": minutes,
        "meeting": meeting,
        "case": minutes.case,
        "nominal": minutes.case.nominal,
        "state": state,
        "carried": minutes.carried,
        "carried_sections": minutes.carried.get("sections", []),
        "sections": sections_for_display(minutes, amendments),
        "reviews": list(minutes.reviews.all()),
        "updates": list(minutes.agency_updates.all()),
        "actions": list(minutes.actions.all()),
        "amendments": amendments,
        "amendable": services.AMENDABLE_FIELDS,
        "marking": settings.MAPPA_PROTECTIVE_MARKING,
        "handling": settings.MAPPA_HANDLING_INSTRUCTION,
        "area_name": settings.MAPPA_AREA_NAME,
    }


def _their_values(theirs: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, str]:
    """Another person's saved values in words, keyed by form field name."""
    out: dict[str, str] = {}
    for key, value in theirs.items():
        name = (names or {}).get(key, key)
        out[name] = display_value(key, value) or "(left blank)"
    return out


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: Any, section: str) -> HttpResponse:
    if section not in services.FIELD_SECTIONS:
        raise Http404("No such section")
    minutes = _minutes_for(request, pk, write=True)
    if not minutes.is_draft:
        messages.error(request, "These minutes are no longer a draft and cannot be changed.")
        return redirect("minutes:detail", pk=minutes.pk)
    info = services.SECTION_BY_KEY[section]
    reviews = list(minutes.reviews.all())
    form, data_for_service, theirs = _section_form(request, minutes, section, reviews)
    conflict: services.MinutesConflictError | None = None
    version = minutes.version
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save_section(
                actor=request.user,
                minutes=minutes,
                section=section,
                data=data_for_service(form),
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except services.MinutesConflictError as exc:
            conflict = exc
            version = exc.version
            theirs = _their_values(
                exc.theirs,
                {k: forms.review_field_name(k) for k in exc.theirs}
                if section == "review"
                else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Section {info.number} has been saved")
            return redirect(f"{_detail_url(minutes)}#section-{section}")
    elif request.method == "GET":
        _audit_view(request, minutes, section=section)
    return render(
        request,
        "minutes/section.html",
        {
            "minutes": minutes,
            "meeting": minutes.agenda_item.meeting,
            "info": info,
            "form": form,
            "rows": form.rows() if section == "review" else None,
            "fields": [(form[name], theirs.get(name)) for name in form.fields]
            if section != "review"
            else None,
            "theirs": theirs,
            "conflict": conflict,
            "version": version,
            "carried": _carried_for(minutes, section),
            "proposed_next": services.latest_next_meeting(minutes)
            if section == "administration"
            else None,
        },
    )


def _carried_for(minutes: Minutes, section: str) -> list[dict[str, Any]]:
    """Sections 1-7 beside the section being written, for the meeting to review."""
    wanted = {"victims": (7,), "risk": (5,), "plan": (5,)}.get(section, ())
    return [s for s in minutes.carried.get("sections", []) if s["number"] in wanted]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _detail_url(minutes: Minutes) -> str:
    from django.urls import reverse

    return reverse("minutes:detail", args=[minutes.pk])


def _section_form(
    request: HttpRequest, minutes: Minutes, section: str, reviews: list[Any]
) -> tuple[Any, Any, dict[str, str]]:
    data = request.POST if request.method == "POST" else None
    if section == "review":
        form: Any = forms.ReviewForm(data, reviews=reviews, initial=forms.review_initial(reviews))
        return form, lambda f: f.service_data(), {}
    form_class = forms.SECTION_FORMS[section]
    form = form_class(data, initial=forms.section_initial(minutes, section))
    return form, lambda f: dict(f.cleaned_data), {}


@login_required
@require_POST
def autosave(request: HttpRequest, pk: Any, section: str) -> JsonResponse:
    """Progressive enhancement (static/minutes/autosave.js): save the draft section as
    typed, respecting the version. The page works fully without it."""
    if section not in services.FIELD_SECTIONS:
        raise Http404("No such section")
    minutes = _minutes_for(request, pk, write=True)
    if not minutes.is_draft:
        return JsonResponse(
            {"saved": False, "message": "These minutes are no longer a draft."}, status=409
        )
    reviews = list(minutes.reviews.all())
    form, data_for_service, _theirs = _section_form(request, minutes, section, reviews)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse(
            {"saved": False, "message": f"Not saved automatically: {first}"}, status=400
        )
    try:
        saved = services.minutes_save_section(
            actor=request.user,
            minutes=minutes,
            section=section,
            data=data_for_service(form),
            expected_version=_int(request.POST.get("version")),
            request=request,
        )
    except services.MinutesConflictError as exc:
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": "Someone else has changed this section. Select “Save” to compare "
                "your changes with theirs: nothing you typed is lost.",
                "version": exc.version,
            },
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "version": saved.version,
            "saved_at": timezone.localtime().strftime("%H:%M"),
        }
    )


# Section 9 rows ------------------------------------------------------------------------


def _draft_or_redirect(request: HttpRequest, minutes: Minutes) -> HttpResponse | None:
    if minutes.is_draft:
        return None
    messages.error(request, "These minutes are no longer a draft and cannot be changed.")
    return redirect("minutes:detail", pk=minutes.pk)


def _row(queryset: Any, pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("Not found") from exc


@login_required
@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: Any, update_pk: Any = None) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="update_edit")
    stop = _draft_or_redirect(request, minutes)
    if stop:
        return stop
    update = _row(AgencyUpdate.objects.filter(minutes=minutes), update_pk) if update_pk else None
    initial = (
        {"person_name": update.person_name, "agency": update.agency_id, "update": update.update}
        if update
        else {}
    )
    form = forms.AgencyUpdateForm(request.POST or None, initial=initial)
    theirs: dict[str, str] = {}
    version = update.version if update else None
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update_save(
                actor=request.user,
                minutes=minutes,
                update=update,
                data=form.cleaned_data,
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except services.RowConflictError as exc:
            version = exc.version
            theirs = {
                k: str(_agency_name(v) if k == "agency" else v) for k, v in exc.theirs.items()
            }
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The update has been saved")
            return redirect(f"{_detail_url(minutes)}#section-agencies")
    return render(
        request,
        "minutes/row_form.html",
        {
            "minutes": minutes,
            "form": form,
            "fields": [(form[n], theirs.get(n)) for n in form.fields],
            "title": "Change an update from an agency"
            if update
            else "Add an update from an agency",
            "section_number": "9",
            "version": version,
            "anchor": "section-agencies",
        },
    )


def _agency_name(agency_id: Any) -> str:
    from mappa.access.models import Agency

    found = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first()
    return found or "(none)"


@login_required
@require_http_methods(["GET", "POST"])
def update_remove(request: HttpRequest, pk: Any, update_pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="update_remove")
    stop = _draft_or_redirect(request, minutes)
    if stop:
        return stop
    update = _row(AgencyUpdate.objects.filter(minutes=minutes).select_related("agency"), update_pk)
    if request.method == "POST":
        services.agency_update_remove(actor=request.user, update=update, request=request)
        messages.success(request, "The update has been removed")
        return redirect(f"{_detail_url(minutes)}#section-agencies")
    return render(
        request,
        "minutes/remove.html",
        {"minutes": minutes, "what": f"the update from {update.person_name}, {update.agency}"},
    )


# Section 15 rows -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: Any, action_pk: Any = None) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="action_edit")
    stop = _draft_or_redirect(request, minutes)
    if stop:
        return stop
    action = _row(Action.objects.filter(minutes=minutes), action_pk) if action_pk else None
    initial: dict[str, Any] = {}
    if action is not None:
        initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
        initial["agency"] = action.agency_id
        initial["owner_user"] = action.owner_user_id
    form = forms.ActionForm(request.POST or None, initial=initial)
    theirs: dict[str, str] = {}
    version = action.version if action else None
    if request.method == "POST" and form.is_valid():
        try:
            services.action_save(
                actor=request.user,
                minutes=minutes,
                action=action,
                data=form.cleaned_data,
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except services.RowConflictError as exc:
            version = exc.version
            theirs = {k: _action_value(k, v) for k, v in exc.theirs.items()}
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The action has been saved")
            return redirect(f"{_detail_url(minutes)}#section-actions")
    return render(
        request,
        "minutes/row_form.html",
        {
            "minutes": minutes,
            "form": form,
            "fields": [(form[n], theirs.get(n)) for n in form.fields],
            "title": f"Change action {action.number}" if action else "Add an action",
            "section_number": "15",
            "version": version,
            "anchor": "section-actions",
        },
    )


def _action_value(name: str, value: Any) -> str:
    if value in (None, ""):
        return "(left blank)"
    if name == "agency":
        return _agency_name(value)
    if name == "owner_user":
        from mappa.access.models import User

        user = User.objects.filter(pk=value).first()
        return user.display_name if user else "(none)"
    if name == "due_date":
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def action_remove(request: HttpRequest, pk: Any, action_pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="action_remove")
    stop = _draft_or_redirect(request, minutes)
    if stop:
        return stop
    action = _row(Action.objects.filter(minutes=minutes), action_pk)
    if request.method == "POST":
        services.action_remove(actor=request.user, action=action, request=request)
        messages.success(request, f"Action {action.number} has been removed")
        return redirect(f"{_detail_url(minutes)}#section-actions")
    return render(
        request, "minutes/remove.html", {"minutes": minutes, "what": f"action {action.number}"}
    )


# Workflow -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: Any) -> HttpResponse:
    """Finalise: draft -> checked, refused with every problem while rules are unmet."""
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="check")
    stop = _draft_or_redirect(request, minutes)
    if stop:
        return stop
    problems = services.minutes_problems(minutes)
    if request.method == "POST":
        try:
            services.minutes_finalise(actor=request.user, minutes=minutes, request=request)
        except services.FinalisationRefusedError as exc:
            problems = exc.problems
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("minutes:detail", pk=minutes.pk)
        else:
            messages.success(request, "The minutes have been checked. They can now be distributed.")
            return redirect("minutes:detail", pk=minutes.pk)
    return render(
        request,
        "minutes/check.html",
        {
            "minutes": minutes,
            "meeting": minutes.agenda_item.meeting,
            "problems": [
                (services.SECTION_BY_KEY[key], problems[key])
                for key in [s.key for s in services.SECTIONS]
                if key in problems
            ],
            "refused": request.method == "POST",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="reopen")
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_reopen(
                actor=request.user,
                minutes=minutes,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The minutes are a draft again")
            return redirect("minutes:detail", pk=minutes.pk)
    return render(request, "minutes/reopen.html", {"minutes": minutes, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def distribute(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="distribute")
    if minutes.status != MinutesStatus.CHECKED:
        messages.error(request, "Minutes are distributed once they have been checked.")
        return redirect("minutes:detail", pk=minutes.pk)
    if request.method == "POST":
        try:
            services.minutes_distribute(actor=request.user, minutes=minutes, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("minutes:distribute", pk=minutes.pk)
        messages.success(request, "The minutes have been distributed")
        return redirect("minutes:detail", pk=minutes.pk)
    return render(
        request,
        "minutes/distribute.html",
        {
            "minutes": minutes,
            "meeting": minutes.agenda_item.meeting,
            "contacts": services.spoc_contacts(),
            "missing": services.core_agencies_without_spoc(),
            "conclusion": minutes.get_conclusion_display(),
            **_status_context(minutes),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk, write=True)
    if request.method == "GET":
        _audit_view(request, minutes, page="amend")
    if not minutes.is_distributed:
        messages.error(request, "Only distributed minutes are amended; change a draft directly.")
        return redirect("minutes:detail", pk=minutes.pk)
    form = forms.AmendmentForm(
        request.POST or None, initial={"field": request.GET.get("field", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_amend(
                actor=request.user,
                minutes=minutes,
                field=form.cleaned_data["field"],
                value=form.service_value(),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The amendment has been recorded")
            return redirect("minutes:detail", pk=minutes.pk)
    return render(request, "minutes/amend.html", {"minutes": minutes, "form": form})


# Print and PDF -----------------------------------------------------------------------------


@login_required
def print_view(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk)
    _audit_view(request, minutes, "minutes.print")
    amendments = list(minutes.amendments.all())
    return render(
        request, "minutes/print.html", {**_body_context(minutes, amendments), "pdf": False}
    )


def render_pdf(minutes: Minutes, request: HttpRequest | None = None) -> bytes:
    """The minutes as a PDF, the protective marking and handling instruction on every
    page (CSS @page margin boxes) and "Page n of m"."""
    import weasyprint

    amendments = list(minutes.amendments.all())
    html = render_to_string(
        "minutes/print.html", {**_body_context(minutes, amendments), "pdf": True}, request=request
    )
    stylesheet = finders.find("minutes/print.css")
    stylesheets = [weasyprint.CSS(filename=str(stylesheet))] if stylesheet else []
    return bytes(weasyprint.HTML(string=html).write_pdf(stylesheets=stylesheets))


@login_required
@require_recent_authentication()
def pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    minutes = _minutes_for(request, pk)
    content = render_pdf(minutes, request)
    _audit_view(
        request,
        minutes,
        "minutes.download",
        format="pdf",
        bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    meeting = minutes.agenda_item.meeting
    name = f"minutes-{minutes.case.reference.replace('/', '-')}-{meeting.date:%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Lists ----------------------------------------------------------------------------------


@login_required
def case_minutes(request: HttpRequest, case_pk: Any) -> HttpResponse:
    case = _case_for(request, case_pk)
    audit_record(
        actor=request.user,
        action="minutes.list",
        obj=case,
        nominal_id=case.nominal_id,
        request=request,
    )
    return render(
        request,
        "minutes/case_list.html",
        {"case": case, "minutes_list": selectors.minutes_for_case(request.user, case)},
    )


def _case_for(request: HttpRequest, case_pk: Any) -> Case:
    from mappa.access.gates import check

    try:
        case = Case.objects.select_related("nominal").get(pk=case_pk)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case") from exc
    check(request, PolicyAction.NOMINAL_VIEW, case.nominal)
    return case


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """Minutes distributed to me as my agency's single point of contact (J 10.12)."""
    user: Any = request.user
    rows = (
        Distribution.objects.filter(user_id=user.pk, minutes__status=MinutesStatus.DISTRIBUTED)
        .select_related("minutes__case", "minutes__agenda_item__meeting", "agency")
        .order_by("-created_at")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user, action="minutes.notices", detail={"page": page.number}, request=request
    )
    return render(request, "minutes/notices.html", {"page": page})


# Actions --------------------------------------------------------------------------------


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    _gate(
        request,
        decide(request.user, PolicyAction.ACTION_LIST),
        None,
        "",
        str(PolicyAction.ACTION_LIST),
    )
    user: Any = request.user
    form = forms.ActionFilterForm(request.GET or None)
    default_scope = (
        "all" if user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR) else "mine"
    )
    scope, state, due_before, case_reference = default_scope, "open", None, ""
    if form.is_bound and form.is_valid():
        scope = form.cleaned_data["scope"] or default_scope
        state = form.cleaned_data["state"]
        due_before = form.cleaned_data["due_before"]
        case_reference = form.cleaned_data["case"]
    elif not form.is_bound:
        form = forms.ActionFilterForm(initial={"scope": scope, "state": state})
    filters = selectors.ActionFilters(
        scope=scope, state=state, due_before=due_before, case_reference=case_reference
    )
    page = Paginator(selectors.actions_for_user(user, filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    audit_record(
        actor=request.user,
        action="actions.list",
        detail={"scope": scope, "state": state, "page": page.number},
        request=request,
    )
    return render(
        request,
        "minutes/actions.html",
        {
            "form": form,
            "page": page,
            "today": today(),
            "query_string": query.urlencode(),
            "scope": scope,
        },
    )


def _action_for(request: HttpRequest, pk: Any) -> Action:
    try:
        action = selectors.action_detail(pk)
    except (Action.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such action") from exc
    if action.minutes.status == MinutesStatus.DRAFT:
        raise Http404("No such action")
    _gate(
        request,
        decide(request.user, PolicyAction.ACTION_VIEW, action),
        action,
        action.case.nominal_id,
        str(PolicyAction.ACTION_VIEW),
    )
    return action


@login_required
def action_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    action = _action_for(request, pk)
    audit_record(
        actor=request.user,
        action="action.view",
        obj=action,
        nominal_id=action.case.nominal_id,
        request=request,
    )
    return _action_page(request, action)


def _action_page(request: HttpRequest, action: Action, **forms_: Any) -> HttpResponse:
    can_update = bool(decide(request.user, PolicyAction.ACTION_UPDATE, action))
    return render(
        request,
        "minutes/action.html",
        {
            "action": action,
            "today": today(),
            "can_update": can_update,
            "is_live": action.state in (ActionState.OPEN, ActionState.REFERRED),
            "progress_form": forms_.get("progress_form") or forms.ProgressForm(prefix="progress"),
            "complete_form": forms_.get("complete_form") or forms.CompleteForm(prefix="complete"),
            "not_completed_form": forms_.get("not_completed_form")
            or forms.NotCompletedForm(prefix="not-completed"),
            "conflict": forms_.get("conflict"),
            "can_view_minutes": bool(
                decide(request.user, PolicyAction.MINUTES_VIEW, action.minutes)
            ),
        },
    )


def _updatable_action(request: HttpRequest, pk: Any) -> Action:
    action = _action_for(request, pk)
    _gate(
        request,
        decide(request.user, PolicyAction.ACTION_UPDATE, action),
        action,
        action.case.nominal_id,
        str(PolicyAction.ACTION_UPDATE),
    )
    return action


@login_required
@require_POST
def action_progress(request: HttpRequest, pk: Any) -> HttpResponse:
    action = _updatable_action(request, pk)
    # Prefixes keep the three forms' fields apart on one page (ids and error links).
    form = forms.ProgressForm(request.POST, prefix="progress")
    if form.is_valid():
        try:
            services.action_progress_add(
                actor=request.user, action=action, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The progress note has been added")
            return redirect("minutes:action", pk=action.pk)
    return _action_page(request, action, progress_form=form)


@login_required
@require_POST
def action_complete(request: HttpRequest, pk: Any) -> HttpResponse:
    action = _updatable_action(request, pk)
    form = forms.CompleteForm(request.POST, prefix="complete")
    if form.is_valid():
        try:
            services.action_complete(
                actor=request.user,
                action=action,
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except services.RowConflictError as exc:
            return _action_page(request, _action_for(request, pk), complete_form=form, conflict=exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.number} has been recorded as completed")
            return redirect("minutes:action", pk=action.pk)
    return _action_page(request, action, complete_form=form)


@login_required
@require_POST
def action_not_completed(request: HttpRequest, pk: Any) -> HttpResponse:
    action = _updatable_action(request, pk)
    form = forms.NotCompletedForm(request.POST, prefix="not-completed")
    if form.is_valid():
        try:
            services.action_not_completed(
                actor=request.user,
                action=action,
                reason=form.cleaned_data["reason"],
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except services.RowConflictError as exc:
            return _action_page(
                request, _action_for(request, pk), not_completed_form=form, conflict=exc
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.number} has been recorded as not completed")
            return redirect("minutes:action", pk=action.pk)
    return _action_page(request, action, not_completed_form=form)


# Level 1 reviews (J 9.2) -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def level1(request: HttpRequest, case_pk: Any) -> HttpResponse:
    case = _case_for(request, case_pk)
    status = selectors.level1_status(case)
    lead_id = status["lead_agency_id"] if status else None
    can_record = bool(status) and bool(
        decide(request.user, PolicyAction.LEVEL1_REVIEW, (case, lead_id))
    )
    form = forms.Level1ReviewForm(request.POST or None, initial={"review_date": today()})
    if request.method == "POST":
        _gate(
            request,
            decide(request.user, PolicyAction.LEVEL1_REVIEW, (case, lead_id)),
            case,
            case.nominal_id,
            str(PolicyAction.LEVEL1_REVIEW),
        )
        if form.is_valid():
            try:
                review = services.level1_review_record(
                    actor=request.user,
                    case=case,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if review.referral_id:
                    messages.success(
                        request,
                        "The review has been recorded and a referral to level 2 or 3 started from it",
                    )
                    return redirect("referrals:detail", pk=review.referral_id)
                messages.success(request, "The level 1 review has been recorded")
                return redirect("minutes:level1", case_pk=case.pk)
    else:
        audit_record(
            actor=request.user,
            action="level1_review.view",
            obj=case,
            nominal_id=case.nominal_id,
            request=request,
        )
    return render(
        request,
        "minutes/level1.html",
        {
            "case": case,
            "status": status,
            "reviews": Level1Review.objects.filter(case=case).select_related(
                "reviewed_by", "agency", "referral"
            ),
            "form": form,
            "can_record": can_record,
        },
    )
