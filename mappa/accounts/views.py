"""Signing in with a password and a code, re-authentication, and account management."""

from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.access.models import User
from mappa.accounts import forms as account_forms
from mappa.accounts import mfa, selectors, services
from mappa.accounts import session as session_state
from mappa.accounts.gate import check_manage_accounts
from mappa.accounts.models import ApiToken
from mappa.accounts.reauth import require_recent_authentication, safe_next
from mappa.audit.services import audit_record, client_ip
from mappa.common.dates import today
from mappa.register.forms import apply_service_errors

PAGE_SIZE = 50
WRONG_PASSWORD = "Enter a correct username and password. Both are case sensitive."  # noqa: S105
WRONG_CODE = "The security code is not correct or has expired. Enter the code now shown in your app"
TOO_MANY_CODES = (
    "You have entered too many incorrect codes. Wait a minute, then enter the code now shown "
    "in your app"
)

# ---------------------------------------------------------------------------
# Signing in: password, then the second factor (set up on first sign-in).
# ---------------------------------------------------------------------------


def _next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, candidate, fallback=reverse(settings.LOGIN_REDIRECT_URL))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _half_signed_in_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    # Not signed in until the second factor is given: the layout shows no service
    # navigation, only this page's own "sign out" button.
    return {"user": AnonymousUser(), "next": _next(request), **extra}


def _cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page django-axes shows when a username and address are locked (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"user": AnonymousUser(), "minutes": _cool_off_minutes()},
        status=429,
    )


def _lock_out(request: HttpRequest, user: Any, stage: str) -> HttpResponse:
    audit_record(
        actor=user,
        action="auth.locked_out",
        outcome="refused",
        detail={"username": user.get_username(), "stage": stage},
        request=request,
    )
    logout(request)
    request.axes_locked_out = True  # type: ignore[attr-defined]
    return locked_out(request)


def _is_locked(request: HttpRequest, user: Any) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": user.get_username()}))


