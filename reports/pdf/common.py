"""Building blocks of the documents' stories."""

import functools

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import rtl
from .flowables import TaggedParagraph, bidi_wrapped, fits_main_font, text_flowable, wrapped
from .fonts import SANS, SANS_BOLD, clean, markup
from .layout import CONTENT_WIDTH
from .styles import HEADER_FILL, RULE, styles
from .table import Cell, Look, TextTable
from .tagging import table_tags

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


def keywords(code: str, snapshot_sha256: str | None) -> str:
    """The PDF's keywords: its verification code, and the SHA-256 of the snapshot it was
    rendered from once it has one (under the signature, so a reader can check the HTML twin)."""
    words = f"IIA verification code {code}"
    return f"{words}; content SHA-256 {snapshot_sha256}" if snapshot_sha256 else words


def para(text: str, style: str = "body"):
    return text_flowable(text, style)


def rating_words(rating) -> str:
    if rating is None or not rating.ratings:
        return "Not rated"
    return " and ".join(RATING_WORDS[r] for r in rating.ratings)


def cell(text: str, width: float, bold: bool = False) -> Cell:
    """A table cell: pre-wrapped lines when the main font has every character (fast) or
    the text has right-to-left characters (``rtl``), otherwise a Paragraph that draws
    the rest with the fallback fonts."""
    text = clean(text)
    if rtl.has_rtl(text):
        return Cell(bidi_wrapped(text, width - 2 * CELL_PADDING, SANS_BOLD if bold else SANS, CELL_FONT_SIZE),
                    bold=bold, actual=text)
    if fits_main_font(text):
        return Cell(wrapped(text, width - 2 * CELL_PADDING, SANS_BOLD if bold else SANS, CELL_FONT_SIZE), bold=bold)
    # drawn inside its cell's element
    return Cell(flowable=TaggedParagraph(markup(text), styles()["cell_bold" if bold else "cell"]), bold=bold)


@functools.cache
def look(header: bool) -> Look:
    return Look(font=SANS, bold_font=SANS_BOLD, size=CELL_FONT_SIZE, leading=CELL_LEADING,
                padding=(CELL_PADDING, CELL_PADDING, 2.5, 2.5), rule=RULE, rule_width=0.4,
                header_fill=HEADER_FILL if header else None, ink=colors.black)


def _widest_word(text: str, font: str) -> float:
    """The width of the widest word of ``text`` (the narrowest its column can be without
    breaking inside a word). Only the longest words are measured."""
    words = text.split()
    if not words:
        return 0.0
    longest = max(map(len, words))
    return max(stringWidth(w, font, CELL_FONT_SIZE) for w in words if len(w) * 3 >= longest * 2)


def column_widths(header: list[str], rows: list[list], weights: list[float], total: float = CONTENT_WIDTH) -> list[float]:
    """Column widths in proportion to ``weights``, widened where a column would break a
    word ("Evidence-gathering") inside, at the expense of the others. A column is widened
    to at most a third of the table: a longer word still breaks inside."""
    padding = 2 * CELL_PADDING + 0.5
    need = [min(_widest_word(h, SANS_BOLD) + padding, total / 3) for h in header]
    # a word of n characters is at most n em wide: only words that might not fit are measured
    # (a column may lose up to a quarter of its share to the others)
    fits = [w / sum(weights) * total * 0.75 - padding for w in weights]
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and value and max(map(len, value.split()), default=0) * CELL_FONT_SIZE > fits[c]:
                need[c] = max(need[c], min(_widest_word(clean(value), SANS) + padding, total / 3))
    fixed: dict[int, float] = {}
    while True:  # give each column its need, then share the rest by weight
        free = [c for c in range(len(weights)) if c not in fixed]
        room = total - sum(fixed.values())
        share = sum(weights[c] for c in free)
        widths = {c: weights[c] / share * room for c in free} if share else {}
        short = [c for c in free if widths[c] < need[c]]
        if not short or len(short) == len(free):
            break
        fixed.update({c: need[c] for c in short})
    if sum(fixed.values()) > total:  # the needs do not fit side by side: back to the weights
        return [w / sum(weights) * total for w in weights]
    return [fixed.get(c, widths.get(c, 0.0)) for c in range(len(weights))]


def table(header: list[str], rows: list[list], widths: list[float]) -> TextTable:
    """A table with a header row repeated on each page; long cells split across pages.
    The first column heads its row (TH with Scope Row). Columns are as wide as ``widths``
    weighs them, or as their widest word needs (``column_widths``)."""
    col_widths = column_widths(header, rows, widths)
    data = [[cell(h, w, bold=True) for h, w in zip(header, col_widths, strict=True)]]
    for row in rows:
        data.append([cell(c, w) if isinstance(c, str) else c for c, w in zip(row, col_widths, strict=True)])
    _table, tags = table_tags(len(data), len(col_widths), header=True, row_headers=True)
    return TextTable(data, col_widths, tags, look(True), header_rows=1)


def facts(pairs: list[tuple[str, str]]) -> TextTable:
    """A two-column list of labels and values."""
    widths = [0.3 * CONTENT_WIDTH, 0.7 * CONTENT_WIDTH]
    data = [[cell(k, widths[0], bold=True), cell(v or "–", widths[1])] for k, v in pairs]
    _table, tags = table_tags(len(data), 2, header=False, row_headers=True)
    return TextTable(data, widths, tags, look(False))


def date(value) -> str:
    if value is None:
        return ""
    return value.strftime("%-d %B %Y")


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
