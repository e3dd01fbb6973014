"""Running the workflow from code (demo loader, tests, benchmarks): the same locks,
rules and services as the task pages."""

from collections.abc import Callable

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments.exceptions import NotAllowed

from .flows import IIAFlow


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


def run_task(task: Task, user, work: Callable[[], object]):
    """Claim the task for ``user`` if nobody holds it, do ``work`` and complete the task,
    all under the flow lock in one transaction."""
    with IIAFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        node = task.flow_task
        activation = node.activation_class(task)
        if task.owner_id is None:
            if not node.can_assign(user, task):
                raise NotAllowed(f"{user} cannot claim {node.name}.")
            activation.assign(user)
        if not node.can_execute(user, task):
            raise NotAllowed(f"{user} cannot do {node.name}.")
        activation.start(None)
        result = work()
        activation.execute()
        return result


def claim(task: Task, user) -> None:
    with IIAFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if not task.flow_task.can_assign(user, task):
            raise NotAllowed(f"{user} cannot claim {task.flow_task.name}.")
        task.flow_task.activation_class(task).assign(user)
