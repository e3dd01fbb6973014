"""Delegations: a person going on leave hands their tasks to a colleague for a period."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from .boards import Board, Role


class DelegationQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Delegations in force on the day (today by default): started, not past their
        end date and not ended early."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on, ended_at__isnull=True)


class Delegation(models.Model):
    """The delegator's tasks of one role on one board go to the delegate, who holds the
    same role on the same board, from ``starts_on`` to ``ends_on`` (both included).

    While it is active the delegate sees the delegator's tasks in their inbox and may do
    them, under every rule that applies to the delegate themself (nobody approves their
    own work). It is not passed on: a delegate's own delegation does not carry these
    tasks further. Ending it early sets ``ended_at``; a delegation is never deleted.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="delegations")
    role = models.CharField(max_length=20, choices=Role.choices)
    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_out")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_in")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="delegation_ends_after_start"),
        ]
        indexes = [models.Index(fields=["delegate", "ends_on"], name="delegation_delegate_end")]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.get_role_display()}, {self.board})"

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.ended_at is None and self.starts_on <= on <= self.ends_on

    @property
    def status(self) -> str:
        """"Active", "Planned", "Ended early" or "Finished", as the delegations page says."""
        today = timezone.localdate()
        if self.ended_at is not None:
            return "Ended early"
        if self.ends_on < today:
            return "Finished"
        return "Active" if self.starts_on <= today else "Planned"
