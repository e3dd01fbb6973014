"""Building blocks of the documents' stories."""

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from .flowables import TaggedParagraph, fits_main_font, text_flowable, wrapped
from .fonts import SANS, SANS_BOLD, clean, markup
from .layout import CONTENT_WIDTH
from .styles import HEADER_FILL, RULE, styles
from .tagging import table_render_callback, table_tags

CELL_FONT_SIZE = 8.5
CELL_LEADING = 10.5
CELL_PADDING = 3

RATING_WORDS = {
    "positive": "Positive",
    "negative": "Negative",
    "no_impact": "No impact",
    "not_known": "Not known",
    "not_applicable": "Not applicable",
}


def para(text: str, style: str = "body"):
    return text_flowable(text, style)


def rating_words(rating) -> str:
    if rating is None or not rating.ratings:
        return "Not rated"
    return " and ".join(RATING_WORDS[r] for r in rating.ratings)


def cell(text: str, width: float, bold: bool = False):
    """A table cell: a pre-wrapped string when the main font has every character (fast),
    otherwise a Paragraph that draws the rest with the fallback fonts."""
    text = clean(text)
    if fits_main_font(text):
        return "\n".join(wrapped(text, width - 2 * CELL_PADDING, SANS_BOLD if bold else SANS, CELL_FONT_SIZE))
    return TaggedParagraph(markup(text), styles()["cell_bold" if bold else "cell"])  # drawn inside its cell's element


class TaggedTable(Table):
    """A table whose cells are drawn as their TH/TD elements (see ``tagging``). The row
    elements travel with the rows when the table splits across pages; a header row
    repeated on a later page is an artifact."""

    def __init__(self, *args, iia_rows=None, **kwargs):
        kwargs.setdefault("renderCB", table_render_callback)
        super().__init__(*args, **kwargs)
        self._iia_rows = iia_rows or []

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if len(parts) == 2:
            first, rest = parts
            rows = self._iia_rows
            first._iia_rows = rows[:len(first._cellvalues)]
            repeated = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
            in_row_split = len(first._cellvalues) + len(rest._cellvalues) - repeated == len(rows) + 1
            start = len(first._cellvalues) - (1 if in_row_split else 0)
            rest._iia_rows = [None] * repeated + rows[start:]
        return parts


def table(header: list[str], rows: list[list], widths: list[float]) -> Table:
    """A table with a repeated header row; long cells split across pages."""
    total = sum(widths)
    col_widths = [w / total * CONTENT_WIDTH for w in widths]
    data = [[cell(h, w, bold=True) for h, w in zip(header, col_widths, strict=True)]]
    for row in rows:
        data.append([c if not isinstance(c, str) else cell(c, w) for c, w in zip(row, col_widths, strict=True)])
    _table, tags = table_tags(len(data), len(col_widths), header=True, row_headers=True)
    t = TaggedTable(data, colWidths=col_widths, repeatRows=1, splitInRow=1, iia_rows=tags)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, CELL_FONT_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, CELL_FONT_SIZE, CELL_LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), colors.black),
    ]))
    return t


def facts(pairs: list[tuple[str, str]]) -> Table:
    """A two-column list of labels and values."""
    widths = [0.3 * CONTENT_WIDTH, 0.7 * CONTENT_WIDTH]
    data = [[cell(k, widths[0], bold=True), cell(v or "–", widths[1])] for k, v in pairs]
    _table, tags = table_tags(len(data), 2, header=False, row_headers=True)
    t = TaggedTable(data, colWidths=widths, splitInRow=1, iia_rows=tags)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, CELL_FONT_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (0, -1), SANS_BOLD, CELL_FONT_SIZE, CELL_LEADING),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return t


def date(value) -> str:
    if value is None:
        return ""
    return value.strftime("%-d %B %Y")


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
