"""Identifier formats and check characters (shared/design/identifiers.md).

Each ``normalise_*`` accepts the forms people type and returns the one canonical
form, or raises ``ValidationError`` saying what is expected. No library on PyPI
implements the PNC and CRO check letters, so they are written here.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError

from mappa.common.dates import today as local_today

# 23 letters: no I, O or S. A remainder of 0 is Z.
CHECK_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY"

_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$")
_CRO_STANDARD = re.compile(r"^(\d{1,6})/(\d{2})([A-Z])$")
_CRO_SF = re.compile(r"^SF(\d{2})/(\d{1,6})([A-Z])$")
_NINO = re.compile(r"^([A-Z])([A-Z])(\d{6})([A-D]?)$")
_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIOQUV")
_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "OO", "CR", "FY", "MW", "NC"}


def check_letter(digits: str) -> str:
    return CHECK_ALPHABET[int(digits) % 23]


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_pnc(value: str, today: dt.date | None = None) -> str:
    """``YYYY/NNNNNNNA``: four-digit year, serial padded to 7 digits, check letter."""
    text = _compact(value)
    match = _PNC.match(text)
    if not match:
        raise ValidationError(
            "Enter a PNC ID in the format YYYY/NNNNNNNA, for example 2012/0000001H",
            code="format",
        )
    year, serial, letter = match.groups()
    if len(year) == 2:
        this_year = (today or local_today()).year % 100
        year = ("20" if int(year) <= this_year else "19") + year
    serial = serial.zfill(7)
    if check_letter(year[2:] + serial) != letter:
        raise ValidationError(
            "The PNC ID's check letter does not match: the number is mistyped", code="check"
        )
    return f"{year}/{serial}{letter}"


def normalise_cro(value: str) -> str:
    """``NNNNNN/YYA`` (serial padded to 6), or the fingerprint-only ``SFYY/NNNNNNA``."""
    text = _compact(value)
    match = _CRO_STANDARD.match(text)
    if match:
        serial, year, letter = match.groups()
        serial = serial.zfill(6)
        if check_letter(year + serial) != letter:
            raise ValidationError(
                "The CRO number's check letter does not match: the number is mistyped",
                code="check",
            )
        return f"{serial}/{year}{letter}"
    match = _CRO_SF.match(text)
    if match:
        year, serial, letter = match.groups()
        # Fingerprint-only form: the serial counts as written, not padded.
        if check_letter(year + serial) != letter:
            raise ValidationError(
                "The CRO number's check letter does not match: the number is mistyped",
                code="check",
            )
        return f"SF{year}/{serial}{letter}"
    raise ValidationError(
        "Enter a CRO number in the format NNNNNN/YYA or SFYY/NNNNNNA, for example 000001/12D",
        code="format",
    )


def normalise_nino(value: str) -> str:
    """Two letters, six digits and a suffix A to D (the suffix may be blank)."""
    text = _compact(value)
    match = _NINO.match(text)
    if not match:
        raise ValidationError(
            "Enter a National Insurance number in the format QQ 12 34 56 C", code="format"
        )
    first, second, digits, suffix = match.groups()
    if (
        first in _NINO_BAD_FIRST
        or second in _NINO_BAD_SECOND
        or (first + second) in _NINO_BAD_PREFIXES
    ):
        raise ValidationError(
            f"{first}{second} is not a prefix that is issued: check the National Insurance number",
            code="prefix",
        )
    return f"{first}{second}{digits}{suffix}"


def normalise_opaque(value: str, label: str) -> str:
    """ViSOR references, prison and agency case numbers have no public format."""
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(f"Enter the {label}", code="required")
    if len(text) > 60:
        raise ValidationError(f"{label[:1].upper()}{label[1:]} must be 60 characters or fewer")
    return text.upper()


def normalise_identifier(kind: str, value: str) -> str:
    from mappa.register.models import IdentifierKind

    if kind == IdentifierKind.PNC:
        return normalise_pnc(value)
    if kind == IdentifierKind.CRO:
        return normalise_cro(value)
    if kind == IdentifierKind.NINO:
        return normalise_nino(value)
    if kind in IdentifierKind.values:
        return normalise_opaque(value, IdentifierKind(kind).label)
    raise ValidationError("Select the kind of identifier", code="kind")
