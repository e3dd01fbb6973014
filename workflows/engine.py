"""Finding a plan change's open tasks, and starting its workflow."""

from django.db import transaction
from viewflow.workflow.models import Task

from assessments import services

from .flows import IIAFlow
from .models import ACTIVE_STATUSES


def _open(plan_change, node):
    return Task.objects.filter(
        process__iiaprocess__plan_change=plan_change, flow_task=node, status__in=ACTIVE_STATUSES
    ).order_by("created", "pk")


def active_tasks(plan_change, node) -> list[Task]:
    """The plan change's open tasks of the given node, oldest first."""
    return list(_open(plan_change, node))


def active_task(plan_change, node) -> Task | None:
    """The plan change's open task of the given node, if there is one."""
    return _open(plan_change, node).first()


def plan_change_start(**details):
    """Record a plan change (``services.plan_change_create`` checks the rule and writes the
    audit) and start its workflow, in one transaction: its pre-screening goes to the author."""
    with transaction.atomic():
        plan_change = services.plan_change_create(**details)
        IIAFlow.start.run(plan_change=plan_change)
    return plan_change
