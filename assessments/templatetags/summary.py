"""``{% summary_row item %}``: an assessment summary's row (``assessments/tags/summary_row.html``)."""

from django import template

from assessments.selectors import RowSummary

register = template.Library()


@register.inclusion_tag("assessments/tags/summary_row.html")
def summary_row(item: RowSummary) -> dict:
    """The row's ``tr``: its label, its rating in words (each coloured by its class), and
    the explanation and justification given."""
    return {"item": item}
