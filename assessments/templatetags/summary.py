"""An assessment summary's rows, one tag each.

A summary has a row for every row of the form (about 60); the template language's own
per-row markup was a fifth of the plan change page's time."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from assessments.selectors import RowSummary

register = template.Library()


@register.simple_tag
def summary_row(item: RowSummary) -> SafeString:
    """The row's ``tr``: its label, its rating in words (each coloured by its class), and
    the explanation and justification given."""
    rating = " and ".join(format_html('<span class="rating-{}">{}</span>', value, words) for value, words in item.named)
    said = ""
    if item.rating is not None:
        said = escape(item.rating.explanation)
        if item.rating.justification:
            said += format_html("<br><strong>Justification:</strong> {}", item.rating.justification)
    return SafeString(f'<tr><th scope="row">{escape(item.row.label)}</th><td>{rating or "Not rated"}</td>'
                      f'<td class="pre">{said}</td></tr>')
