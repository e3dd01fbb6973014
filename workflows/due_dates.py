"""When tasks are due: each board's ``DueDatePolicy`` (or the defaults), counted in working
days from the day the task was made."""

import datetime

from django.utils import timezone
from viewflow.workflow.models import Task

from .models import DueDatePolicy
from .working_days import working_days_after


def policies_for(board_ids) -> dict[int, DueDatePolicy]:
    """Each board's due dates, read in one query; the defaults (unsaved) for a board without any."""
    board_ids = set(board_ids)
    found = {policy.board_id: policy for policy in DueDatePolicy.objects.filter(board_id__in=board_ids)}
    return {board_id: found.get(board_id) or DueDatePolicy(board_id=board_id) for board_id in board_ids}


def task_due_date(task: Task, policy: DueDatePolicy) -> datetime.date | None:
    """The day the task is due: the board's working days for its kind after the day it was
    made (local time). None when the board gives that kind of task no due date."""
    node = task.flow_task
    days = policy.working_days_for(node.name) if node is not None else 0
    if not days:
        return None
    return working_days_after(timezone.localdate(task.created), days)


def is_overdue(due: datetime.date | None, today: datetime.date) -> bool:
    """Past its due day: a task due today is not overdue until tomorrow."""
    return due is not None and today > due
