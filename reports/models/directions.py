"""Directions to the council and the health board (Public Bodies (Joint Working)
(Scotland) Act 2014 ss.26-27) and their register."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from assessments.models import Board

from .reports import DirectionTo


class DirectionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed in the report"
    CURRENT = "current", "Current"
    VARIED = "varied", "Varied"
    REVOKED = "revoked", "Revoked"


ISSUED_STATUSES = (DirectionStatus.CURRENT, DirectionStatus.VARIED, DirectionStatus.REVOKED)


class DirectionEffect(models.TextChoices):
    NEW = "new", "A new direction"
    VARIES = "varies", "Varies an earlier direction"
    REVOKES = "revokes", "Revokes an earlier direction"


class Direction(ConcurrentTransitionMixin, models.Model):
    """A direction to the council and/or the health board, written in an IJB report and
    issued when the board agrees the report (``docs/directions.md``).

    States: ``proposed`` (in the report's Directions section; edited with the report,
    never issued if the board only notes or remits it), ``current`` (issued: it has a
    reference, an issue date and the decision it came from, and binds its recipient),
    ``varied`` (a later direction of the board varies it), ``revoked`` (a later direction
    revokes it). Only a current direction can be varied or revoked, once."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="directions")
    recipients = models.CharField(max_length=20, choices=[c for c in DirectionTo.choices if c[0] != "none"])
    functions = models.TextField(help_text="The delegated functions the direction covers.")
    budget = models.CharField(max_length=200, help_text="The budget allocated, or the change to it.")
    text = models.TextField(help_text="What the recipient must do.")
    effect = models.CharField(max_length=10, choices=DirectionEffect.choices, default=DirectionEffect.NEW)
    earlier = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="later",
                                help_text="The earlier direction of the same board it varies or revokes.")
    review_date = models.DateField()
    status = FSMField(max_length=10, choices=DirectionStatus.choices, default=DirectionStatus.PROPOSED, protected=True)
    reference = models.CharField(max_length=40, null=True, blank=True, unique=True)
    reference_year = models.PositiveIntegerField(null=True, blank=True)
    reference_sequence = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    decision = models.ForeignKey("reports.AgendaItem", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="directions", help_text="The board's decision that issued it.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(effect=DirectionEffect.NEW, earlier__isnull=True)
                           | (~models.Q(effect=DirectionEffect.NEW) & models.Q(earlier__isnull=False))),
                name="direction_earlier_only_when_varying_or_revoking"),
            models.CheckConstraint(condition=~models.Q(earlier=models.F("pk")), name="direction_never_changes_itself"),
            models.CheckConstraint(
                condition=(models.Q(status=DirectionStatus.PROPOSED)
                           | models.Q(reference__isnull=False, issued_on__isnull=False, decision__isnull=False,
                                      review_date__gt=models.F("issued_on"))),
                name="direction_issued_with_reference_date_and_decision"),
            models.UniqueConstraint(fields=["earlier"], condition=~models.Q(status=DirectionStatus.PROPOSED),
                                    name="direction_changed_by_one_issued_direction"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Proposed direction to {self.get_recipients_display()}"

    @property
    def effect_verb(self) -> str:
        """"Varies" or "Revokes" (before the earlier direction's reference); "" for a new one."""
        return {DirectionEffect.VARIES: "Varies", DirectionEffect.REVOKES: "Revokes"}.get(self.effect, "")

    @property
    def is_issued(self) -> bool:
        return self.status != DirectionStatus.PROPOSED

    # Transitions only change the status; ``services.directions`` checks the rules, locks
    # the rows and writes the audit events in the same transaction.
    @transition(field=status, source=DirectionStatus.PROPOSED, target=DirectionStatus.CURRENT)
    def issue(self):
        pass

    @transition(field=status, source=DirectionStatus.CURRENT, target=DirectionStatus.VARIED)
    def vary(self):
        pass

    @transition(field=status, source=DirectionStatus.CURRENT, target=DirectionStatus.REVOKED)
    def revoke(self):
        pass


class DirectionNumberCounter(models.Model):
    """The last direction reference given per board and year (locked while allocating)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "year"], name="one_direction_counter_per_board_year")]
