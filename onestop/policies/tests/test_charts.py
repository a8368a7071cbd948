"""The take-up charts: bars scale to the largest value; the SVG names itself for screen readers."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from onestop.policies.charts import LEFT, RIGHT, WIDTH, ChartItem, bar_chart


def test_bars_scale_to_the_largest_value() -> None:
    chart = bar_chart(
        key="funnel",
        title="Funnel",
        desc="d",
        items=[ChartItem("a", 200), ChartItem("b", 50), ChartItem("c", 0)],
    )
    widths = [bar.width for bar in chart.bars]
    span = WIDTH - LEFT - RIGHT
    assert widths == [span, round(span / 4), 0]
    # Rows do not overlap: each label sits below the previous bar.
    for upper, lower in zip(chart.bars, chart.bars[1:], strict=False):
        assert lower.label_y > upper.bar_y + chart.bar_height
    assert chart.height > chart.bars[-1].bar_y + chart.bar_height


def test_all_zero_and_empty_charts() -> None:
    zero = bar_chart(key="z", title="t", desc="d", items=[ChartItem("a", 0)])
    assert [bar.width for bar in zero.bars] == [0]
    empty = bar_chart(key="e", title="t", desc="d", items=[])
    assert empty.empty and empty.bars == []


def test_values_are_formatted_for_the_language() -> None:
    with translation.override("en"):
        chart = bar_chart(
            key="k",
            title="t",
            desc="d",
            items=[ChartItem("x", 12345), ChartItem("y", Decimal("3.5"))],
        )
    assert [bar.shown for bar in chart.bars] == ["12,345", "3.50"]


def test_svg_is_an_image_with_title_and_description() -> None:
    chart = bar_chart(
        key="funnel",
        title="From eligible to confirmed",
        desc="3 eligible, 1 confirmed",
        items=[ChartItem("Eligible <all>", 3), ChartItem("Confirmed", 1)],
    )
    svg = render_to_string("policies/includes/bar_chart.html", {"chart": chart})
    assert 'role="img"' in svg
    assert 'aria-labelledby="funnel-title funnel-desc"' in svg
    assert '<title id="funnel-title">From eligible to confirmed</title>' in svg
    assert '<desc id="funnel-desc">3 eligible, 1 confirmed</desc>' in svg
    assert "Eligible &lt;all&gt;" in svg  # labels are escaped
    assert svg.count("<rect") == 2
    assert "style=" not in svg  # the CSP allows no inline styles


@given(values=st.lists(st.integers(min_value=0, max_value=10**9), max_size=12))
def test_bars_stay_inside_and_keep_the_order_of_their_values(values: list[int]) -> None:
    chart = bar_chart(
        key="k", title="t", desc="d", items=[ChartItem(str(i), v) for i, v in enumerate(values)]
    )
    span = WIDTH - LEFT - RIGHT
    for bar in chart.bars:
        assert 0 <= bar.width <= span
        assert bar.value_x <= WIDTH - RIGHT + 8  # the value's text starts inside the picture
        assert bar.bar_y + chart.bar_height <= chart.height
    for a, b in zip(chart.bars, chart.bars[1:], strict=False):
        if a.value > b.value:
            assert a.width >= b.width
    if values and max(values) > 0:
        assert max(bar.width for bar in chart.bars) == span
