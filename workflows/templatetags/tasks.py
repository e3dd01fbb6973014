"""``{% task_row item %}``: a task list's row (``workflows/tags/task_row.html``)."""

from django import template

from workflows.selectors import TaskView

register = template.Library()


@register.inclusion_tag("workflows/tags/task_row.html")
def task_row(item: TaskView) -> dict:
    """The task's ``tr``: its button, named by what to do (for whom, under a delegation, and
    why only a release is offered), its due date (overdue ones marked in words) and its age.
    Its plan change heads the group the row is in."""
    return {"item": item}
