"""Task lists grouped by plan change: each group with its plan change's progress, the
groups soonest due first, then oldest first."""

import datetime
from dataclasses import dataclass

from assessments.catalogue import parallel_part_codes
from assessments.links import id_url
from assessments.models import PartProgress
from assessments.models.assessment import PartStatus

from .selectors import TaskView


@dataclass
class TaskGroup:
    """The tasks of one plan change in a list, and how far its assessment has got:
    ``parts_done`` of ``parts_total`` parts complete (both None before there is an assessment)."""

    plan_change: object
    tasks: list[TaskView]
    parts_done: int | None = None
    parts_total: int | None = None

    @property
    def plan_change_url(self) -> str:
        return id_url("plan_change_detail", self.plan_change.pk)

    @property
    def progress(self) -> str:
        """"3 of 5 parts done", or "Pre-screening" before there is an assessment."""
        if self.parts_total is None:
            return "Pre-screening"
        return f"{self.parts_done} of {self.parts_total} parts done"

    @property
    def due(self) -> datetime.date | None:
        """The soonest due date of its tasks (None: none of them has one)."""
        return min((view.due for view in self.tasks if view.due is not None), default=None)

    @property
    def overdue(self) -> int:
        """How many of its tasks are overdue."""
        return sum(1 for view in self.tasks if view.overdue)

    @property
    def oldest(self) -> datetime.datetime:
        return min(view.task.created for view in self.tasks)

    def sort_key(self) -> tuple:
        # soonest due first, groups without a due date after those with one; then the oldest
        return self.due is None, self.due or datetime.date.max, self.oldest, self.plan_change.pk


def task_groups(views: list[TaskView]) -> list[TaskGroup]:
    """The described tasks (``selectors.describe_all``) grouped by plan change, each group's
    tasks soonest due then oldest first, the groups in the same order. The parts done are
    read for every group in one query."""
    groups: dict[int, TaskGroup] = {}
    assessments = {}
    for view in views:
        plan_change = view.plan_change
        if plan_change.pk not in groups:
            groups[plan_change.pk] = TaskGroup(plan_change, [])
            # the newest version, read with the tasks (``selectors.tasks_primed``)
            assessment = view.task.process.coerced.primed_records[1]
            if assessment is not None:
                assessments[plan_change.pk] = assessment
        groups[plan_change.pk].tasks.append(view)
    complete = set(PartProgress.objects.filter(assessment__in=[a.pk for a in assessments.values()],
                                               status=PartStatus.COMPLETE).values_list("assessment_id", "part"))
    for pk, assessment in assessments.items():
        codes = parallel_part_codes(assessment)
        groups[pk].parts_total = len(codes)
        groups[pk].parts_done = sum(1 for code in codes if (assessment.pk, code) in complete)
    for group in groups.values():
        group.tasks.sort(key=lambda view: (view.due is None, view.due or datetime.date.max, view.task.created,
                                           view.task.pk))
    return sorted(groups.values(), key=TaskGroup.sort_key)
