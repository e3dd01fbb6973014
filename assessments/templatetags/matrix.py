"""The cumulative impact matrix's rows, written in one pass.

A matrix page has a cell for every row of the form and every column (about 1,500 at 60 rows
and 25 plan changes); the template language took more time over them than the rest of the
page. A cell's HTML depends only on its ratings and whether the row is in its form version,
so each kind is built once and reused; each row is one tag (the template's own per-row
markup was still 5 ms of a page)."""

from functools import lru_cache

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify

from assessments.cumulative import Cell, MatrixRow

register = template.Library()


@lru_cache(maxsize=512)
def cell_html(cell: Cell) -> str:
    return f'<td class="cell cell-{cell.kind}">{escape(cell.label)}</td>'


@register.simple_tag
def matrix_row(row: MatrixRow) -> SafeString:
    """The row's ``tr``: its heading (label, group, the flag), its cells and its totals."""
    head = escape(row.label)
    if row.group:
        head += format_html('<br><span class="hint">{}</span>', row.group)
    if row.flagged:
        head += format_html('<br><strong class="flag">Negative in {} changes</strong>', int(row.totals["negative"]))
    flagged = ' class="matrix-flagged"' if row.flagged else ""
    return SafeString(f'<tr id="row-{escape(slugify(row.code))}"{flagged}><th scope="row">{head}</th>'
                      f"{matrix_cells(row)}{matrix_totals(row)}</tr>")


def matrix_cells(row: MatrixRow) -> str:
    """The row's cells, one ``td`` a column: the words say the rating, the class colours it."""
    return "".join([cell_html(cell) for cell in row.cells])


def matrix_totals(row: MatrixRow) -> str:
    """The row's negative, positive and not-known counts over every column in scope."""
    totals = row.totals
    return "".join(f'<td class="num">{int(totals[kind])}</td>' for kind in ("negative", "positive", "not_known"))
