"""Pages for the register of requests for minutes (J 5.5) and the executive summary
(J 5.6). Each view: gate (audited refusal) -> form -> one service -> redirect or
render. Every view of case data is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mappa.access.gates import check
from mappa.access.policy import Action, decide
from mappa.accounts.reauth import require_recent_authentication
from mappa.audit.services import audit_record
from mappa.disclosure import forms, selectors, services
from mappa.disclosure.access import sees_full_request
from mappa.disclosure.models import (
    ExecutiveSummary,
    ExecutiveSummaryVersion,
    MinutesRequest,
    RequestDecision,
)
from mappa.disclosure.redaction import NarrativeItem
from mappa.register.forms import apply_service_errors


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _request_for(request: HttpRequest, pk: Any, *, manage: bool = False) -> MinutesRequest:
    """The one way these views fetch a request: refused (and audited) unless allowed."""
    found = selectors.request_detail(pk)
    nominal_id = found.case.nominal_id
    check(request, Action.MINUTES_REQUEST_VIEW, found, nominal_id=nominal_id)
    if manage:
        check(request, Action.MINUTES_REQUEST_MANAGE, found, nominal_id=nominal_id)
    return found


def _summary_for(request: HttpRequest, pk: Any, *, write: bool = False) -> ExecutiveSummary:
    summary = selectors.summary_detail(pk)
    nominal_id = summary.case.nominal_id
    check(request, Action.SUMMARY_VIEW, summary, nominal_id=nominal_id)
    if write:
        check(request, Action.SUMMARY_WRITE, summary, nominal_id=nominal_id)
    return summary


def _audit_view(
    request: HttpRequest, obj: Any, nominal_id: Any, action: str, **detail: Any
) -> None:
    audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        nominal_id=nominal_id,
        detail=detail,
        request=request,
    )


# The register of requests ------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    check(request, Action.MINUTES_REQUEST_LIST)
    form = forms.FilterForm(request.GET or None)
    status = requester_type = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        requester_type = form.cleaned_data["requester_type"]
    queryset = selectors.request_list(request.user, status=status, requester_type=requester_type)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="minutes_request.list",
        detail={"status": status, "requester_type": requester_type, "count": page.paginator.count},
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "can_record": bool(decide(request.user, Action.MINUTES_REQUEST_RECORD)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_record(request: HttpRequest) -> HttpResponse:
    check(request, Action.MINUTES_REQUEST_RECORD)
    form = forms.RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case, identified_by = selectors.find_case(form.cleaned_data["case_reference"])
        if case is None:
            form.add_error(
                "case_reference",
                "There is no case or record with this reference. Check it with the requester "
                "or the co-ordinator",
            )
        else:
            check(request, Action.MINUTES_REQUEST_RECORD, case, nominal_id=case.nominal_id)
            try:
                found = services.minutes_request_record(
                    actor=request.user,
                    case=case,
                    identified_by=identified_by,
                    requester_name=form.cleaned_data["requester_name"],
                    requester_type=form.cleaned_data["requester_type"],
                    asked=form.cleaned_data["asked"],
                    received_on=form.cleaned_data["received_on"],
                    notes=form.cleaned_data["notes"],
                    request=request,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Request {found.reference} has been recorded. The co-ordinator and the "
                    "chair of the case's last meeting have been told.",
                )
                return redirect("disclosure:detail", pk=found.pk)
    return render(request, "disclosure/record.html", {"form": form})


def _summary_context(user: Any, found: MinutesRequest) -> dict[str, Any]:
    summary = selectors.summary_for_case(found.case)
    may_view = summary is not None and bool(decide(user, Action.SUMMARY_VIEW, summary))
    return {
        "summary": summary if may_view else None,
        "versions": selectors.versions_of(summary) if summary is not None and may_view else [],
        "can_write_summary": bool(decide(user, Action.SUMMARY_WRITE, found.case)),
    }


@login_required
def request_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    found = _request_for(request, pk)
    full = sees_full_request(request.user, found)
    can_manage = bool(decide(request.user, Action.MINUTES_REQUEST_MANAGE, found))
    can_open_case = bool(decide(request.user, Action.NOMINAL_VIEW, found.case.nominal))
    _audit_view(
        request,
        found,
        found.case.nominal_id,
        "minutes_request.view",
        reference=found.reference,
        full=full,
    )
    context: dict[str, Any] = {
        "found": found,
        "full": full,
        "can_manage": can_manage,
        "can_open_case": can_open_case,
        "routings": list(found.routings.all()),
        "decision_labels": dict(RequestDecision.choices),
    }
    if full:
        context.update(_summary_context(request.user, found))
    return render(request, "disclosure/detail.html", context)


def _step(
    request: HttpRequest,
    pk: Any,
    form_class: type[Any],
    template: str,
    apply: Any,
    success: str,
    *,
    form_kwargs: Any = None,
    extra: Any = None,
) -> HttpResponse:
    """One step of the request (clarify, route, decide, release): the same shape each time."""
    found = _request_for(request, pk, manage=True)
    kwargs = form_kwargs(found) if callable(form_kwargs) else (form_kwargs or {})
    form = form_class(request.POST or None, initial={"version": found.version}, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            apply(found, form)
        except services.StaleError as exc:
            form.add_error(None, " ".join(exc.messages))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("disclosure:detail", pk=found.pk)
    elif request.method == "GET":
        _audit_view(request, found, found.case.nominal_id, "minutes_request.view", step=template)
    context = {"found": found, "form": form, "version": found.version}
    context.update(extra(found) if callable(extra) else (extra or {}))
    return render(request, f"disclosure/{template}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_clarify(request: HttpRequest, pk: Any) -> HttpResponse:
    def apply(found: MinutesRequest, form: Any) -> None:
        services.minutes_request_clarify(
            actor=request.user,
            minutes_request=found,
            sought=form.cleaned_data["sought"],
            minutes_sought=form.cleaned_data["minutes_sought"],
            channel=form.cleaned_data["channel"],
            clarified_on=form.cleaned_data["clarified_on"],
            expected_version=_int(form.cleaned_data.get("version")),
            request=request,
        )

    return _step(
        request, pk, forms.ClarifyForm, "clarify", apply, "The clarification has been recorded"
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_route(request: HttpRequest, pk: Any) -> HttpResponse:
    def apply(found: MinutesRequest, form: Any) -> None:
        services.minutes_request_route(
            actor=request.user,
            minutes_request=found,
            agencies=list(form.cleaned_data["agencies"]),
            what=form.cleaned_data["what"],
            routed_on=form.cleaned_data["routed_on"],
            expected_version=_int(form.cleaned_data.get("version")),
            request=request,
        )

    return _step(
        request,
        pk,
        forms.RouteForm,
        "route",
        apply,
        "The routing has been recorded",
        extra=lambda found: {"routings": list(found.routings.all())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_decide(request: HttpRequest, pk: Any) -> HttpResponse:
    def apply(found: MinutesRequest, form: Any) -> None:
        services.minutes_request_decide(
            actor=request.user,
            minutes_request=found,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            expected_version=_int(form.cleaned_data.get("version")),
            request=request,
        )

    return _step(
        request,
        pk,
        forms.DecideForm,
        "decide",
        apply,
        "The decision has been recorded",
        extra=lambda found: _summary_context(request.user, found),
    )


@login_required
@require_recent_authentication()
@require_http_methods(["GET", "POST"])
def request_release(request: HttpRequest, pk: Any) -> HttpResponse:
    """What was sent, and when (a disclosure: re-authentication first)."""

    def versions(found: MinutesRequest) -> list[ExecutiveSummaryVersion]:
        summary = selectors.summary_for_case(found.case)
        return selectors.versions_of(summary) if summary is not None else []

    def apply(found: MinutesRequest, form: Any) -> None:
        services.minutes_request_release(
            actor=request.user,
            minutes_request=found,
            version=form.chosen_version(),
            description=form.cleaned_data["description"],
            released_on=form.cleaned_data["released_on"],
            expected_version=_int(form.cleaned_data.get("version")),
            request=request,
        )

    return _step(
        request,
        pk,
        forms.ReleaseForm,
        "release",
        apply,
        "What was sent has been recorded and the request is closed",
        form_kwargs=lambda found: {"versions": versions(found)},
        extra=lambda found: {"decision_label": dict(RequestDecision.choices).get(found.decision)},
    )


# The executive summary --------------------------------------------------------------


@login_required
@require_POST
def summary_start(request: HttpRequest, pk: Any) -> HttpResponse:
    """Draft the case's executive summary (or open the one it has) from a request."""
    found = _request_for(request, pk, manage=True)
    check(request, Action.SUMMARY_WRITE, found.case, nominal_id=found.case.nominal_id)
    summary = services.executive_summary_start(actor=request.user, case=found.case, request=request)
    return redirect("disclosure:summary", pk=summary.pk)


