"""An assessment summary's rows, written by one tag, say what the template said."""

import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from assessments.selectors import RowSummary

# the rows' markup as the template wrote it before the tag
TEMPLATE = Template(
    '<tr><th scope="row">{{ item.row.label }}</th>'
    '<td>{% for value, words in item.named %}<span class="rating-{{ value }}">{{ words }}</span>{% if not forloop.last %}'
    ' and {% endif %}{% empty %}Not rated{% endfor %}</td>'
    '<td class="pre">{{ item.rating.explanation }}{% if item.rating.justification %}<br><strong>Justification:</strong>'
    ' {{ item.rating.justification }}{% endif %}</td></tr>'
)
TAG = Template("{% load summary %}{% summary_row item %}")


@pytest.mark.parametrize("rating, named", [
    (None, []),
    (SimpleNamespace(explanation="Fewer <places> & \"beds\".", justification=""), [("negative", "Negative")]),
    (SimpleNamespace(explanation="Mixed.\nSecond line.", justification="Needed <now>."),
     [("positive", "Positive"), ("negative", "Negative")]),
    (SimpleNamespace(explanation="", justification=""), []),
])
def test_a_row_reads_as_the_template_wrote_it(rating, named):
    item = RowSummary(SimpleNamespace(label="Age <65> & over"), rating, named)
    expected = TEMPLATE.render(Context({"item": item}))
    written = TAG.render(Context({"item": item}))
    assert written == re.sub(r">\s+<", "><", expected)
    assert "<65>" not in written and "<places>" not in written and "<now>" not in written  # what people wrote is escaped
