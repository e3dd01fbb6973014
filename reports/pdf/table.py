"""Tables of text, drawn directly.

reportlab's Table is general (spans, styles per cell, any flowable in a cell) and pays
for it on every table: a style object per cell, style commands applied cell by cell,
a text object per line. The documents' tables are simpler: pre-wrapped lines in one
font per cell (or, for text the main font cannot draw, a Paragraph), a shaded header
row repeated on each page, a rule under each row. ``TextTable`` lays those out and
draws them as their TH/TD structure elements, with the fills and rules as artifacts;
it splits between rows and, for a row too tall for what is left of a page, inside it.
"""

from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

from . import rtl
from .tagging import RowTags, Structure, structure_of

EPSILON = 1e-6


@dataclass(frozen=True)
class Look:
    font: str
    bold_font: str
    size: float
    leading: float
    padding: tuple[float, float, float, float]  # left, right, top, bottom
    rule: object  # a reportlab colour
    rule_width: float
    header_fill: object | None = None
    ink: object = None


@dataclass(frozen=True)
class Cell:
    """Pre-wrapped lines in the main font (or ``rtl.Line``s of text with right-to-left
    characters), or a flowable for other text that needs the fallback fonts."""

    lines: tuple = ()
    flowable: Flowable | None = None
    bold: bool = False
    actual: str | None = None  # the text as typed, for its element (right-to-left text)


def _rgb(colour) -> str:
    return fp_str(colour.red, colour.green, colour.blue)


class TextTable(Flowable):
    """Rows of ``Cell`` with their structure elements (``tags``: a ``RowTags`` per row,
    None for a header row repeated on a later page). The first ``header_rows`` rows are
    the header, shaded and repeated on every page the table runs onto."""

    def __init__(self, rows: list[list[Cell]], widths: list[float], tags: list[RowTags | None], look: Look, *,
                 header_rows: int = 0, heights: list[float] | None = None):
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.tags = tags
        self.look = look
        self.header_rows = header_rows
        self._heights = heights
        self.width = sum(widths)
        self.height = 0
        for row, row_tags in zip(rows, tags, strict=True):
            for cell, node in zip(row, row_tags.cells if row_tags else (), strict=False):
                if cell.actual:
                    node.actual = cell.actual

    def _cell_height(self, cell: Cell, width: float) -> float:
        left, right, top, bottom = self.look.padding
        if cell.flowable is not None:
            _w, h = cell.flowable.wrap(width - left - right, 1e9)
        else:
            h = len(cell.lines) * self.look.leading
        return h + top + bottom

    def _row_height(self, row: list[Cell]) -> float:
        return max(self._cell_height(cell, w) for cell, w in zip(row, self.widths, strict=True))

    def wrap(self, avail_width, avail_height):
        if self._heights is None:
            self._heights = [self._row_height(row) for row in self.rows]
        self.height = sum(self._heights)
        return self.width, self.height

    def _part(self, rows: list[list[Cell]], tags: list, heights: list[float] | None) -> "TextTable":
        return TextTable(rows, self.widths, tags, self.look, header_rows=self.header_rows, heights=heights)

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        n = self.header_rows
        heights = self._heights
        used, k = sum(heights[:n]), n
        while k < len(self.rows) and used + heights[k] <= avail_height + EPSILON:
            used += heights[k]
            k += 1
        if k == len(self.rows):
            return []
        head, repeated = self.rows[:n], [None] * n
        halves = self._split_row(self.rows[k], avail_height - used)
        if halves is None:
            if k == n:
                return []  # not even one line of the first row fits: the table moves on
            return [self._part(self.rows[:k], self.tags[:k], heights[:k]),
                    self._part(head + self.rows[k:], repeated + self.tags[k:], heights[:n] + heights[k:])]
        top, bottom = halves
        return [self._part(self.rows[:k] + [top], self.tags[:k + 1], None),
                self._part(head + [bottom] + self.rows[k + 1:], repeated + self.tags[k:], None)]

    def _split_row(self, row: list[Cell], room: float) -> tuple[list[Cell], list[Cell]] | None:
        """The row cut to fit ``room`` and the rest of it, or None when not one line fits
        (or a cell cannot be cut)."""
        left, right, top_pad, bottom_pad = self.look.padding
        room -= top_pad + bottom_pad
        fit = int((room + EPSILON) // self.look.leading)
        if fit < 1:
            return None
        top, bottom = [], []
        for cell, width in zip(row, self.widths, strict=True):
            if cell.flowable is None:
                top.append(Cell(cell.lines[:fit], bold=cell.bold))
                bottom.append(Cell(cell.lines[fit:], bold=cell.bold))
                continue
            _w, h = cell.flowable.wrap(width - left - right, 1e9)
            if h <= room + EPSILON:
                top.append(cell)
                bottom.append(Cell(bold=cell.bold))
                continue
            parts = cell.flowable.split(width - left - right, room)
            if len(parts) < 2:
                return None
            top.append(Cell(flowable=parts[0], bold=cell.bold))
            bottom.append(Cell(flowable=parts[1], bold=cell.bold))
        return top, bottom

    def draw(self):
        canvas = self.canv
        structure = structure_of(canvas)
        look = self.look
        left, _right, top_pad, _bottom = look.padding
        ink = _rgb(look.ink) if look.ink is not None else "0 0 0"
        y = self.height
        boundaries = []
        for index, (row, height) in enumerate(zip(self.rows, self._heights, strict=True)):
            tags = self.tags[index]
            if index < self.header_rows and look.header_fill is not None:
                canvas.addLiteral(f"/Artifact BMC q {_rgb(look.header_fill)} rg 0 {fp_str(y - height)} "
                            f"{fp_str(self.width, height)} re f Q EMC")
            x = 0.0
            for column, (cell, width) in enumerate(zip(row, self.widths, strict=True)):
                if structure is not None:
                    if tags is None:
                        Structure.artifact(canvas)
                    else:
                        structure.begin(canvas, tags.cells[column])
                if cell.flowable is not None:
                    _w, h = cell.flowable.wrap(width - left - look.padding[1], 1e9)
                    cell.flowable.drawOn(canvas, x + left, y - top_pad - h)
                elif cell.lines:
                    self._draw_lines(cell, x + left, y - top_pad - look.size, ink, width - left - look.padding[1])
                if structure is not None:
                    Structure.end(canvas)
                x += width
            y -= height
            boundaries.append(y)
        rules = " ".join(f"0 {fp_str(b)} m {fp_str(self.width, b)} l" for b in boundaries)
        canvas.addLiteral(f"/Artifact BMC q {fp_str(look.rule_width)} w {_rgb(look.rule)} RG {rules} S Q EMC")

    def _draw_lines(self, cell: Cell, x: float, y: float, ink: str, width: float) -> None:
        canvas = self.canv
        font_name = self.look.bold_font if cell.bold else self.look.font
        if isinstance(cell.lines[0], rtl.Line):
            rtl.draw_lines(canvas, cell.lines, x=x, y=y, width=width, font=font_name, size=self.look.size,
                           leading=self.look.leading, ink=ink)
            return
        canvas.addLiteral(f"q {ink} rg")
        text = canvas.beginText(x, y)
        text.setFont(font_name, self.look.size, self.look.leading)
        for line in cell.lines:
            text.textLine(line)
        canvas.drawText(text)
        canvas.addLiteral("Q")
