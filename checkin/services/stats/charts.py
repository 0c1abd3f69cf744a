"""Tiny server-side SVG bar charts: no JavaScript, no CDN, readable by screen readers.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that lists every
value, and it prints each bar's number beside the bar; pages show the same numbers in a table
next to the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 230
VALUE_SPACE = 70
ROW = 30
BAR = 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float


def _number(value: int | float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def bar_chart(*, chart_id: str, title: str, bars: Sequence[Bar], desc: str = "") -> Markup:
    """A horizontal bar chart of ``bars`` (label and value), scaled to the largest value."""
    height = max(len(bars), 1) * ROW + 10
    largest = max((bar.value for bar in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    summary = "; ".join(f"{bar.label}: {_number(bar.value)}" for bar in bars)
    description = f"{desc} {summary}".strip()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = 5 + index * ROW
        width = round(span * bar.value / largest, 1) if bar.value > 0 else 0
        middle = y + BAR / 2 + 5
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{_number(bar.value)}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" class="chart-label">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{middle}" class="chart-value">'
            f"{_number(bar.value)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
