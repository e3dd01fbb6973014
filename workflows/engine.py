"""Running the workflow from code (the REST API, demo loader, tests, benchmarks): the same
locks, rules and services as the task pages."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from assessments import services
from assessments.exceptions import NotAllowed
from assessments.models import Assessment

from .exceptions import Conflict
from .flows import IIAFlow
from .models import IIAProcess
from .notifications import task_read_under_lock


def active_task(plan_change, node) -> Task | None:
    """The plan change's open task of the given node, if there is one."""
    return (
        Task.objects.filter(
            process__iiaprocess__plan_change=plan_change,
            flow_task=node,
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
        )
        .order_by("created", "pk")
        .first()
    )


def active_tasks(plan_change, node) -> list[Task]:
    return list(
        Task.objects.filter(
            process__iiaprocess__plan_change=plan_change,
            flow_task=node,
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
        ).order_by("created", "pk")
    )


def _reload(task: Task) -> Task:
    """Read the task again under the lock, in place, with its process and the IIA process
    the rules and nodes look at (one query instead of three)."""
    task.refresh_from_db(from_queryset=Task.objects.select_related("process__iiaprocess"))
    task_read_under_lock(task)
    return task


# The flow lock opens the transaction; ``atomic(savepoint=False)`` below only asserts it is
# there (an error leaves through the lock's block, which rolls everything back).


def run_task(task: Task, user, work: Callable[[], object]):
    """Claim the task for ``user`` if nobody holds it, do ``work`` and complete the task,
    all under the flow lock in one transaction."""
    with IIAFlow.lock(task.process_id), transaction.atomic(savepoint=False):
        _reload(task)
        node = task.flow_task
        activation = node.activation_class(task)
        if task.owner_id is None:
            # can_assign checks the node's rule for this user, as can_execute would again
            # once the user holds the task; the service checks its own rule as well
            if not node.can_assign(user, task):
                raise NotAllowed(f"{user} cannot claim {node.name}.")
            activation.assign(user)
        elif not node.can_execute(user, task):
            raise NotAllowed(f"{user} cannot do {node.name}.")
        activation.start(None)
        result = work()
        activation.execute()
        return result


def claim(task: Task, user) -> None:
    with IIAFlow.lock(task.process_id), transaction.atomic():
        _reload(task)
        if not task.flow_task.can_assign(user, task):
            raise NotAllowed(f"{user} cannot claim {task.flow_task.name}.")
        task.flow_task.activation_class(task).assign(user)


def withdraw(assessment: Assessment, by, reason: str) -> Assessment:
    """Withdraw the assessment and end its workflow: its open tasks are cancelled and the
    process is marked cancelled, under the flow lock, in the transition's transaction.
    The tasks are cancelled by status, as viewflow's own process cancel does; a join still
    waiting for parts has no cancel transition of its own, so no per-node transition is used."""
    process = (
        IIAProcess.objects.filter(plan_change_id=assessment.plan_change_id, status=PROCESS.NEW).order_by("-pk").first()
    )
    if process is None:
        return services.assessment_withdraw(assessment=assessment, by=by, reason=reason)
    with IIAFlow.lock(process.pk), transaction.atomic():
        assessment = services.assessment_withdraw(assessment=assessment, by=by, reason=reason)
        finished = timezone.now()
        process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]).update(
            status=STATUS.CANCELED, finished=finished
        )
        IIAProcess.objects.filter(pk=process.pk).update(status=PROCESS.CANCELED, finished=finished)
    return assessment


# --- the same checks as the task pages (nodes.wrap_task_view), for callers without a page -----

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _refuse(task: Task, user, permitted) -> None:
    """Raise what the task pages answer: a ``Conflict`` (409) when the task is done or
    someone else holds a task the user could otherwise take, ``NotAllowed`` (403) when
    the user's role or involvement rules them out."""
    if task.status not in ACTIVE:
        raise Conflict("This task has already been completed by someone else. Nothing you sent was saved.")
    if permitted(user, task):
        return
    node = task.flow_task
    if task.owner_id and task.owner_id != user.pk and node._allowed(user, task):
        raise Conflict("Someone else has claimed this task. Nothing you sent was saved.")
    raise NotAllowed(f"{user} cannot do “{node.task_title}”.")


def task_claim(task: Task, user) -> Task:
    """Claim an unassigned task, under the flow lock; the task's own rule decides who may."""
    with IIAFlow.lock(task.process_id), transaction.atomic():
        _reload(task)
        if task.status in ACTIVE and task.owner_id == user.pk:
            raise Conflict("You already hold this task.")
        _refuse(task, user, task.flow_task.can_assign)
        task.flow_task.activation_class(task).assign(user)
    return task


def task_release(task: Task, user) -> Task:
    """Give a task the user holds back to the queue."""
    with IIAFlow.lock(task.process_id), transaction.atomic():
        _reload(task)
        _refuse(task, user, task.flow_task.can_unassign)
        task.flow_task.activation_class(task).unassign()
    return task


def task_check(task: Task, user) -> None:
    """Whether the user may work on the task now (what ``task_work`` checks again under
    the lock): a 409 to claim an unclaimed task first, or when someone else holds it."""
    if task.status in ACTIVE and task.owner_id is None and task.flow_task._allowed(user, task):
        raise Conflict("Claim this task before working on it.")
    _refuse(task, user, task.flow_task.can_execute)


def task_work(task: Task, user, work: Callable[[], object], *, finish: bool):
    """Do ``work`` on a task the user holds, under the flow lock in one transaction;
    ``finish`` also completes the task so the flow moves on (a draft save does not)."""
    with IIAFlow.lock(task.process_id), transaction.atomic(savepoint=False):
        _reload(task)
        task_check(task, user)
        if not finish:
            return work()
        activation = task.flow_task.activation_class(task)
        activation.start(None)
        result = work()
        activation.execute()
        return result


def plan_change_start(**details):
    """Record a plan change (``services.plan_change_create`` checks the rule and writes the
    audit) and start its workflow, in one transaction: its pre-screening goes to the author."""
    with transaction.atomic():
        plan_change = services.plan_change_create(**details)
        IIAFlow.start.run(plan_change=plan_change)
    return plan_change
