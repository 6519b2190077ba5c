"""The shape of a jurisdiction profile's settings document, checked on every save.

A profile is data (decisions.md, "Clocks"): every time limit, the working-day
calendar, the categories and their rules, the KPIs and their targets, the
protective marking, the annual report's snapshot date and the form set. Code
reads a profile only through ``mappa.profiles.profile.Profile``; this module
says what a valid document is and answers every fault with the path that is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

SCHEMA_VERSION = 1

UNITS = ("calendar_days", "working_days", "weeks", "months", "years")

UNIT_WORDS = {
    "calendar_days": ("calendar day", "calendar days"),
    "working_days": ("working day", "working days"),
    "weeks": ("week", "weeks"),
    "months": ("calendar month", "calendar months"),
    "years": ("year", "years"),
}


@dataclass(frozen=True)
class LimitSpec:
    """What a time limit means; the profile gives only its length and unit."""

    title: str
    # "after": the due date is counted forward from the event; "before": back from it.
    direction: str
    # Units that make sense for this clock (a deletion review is never in working days).
    units: tuple[str, ...] = UNITS
    # The shortest length that means anything (0 days: "the same day").
    minimum: int = 1


# Every clock of decisions.md's table. The order is the order the profile page shows.
LIMITS: dict[str, LimitSpec] = {
    "identification": LimitSpec("Identification of an eligible person", "after"),
    "referral_custody": LimitSpec("Referral of a custody or hospital case", "before"),
    "referral_pdp": LimitSpec("Referral of a potentially dangerous person", "after", minimum=0),
    "first_meeting_community": LimitSpec("First meeting, community case", "after"),
    "first_meeting_custody": LimitSpec("First meeting, custody case", "before"),
    "minutes_level_2": LimitSpec("Minutes of a level 2 meeting", "after"),
    "minutes_level_3": LimitSpec("Minutes of a level 3 meeting", "after"),
    "review_level_1": LimitSpec("Review meeting, level 1 case discussion", "after"),
    "review_level_2": LimitSpec("Review meeting, level 2", "after"),
    "review_level_3": LimitSpec("Review meeting, level 3", "after"),
    "level1_review": LimitSpec("Level 1 review by the lead agency", "after"),
    "home_visit_very_high": LimitSpec("Police home visit, very high risk", "after"),
    "home_visit_high": LimitSpec("Police home visit, high risk", "after"),
    "home_visit_medium": LimitSpec("Police home visit, medium risk", "after"),
    "home_visit_low": LimitSpec("Police home visit, low risk", "after"),
    "deletion_review": LimitSpec("Review of the record for deletion", "after", units=("years",)),
}

# J 13.3: the register stores this date on every record when the record is created
# (mappa.register.rules.deletion_review_date); a profile cannot move it on its own.
DELETION_REVIEW_YEARS = 100

LEVELS = (1, 2, 3)
CATEGORY_CODES = ("1", "2", "3", "pdp")
# The holidays package's country codes that a profile may use (decisions.md).
CALENDAR_COUNTRIES = {"JE": (None,), "GB": ("ENG", "WLS", "SCT", "NIR", None)}


def _path(*parts: Any) -> str:
    return ".".join(str(p) for p in parts)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return {}
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> None:
        value = parent.get(key)
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(_path(path, key), "must be some text")

    def integer(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = parent.get(key)
        # bool is an int in Python; a true/false is never a number of days.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(_path(path, key), "must be a whole number")
            return None
        if minimum is not None and value < minimum:
            self.fail(_path(path, key), f"must be {minimum} or more")
        if maximum is not None and value > maximum:
            self.fail(_path(path, key), f"must be {maximum} or less")
        return value

    def flag(self, parent: dict[str, Any], key: str, path: str) -> None:
        if key in parent and not isinstance(parent[key], bool):
            self.fail(_path(path, key), "must be true or false")


def validate_settings(settings: Any) -> None:
    """Raise ``ValidationError`` listing every fault in a profile's settings document."""
    c = _Checker()
    doc = c.mapping(settings, "settings")
    if not doc:
        raise ValidationError({"settings": c.errors or ["settings: must not be empty"]})
    if doc.get("schema") != SCHEMA_VERSION:
        c.fail("schema", f"must be {SCHEMA_VERSION}")
    c.text(doc, "jurisdiction", "settings")
    c.text(doc, "guidance", "settings")
    c.text(doc, "protective_marking", "settings")
    c.integer(doc, "due_soon_days", "settings", minimum=0, maximum=90)

    form_set = c.mapping(doc.get("form_set"), "form_set")
    if form_set:
        for key in ("name", "referral_form", "minutes_form"):
            c.text(form_set, key, "form_set")
        c.flag(form_set, "to_confirm", "form_set")

    _check_calendar(c, doc.get("calendar"))
    _check_report(c, doc.get("annual_report"))
    _check_levels(c, doc.get("levels"))
    _check_categories(c, doc.get("categories"))
    _check_limits(c, doc.get("time_limits"))
    _check_kpis(c, doc.get("kpis"))
    if c.errors:
        raise ValidationError({"settings": c.errors})


