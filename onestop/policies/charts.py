"""Server-rendered bar charts for the take-up statistics (no JavaScript, no chart library).

``bar_chart`` lays the bars out; ``policies/includes/bar_chart.html`` draws them as an SVG with
``role="img"``, a ``<title>`` and a ``<desc>``, and the page shows the same numbers in a table
beside it. Each bar has its label above it, so long (Chinese or English) labels never collide
and the chart stays readable when the SVG scales down to a phone's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 640
LEFT = 4
RIGHT = 96  # room for the value after the longest bar
ROW = 56  # height of one row: label, then the bar
BAR = 24
TOP = 8

# GOV.UK Design System colours, in the order bars take them when none is given.
COLOURS = ("#1d70b8", "#28a197", "#00703c", "#f47738", "#4c2c92", "#505a5f")


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: int | Decimal
    colour: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    shown: str  # the value as text, formatted for the active language
    colour: str
    label_y: int
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: ids of the title and description derive from it
    title: str
    desc: str
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    bar_height: int

    @property
    def title_id(self) -> str:
        return f"{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.key}-desc"

    @property
    def empty(self) -> bool:
        return not self.bars


def _shown(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return str(number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True))
    return str(number_format(value, use_l10n=True, force_grouping=True))


def bar_chart(*, key: str, title: str, desc: str, items: Sequence[ChartItem]) -> BarChart:
    """Horizontal bars scaled to the largest value (a zero value draws no bar, only its 0)."""
    largest = max((item.value for item in items), default=0)
    span = WIDTH - LEFT - RIGHT
    bars = []
    for index, item in enumerate(items):
        top = TOP + index * ROW
        width = round(span * float(item.value) / float(largest)) if largest else 0
        bars.append(
            Bar(
                label=item.label,
                value=item.value,
                shown=_shown(item.value),
                colour=item.colour or COLOURS[index % len(COLOURS)],
                label_y=top + 16,
                bar_y=top + 24,
                width=width,
                value_x=LEFT + width + 8,
                value_y=top + 24 + BAR - 7,
            )
        )
    height = TOP + len(items) * ROW + 4
    return BarChart(
        key=key,
        title=title,
        desc=desc,
        bars=bars,
        width=WIDTH,
        height=height,
        bar_x=LEFT,
        bar_height=BAR,
    )
