"""The workflow's answers to the assessments app's signals."""

from django.dispatch import receiver

from assessments.signals import assessment_version_opened


@receiver(assessment_version_opened)
def start_new_version_tasks(sender, assessment, by, **kwargs):
    """A new version of a signed-off assessment gets its own run of the flow, starting
    at its parts, in the same transaction as the version itself."""
    from .flows import IIAFlow

    IIAFlow.start_version.run(assessment=assessment)
