"""Pages for the annual report statistics (issue 6, points 6 and 7; J 15.5).

The board, the co-ordinator, administrators and auditors see the figures
(``FIGURES_VIEW``); the co-ordinator and administrators write the explanation
(``ANNUAL_REPORT_WRITE``); exports ask ``FIGURES_EXPORT`` and a recent
re-authentication. Every view and export is audited; a refusal answers 403 and is
audited by the gate.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from mappa.access.gates import check
from mappa.access.policy import Action, decide
from mappa.accounts.reauth import require_recent_authentication
from mappa.annual import exports, selectors, services
from mappa.annual.forms import NoteForm, YearForm
from mappa.annual.models import AnnualReportNote
from mappa.annual.report import (
    AnnualReport,
    ReportYearError,
    annual_report,
    default_year,
    labels_for,
)
from mappa.audit.services import audit_record
from mappa.profiles.selectors import current_profile
from mappa.register.forms import apply_service_errors
from mappa.register.services import ConcurrentEditError


def _year_hint() -> str:
    """What "2026" means in this area's profile (the year the reporting period ends in)."""
    profile = current_profile()
    period = str(profile.annual_report.get("period", "a year"))
    snapshot = profile.annual_snapshot(2024)
    return (
        f"For example, {default_year()}. Each report covers {period} and is named by the "
        f"year it ends in; people on the register are counted on {snapshot.day} "
        f"{snapshot:%B}."
    )


def _page(
    request: HttpRequest,
    *,
    form: YearForm,
    report: AnnualReport | None,
    note_form: NoteForm | None = None,
    their_note: AnnualReportNote | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    note = None
    can_write = bool(decide(user, Action.ANNUAL_REPORT_WRITE))
    if report is not None:
        note = selectors.note_for(year=report.year, profile_key=report.profile_key)
        if note_form is None and can_write:
            note_form = NoteForm(
                initial={
                    "explanation": note.explanation if note else "",
                    "version": note.version if note else 0,
                }
            )
    return render(
        request,
        "annual/report.html",
        {
            "form": form,
            "report": report,
            "note": note,
            "note_form": note_form if can_write else None,
            "their_note": their_note,
            "can_export": bool(decide(user, Action.FIGURES_EXPORT)),
            "can_set_population": bool(decide(user, Action.CASE_MANAGE)),
            "formats": [
                ("pdf", "PDF"),
                ("xlsx", "spreadsheet (XLSX)"),
                ("csv", "CSV"),
                ("json", "JSON"),
            ],
            "report_title": labels_for(current_profile())["report_title"],
        },
        status=status,
    )


def _report_for(form: YearForm) -> AnnualReport | None:
    """The report for the form's year, or None with the reason on the form."""
    if not form.is_valid():
        return None
    try:
        return annual_report(year=form.cleaned_data["year"])
    except ReportYearError as exc:
        form.add_error("year", str(exc))
        return None


def _audit_view(request: HttpRequest, report: AnnualReport, via: str = "page") -> None:
    audit_record(
        actor=request.user,
        action="annual_report.view",
        object_type="annual.report",
        object_id=f"{report.profile_key}:{report.year}",
        detail={"year": report.year, "profile": report.profile_key, "via": via},
        request=request,
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    data = request.GET if "year" in request.GET else {"year": str(default_year())}
    form = YearForm(data, hint=_year_hint())
    found = _report_for(form)
    if found is not None:
        _audit_view(request, found)
    return _page(request, form=form, report=found, status=200 if found else 400)


@login_required
@require_POST
def note(request: HttpRequest, year: int) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    check(request, Action.ANNUAL_REPORT_WRITE)
    form = YearForm({"year": str(year)}, hint=_year_hint())
    found = _report_for(form)
    if found is None:
        return _page(request, form=form, report=None, status=400)
    note_form = NoteForm(request.POST)
    their_note = None
    if note_form.is_valid():
        try:
            services.annual_report_note_save(
                actor=request.user,
                year=found.year,
                profile_key=found.profile_key,
                explanation=note_form.cleaned_data["explanation"],
                expected_version=note_form.cleaned_data["version"],
                request=request,
            )
        except ConcurrentEditError as exc:
            their_note = selectors.note_for(year=found.year, profile_key=found.profile_key)
            # Saving again after reading theirs replaces it knowingly.
            data = request.POST.copy()
            data["version"] = str(their_note.version if their_note else 0)
            note_form = NoteForm(data)
            note_form.is_valid()
            note_form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_service_errors(note_form, exc)
        else:
            messages.success(
                request, f"The explanation of the {found.year_label} figures is saved."
            )
            return redirect(f"{reverse('annual:report')}?year={found.year}#explanation")
    return _page(
        request,
        form=form,
        report=found,
        note_form=note_form,
        their_note=their_note,
        status=409 if their_note is not None else 400,
    )


@login_required
@require_GET
def export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    check(request, Action.FIGURES_EXPORT)
    if fmt not in exports.FORMATS:
        raise Http404("No such format")
    return _export(request, year=year, fmt=fmt)


# Issue 3, point 3: an export asks the user to prove who they are again if they have
# not done so in the last few minutes.
@require_recent_authentication()
def _export(request: HttpRequest, *, year: int, fmt: str) -> HttpResponse:
    form = YearForm({"year": str(year)}, hint=_year_hint())
    found = _report_for(form)
    if found is None:
        return _page(request, form=form, report=None, status=400)
    note = selectors.note_for(year=found.year, profile_key=found.profile_key)
    made = exports.export(found, note, fmt)
    audit_record(
        actor=request.user,
        action="annual_report.export",
        object_type="annual.report",
        object_id=f"{found.profile_key}:{found.year}",
        detail={
            "year": found.year,
            "profile": found.profile_key,
            "format": fmt,
            "sha256": made.sha256,
            "bytes": len(made.content),
            "via": "page",
        },
        request=request,
    )
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response
