"""A task list's rows, one tag each.

The inbox and the queue show 50 tasks a page; the template language's own per-row markup
(a dozen lookups a row) was a fifth of the page's time."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from workflows.selectors import TaskView

register = template.Library()


@register.simple_tag
def task_row(item: TaskView) -> SafeString:
    """The task's ``tr``: what to do (for whom, under a delegation, and why only a release
    is offered), its plan change, board and age, and the action's button."""
    plan_change = item.plan_change
    task = format_html("{}", item.title)
    if item.for_whom:
        task += format_html('<br><span class="tag tag-muted">For {} (delegated to you)</span>', item.for_whom)
    if item.note:
        task += format_html('<p class="hint">{}</p>', item.note)
    return format_html(
        '<tr><td>{}</td><td><a href="{}">{} {}</a></td><td>{}</td><td>{}</td>'
        '<td><a class="button{}" href="{}">{}<span class="visually-hidden">: {}, {}</span></a></td></tr>',
        task, item.plan_change_url, plan_change.reference, plan_change.title, plan_change.board.short_name,
        item.waiting_since, " button-secondary" if item.action == "Claim" else "", item.url, item.action,
        item.title, plan_change.reference,
    )
