"""Turning the domain's refusals into API answers.

Services raise Django's ``ValidationError`` keyed by their own field names. Most
keys are the API's field names already; the two that are not are translated here
so that every 400 names a field the caller sent (or ``non_field_errors``).
"""

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from mappa.referrals.services import StaleReferralError
from mappa.register.models import IdentifierKind
from mappa.register.services import ConcurrentEditError

STALE_VERSION = (
    "Someone else changed this record after you read it. Fetch the record again and "
    "make your change to the current version."
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_VERSION
    default_code = "conflict"


def _identifier_label(key: str) -> str:
    kind = key.removeprefix("identifier_")
    try:
        return str(IdentifierKind(kind).label)
    except ValueError:
        return kind


def api_errors(
    exc: DjangoValidationError, only: Collection[str] | None = None
) -> dict[str, list[str]]:
    """The domain's messages under the API's field names.

    With ``only``, the request's fields: a message about any other field (one the
    service checks but the caller cannot send here) is given under non_field_errors.
    """
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": list(exc.messages)}
    errors: dict[str, list[str]] = {}
    for key, messages in exc.message_dict.items():
        if key == NON_FIELD_ERRORS or (only is not None and key not in only):
            errors.setdefault("non_field_errors", []).extend(messages)
        elif key.startswith("identifier_"):
            # nominal_create reports identifiers by kind; the API takes them as a list.
            label = _identifier_label(key)
            errors.setdefault("identifiers", []).extend(f"{label}: {m}" for m in messages)
        else:
            errors.setdefault(key, []).extend(messages)
    return errors


def flat_errors(errors: Any, path: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as one level: ``{"identifiers[0].value": [...]}``.

    Every 400 then has the same shape, a field path and its messages, however deep
    the input it complains about.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors" and path:
                name = path
            elif isinstance(key, int) or str(key).isdigit():
                name = f"{path}[{key}]"
            else:
                name = f"{path}.{key}" if path else str(key)
            for field, messages in flat_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        return flat_errors(dict(enumerate(errors)), path)
    elif isinstance(errors, list):
        flat[path or "non_field_errors"] = [str(message) for message in errors]
    elif errors:
        flat[path or "non_field_errors"] = [str(errors)]
    return flat


def validated(
    serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any
) -> dict[str, Any]:
    """The input as its serializer shapes it, or a 400 naming each wrong field."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise serializers.ValidationError(flat_errors(serializer.errors))
    return dict(serializer.validated_data)


@contextmanager
def domain_errors(only: Collection[str] | None = None) -> Iterator[None]:
    """Answer a service's ValidationError as 400 naming the field, a stale save as 409.

    ``only``: see ``api_errors``."""
    try:
        yield
    except ConcurrentEditError as exc:
        raise Conflict({"errors": {"version": [STALE_VERSION]}}) from exc
    except StaleReferralError as exc:
        # A ValidationError subclass: caught before the general case below.
        raise Conflict({"errors": {"version": list(exc.messages)}}) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(api_errors(exc, only)) from exc
