"""The append-only audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .boards import Board


class AuditTampering(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTampering("Audit events cannot be changed.")

    def delete(self):
        raise AuditTampering("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One state change or edit: who, when, from which state to which. Never changed or
    deleted; the actor's name is kept so the record survives a removed account."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    plan_change = models.ForeignKey(
        "assessments.PlanChange", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    screening = models.ForeignKey(
        "assessments.Screening", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["plan_change", "at"], name="audit_plan_change_at"),
            models.Index(fields=["board", "at"], name="audit_board_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def state_change_label(self) -> str:
        """The state change in the UI's words, e.g. "Submitted for review → Approved"."""
        from .assessment import AssessmentState
        from .screening import ScreeningState

        labels = dict((AssessmentState if self.assessment_id else ScreeningState).choices)
        before, after = labels.get(self.from_state, self.from_state), labels.get(self.to_state, self.to_state)
        if not self.from_state:
            return after
        return after if before == after else f"{before} → {after}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTampering("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTampering("Audit events cannot be deleted.")
