"""Jurisdiction profiles in plain words, and the co-ordinator's switch of the area's profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mappa.access.gates import check
from mappa.access.policy import Action, decide
from mappa.profiles import services
from mappa.profiles.forms import AreaForm
from mappa.profiles.selectors import current_area, profiles_for_display
from mappa.register.forms import apply_service_errors

# Profiles hold no case data: anyone with a role may read how their due dates are counted.
VIEW_PROFILES = Action.DIRECTORY_VIEW
# Switching the area's rules is an area-wide decision (co-ordinator and administrators).
CHANGE_AREA = Action.CASE_MANAGE


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    check(request, VIEW_PROFILES)
    return render(
        request,
        "profiles/list.html",
        {
            "area": current_area(),
            "listings": profiles_for_display(),
            "can_change_area": bool(decide(request.user, CHANGE_AREA)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_change(request: HttpRequest) -> HttpResponse:
    check(request, CHANGE_AREA)
    area = current_area()
    form = AreaForm(
        request.POST or None,
        initial={
            "profile_key": area.profile_key,
            "population": area.population,
            "population_source": area.population_source,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.area_update(
                actor=request.user,
                area=area,
                profile_key=data["profile_key"],
                population=data["population"],
                population_source=data["population_source"],
                reason=data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{area.name} now uses the profile {data['profile_key']}")
            return redirect("profiles:list")
    return render(request, "profiles/area_form.html", {"form": form, "area": area})
