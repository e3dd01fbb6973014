"""Bar charts drawn on the server as SVG: titled and described for screen readers, every
bar labelled with its value in text (never colour alone), and a data table beside each in
the page (see templates/assessments/_chart.html)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .cumulative import Chart

WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 22
GAP = 8
TOP = 8
BAR_COLOUR = "#1d4f91"  # 8.6:1 against white
TEXT_COLOUR = "#0b0c0c"


def chart_svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG element."""
    ident = f"chart-{chart.slug}"
    peak = max((value for _label, value in chart.bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    height = TOP * 2 + len(chart.bars) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(_describe(chart))}</desc>',
    ]
    for i, (label, value) in enumerate(chart.bars):
        y = TOP + i * (BAR_HEIGHT + GAP)
        length = round(room * value / peak)
        middle = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="14" fill="{TEXT_COLOUR}">'
            f"{escape(_shorten(label))}</text>"
        )
        if length:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" font-size="14" font-weight="bold" '
            f'fill="{TEXT_COLOUR}">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def _describe(chart: Chart) -> str:
    figures = "; ".join(f"{label}: {value}" for label, value in chart.bars)
    return f"{chart.description} {figures}." if chart.bars else f"{chart.description} Nothing to show."


def _shorten(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
