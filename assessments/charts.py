"""Bar charts drawn on the server as SVG: titled and described for screen readers, every
bar labelled with its value in text (never colour alone), and a data table beside each in
the page (see templates/assessments/_chart.html). Here the geometry; the markup is in
``assessments/_chart_svg.html``."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .cumulative import Chart

WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 22
GAP = 8
TOP = 8
BAR_COLOUR = "#1d4f91"  # 8.6:1 against white
TEXT_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    """One bar as drawn: its label (shortened), value, top edge, length and text baseline."""

    label: str
    value: int
    y: int
    length: int
    middle: float


def chart_svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG element."""
    peak = max((value for _label, value in chart.bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, (label, value) in enumerate(chart.bars):
        y = TOP + i * (BAR_HEIGHT + GAP)
        bars.append(Bar(_shorten(label), value, y, round(room * value / peak), y + BAR_HEIGHT / 2 + 5))
    return render_to_string("assessments/_chart_svg.html", {
        "chart": chart, "bars": bars, "description": _describe(chart),
        "width": WIDTH, "height": TOP * 2 + len(chart.bars) * (BAR_HEIGHT + GAP), "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT, "bar_colour": BAR_COLOUR, "text_colour": TEXT_COLOUR,
    })


def _describe(chart: Chart) -> str:
    figures = "; ".join(f"{label}: {value}" for label, value in chart.bars)
    return f"{chart.description} {figures}." if chart.bars else f"{chart.description} Nothing to show."


def _shorten(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
