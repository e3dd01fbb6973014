"""The workflow's answers to the assessments app's signals."""

from django.dispatch import receiver

from assessments.signals import assessment_version_opened

from . import notifications, tasks
from .flows import IIAFlow


@receiver(assessment_version_opened)
def start_new_version_tasks(sender, assessment, by, **kwargs):
    """A new version of a signed-off assessment gets its own run of the flow, starting
    at its parts, in the same transaction as the version itself. Whoever opened it (an
    officer, or the clerk recording a board decision) is known here: once it commits, the
    new version's author hears of it and of their tasks, unless they opened it themselves."""
    process = IIAFlow.start_version.run(assessment=assessment)
    tasks.notify(actions=[(assessment.supersedes_id, "assessment.new_version", by.pk)],
                 tasks=notifications.task_events({}, notifications.waiting_tasks(process.pk), by.pk))
