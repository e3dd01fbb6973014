"""``{% matrix_row row %}``: a row of the cumulative impact matrix
(``assessments/tags/matrix_row.html``)."""

from django import template

from assessments.cumulative import MatrixRow

register = template.Library()


@register.inclusion_tag("assessments/tags/matrix_row.html")
def matrix_row(row: MatrixRow) -> dict:
    """The row's ``tr``: its heading (label, group, the flag), one cell a column (the words
    say the rating, the class colours it) and its negative, positive and not-known totals."""
    return {"row": row}
