"""Identifier formats and check characters (shared/design/identifiers.md)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mappa.register.identifiers import (
    check_letter,
    normalise_cro,
    normalise_identifier,
    normalise_nino,
    normalise_pnc,
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("2012/0000001H", "2012/0000001H"),  # 120000001 mod 23 = 8 -> H
        ("1998/1234567L", "1998/1234567L"),
        ("2005/0054321V", "2005/0054321V"),
        ("2021/0999999Z", "2021/0999999Z"),  # remainder 0 -> Z
        ("12/1H", "2012/0000001H"),  # two-digit year, serial without zeros
        ("20120000001h", "2012/0000001H"),  # no slash, lower case
        (" 2012 / 0000001H ", "2012/0000001H"),
        ("98/1234567L", "1998/1234567L"),  # 98 > this year's 26, so 1998
    ],
)
def test_pnc_accepts_typed_forms(typed: str, canonical: str) -> None:
    assert normalise_pnc(typed, today=dt.date(2026, 11, 27)) == canonical


@pytest.mark.parametrize("typed", ["2012/0000001A", "1998/1234567M", "12/1Z"])
def test_pnc_wrong_check_letter_says_mistyped(typed: str) -> None:
    with pytest.raises(ValidationError, match="mistyped"):
        normalise_pnc(typed, today=dt.date(2026, 11, 27))


@pytest.mark.parametrize("typed", ["", "2012/12345678H", "ABCD/0000001H", "2012/0000001", "201/1H"])
def test_pnc_wrong_format_names_the_format(typed: str) -> None:
    with pytest.raises(ValidationError, match="YYYY/NNNNNNNA"):
        normalise_pnc(typed)


def test_two_digit_year_boundary_is_this_year() -> None:
    # 26 is this year's last two digits on 27 Nov 2026: it means 2026; 27 means 1927.
    assert normalise_pnc(
        f"26/1{check_letter('260000001')}", today=dt.date(2026, 11, 27)
    ).startswith("2026/")
    assert normalise_pnc(
        f"27/1{check_letter('270000001')}", today=dt.date(2026, 11, 27)
    ).startswith("1927/")


def test_cro_standard_and_fingerprint_forms() -> None:
    assert normalise_cro("000001/12D") == "000001/12D"  # 12000001 mod 23 = 4 -> D
    assert normalise_cro("1/12d") == "000001/12D"
    # Fingerprint-only: year then the serial as written, unpadded: "12" + "345" = 12345 mod 23 = 17 -> T
    assert check_letter("12345") == "T"
    assert normalise_cro("SF12/345T") == "SF12/345T"


@pytest.mark.parametrize("typed", ["000001/12E", "SF12/345U"])
def test_cro_wrong_check_letter(typed: str) -> None:
    with pytest.raises(ValidationError, match="mistyped"):
        normalise_cro(typed)


def test_cro_wrong_format() -> None:
    with pytest.raises(ValidationError, match="NNNNNN/YYA"):
        normalise_cro("1234567/12D")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("JG 12 34 56 C", "JG123456C"), ("ab123456a", "AB123456A"), ("AB123456", "AB123456")],
)
def test_nino_valid(typed: str, canonical: str) -> None:
    assert normalise_nino(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "QQ123456C",
        "DA123456A",
        "AD123456A",
        "AO123456A",
        "GB123456A",
        "ZZ123456A",
        "OO123456A",
        "AB123456E",
        "AB12345A",
    ],
)
def test_nino_invalid(typed: str) -> None:
    with pytest.raises(ValidationError):
        normalise_nino(typed)


def test_opaque_identifiers_are_trimmed_and_required() -> None:
    assert normalise_identifier("visor", "  vs-00123 ") == "VS-00123"
    with pytest.raises(ValidationError, match="Enter the ViSOR reference"):
        normalise_identifier("visor", "   ")
