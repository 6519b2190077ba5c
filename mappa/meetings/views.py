"""Pages for panel days, meetings, agendas, invitations and attendance.

Every view asks ``mappa.meetings.access.check`` first (refusals audited), then one form
and one service. Viewing a meeting is audited with the cases it showed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mappa.access.gates import nominal_get_for_user
from mappa.access.policy import Action, decide
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.meetings import access, selectors, services
from mappa.meetings.access import MeetingAction
from mappa.meetings.forms import (
    AgendaAddForm,
    AttendanceForm,
    GenerateForm,
    InvitationForm,
    ItemTimeForm,
    MeetingChangeForm,
    MeetingForm,
    ReasonForm,
    ScheduleForm,
    StandingMemberForm,
    WrittenInformationForm,
)
from mappa.meetings.models import (
    GRADE_GUIDANCE,
    AgendaItem,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    PanelSchedule,
    StandingMember,
)
from mappa.profiles.calendar import add_months
from mappa.register.forms import apply_service_errors
from mappa.register.models import Case, CaseState


def _meeting(request: HttpRequest, pk: Any, action: MeetingAction) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("chair", "schedule").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such meeting") from exc
    access.check(request, action, meeting)
    return meeting


def _item(request: HttpRequest, meeting: Meeting, item_pk: Any) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("case", "case__nominal", "meeting").get(
            pk=item_pk, meeting=meeting
        )
    except (AgendaItem.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case on this agenda") from exc


def _message_for(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Panel days --------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """J 10.6: the level 2 and 3 panel days for the coming months, with the cases due."""
    access.check(request, MeetingAction.LIST)
    try:
        months = max(1, min(int(request.GET.get("months", 3)), 12))
    except ValueError:
        months = 3
    start = today()
    end = add_months(start, months)
    manage = bool(access.decide(request.user, MeetingAction.MANAGE))
    if manage or access.sees_whole_meeting(request.user, None):
        days, unplaced = selectors.panel_days(start, end)
    else:
        visible = access.meetings_visible_to(request.user).filter(date__gte=start, date__lte=end)
        days = [
            selectors.PanelDay(meeting=m, agenda_count=0, proposed=[], holiday=None)
            for m in visible.select_related("chair").order_by("date", "start_time")
        ]
        unplaced = []
    past = (
        access.meetings_visible_to(request.user)
        .filter(date__lt=start)
        .select_related("chair")
        .order_by("-date")[:12]
    )
    names = bool(decide(request.user, Action.REGISTER_LIST)) and access.sees_whole_meeting(
        request.user, None
    )
    return render(
        request,
        "meetings/list.html",
        {
            "level2": [d for d in days if d.meeting.level == 2],
            "level3": [d for d in days if d.meeting.level == 3],
            "unplaced": unplaced,
            "past": list(past),
            "months": months,
            "month_choices": [1, 3, 6, 12],
            "end": end,
            "can_manage": manage,
            "show_names": names,
        },
    )


# Schedule and standing members --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    access.check(request, MeetingAction.MANAGE)
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.meetings_generate(
                actor=request.user, months=form.cleaned_data["months"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, f"{len(created)} meetings have been added")
            else:
                messages.info(request, "Every meeting for those months was already there")
            return redirect("meetings:list")
    return render(
        request,
        "meetings/schedule.html",
        {
            "form": form,
            "schedules": list(selectors.schedules()),
            "members": list(selectors.standing_members()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.check(request, MeetingAction.MANAGE)
    instance = None
    if pk is not None:
        instance = PanelSchedule.objects.filter(pk=pk).first()
        if instance is None:
            raise Http404("No such schedule")
    initial: dict[str, Any] = {"active": True}
    if instance is not None:
        initial = {
            "level": instance.level,
            "week_of_month": instance.week_of_month,
            "weekday": instance.weekday,
            "start_time": instance.start_time,
            "end_time": instance.end_time,
            "venue": instance.venue,
            "video_link": instance.video_link,
            "chair": instance.chair_id,
            "active": instance.active,
        }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_schedule_save(
                actor=request.user, schedule=instance, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The panel schedule has been saved")
            return redirect("meetings:schedule")
    return render(request, "meetings/schedule_form.html", {"form": form, "instance": instance})


@login_required
@require_http_methods(["GET", "POST"])
def standing_member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.check(request, MeetingAction.MANAGE)
    member = None
    if pk is not None:
        member = StandingMember.objects.select_related("contact", "agency").filter(pk=pk).first()
        if member is None:
            raise Http404("No such standing member")
    initial: dict[str, Any] = {"active": True}
    if member is not None:
        initial = {
            "level": member.level,
            "contact": member.contact_id,
            "minimum_grade": member.minimum_grade,
            "active": member.active,
        }
    form = StandingMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grade = data["minimum_grade"].strip()
        if not grade and data.get("contact") is not None:
            grade = GRADE_GUIDANCE.get((data["contact"].agency.kind, data["level"]), "")
        try:
            services.standing_member_save(
                actor=request.user,
                member=member,
                level=data["level"],
                contact=data["contact"],
                minimum_grade=grade,
                active=data["active"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The standing member has been saved")
            return redirect("meetings:schedule")
    return render(
        request,
        "meetings/standing_member_form.html",
        {"form": form, "member": member, "guidance": sorted(GRADE_GUIDANCE.items())},
    )


# Meetings -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest) -> HttpResponse:
    """An emergency meeting, optionally for one case (from "no meeting fits")."""
    access.check(request, MeetingAction.MANAGE)
    case = None
    case_pk = request.GET.get("case") or request.POST.get("case")
    if case_pk:
        case = Case.objects.select_related("nominal").filter(pk=case_pk).first()
        if case is None:
            raise Http404("No such case")
    initial: dict[str, Any] = {}
    if request.GET.get("level") in ("2", "3"):
        initial["level"] = int(request.GET["level"])
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The emergency meeting has been added")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "case": case})


@login_required
def meeting_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.VIEW)
    user = request.user
    whole = access.sees_whole_meeting(user, meeting)
    visible = access.items_visible_to(user, meeting)
    items = selectors.meeting_agenda(meeting, visible)
    manage = bool(access.decide(user, MeetingAction.MANAGE, meeting))
    attendance = bool(access.decide(user, MeetingAction.ATTENDANCE, meeting))
    invitations = selectors.meeting_invitations(meeting)
    if not whole:
        shown = {i.pk for i in items}
        invitations = [
            i for i in invitations if i.agenda_item_id is None or i.agenda_item_id in shown
        ]
    services.meeting_view_audit(actor=user, meeting=meeting, items=items, request=request)
    pending = selectors.delivery_pending(meeting) if manage else []
    failed = [i for i in pending if i.attempts and i.last_error]
    written = {i.pk: bool(access.decide(user, MeetingAction.WRITTEN_INFORMATION, i)) for i in items}
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "items": items,
            "whole": whole,
            "withdrawn": selectors.withdrawn_items(meeting) if whole else [],
            "proposals": selectors.proposals_for(meeting) if manage else [],
            "invitations": invitations,
            "proposed_count": sum(1 for i in invitations if i.status == InvitationStatus.PROPOSED),
            "pending": pending,
            "failed": failed,
            "holiday": selectors.holiday_of(meeting),
            "can_manage": manage and meeting.is_planned,
            "can_record": attendance and not meeting.is_cancelled and meeting.date <= today(),
            "can_write": written,
            "add_form": AgendaAddForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    form = MeetingChangeForm(
        request.POST or None,
        initial={
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "venue": meeting.venue,
            "video_link": meeting.video_link,
            "chair": meeting.chair_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been changed")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_change.html", {"form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    form = ReasonForm(request.POST or None, label="Why is the meeting cancelled?")
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been cancelled")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/reason.html",
        {
            "form": form,
            "meeting": meeting,
            "title": "Cancel the meeting",
            "button": "Cancel the meeting",
            "warning": "Everyone sent an invitation will be sent a cancellation. The cases on "
            "its agenda become due again and are proposed for the next meeting.",
        },
    )


# The agenda -----------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    case = None
    if request.POST.get("case"):
        case = Case.objects.filter(pk=request.POST["case"]).first()
    else:
        form = AgendaAddForm(request.POST)
        if form.is_valid():
            reference = form.cleaned_data["reference"].strip().upper()
            case = Case.objects.filter(reference=reference).first()
            if case is None:
                messages.error(request, f"There is no case with the reference {reference}")
                return redirect("meetings:detail", pk=meeting.pk)
        else:
            messages.error(request, "Enter the case reference")
            return redirect("meetings:detail", pk=meeting.pk)
    if case is None:
        raise Http404("No such case")
    try:
        services.agenda_item_add(actor=request.user, meeting=meeting, case=case, request=request)
    except ValidationError as exc:
        messages.error(request, _message_for(exc))
    else:
        messages.success(request, f"Case {case.reference} has been added to the agenda")
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_remove(request: HttpRequest, pk: Any, item: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    agenda_item = _item(request, meeting, item)
    form = ReasonForm(request.POST or None, label="Why is the case taken off the agenda?")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_remove(
                actor=request.user,
                item=agenda_item,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Case {agenda_item.case.reference} has been taken off the agenda"
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/reason.html",
        {
            "form": form,
            "meeting": meeting,
            "title": f"Take case {agenda_item.case.reference} off the agenda",
            "button": "Take it off the agenda",
            "warning": "Invitations for this case are withdrawn; anyone already invited is told. "
            "The case is proposed again for a later meeting.",
        },
    )


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: Any, item: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    agenda_item = _item(request, meeting, item)
    try:
        services.agenda_item_move(
            actor=request.user,
            item=agenda_item,
            direction=request.POST.get("direction", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _message_for(exc))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_time(request: HttpRequest, pk: Any, item: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    agenda_item = _item(request, meeting, item)
    form = ItemTimeForm(request.POST or None, initial={"start_time": agenda_item.start_time})
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_set_time(
                actor=request.user,
                item=agenda_item,
                start_time=form.cleaned_data["start_time"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The expected time has been saved")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/item_time.html",
        {"form": form, "meeting": meeting, "item": agenda_item},
    )


# Invitations --------------------------------------------------------------------------


@login_required
@require_POST
def invitations_propose(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    try:
        result = services.invitations_propose(actor=request.user, meeting=meeting, request=request)
    except ValidationError as exc:
        messages.error(request, _message_for(exc))
        return redirect("meetings:detail", pk=meeting.pk)
    for refusal in result.refused:
        messages.error(request, refusal)
    for note in result.notes:
        messages.info(request, note)
    if result.created:
        messages.success(
            request,
            f"{len(result.created)} invitations proposed: check them, then confirm",
        )
    elif not result.refused:
        messages.info(request, "No one new to propose")
    return redirect(f"{meeting.get_absolute_url()}#invitations")


@login_required
@require_POST
def invitations_confirm(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    chosen = request.POST.getlist("invitation")
    selected = (
        list(Invitation.objects.filter(meeting=meeting, pk__in=chosen))
        if chosen and "all" not in request.POST
        else None
    )
    try:
        confirmed = services.invitations_confirm(
            actor=request.user, meeting=meeting, invitations=selected, request=request
        )
    except ValidationError as exc:
        messages.error(request, _message_for(exc))
    else:
        messages.success(request, f"{len(confirmed)} invitations confirmed")
    return redirect(f"{meeting.get_absolute_url()}#invitations")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_add(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    items = selectors.meeting_agenda(meeting)
    form = InvitationForm(
        request.POST or None, items=items, initial={"agenda_item": request.GET.get("item", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_add(
                actor=request.user,
                meeting=meeting,
                agenda_item=form.chosen_item(),
                agency=data.get("agency"),
                contact=data.get("contact"),
                name=data.get("name") or "",
                email=data.get("email") or "",
                role=data.get("role") or "",
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The invitation has been added and confirmed")
            return redirect(f"{meeting.get_absolute_url()}#invitations")
    return render(request, "meetings/invitation_form.html", {"form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request: HttpRequest, pk: Any, invitation: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    found = (
        Invitation.objects.filter(meeting=meeting, pk=invitation).select_related("agency").first()
    )
    if found is None:
        raise Http404("No such invitation")
    form = ReasonForm(request.POST or None, label="Why is the invitation withdrawn?")
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_cancel(
                actor=request.user,
                invitation=found,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The invitation to {found.name} has been withdrawn")
            return redirect(f"{meeting.get_absolute_url()}#invitations")
    return render(
        request,
        "meetings/reason.html",
        {
            "form": form,
            "meeting": meeting,
            "title": f"Withdraw the invitation to {found.name}",
            "button": "Withdraw the invitation",
            "warning": "If the invitation has been sent, they will be sent a cancellation.",
        },
    )


@login_required
@require_POST
def invitations_send(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.MANAGE)
    try:
        count = services.invitations_send(actor=request.user, meeting=meeting, request=request)
    except ValidationError as exc:
        messages.error(request, _message_for(exc))
    else:
        messages.success(
            request,
            f"{count} invitations are being sent. This page shows any that could not be sent.",
        )
    return redirect(f"{meeting.get_absolute_url()}#invitations")


# Attendance and written information ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: Any, item: Any) -> HttpResponse:
    meeting = _meeting(request, pk, MeetingAction.ATTENDANCE)
    agenda_item = _item(request, meeting, item)
    agencies = services.invited_agencies(agenda_item)
    recorded = {a.agency_id: a for a in agenda_item.attendance.all()}
    initial: dict[str, Any] = {
        "discussed": "yes" if agenda_item.discussed or not recorded else "no"
    }
    for agency in agencies:
        record = recorded.get(agency.pk)
        if record is not None:
            initial[f"agency_{agency.pk}_status"] = record.status
            initial[f"agency_{agency.pk}_representative"] = record.representative
            initial[f"agency_{agency.pk}_grade"] = record.grade
    form = AttendanceForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = [
            services.AttendanceRow(
                agency=agency,
                status=data.get(f"agency_{agency.pk}_status") or "",
                representative=data.get(f"agency_{agency.pk}_representative") or "",
                grade=data.get(f"agency_{agency.pk}_grade") or "",
            )
            for agency in agencies
        ]
        try:
            services.attendance_record(
                actor=request.user,
                item=agenda_item,
                rows=[r for r in rows if r.status],
                discussed=bool(data["discussed"]),
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Attendance for case {agenda_item.case.reference} has been saved"
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "form": form,
            "meeting": meeting,
            "item": agenda_item,
            "rows": form.rows(),
            "not_open": meeting.date > today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_information(request: HttpRequest, pk: Any, item: Any) -> HttpResponse:
    try:
        meeting = Meeting.objects.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such meeting") from exc
    agenda_item = _item(request, meeting, item)
    access.check(request, MeetingAction.WRITTEN_INFORMATION, agenda_item)
    form = WrittenInformationForm(request.POST or None, initial={"received_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.written_information_add(
                actor=request.user,
                item=agenda_item,
                received_on=form.cleaned_data["received_on"],
                summary=form.cleaned_data["summary"] or "",
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The written information has been added for the meeting")
            if access.decide(request.user, MeetingAction.VIEW, meeting):
                return redirect("meetings:detail", pk=meeting.pk)
            return redirect("meetings:case", pk=agenda_item.case_id)
    audit_record(
        actor=request.user,
        action="meeting.item_view",
        obj=agenda_item,
        nominal_id=agenda_item.case.nominal_id,
        request=request,
    )
    return render(
        request,
        "meetings/written_information.html",
        {
            "form": form,
            "meeting": meeting,
            "item": agenda_item,
            "notes": list(agenda_item.written_information.select_related("recorded_by")),
        },
    )


# One case's discussions --------------------------------------------------------------------


@login_required
def case_discussions(request: HttpRequest, pk: Any) -> HttpResponse:
    """Every meeting a case was (or is) on, for anyone who may open the record."""
    try:
        case = Case.objects.select_related("nominal").get(pk=pk)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case") from exc
    nominal = nominal_get_for_user(request, case.nominal_id)
    discussions = list(selectors.case_discussions(case).prefetch_related("attendance__agency"))
    audit_record(
        actor=request.user,
        action="meeting.case_view",
        obj=case,
        nominal_id=case.nominal_id,
        request=request,
    )
    visible = set(access.meetings_visible_to(request.user).values_list("pk", flat=True))
    state = CaseState.objects.filter(case=case, effective_to__isnull=True).first()
    clock = (
        selectors.clock_for_case(case, state.level, as_of=today())
        if state is not None and state.level in selectors.MULTI_AGENCY_LEVELS and case.is_open
        else None
    )
    return render(
        request,
        "meetings/case.html",
        {
            "case": case,
            "nominal": nominal,
            "discussions": discussions,
            "visible_meetings": visible,
            "state": state,
            "clock": clock,
            "today": today(),
            "statuses": {s.value: s.label for s in MeetingStatus},
        },
    )
