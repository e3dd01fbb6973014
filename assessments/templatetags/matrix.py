"""The cumulative impact matrix's cells, written in one pass.

A matrix page has a cell for every row of the form and every column (about 1,500 at 60 rows
and 25 plan changes); the template language took more time over them than the rest of the
page. A cell's HTML depends only on its ratings and whether the row is in its form version,
so each kind is built once and reused."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from assessments.cumulative import Cell, MatrixRow

register = template.Library()


@lru_cache(maxsize=512)
def cell_html(cell: Cell) -> str:
    return f'<td class="cell cell-{cell.kind}">{escape(cell.label)}</td>'


@register.simple_tag
def matrix_cells(row: MatrixRow) -> SafeString:
    """The row's cells, one ``td`` a column: the words say the rating, the class colours it."""
    return SafeString("".join([cell_html(cell) for cell in row.cells]))


@register.simple_tag
def matrix_totals(row: MatrixRow) -> SafeString:
    """The row's negative, positive and not-known counts over every column in scope."""
    totals = row.totals
    return SafeString("".join(f'<td class="num">{int(totals[kind])}</td>' for kind in ("negative", "positive", "not_known")))
