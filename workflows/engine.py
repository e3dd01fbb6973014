"""Running the workflow from code (demo loader, tests, benchmarks): the same locks,
rules and services as the task pages."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from assessments import services
from assessments.exceptions import NotAllowed
from assessments.models import Assessment

from .flows import IIAFlow
from .models import IIAProcess


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
