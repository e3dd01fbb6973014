"""Reads of workflow state: the current records of a process, inboxes and queues."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments import rules
from assessments.catalogue import part_by_code
from assessments.models import Assessment, Screening

from .models import IIAProcess


def process_screening(process: IIAProcess) -> Screening | None:
    return Screening.objects.filter(plan_change_id=process.plan_change_id).order_by("-created_at", "-pk").first()


def process_assessment(process: IIAProcess) -> Assessment | None:
    return (
        Assessment.objects.filter(plan_change_id=process.plan_change_id)
        .select_related("plan_change", "template")
        .order_by("-version")
        .first()
    )


def _tasks() -> QuerySet[Task]:
    return Task.objects.select_related(
        "process__iiaprocess__plan_change__board", "owner"
    ).order_by("created", "pk")


def _delegated(user) -> Q:
    """Tasks of the people who delegated a role on a board to the user (active today): of
    that role's nodes, on that board only."""
    from .flows import IIAFlow

    found = Q(pk__in=[])
    for (board_id, role), delegators in rules.delegations_to(user).items():
        nodes = [node for node in IIAFlow.instance.nodes() if getattr(node, "role", None) == role]
        found |= Q(owner_id__in=delegators, process__iiaprocess__board_id=board_id, flow_task__in=nodes)
    return found


def inbox(user) -> QuerySet[Task]:
    """Tasks assigned to the user, and the tasks of anyone who delegated theirs to the user,
    on the user's boards."""
    return _tasks().filter(
        Q(owner=user) | _delegated(user),
        status__in=[STATUS.ASSIGNED, STATUS.STARTED],
        process__iiaprocess__board_id__in=rules.board_ids(user),
    )


def queue(user) -> list[Task]:
    """Unclaimed tasks the user could claim: their role on the task's board, and the
    task's own rule (an equality lead never sees a review of their own work)."""
    candidates = _tasks().filter(
        status=STATUS.NEW,
        owner__isnull=True,
        process__iiaprocess__board_id__in=rules.board_ids(user),
    )
    return [task for task in candidates if task.flow_task.can_assign(user, task)]


# The inbox and the queue show this many tasks a page.
TASKS_PER_PAGE = 50


@dataclass
class TaskPage:
    """One page of a task list: its tasks, and whether there are pages after it."""

    tasks: list
    number: int
    has_next: bool


def inbox_page(user, number: int = 1) -> TaskPage:
    """One page of the inbox: the oldest tasks first."""
    number = max(1, number)
    start = (number - 1) * TASKS_PER_PAGE
    found = list(inbox(user)[start:start + TASKS_PER_PAGE + 1])
    return TaskPage(found[:TASKS_PER_PAGE], number, len(found) > TASKS_PER_PAGE)


def queue_page(user, number: int = 1) -> TaskPage:
    """One page of the queue. Whether a task may be claimed is the task's own rule, so the
    candidates are read in batches, oldest first, only until the page is full."""
    number = max(1, number)
    wanted = number * TASKS_PER_PAGE + 1
    found = []
    candidates = _tasks().filter(
        status=STATUS.NEW,
        owner__isnull=True,
        process__iiaprocess__board_id__in=rules.board_ids(user),
    )
    for task in candidates.iterator(chunk_size=TASKS_PER_PAGE * 2):
        if task.flow_task.can_assign(user, task):
            found.append(task)
            if len(found) == wanted:
                break
    start = (number - 1) * TASKS_PER_PAGE
    return TaskPage(found[start:start + TASKS_PER_PAGE], number, len(found) == wanted)


def process_tasks(plan_change_id: int) -> QuerySet[Task]:
    return (
        Task.objects.filter(process__iiaprocess__plan_change_id=plan_change_id)
        .select_related("owner")
        .order_by("created", "pk")
    )


@dataclass
class TaskView:
    """A task as lists show it. ``for_whom`` names the owner when the user holds the task
    under a delegation; ``note`` says why a delegate can only release it."""

    task: Task
    title: str
    url: str
    action: str  # "Open", "Claim", "Release"
    for_whom: str = ""
    note: str = ""


def task_title(task: Task) -> str:
    part = (task.data or {}).get("part")
    if part:
        assessment = process_assessment(task.process.coerced)
        try:
            return f"Complete “{part_by_code(assessment.template, part).title}”"
        except KeyError:
            return "Complete a part of the IIA"
    return task.flow_task.task_title


def describe(task: Task, user) -> TaskView:
    title = task_title(task)
    if task.owner_id is None:
        return TaskView(task, title, task_url(task, "assign"), "Claim")
    for_whom = "" if task.owner_id == user.pk else (task.owner.get_full_name() or task.owner.get_username())
    if task.flow_task.can_execute(user, task):
        return TaskView(task, title, task_url(task, "execute"), "Open", for_whom)
    return TaskView(task, title, task_url(task, "unassign"), "Release", for_whom,
                    "You took part in this assessment, so you cannot do this task: release it to the queue "
                    "for a colleague.")


def task_url(task: Task, name: str) -> str:
    """URL of one of a task's pages (``execute``, ``assign``, ``unassign``).

    Reversed by name rather than through viewflow's ``Node.reverse``, which only works
    once the URLconf has been built."""
    return reverse(f"iia:{task.flow_task.name}:{name}", args=[task.process_id, task.pk])
