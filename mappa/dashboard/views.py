"""The performance dashboard (issue 6, point 2), its drill-down lists, and the
dashboard and quarterly SMB pack exports (point 7).

Every page asks the policy for FIGURES_VIEW (the board, the co-ordinator,
administrators and auditors, J 15); exports ask FIGURES_EXPORT after the user has
confirmed who they are. Every page and export is written to the audit trail. Lists
name a person, and link to their record, only where the viewer may open it: an SMB
member sees case references, the co-ordinator names (decisions.md, "KPI output").
"""

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from mappa.access.gates import check
from mappa.access.models import Agency
from mappa.access.policy import Action, decide
from mappa.accounts.reauth import require_recent_authentication
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.compliance.items import KIND_LABELS
from mappa.dashboard import exports, figures, selectors
from mappa.dashboard.forms import PackForm, Period, PeriodForm
from mappa.kpis.engine import PeriodError
from mappa.profiles.selectors import current_profile
from mappa.register.models import Category

PAGE_SIZE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _audit_view(request: HttpRequest, page: str, **detail: Any) -> None:
    audit_record(
        actor=request.user,
        action="dashboard.view",
        detail={"page": page, **detail},
        request=request,
    )


def _period_form(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET if request.GET else None, today=today())


def _agencies() -> list[Agency]:
    return list(Agency.objects.filter(active=True))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    form = _period_form(request)
    board = None
    if not form.is_bound or form.is_valid():
        period = form.period()
        try:
            board = figures.dashboard(period, today())
        except PeriodError as exc:
            form.add_error(None, str(exc))
    _audit_view(
        request,
        "dashboard",
        **(board.period.as_audit() if board else {"invalid": sorted(form.errors)}),
    )
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "board": board,
            "period": board.period if board else None,
            "can_export": bool(decide(request.user, Action.FIGURES_EXPORT)),
            "amber_points": selectors.AMBER_POINTS,
            "kind_labels": {str(k): v for k, v in KIND_LABELS.items()},
        },
    )


@login_required
@require_GET
def kpi(request: HttpRequest, kpi_id: str) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    definition = current_profile(today()).kpi(kpi_id)
    if definition is None:
        raise Http404("No such KPI")
    form = _period_form(request)
    result = None
    period: Period | None = None
    if not form.is_bound or form.is_valid():
        period = form.period()
        try:
            result = selectors.kpi_result(kpi_id, period.start, period.end, period.agency_id)
        except PeriodError as exc:
            form.add_error(None, str(exc))
    rows: list[dict[str, Any]] = []
    card = None
    if result is not None:
        names = selectors.visible_names(request.user, (i.nominal_id for i in result.failing))
        for item in result.failing:
            rows.append({"item": item, "name": names.get(item.nominal_id, "")})
        card = figures.KpiCard(result, selectors.rate(result), [], SafeString(""))
    _audit_view(
        request,
        "kpi",
        kpi=kpi_id,
        items=len(rows),
        named=sum(1 for r in rows if r["name"]),
        **(period.as_audit() if period and result else {"invalid": sorted(form.errors)}),
    )
    return render(
        request,
        "dashboard/kpi.html",
        {
            "definition": definition,
            "form": form,
            "result": result,
            "card": card,
            "rows": rows,
            "columns": figures.failing_columns(result) if result else {},
            "period": period if result else None,
        },
    )


def _choice(value: str, allowed: set[str]) -> str:
    if value not in allowed:
        raise Http404("No such list")
    return value


