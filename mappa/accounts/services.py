"""Changes to accounts, second-factor devices and API tokens, each audited in its transaction."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mappa.access.models import Agency, Role, User, UserRole
from mappa.accounts import mfa
from mappa.accounts.models import ApiToken, TokenScope
from mappa.accounts.tokens import display_prefix, generate_token, token_digest
from mappa.audit.services import audit_record, diff_fields

# The fields an administrator sets on an account, in the order the audit lists them.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "agency",
    "job_title",
    "grade",
    "phone",
    "vetting_level",
    "vetting_expires",
)


def _snapshot(user: User) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(user, name) for name in PROFILE_FIELDS}
    values["agency"] = str(user.agency) if user.agency_id else None
    values["vetting_expires"] = user.vetting_expires.isoformat() if user.vetting_expires else None
    values["roles"] = sorted(user.roles.values_list("role", flat=True)) if user.pk else []
    values["is_active"] = user.is_active
    return values


def _check_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    unknown = [role for role in chosen if role not in Role.values]
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(unknown)}"})
    return chosen


def _set_roles(user: User, roles: list[str]) -> None:
    user.roles.exclude(role__in=roles).delete()
    existing = set(user.roles.values_list("role", flat=True))
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=role) for role in roles if role not in existing]
    )
    user.__dict__.pop("_role_set", None)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    agency: Agency | None,
    roles: Iterable[str],
    job_title: str = "",
    grade: str = "",
    phone: str = "",
    vetting_level: str,
    vetting_expires: dt.date | None,
    password: str,
    request: HttpRequest | None = None,
) -> User:
    """Create an account (no self-registration: issue 3, point 3) with its first password."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Enter a different username: this one is in use"})
    chosen = _check_roles(roles)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        agency=agency,
        job_title=job_title,
        grade=grade,
        phone=phone,
        vetting_level=vetting_level,
        vetting_expires=vetting_expires,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    _set_roles(user, chosen)
    after = _snapshot(user)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        changes={key: [None, value] for key, value in after.items()} | {"password": [None, "set"]},
        detail={"username": user.username},
        request=request,
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str = "",
    agency: Agency | None,
    roles: Iterable[str],
    job_title: str = "",
    grade: str = "",
    phone: str = "",
    vetting_level: str,
    vetting_expires: dt.date | None,
    request: HttpRequest | None = None,
) -> User:
    """Change an account's details and roles; record each field's before and after."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    chosen = _check_roles(roles)
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.agency = agency
    user.job_title = job_title
    user.grade = grade
    user.phone = phone
    user.vetting_level = vetting_level
    user.vetting_expires = vetting_expires
    user.save()
    _set_roles(user, chosen)
    changes = diff_fields(before, _snapshot(user))
    if changes:
        audit_record(
            actor=actor,
            action="user.update",
            obj=user,
            changes=changes,
            detail={"username": user.username},
            request=request,
        )
    return user


@transaction.atomic
def user_disable(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """Disable an account: its sessions stop working at their next request and its
    API tokens are revoked. Cases it manages appear on the reassignment list."""
    from mappa.accounts.selectors import cases_managed_by

    if actor.pk == user.pk:
        raise ValidationError({"reason": "You cannot disable your own account"})
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError({"reason": "This account is already disabled"})
    user.is_active = False
    user.save(update_fields=["is_active"])
    now = timezone.now()
    revoked = list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
        .order_by("id")
        .values_list("prefix", flat=True)
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    )
    audit_record(
        actor=actor,
        action="user.disable",
        obj=user,
        changes={"is_active": [True, False]},
        detail={
            "username": user.username,
            "reason": reason,
            "api_tokens_revoked": revoked,
            "cases_to_reassign": [state.case.reference for state in cases_managed_by(user)],
        },
        request=request,
    )
    return user


@transaction.atomic
def user_enable(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError("This account is already active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.enable",
        obj=user,
        changes={"is_active": [False, True]},
        detail={"username": user.username},
        request=request,
    )
    return user


@transaction.atomic
def user_set_password(
    *, actor: User, user: User, password: str, request: HttpRequest | None = None
) -> User:
    """An administrator sets a new password; the user's existing sessions end with it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="user.password_set",
        obj=user,
        changes={"password": ["set", "changed"]},
        detail={"username": user.username},
        request=request,
    )
    return user


@transaction.atomic
def user_reset_mfa(*, actor: User, user: User, request: HttpRequest | None = None) -> int:
    """Remove a user's authenticator (a lost phone): they set up a new one at next sign-in."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="user.mfa_reset",
        obj=user,
        detail={"username": user.username, "devices_removed": removed},
        request=request,
    )
    return removed


@transaction.atomic
def mfa_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator with a random key (django-otp's default)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=mfa.DEVICE_NAME, confirmed=False)


@transaction.atomic
def mfa_device_confirm(
    *, user: User, device: TOTPDevice, request: HttpRequest | None = None, actor: Any = None
) -> TOTPDevice:
    """Keep the device that has just proved it works, and no other."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor if actor is not None else user,
        action="auth.mfa_device_added",
        obj=user,
        detail={"username": user.username, "device": device.name},
        request=request,
    )
    return device


@transaction.atomic
def mfa_demo_device_create(*, user: User, actor: str) -> TOTPDevice:
    """A confirmed device whose key derives from the username (demo area only)."""
    device = TOTPDevice.objects.create(
        user=user, name=mfa.DEMO_DEVICE_NAME, key=mfa.demo_key(user.username), confirmed=True
    )
    audit_record(
        actor=actor,
        action="auth.mfa_device_added",
        obj=user,
        detail={"username": user.username, "device": device.name},
    )
    return device


@transaction.atomic
def token_issue(
    *,
    actor: Any,
    user: User,
    days: int,
    scope: str = TokenScope.READ,
    name: str = "",
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token and return it with its secret, which is never stored or shown again."""
    limit = settings.MAPPA_API_TOKEN_MAX_DAYS
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"Expiry must be between 1 and {limit} days"})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "Select read or write"})
    if not user.is_active:
        raise ValidationError("You cannot issue a token to a disabled account")
    raw = generate_token()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API access",
        scope=scope,
        prefix=display_prefix(raw),
        digest=token_digest(raw),
        created_by=actor if isinstance(actor, User) else None,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="token.issue",
        obj=token,
        detail={
            "username": user.username,
            "prefix": token.prefix,
            "scope": scope,
            "expires_at": token.expires_at.isoformat(),
        },
        request=request,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="token.revoke",
        obj=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        detail={"username": token.user.username, "prefix": token.prefix},
        request=request,
    )
    return token
