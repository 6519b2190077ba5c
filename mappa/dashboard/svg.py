"""Trend charts drawn on the server as SVG: no JavaScript, the same picture on the page
and in the PDF.

Accessible by construction: ``role="img"`` with a title and a description that read
out every quarter's figure and whether it met the target; each bar carries its value
as text above it (colour is never the only signal); and the page shows a table with
the same numbers beside the chart.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mappa.dashboard.selectors import TrendPoint, percent

WIDTH = 640
HEIGHT = 260
LEFT = 48
RIGHT = 16
TOP = 36
BOTTOM = 44
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FILL = {"met": "#00703c", "near": "#ffdd00", "missed": "#d4351c", "none": "#b1b4b6"}
STROKE = {"met": "#00703c", "near": "#0b0c0c", "missed": "#d4351c", "none": "#505a5f"}
FONT = 'font-family="Arial, Helvetica, sans-serif"'


def _y(fraction: float) -> float:
    return TOP + PLOT_H * (1 - max(0.0, min(1.0, fraction)))


def describe(name: str, target: float, points: Sequence[TrendPoint]) -> str:
    """The chart in words, for its ``desc`` (and anyone who cannot see it)."""
    parts = [
        f"{p.quarter.short_label}: {percent(p.result.value)}"
        + ("" if p.rating.key == "none" else f" ({p.rating.words.lower()})")
        for p in points
    ]
    return f"{name}, each quarter against a target of {percent(target)}. " + "; ".join(parts) + "."


def trend_chart(
    chart_id: str, name: str, target: float, points: Sequence[TrendPoint]
) -> SafeString:
    """A bar per quarter (height = the KPI's value), a dashed line at the target."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'focusable="false" class="app-trend-chart" id="{chart_id}">',
        f'<title id="{title_id}">Trend over the last {len(points)} quarters: {escape(name)}</title>',
        f'<desc id="{desc_id}">{escape(describe(name, target, points))}</desc>',
    ]
    # Grid and the vertical axis's scale.
    for tick in (0, 25, 50, 75, 100):
        y = _y(tick / 100)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}" {FONT}>{tick}%</text>'
        )
    slot = PLOT_W / max(1, len(points))
    bar_w = slot * 0.6
    for index, point in enumerate(points):
        x = LEFT + slot * index + (slot - bar_w) / 2
        centre = x + bar_w / 2
        key = point.rating.key
        value = point.result.value
        if value is not None:
            y = _y(value)
            height = max(0.0, TOP + PLOT_H - y)
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{FILL[key]}" stroke="{STROKE[key]}" stroke-width="1"/>'
            )
            label_y = max(TOP - 6, y - 6)
            out.append(
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle" '
                f'font-size="12" font-weight="bold" fill="{TEXT}" {FONT}>'
                f"{escape(percent(value))}</text>"
            )
        else:
            out.append(
                f'<text x="{centre:.1f}" y="{TOP + PLOT_H - 6:.1f}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}" {FONT}>No items</text>'
            )
        out.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 18:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}" {FONT}>Q{point.quarter.number}</text>'
        )
        out.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 34:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}" {FONT}>{point.quarter.year}</text>'
        )
    # The target, drawn over the bars so it stays visible.
    target_y = _y(target)
    out.append(
        f'<line x1="{LEFT}" y1="{target_y:.1f}" x2="{WIDTH - RIGHT}" y2="{target_y:.1f}" '
        f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    # Its key sits above the plot, clear of the bars' labels.
    out.append(
        f'<line x1="{LEFT}" y1="10" x2="{LEFT + 28}" y2="10" stroke="{TEXT}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<text x="{LEFT + 34}" y="14" font-size="12" fill="{TEXT}" {FONT}>'
        f"Target {escape(percent(target))}</text>"
    )
    # Axes last.
    out.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_H}" stroke="{TEXT}" '
        f'stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{WIDTH - RIGHT}" y2="{TOP + PLOT_H}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
