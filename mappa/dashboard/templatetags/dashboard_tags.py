from django import template

from mappa.dashboard.selectors import percent as percent_text

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A KPI fraction as a percentage: 0.875 -> "87.5%", None -> "No items"."""
    return percent_text(value)
