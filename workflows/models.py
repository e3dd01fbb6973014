"""The workflow's process: one per plan change, carrying its board for scoping."""

from django.db import models
from viewflow.workflow.models import Process

from assessments.models import Board, PlanChange


class IIAProcess(Process):
    """A run of ``IIAFlow`` for one plan change.

    The board is stored on the process so every task query can be scoped to the
    user's boards without joining through the plan change.
    """

    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="processes")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="processes")

    class Meta:
        verbose_name = "IIA process"
        verbose_name_plural = "IIA processes"
