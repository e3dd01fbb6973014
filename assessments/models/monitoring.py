"""Monitoring after sign-off: the progress of each mitigating action, recorded without
reopening the assessment."""

from django.conf import settings
from django.db import models

from .assessment import ActionStatus, MitigatingAction
from .audit import register_state_words

register_state_words("action", ActionStatus, noun="Action")

NOTE_LENGTH = 5000


class ProgressTampering(Exception):
    """Raised on any attempt to change or delete a progress update."""


class ActionProgressQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ProgressTampering("Progress updates cannot be changed.")

    def delete(self):
        raise ProgressTampering("Progress updates cannot be deleted.")


class ActionProgress(models.Model):
    """One progress update of a mitigating action of a signed-off assessment: who, when,
    the status it moved from and to, a note, the evidence of completion and the day it
    was done (``done``), or why it was dropped (``dropped``). Append-only: the action's
    ``status`` and ``done_on`` are those of its latest update."""

    action = models.ForeignKey(MitigatingAction, on_delete=models.PROTECT, related_name="progress")
    previous_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="Evidence of completion: what shows it was done.")
    reason = models.TextField(blank=True, help_text="Why the action was dropped.")
    done_on = models.DateField(null=True, blank=True)
    # accounts are closed and anonymised, never deleted (``services.person_anonymise``)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = ActionProgressQuerySet.as_manager()

    class Meta:
        ordering = ["action", "recorded_at", "pk"]
        constraints = [
            # behind the service's rules: done has its day, only done has one, dropped says why
            models.CheckConstraint(
                condition=(models.Q(status=ActionStatus.DONE, done_on__isnull=False)
                           | (~models.Q(status=ActionStatus.DONE) & models.Q(done_on__isnull=True))),
                name="progress_done_on_only_when_done",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.DROPPED) | ~models.Q(reason=""),
                name="progress_dropped_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ProgressTampering("Progress updates cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProgressTampering("Progress updates cannot be deleted.")