def _rows(content: dict[str, Any], items: list[NarrativeItem]) -> list[dict[str, Any]]:
    """Each section of the draft for the side-by-side review."""
    by_path = {item.path: item for item in items}
    sections = []
    for s_index, section in enumerate(content.get("sections", [])):
        rows = []
        for f_index, field in enumerate(section.get("fields", [])):
            item = by_path.get(f"s{s_index}.f{f_index}")
            rows.append({"label": field["label"], "value": field["value"], "item": item})
        for t_index, table in enumerate(section.get("tables", [])):
            for r_index, row in enumerate(table.get("rows", [])):
                for c_index in table.get("narrative", []):
                    item = by_path.get(f"s{s_index}.t{t_index}.r{r_index}.c{c_index}")
                    if item is not None:
                        rows.append({"label": item.label, "value": row[c_index], "item": item})
        sections.append({**section, "rows": rows})
    return sections


def _summary_page(
    request: HttpRequest,
    summary: ExecutiveSummary,
    redact_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    content, items = services.redacted(summary)
    can_write = bool(decide(request.user, Action.SUMMARY_WRITE, summary))
    requests = list(
        selectors.requests_visible_to(request.user)
        .filter(case=summary.case)
        .order_by("-received_on", "-created_at")
    )
    redactions = [(item, r) for item in items for r in item.result.redactions]
    return render(
        request,
        "disclosure/summary.html",
        {
            "summary": summary,
            "case": summary.case,
            "sections": _rows(content, items),
            "redactions": redactions,
            "manual": list(enumerate(summary.manual_redactions)),
            "can_write": can_write,
            "redact_form": redact_form or forms.RedactForm(initial={"version": summary.version}),
            "versions": selectors.versions_of(summary),
            "requests": requests,
        },
        status=status,
    )


@login_required
def summary_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    summary = _summary_for(request, pk)
    _audit_view(
        request,
        summary,
        summary.case.nominal_id,
        "summary.view",
        case=summary.case.reference,
        status=summary.status,
    )
    return _summary_page(request, summary)


@login_required
@require_POST
def summary_redact(request: HttpRequest, pk: Any) -> HttpResponse:
    summary = _summary_for(request, pk, write=True)
    form = forms.RedactForm(request.POST)
    if form.is_valid():
        try:
            services.executive_summary_add_redaction(
                actor=request.user,
                summary=summary,
                phrase=form.cleaned_data["phrase"],
                replacement=form.cleaned_data["replacement"],
                expected_version=_int(form.cleaned_data.get("version")),
                request=request,
            )
        except services.StaleError as exc:
            form.add_error(None, " ".join(exc.messages))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The words have been redacted")
            return redirect("disclosure:summary", pk=summary.pk)
    summary.refresh_from_db()
    return _summary_page(request, summary, redact_form=form)


def _post_and_back(
    request: HttpRequest, summary: ExecutiveSummary, do: Any, success: str
) -> HttpResponse:
    try:
        do()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("disclosure:summary", pk=summary.pk)


@login_required
@require_POST
def summary_unredact(request: HttpRequest, pk: Any, index: int) -> HttpResponse:
    summary = _summary_for(request, pk, write=True)
    return _post_and_back(
        request,
        summary,
        lambda: services.executive_summary_remove_redaction(
            actor=request.user,
            summary=summary,
            index=index,
            expected_version=_int(request.POST.get("version")),
            request=request,
        ),
        "The redaction added by hand has been removed",
    )


@login_required
@require_POST
def summary_redraft(request: HttpRequest, pk: Any) -> HttpResponse:
    summary = _summary_for(request, pk, write=True)
    return _post_and_back(
        request,
        summary,
        lambda: services.executive_summary_redraft(
            actor=request.user,
            summary=summary,
            expected_version=_int(request.POST.get("version")),
            request=request,
        ),
        "The summary has been drafted again from the records, with your redactions",
    )


@login_required
@require_recent_authentication()
@require_http_methods(["GET", "POST"])
def summary_finalise(request: HttpRequest, pk: Any) -> HttpResponse:
    """A confirmation page, then the immutable version (a disclosure record:
    re-authentication first)."""
    summary = _summary_for(request, pk, write=True)
    error = ""
    if request.method == "POST":
        try:
            version = services.executive_summary_finalise(
                actor=request.user,
                summary=summary,
                expected_version=_int(request.POST.get("version")),
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Version {version.number} has been finalised")
            return redirect("disclosure:version", pk=version.pk)
    content, items = services.redacted(summary)
    return render(
        request,
        "disclosure/finalise.html",
        {
            "summary": summary,
            "case": summary.case,
            "error": error,
            "redaction_count": sum(len(i.result.redactions) for i in items),
            "next_number": (summary.versions.count() + 1),
        },
        status=400 if error else 200,
    )


@login_required
def summary_versions(request: HttpRequest, pk: Any) -> HttpResponse:
    summary = _summary_for(request, pk)
    versions = selectors.versions_of(summary)
    _audit_view(request, summary, summary.case.nominal_id, "summary.versions", count=len(versions))
    return render(
        request,
        "disclosure/versions.html",
        {"summary": summary, "case": summary.case, "versions": versions},
    )


@login_required
def version_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    version = selectors.version_detail(pk)
    summary = version.summary
    check(request, Action.SUMMARY_VIEW, version, nominal_id=summary.case.nominal_id)
    _audit_view(
        request,
        version,
        summary.case.nominal_id,
        "summary.version_view",
        number=version.number,
        sha256=version.sha256,
    )
    return render(
        request,
        "disclosure/version.html",
        {
            "version": version,
            "summary": summary,
            "case": summary.case,
            "content": version.content,
        },
    )
