"""A task list's rows, written by one tag, say what the template said."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from workflows.selectors import TaskView

# the rows' markup as the template wrote it before the tag
TEMPLATE = Template(
    "{% with pc=item.plan_change %}<tr>"
    '<td>{{ item.title }}{% if item.for_whom %}<br><span class="tag tag-muted">For {{ item.for_whom }} (delegated to you)'
    '</span>{% endif %}{% if item.note %}<p class="hint">{{ item.note }}</p>{% endif %}</td>'
    '<td><a href="{{ item.plan_change_url }}">{{ pc.reference }} {{ pc.title }}</a></td>'
    "<td>{{ pc.board.short_name }}</td><td>{{ item.waiting_since }}</td>"
    "<td><a class=\"button{% if item.action == 'Claim' %} button-secondary{% endif %}\" href=\"{{ item.url }}\">"
    '{{ item.action }}<span class="visually-hidden">: {{ item.title }}, {{ pc.reference }}</span></a></td>'
    "</tr>{% endwith %}"
)
TAG = Template("{% load tasks %}{% task_row item %}")


def _task(title):
    plan_change = SimpleNamespace(pk=42, reference="DIJB-0042", title=title, board=SimpleNamespace(short_name="Dundee <IJB>"))
    return SimpleNamespace(process=SimpleNamespace(coerced=SimpleNamespace(plan_change=plan_change)),
                           created=datetime.datetime(2026, 7, 9, 23, 30, tzinfo=datetime.UTC))


@pytest.mark.parametrize("action, for_whom, note", [
    ("Claim", "", ""),
    ("Open", "Ann <Smith> & co", ""),
    ("Release", "Bob", "You took part in this assessment, so you cannot do this task."),
])
def test_a_row_reads_as_the_template_wrote_it(action, for_whom, note):
    item = TaskView(_task('Close "day" centre <b>'), "Complete “Evidence” & <more>", "/workflow/1/x/2/execute/", action,
                    for_whom, note)
    written = TAG.render(Context({"item": item}))
    assert written == re.sub(r">\s+<", "><", TEMPLATE.render(Context({"item": item})))
    assert "<b>" not in written and "<more>" not in written and "<Smith>" not in written and "<IJB>" not in written
    assert ("button-secondary" in written) == (action == "Claim")
