"""Decisions taken under delegated authority: published without a meeting."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Board, PlanChange


class ImmutableDecision(Exception):
    pass


class DelegatedDecision(models.Model):
    """A decision on a plan change taken under delegated authority (the Chief Officer's,
    under the board's scheme of delegation), with no meeting. Recording it publishes the
    plan change's signed assessment or screening record on the register, with this record
    beside it (reg 5 of SSI 2012/162: the results are published within a reasonable
    period; the board sets the period, ``Board.results_publication_days``).

    It is written once and never changed: the register shows it as recorded, in the words
    and names stored on it (who decided and in which post, as they were that day)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="delegated_decisions")
    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="delegated_decisions")
    document = models.OneToOneField("reports.SignedDocument", on_delete=models.PROTECT,
                                    related_name="delegated_decision",
                                    help_text="The signed assessment or screening record it publishes.")
    plan_change_reference = models.CharField(max_length=40, help_text="As it was when the decision was recorded.")
    plan_change_title = models.CharField(max_length=300, help_text="As it was when the decision was recorded.")
    authority = models.CharField(max_length=300, help_text="The delegated authority the decision was taken under.")
    decision = models.TextField(help_text="What was decided.")
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decider_name = models.CharField(max_length=200)
    decider_role = models.CharField(max_length=200)
    publication_due = models.DateField(help_text="The decision date and the board's publication period.")
    published_at = models.DateTimeField()
    late_reason = models.TextField(blank=True, help_text="Why it was published after its publication date.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(publication_due__gte=models.F("decided_on")),
                                   name="delegated_decision_published_after_it_is_taken"),
        ]

    def __str__(self) -> str:
        return f"Delegated decision of {self.decided_on:%-d %B %Y} on {self.plan_change_id}"

    @property
    def published_on(self) -> datetime.date:
        return timezone.localdate(self.published_at, timezone.get_default_timezone())

    @property
    def days_late(self) -> int:
        """How many days after its publication date it was published (0: on time)."""
        return max(0, (self.published_on - self.publication_due).days)

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDecision("A delegated decision is recorded once and never changed.")
        super().save(*args, **kwargs)