@login_required
@require_GET
def population(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    status = _choice(request.GET.get("status", ""), {s for s, _ in selectors.STATUSES})
    category = _choice(request.GET.get("category", ""), set(Category.values))
    level_text = _choice(request.GET.get("level", ""), {"", *map(str, selectors.LEVELS)})
    level = int(level_text) if level_text else None
    agency = _agency_param(request)
    states = selectors.population_cases(status, category, level, agency.pk if agency else None)
    page = Paginator(states, PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.visible_names(request.user, (s.case.nominal_id for s in page.object_list))
    rows = [{"state": s, "name": names.get(s.case.nominal_id, "")} for s in page.object_list]
    _audit_view(
        request,
        "population",
        status=status,
        category=category,
        level=level,
        agency=agency.pk if agency else None,
        cases=page.paginator.count,
        named=len(names),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/population.html",
        {
            "rows": rows,
            "page": page,
            "query_string": query.urlencode(),
            "status_label": dict(selectors.STATUSES)[status],
            "category_label": selectors.CATEGORY_SHORT[category],
            "level": level,
            "agency": agency,
            "as_of": today(),
        },
    )


def _agency_param(request: HttpRequest) -> Agency | None:
    value = request.GET.get("agency", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such agency")
    agency = Agency.objects.filter(pk=int(value)).first()
    if agency is None:
        raise Http404("No such agency")
    return agency


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_VIEW)
    kind = _choice(request.GET.get("kind", ""), {"", *map(str, KIND_LABELS)})
    state = _choice(request.GET.get("state", ""), {"", *selectors.OUTSTANDING})
    no_agency = request.GET.get("agency") == "none"
    agency = None if no_agency else _agency_param(request)
    as_of = today()
    items = selectors.due_items(
        as_of,
        agency_id=agency.pk if agency else None,
        no_agency=no_agency,
        kind=kind,
        state=state,
    )
    names = selectors.visible_names(request.user, (e.item.nominal_id for e in items))
    agencies = selectors.agency_names(e.item.agency_id for e in items)
    rows = [
        {
            "e": e,
            "name": names.get(e.item.nominal_id, ""),
            "agency": agencies.get(e.item.agency_id or 0, "No agency recorded"),
        }
        for e in items
    ]
    worklist = ""
    if decide(request.user, Action.REGISTER_LIST):
        query = {"kind": kind, "state": state}
        if agency:
            query["agency"] = str(agency.pk)
        worklist = (
            reverse("compliance:worklist")
            + "?"
            + "&".join(f"{k}={v}" for k, v in query.items() if v)
        )
    _audit_view(
        request,
        "due",
        kind=kind,
        state=state,
        agency="none" if no_agency else (agency.pk if agency else None),
        items=len(rows),
        named=len(names),
    )
    return render(
        request,
        "dashboard/due.html",
        {
            "rows": rows,
            "kind_label": KIND_LABELS.get(kind, "") if kind else "",  # type: ignore[call-overload]
            "state_label": selectors.STATE_LABELS.get(state, ""),
            "agency": agency,
            "no_agency": no_agency,
            "as_of": as_of,
            "worklist": worklist,
        },
    )


# Exports -------------------------------------------------------------------------------


def _download(
    request: HttpRequest, *, action: str, content: bytes, fmt: str, name: str, **detail: Any
) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=action,
        detail={
            "format": fmt,
            "sha256": hashlib.sha256(content).hexdigest(),
            "bytes": len(content),
            **detail,
        },
        request=request,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _export_dashboard(request: HttpRequest, fmt: str) -> HttpResponse:
    check(request, Action.FIGURES_EXPORT)
    form = _period_form(request)
    if form.is_bound and not form.is_valid():
        # The dashboard shows the same errors, on the fields.
        return HttpResponseRedirect(f"{reverse('dashboard:index')}?{request.GET.urlencode()}")
    period = form.period()
    try:
        board = figures.dashboard(period, today())
    except PeriodError:
        return HttpResponseRedirect(f"{reverse('dashboard:index')}?{request.GET.urlencode()}")
    if fmt == "pdf":
        content = exports.dashboard_pdf(board, request)
    else:
        content = exports.dashboard_xlsx(board)
    return _download(
        request,
        action="dashboard.export",
        content=content,
        fmt=fmt,
        name=f"mappa-dashboard-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}",
        **period.as_audit(),
    )


@login_required
@require_GET
@require_recent_authentication()
def export_pdf(request: HttpRequest) -> HttpResponse:
    return _export_dashboard(request, "pdf")


@login_required
@require_GET
@require_recent_authentication()
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export_dashboard(request, "xlsx")


@login_required
@require_GET
def smb_pack(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_EXPORT)
    _audit_view(request, "smb_pack")
    return render(request, "dashboard/smb_pack.html", {"form": PackForm(today=today())})


@login_required
@require_GET
@require_recent_authentication()
def smb_pack_download(request: HttpRequest) -> HttpResponse:
    check(request, Action.FIGURES_EXPORT)
    form = PackForm(request.GET, today=today())
    if not form.is_valid():
        _audit_view(request, "smb_pack", invalid=sorted(form.errors))
        return render(request, "dashboard/smb_pack.html", {"form": form})
    quarter = form.chosen()
    try:
        board_pack = figures.pack(quarter, today())
    except PeriodError as exc:
        form.add_error("quarter", str(exc))
        return render(request, "dashboard/smb_pack.html", {"form": form})
    fmt = form.cleaned_data["format"]
    if fmt == "pdf":
        content = exports.pack_pdf(board_pack, request)
    else:
        content = exports.pack_xlsx(board_pack)
    return _download(
        request,
        action="dashboard.smb_pack_export",
        content=content,
        fmt=fmt,
        name=f"mappa-smb-pack-{quarter.key}",
        quarter=quarter.key,
        **{"from": board_pack.start.isoformat(), "to": board_pack.end.isoformat()},
    )
