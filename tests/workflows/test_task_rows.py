"""A task list's rows, written by one tag: a button named by the task, its due date (overdue
ones marked in words), its age; everything escaped."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from workflows.selectors import TaskView

TAG = Template("{% load tasks %}{% task_row item %}")


def _task(title):
    plan_change = SimpleNamespace(pk=42, reference="DIJB-0042", title=title, board=SimpleNamespace(short_name="Dundee <IJB>"))
    return SimpleNamespace(process=SimpleNamespace(coerced=SimpleNamespace(plan_change=plan_change)),
                           created=datetime.datetime(2026, 7, 9, 23, 30, tzinfo=datetime.UTC))


@pytest.mark.parametrize("action, for_whom, note, label", [
    ("Claim", "", "", "Claim: Complete “Evidence” &amp; &lt;more&gt;"),
    ("Open", "Ann <Smith> & co", "", "Complete “Evidence” &amp; &lt;more&gt;"),
    ("Release", "Bob", "You took part in this assessment, so you cannot do this task.",
     "Release: Complete “Evidence” &amp; &lt;more&gt;"),
])
def test_a_row_names_its_task_on_its_button(action, for_whom, note, label):
    item = TaskView(_task('Close "day" centre <b>'), "Complete “Evidence” & <more>", "/workflow/1/x/2/execute/", action,
                    for_whom, note, due=datetime.date(2026, 7, 23))
    written = TAG.render(Context({"item": item}))
    assert f'href="/workflow/1/x/2/execute/">{label}<span class="visually-hidden">, DIJB-0042</span></a>' in written
    assert "<b>" not in written and "<more>" not in written and "<Smith>" not in written
    assert ("button-secondary" in written) == (action != "Open")
    assert ">Open<" not in written
    assert "<td>23 July 2026</td>" in written and "10 July 2026, 00:30" in written
    assert ("For Ann &lt;Smith&gt; &amp; co (delegated to you)" in written) == (for_whom == "Ann <Smith> & co")
    assert ('class="hint"' in written) == bool(note) and note in written


def test_an_overdue_row_says_so_in_words():
    item = TaskView(_task("A change"), "Review the IIA", "/x/", "Open", due=datetime.date(2026, 7, 23), overdue=True)
    written = TAG.render(Context({"item": item}))
    assert '<strong class="tag tag-warn">Overdue</strong> was due 23 July 2026' in written


def test_a_row_without_a_due_date_says_so():
    written = TAG.render(Context({"item": TaskView(_task("A change"), "Review the IIA", "/x/", "Open")}))
    assert "<td>No due date</td>" in written
