"""Signals of the assessments app.

- Any change to a template's contents bumps its revision, the catalogue cache's key.
- ``assessment_version_opened`` is sent, inside the transaction, when a new version of a
  signed-off assessment is opened (by an officer, or by an "amended" board decision);
  the workflow app starts the new version's tasks on it.
- ``assessment_changed`` is sent, inside the transaction, with every audited change of an
  assessment (``action`` is the audit action, e.g. ``assessment.submit``); the workflow
  app schedules its notifications on it, to be sent after commit.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import Question, Row, ScreeningQuestion, Section, Template

assessment_version_opened = Signal()  # kwargs: assessment, by
assessment_changed = Signal()  # kwargs: assessment, action, by


def _bump(template_id: int) -> None:
    Template.objects.filter(pk=template_id).update(revision=F("revision") + 1)


@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=ScreeningQuestion)
def section_changed(sender, instance, **kwargs):
    _bump(instance.template_id)


@receiver([post_save, post_delete], sender=Row)
@receiver([post_save, post_delete], sender=Question)
def row_changed(sender, instance, **kwargs):
    template_id = Section.objects.filter(pk=instance.section_id).values_list("template_id", flat=True).first()
    if template_id:
        _bump(template_id)
