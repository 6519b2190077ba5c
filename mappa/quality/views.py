"""Pages of the case quality audit (J 14.3, 16.1): a case, a meeting, the area.

Each view asks the policy (``Action.QUALITY_VIEW``; a refusal is a 403 with an audit
row, by ``mappa.access.gates.check``), reads the audit, and audits the view. Names and
links are shown only where the viewer may open the record (``display.viewer_for``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mappa.access.gates import check
from mappa.access.policy import Action, nominals_visible_to
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.meetings.models import Meeting
from mappa.quality import display, selectors
from mappa.quality.access import sees_everything
from mappa.quality.forms import PeriodForm, quarter_start
from mappa.register.models import Case


def case_for(request: Any, pk: Any) -> Case:
    """The one way the audit fetches a case: refused (and audited) unless allowed."""
    try:
        case = Case.objects.select_related("nominal").get(pk=pk)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case") from exc
    check(request, Action.QUALITY_VIEW, case, nominal_id=case.nominal_id)
    return case


def meeting_for(request: Any, pk: Any) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("chair").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such meeting") from exc
    check(request, Action.QUALITY_VIEW, meeting)
    return meeting


def visible_items(user: Any, meeting: Meeting) -> Any:
    """The discussions of the meeting this user's audit shows: all of them for the
    co-ordinator, administrators, auditors, the board and the chair; otherwise those
    of cases the user's agency has a part in (``meetings.access.items_visible_to``)."""
    from mappa.meetings.access import items_visible_to, sees_whole_meeting

    if sees_everything(user) or sees_whole_meeting(user, meeting):
        return None
    return items_visible_to(user, meeting)


def case_context(user: Any, case: Case) -> dict[str, Any]:
    audit = selectors.case_audit(case)
    viewer = display.viewer_for(user, [audit])
    rows = display.present(audit, viewer, selectors.agency_names())
    return {"audit": audit, "rows": rows, "viewer": viewer, "today": today()}


@login_required
def case(request: HttpRequest, pk: Any) -> HttpResponse:
    found = case_for(request, pk)
    context = case_context(request.user, found)
    audit_record(
        actor=request.user,
        action="quality.view",
        obj=found,
        nominal_id=found.nominal_id,
        detail={"findings": context["audit"].finding_count},
        request=request,
    )
    return render(request, "quality/case.html", context)


def meeting_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    result = selectors.meeting_audit(meeting, visible_items(user, meeting))
    names = selectors.agency_names()
    viewer = display.viewer_for(user, list(result.cases.values()))
    own: dict[str, list[dict[str, Any]]] = {
        key: [] for key in ("time_limits", "actions", "disclosure", "plans", "attendance")
    }
    for audit in result.own:
        shown = display.present(audit, viewer, names)
        for key, rows in own.items():
            rows.extend({**row, "case": shown["case"]} for row in shown[key])
    cases = [
        {
            "case": display.present(whole, viewer, names)["case"],
            "counts": display.counts(whole),
            "total": whole.finding_count,
        }
        for item in result.items
        if (whole := result.cases.get(item.case_id)) is not None
    ]
    return {
        "meeting": meeting,
        "result": result,
        "own": own,
        "summary": result.own_summary,
        "per_agency": display.agency_rows(selectors.per_agency(result.own, names)),
        "cases": cases,
        "discussions": display.discussion_rows(result.checks, result.cases, viewer, names),
        "meeting_url": viewer.meeting_url(meeting.pk),
        "partial": visible_items(user, meeting) is not None,
    }


def audit_meeting_view(request: Any, meeting: Meeting, result: selectors.MeetingAudit) -> None:
    """One row per person whose case is shown, so each person's trail lists the view."""
    shown = list(result.cases.values())
    for audit in shown:
        audit_record(
            actor=request.user,
            action="quality.view",
            obj=meeting,
            nominal_id=audit.nominal_id,
            detail={"case": audit.reference, "via": "meeting"},
            request=request,
        )
    if not shown:
        audit_record(
            actor=request.user,
            action="quality.view",
            obj=meeting,
            detail={"cases": 0, "via": "meeting"},
            request=request,
        )


@login_required
def meeting(request: HttpRequest, pk: Any) -> HttpResponse:
    found = meeting_for(request, pk)
    context = meeting_context(request.user, found)
    audit_meeting_view(request, found, context["result"])
    return render(request, "quality/meeting.html", context)


def cases_for(user: Any) -> Any:
    """The cases whose audit this user may list, as a query (None: every case)."""
    if sees_everything(user):
        return None
    return Case.objects.filter(nominal_id__in=nominals_visible_to(user).values("pk"))


@login_required
def area(request: HttpRequest) -> HttpResponse:
    check(request, Action.QUALITY_VIEW, None)
    user: Any = request.user
    day = today()
    params = request.GET.copy()
    params.pop("page", None)
    bound = any(key.startswith(("start", "end", "agency")) for key in params)
    form = PeriodForm(params if bound else None, initial={"start": quarter_start(day), "end": day})
    start, end, agency = quarter_start(day), day, None
    rows: list[selectors.AreaRow] = []
    valid = True
    if bound:
        valid = form.is_valid()
        if valid:
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            agency = form.cleaned_data["agency"]
    if valid:
        rows = selectors.area_audit(
            start=start,
            end=end,
            agency_id=agency.pk if agency else None,
            cases=cases_for(user),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    viewer = display.viewer_for(user, [r.audit for r in page.object_list])
    names = selectors.agency_names()
    listed = [
        {"row": r, "case": display.present(r.audit, viewer, names)["case"]}
        for r in page.object_list
    ]
    audit_record(
        actor=request.user,
        action="quality.list",
        detail={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "agency": agency.pk if agency else None,
            "cases": len(rows),
            "page": page.number,
            "valid": valid,
        },
        request=request,
    )
    return render(
        request,
        "quality/area.html",
        {
            "form": form,
            "valid": valid,
            "page": page,
            "listed": listed,
            "count": len(rows),
            "start": start,
            "end": end,
            "agency": agency,
            "per_agency": display.agency_rows(selectors.per_agency([r.audit for r in rows], names)),
            "summary": selectors.summary_text([r.audit for r in rows]),
            "query_string": params.urlencode(),
        },
    )
