import datetime as dt
from typing import Any

from django import template

register = template.Library()


@register.filter
def isodate(value: Any) -> str:
    """An ISO date from a snapshot ("2026-03-27") as "27 March 2026"."""
    if not value:
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day:%-d %B %Y}"


@register.filter
def overdue(action: Any, today: dt.date) -> bool:
    return bool(action.state == "open" and action.due_date and action.due_date < today)


@register.filter
def get_their(theirs: dict[str, str] | None, name: str) -> str:
    return (theirs or {}).get(name, "")
