"""Figures as the report prints them: thousands separated, rates to one decimal place."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