def _code_failed(request: HttpRequest, user: Any, stage: str, reason: str) -> bool:
    """Audit a wrong code and count it towards the lock-out; True if now locked."""
    audit_record(
        actor=user,
        action="auth.mfa_failed",
        outcome="refused",
        detail={"username": user.get_username(), "stage": stage, "reason": reason},
        request=request,
    )
    # A wrong code counts as a failed sign-in for django-axes, as a wrong password does.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def _verify_code(user: Any, device: TOTPDevice, code: str) -> tuple[bool, str]:
    """Check a code with django-otp (replay-protected and throttled); (ok, reason)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False, "throttled"
    with transaction.atomic():
        verified = django_otp.verify_token(user, device.persistent_id, code)
    return verified is not None, "wrong code"


def _complete_sign_in(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    # A new session key once fully signed in, as Django does at login.
    request.session.cycle_key()
    session_state.start(request.session)
    AxesProxyHandler.reset_attempts(
        ip_address=client_ip(request) or None, username=request.user.get_username()
    )
    audit_record(
        actor=request.user,
        action="auth.sign_in",
        detail={"username": request.user.get_username(), "method": "password and TOTP"},
        request=request,
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponseBase:
    if mfa.is_verified(request):
        return redirect(_next(request))
    form = account_forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            audit_record(
                actor=None,
                action="auth.locked_out",
                outcome="refused",
                detail={"username": username[:150], "stage": "password"},
                request=request,
            )
            return locked_out(request)
        if user is None:
            audit_record(
                actor=None,
                action="auth.sign_in_failed",
                outcome="refused",
                detail={"username": username[:150], "reason": "wrong username or password"},
                request=request,
            )
            form.add_error("username", WRONG_PASSWORD)
        else:
            login(request, user)
            return redirect(_with_next("login_code", _next(request)))
    return render(
        request,
        "access/sign_in.html",
        {"form": form, "next": _next(request), "user": AnonymousUser()},
    )


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect(_with_next("login", _next(request)))
    if mfa.is_verified(request):
        return redirect(_next(request))
    user = request.user
    device = mfa.confirmed_device(user)
    if device is None:
        return redirect(_with_next("login_setup", _next(request)))
    if _is_locked(request, user):
        return _lock_out(request, user, "code")
    form = account_forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, reason = _verify_code(user, device, form.cleaned_data["code"])
        if ok:
            _complete_sign_in(request, device)
            return redirect(_next(request))
        if _code_failed(request, user, "sign-in", reason):
            return _lock_out(request, user, "code")
        form.add_error("code", TOO_MANY_CODES if reason == "throttled" else WRONG_CODE)
    return render(
        request, "accounts/sign_in_code.html", _half_signed_in_context(request, form=form)
    )


@require_http_methods(["GET", "POST"])
def sign_in_setup(request: HttpRequest) -> HttpResponseBase:
    """First sign-in: set up an authenticator app. Only while the user has none, so
    that a password alone can never add a second device to an account."""
    if not request.user.is_authenticated:
        return redirect(_with_next("login", _next(request)))
    if mfa.is_verified(request):
        return redirect(_next(request))
    user = request.user
    if mfa.confirmed_device(user) is not None:
        return redirect(_with_next("login_code", _next(request)))
    if _is_locked(request, user):
        return _lock_out(request, user, "set-up")
    device = TOTPDevice.objects.filter(
        pk=request.session.get(session_state.SETUP_DEVICE), user=user, confirmed=False
    ).first()
    if device is None:
        device = services.mfa_device_start(user=user)
        request.session[session_state.SETUP_DEVICE] = device.pk
    form = account_forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, reason = _verify_code(user, device, form.cleaned_data["code"])
        if ok:
            device.refresh_from_db()
            services.mfa_device_confirm(user=user, device=device, request=request)
            request.session.pop(session_state.SETUP_DEVICE, None)
            _complete_sign_in(request, device)
            messages.success(request, "Your authenticator app is set up")
            return redirect(_next(request))
        if _code_failed(request, user, "set-up", reason):
            return _lock_out(request, user, "set-up")
        form.add_error("code", TOO_MANY_CODES if reason == "throttled" else WRONG_CODE)
    return render(
        request,
        "accounts/sign_in_setup.html",
        _half_signed_in_context(
            request,
            form=form,
            secret=mfa.secret_for_people(device),
            qr_code=mfa.qr_code_svg(device),
            issuer=settings.OTP_TOTP_ISSUER,
            username=user.get_username(),
        ),
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponseBase:
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "accounts/sign_out.html")
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action="auth.sign_out",
            detail={"username": request.user.get_username(), "reason": "signed out"},
            request=request,
        )
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("login")


# ---------------------------------------------------------------------------
# Re-authentication ("Confirm it's you") before exports, disclosures and merges.
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def confirm_identity(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    next_url = safe_next(
        request, request.POST.get("next") or request.GET.get("next"), fallback=reverse("home")
    )
    device = mfa.confirmed_device(user)
    if device is None:
        # Not reachable through the sign-in pages; a device removed since sign-in.
        logout(request)
        return redirect(_with_next("login", next_url))
    if _is_locked(request, user):
        return _lock_out(request, user, "confirm")
    form = account_forms.ConfirmIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        same = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return _lock_out(request, user, "confirm")
        if same is None or same.pk != user.pk:
            audit_record(
                actor=user,
                action="auth.reauth_failed",
                outcome="refused",
                detail={"username": user.get_username(), "reason": "wrong password"},
                request=request,
            )
            form.add_error("password", "Enter your correct password")
        else:
            ok, reason = _verify_code(user, device, form.cleaned_data["code"])
            if ok:
                session_state.mark_reauthenticated(request.session)
                audit_record(
                    actor=user,
                    action="auth.reauthenticated",
                    detail={"username": user.get_username(), "next": next_url},
                    request=request,
                )
                return redirect(next_url)
            if _code_failed(request, user, "confirm", reason):
                return _lock_out(request, user, "confirm")
            form.add_error("code", TOO_MANY_CODES if reason == "throttled" else WRONG_CODE)
    return render(request, "accounts/confirm.html", {"form": form, "next": next_url})


# ---------------------------------------------------------------------------
# Account management (administrators and the co-ordinator).
# ---------------------------------------------------------------------------


def _details_initial(user: User) -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "agency": user.agency_id,
        "roles": sorted(user.role_set),
        "job_title": user.job_title,
        "grade": user.grade,
        "phone": user.phone,
        "vetting_level": user.vetting_level,
        "vetting_expires": user.vetting_expires,
    }


def _details_values(form: account_forms.AccountDetailsForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data.get("email") or "",
        "agency": data["agency"],
        "roles": data["roles"],
        "job_title": data.get("job_title") or "",
        "grade": data.get("grade") or "",
        "phone": data.get("phone") or "",
        "vetting_level": data["vetting_level"],
        "vetting_expires": data.get("vetting_expires"),
    }


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    check_manage_accounts(request)
    page = Paginator(selectors.user_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query_string": "",
            "today": today(),
            "awaiting": selectors.cases_awaiting_reassignment().count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponseBase:
    check_manage_accounts(request)
    form = account_forms.AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
                **_details_values(form),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Account created for {user.display_name}")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    check_manage_accounts(request, account)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "roles": [role.get_role_display() for role in account.roles.order_by("role")],
            "device": mfa.confirmed_device(account),
            "tokens": selectors.tokens_for(account),
            "managed_cases": selectors.cases_managed_by(account),
            "today": today(),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    form = account_forms.AccountDetailsForm(request.POST or None, initial=_details_initial(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,  # type: ignore[arg-type]
                user=account,
                request=request,
                **_details_values(form),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Account details saved")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "creating": False, "account": account}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    form = account_forms.SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,  # type: ignore[arg-type]
                user=account,
                password=form.cleaned_data["password"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"New password set for {account.display_name}")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_password.html", {"form": form, "account": account})


@login_required
@require_http_methods(["GET", "POST"])
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    if request.method == "POST":
        services.user_reset_mfa(actor=request.user, user=account, request=request)  # type: ignore[arg-type]
        messages.success(
            request,
            f"{account.display_name} will set up a new authenticator app when they next sign in",
        )
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_reset_mfa.html", {"account": account})


@login_required
@require_http_methods(["GET", "POST"])
def user_disable(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    form = account_forms.DisableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_disable(
                actor=request.user,  # type: ignore[arg-type]
                user=account,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{account.display_name}'s account is disabled")
            if selectors.cases_managed_by(account).exists():
                return redirect("accounts:reassignment")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_disable.html",
        {
            "form": form,
            "account": account,
            "managed_cases": selectors.cases_managed_by(account),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@require_POST
def user_enable(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    try:
        services.user_enable(actor=request.user, user=account, request=request)  # type: ignore[arg-type]
    except ValidationError:
        pass
    else:
        messages.success(request, f"{account.display_name}'s account is active again")
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_recent_authentication()
@require_http_methods(["GET", "POST"])
def token_issue(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Issuing a credential is as sensitive as an export: it needs a recent sign-in."""
    account = get_object_or_404(User, pk=pk)
    check_manage_accounts(request, account)
    form = account_forms.TokenIssueForm(request.POST or None, initial={"days": 90, "scope": "read"})
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_issue(
                actor=request.user,
                user=account,
                days=form.cleaned_data["days"],
                scope=form.cleaned_data["scope"],
                name=form.cleaned_data["name"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # Rendered, not redirected: the secret must not travel in a message or URL.
            return render(
                request,
                "accounts/token_issued.html",
                {"account": account, "token": token, "raw": raw},
            )
    return render(
        request,
        "accounts/token_form.html",
        {"form": form, "account": account, "max_days": settings.MAPPA_API_TOKEN_MAX_DAYS},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    check_manage_accounts(request, token)
    services.token_revoke(actor=request.user, token=token, request=request)  # type: ignore[arg-type]
    messages.success(request, f"Token {token.prefix}… is revoked")
    return redirect("accounts:user_detail", pk=token.user_id)


@login_required
def reassignment_list(request: HttpRequest) -> HttpResponse:
    check_manage_accounts(request)
    return render(
        request,
        "accounts/reassignment.html",
        {"states": selectors.cases_awaiting_reassignment()},
    )