def _check_calendar(c: _Checker, value: Any) -> None:
    cal = c.mapping(value, "calendar")
    if not cal:
        return
    country = cal.get("country")
    if country not in CALENDAR_COUNTRIES:
        c.fail("calendar.country", f"must be one of {', '.join(sorted(CALENDAR_COUNTRIES))}")
    elif cal.get("subdivision") not in CALENDAR_COUNTRIES[country]:
        allowed = ", ".join(str(s) for s in CALENDAR_COUNTRIES[country])
        c.fail("calendar.subdivision", f"for {country} must be one of {allowed}")
    closures = cal.get("extra_closures", [])
    if not isinstance(closures, list):
        c.fail("calendar.extra_closures", "must be a list of dates")
        return
    for index, item in enumerate(closures):
        item = c.mapping(item, _path("calendar.extra_closures", index))
        if not item:
            continue
        try:
            dt.date.fromisoformat(str(item.get("date")))
        except ValueError:
            c.fail(_path("calendar.extra_closures", index, "date"), "must be a date (YYYY-MM-DD)")
        c.text(item, "name", _path("calendar.extra_closures", index))


def _check_report(c: _Checker, value: Any) -> None:
    report = c.mapping(value, "annual_report")
    if not report:
        return
    month = c.integer(report, "snapshot_month", "annual_report", minimum=1, maximum=12)
    day = c.integer(report, "snapshot_day", "annual_report", minimum=1, maximum=31)
    if month is not None and day is not None and 1 <= month <= 12:
        try:
            # 2024 is a leap year: 29 February is a date a snapshot may fall on.
            dt.date(2024, month, day)
        except ValueError:
            c.fail("annual_report.snapshot_day", "is not a day of that month")
    c.text(report, "period", "annual_report")
    c.text(report, "source", "annual_report")


def _check_levels(c: _Checker, value: Any) -> None:
    if not isinstance(value, list) or not value:
        c.fail("levels", "must list the levels of management")
        return
    seen = []
    for index, item in enumerate(value):
        item = c.mapping(item, _path("levels", index))
        if not item:
            continue
        level = c.integer(item, "level", _path("levels", index), minimum=1, maximum=3)
        c.text(item, "name", _path("levels", index))
        seen.append(level)
    if sorted(x for x in seen if x is not None) != list(LEVELS):
        c.fail("levels", "must give levels 1, 2 and 3 once each")


def _check_categories(c: _Checker, value: Any) -> None:
    if not isinstance(value, list) or not value:
        c.fail("categories", "must list the categories")
        return
    codes = []
    for index, item in enumerate(value):
        path = _path("categories", index)
        item = c.mapping(item, path)
        if not item:
            continue
        code = item.get("code")
        if code not in CATEGORY_CODES:
            c.fail(_path(path, "code"), f"must be one of {', '.join(CATEGORY_CODES)}")
        codes.append(code)
        c.text(item, "name", path)
        c.text(item, "source", path)
        levels = item.get("levels")
        if (
            not isinstance(levels, list)
            or not levels
            or any(lv not in LEVELS or isinstance(lv, bool) for lv in levels)
        ):
            c.fail(_path(path, "levels"), "must list the levels (1, 2, 3) the category may have")
        for key in ("requires_notification_end", "requires_behaviour", "to_confirm"):
            c.flag(item, key, path)
    if len(set(codes)) != len(codes):
        c.fail("categories", "each category may appear only once")


def _check_limits(c: _Checker, value: Any) -> None:
    limits = c.mapping(value, "time_limits")
    if not limits:
        return
    for name in limits:
        if name not in LIMITS:
            c.fail(_path("time_limits", name), "is not a clock this service knows")
    for name, spec in LIMITS.items():
        path = _path("time_limits", name)
        if name not in limits:
            c.fail(path, "is missing")
            continue
        item = c.mapping(limits[name], path)
        if not item:
            continue
        amount = c.integer(item, "amount", path, minimum=spec.minimum, maximum=1200)
        unit = item.get("unit")
        if unit not in spec.units:
            c.fail(_path(path, "unit"), f"must be one of {', '.join(spec.units)}")
        c.text(item, "counted_from", path)
        c.text(item, "source", path)
        c.flag(item, "to_confirm", path)
        if name == "deletion_review" and amount is not None and amount != DELETION_REVIEW_YEARS:
            c.fail(
                _path(path, "amount"),
                f"must be {DELETION_REVIEW_YEARS}: the register stores the review date on every "
                "record (J 13.3) and changes with it, not with a profile alone",
            )


def _check_kpis(c: _Checker, value: Any) -> None:
    if not isinstance(value, list):
        c.fail("kpis", "must be a list")
        return
    ids = []
    for index, item in enumerate(value):
        path = _path("kpis", index)
        item = c.mapping(item, path)
        if not item:
            continue
        kpi_id = item.get("id")
        if not isinstance(kpi_id, str) or not kpi_id.replace("_", "").isalnum():
            c.fail(_path(path, "id"), "must be letters, digits and underscores")
        ids.append(kpi_id)
        for key in ("name", "measure", "source"):
            c.text(item, key, path)
        target = item.get("target")
        if not isinstance(target, int | float) or isinstance(target, bool) or not 0 < target <= 1:
            c.fail(_path(path, "target"), "must be a fraction above 0 and at most 1 (0.9, not 90)")
        c.flag(item, "to_confirm", path)
    if len(set(ids)) != len(ids):
        c.fail("kpis", "each KPI id may appear only once")
