"""A jurisdiction profile as the code reads it: typed, immutable, built from the data.

The clocks (``mappa.profiles.clocks``) and the calendar (``mappa.profiles.calendar``)
take a ``Profile``; nothing else in the service holds a time limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mappa.profiles.schema import LIMITS, UNIT_WORDS, validate_settings


@dataclass(frozen=True)
class TimeLimit:
    name: str
    title: str
    amount: int
    unit: str
    direction: str
    counted_from: str
    source: str
    to_confirm: bool = False

    @property
    def length_words(self) -> str:
        singular, plural = UNIT_WORDS[self.unit]
        if self.amount == 0:
            return "the same day"
        return f"{self.amount} {singular if self.amount == 1 else plural}"

    @property
    def plain_words(self) -> str:
        """ "15 working days after the day the co-ordinator received the referral"."""
        if self.amount == 0:
            return f"the same day as {self.counted_from}"
        return f"{self.length_words} {self.direction} {self.counted_from}"


@dataclass(frozen=True)
class CategoryRule:
    code: str
    name: str
    levels: tuple[int, ...]
    requires_notification_end: bool
    requires_behaviour: bool
    source: str
    to_confirm: bool = False


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    measure: str
    target: float
    source: str
    to_confirm: bool = False


@dataclass(frozen=True)
class Closure:
    date: dt.date
    name: str


@dataclass(frozen=True, eq=False)
class Profile:
    key: str
    version: int
    name: str
    effective_from: dt.date
    settings: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_settings(
        cls, *, key: str, version: int, name: str, effective_from: dt.date, settings: Any
    ) -> Profile:
        validate_settings(settings)
        return cls(
            key=key,
            version=version,
            name=name,
            effective_from=effective_from,
            settings=MappingProxyType(dict(settings)),
        )

    # Time limits -------------------------------------------------------------

    def limit(self, name: str) -> TimeLimit:
        spec = LIMITS[name]
        raw = self.settings["time_limits"][name]
        return TimeLimit(
            name=name,
            title=spec.title,
            amount=int(raw["amount"]),
            unit=str(raw["unit"]),
            direction=spec.direction,
            counted_from=str(raw["counted_from"]),
            source=str(raw["source"]),
            to_confirm=bool(raw.get("to_confirm", False)),
        )

    @property
    def limits(self) -> list[TimeLimit]:
        return [self.limit(name) for name in LIMITS]

    @property
    def due_soon_days(self) -> int:
        return int(self.settings["due_soon_days"])

    # Calendar ----------------------------------------------------------------

    @property
    def calendar_country(self) -> str:
        return str(self.settings["calendar"]["country"])

    @property
    def calendar_subdivision(self) -> str | None:
        sub = self.settings["calendar"].get("subdivision")
        return str(sub) if sub else None

    @property
    def extra_closures(self) -> tuple[Closure, ...]:
        return tuple(
            Closure(dt.date.fromisoformat(str(c["date"])), str(c["name"]))
            for c in self.settings["calendar"].get("extra_closures", [])
        )

    @property
    def calendar_words(self) -> str:
        country = self.calendar_country
        sub = self.calendar_subdivision
        where = {"JE": "Jersey", "GB": "the United Kingdom"}.get(country, country)
        if country == "GB" and sub:
            where = {
                "ENG": "England",
                "WLS": "Wales",
                "SCT": "Scotland",
                "NIR": "Northern Ireland",
            }.get(sub, sub)
        return f"Monday to Friday, except the public holidays of {where}"

    # Categories, levels, KPIs, the rest -------------------------------------

    @property
    def categories(self) -> list[CategoryRule]:
        return [
            CategoryRule(
                code=str(c["code"]),
                name=str(c["name"]),
                levels=tuple(int(x) for x in c["levels"]),
                requires_notification_end=bool(c.get("requires_notification_end", False)),
                requires_behaviour=bool(c.get("requires_behaviour", False)),
                source=str(c["source"]),
                to_confirm=bool(c.get("to_confirm", False)),
            )
            for c in self.settings["categories"]
        ]

    def category(self, code: str) -> CategoryRule | None:
        return next((c for c in self.categories if c.code == code), None)

    @property
    def levels(self) -> list[dict[str, Any]]:
        return [dict(item) for item in self.settings["levels"]]

    @property
    def kpis(self) -> list[Kpi]:
        return [
            Kpi(
                id=str(k["id"]),
                name=str(k["name"]),
                measure=str(k["measure"]),
                target=float(k["target"]),
                source=str(k["source"]),
                to_confirm=bool(k.get("to_confirm", False)),
            )
            for k in self.settings["kpis"]
        ]

    def kpi(self, kpi_id: str) -> Kpi | None:
        return next((k for k in self.kpis if k.id == kpi_id), None)

    @property
    def protective_marking(self) -> str:
        return str(self.settings["protective_marking"])

    @property
    def form_set(self) -> dict[str, Any]:
        return dict(self.settings["form_set"])

    @property
    def form_set_name(self) -> str:
        return str(self.settings["form_set"]["name"])

    def annual_snapshot(self, year: int) -> dt.date:
        """The annual report's snapshot date in ``year`` (31 December or 31 March)."""
        report = self.settings["annual_report"]
        month, day = int(report["snapshot_month"]), int(report["snapshot_day"])
        try:
            return dt.date(year, month, day)
        except ValueError:
            # A 29 February snapshot in a year without one falls on 28 February.
            return dt.date(year, month, 28)

    @property
    def annual_report(self) -> dict[str, Any]:
        return dict(self.settings["annual_report"])

    @property
    def items_to_confirm(self) -> list[str]:
        """Every setting the source documents do not state, to be confirmed locally."""
        out = [lim.title for lim in self.limits if lim.to_confirm]
        out += [f"KPI: {k.name}" for k in self.kpis if k.to_confirm]
        out += [f"Category {c.code}" for c in self.categories if c.to_confirm]
        if self.form_set.get("to_confirm"):
            out.append("Form set")
        if self.annual_report.get("to_confirm"):
            out.append("Annual report snapshot date")
        return out
