"""The workflow's process, and the boards' reminder settings with the reminders sent."""

from django.conf import settings
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


class ReminderPolicy(models.Model):
    """A board's reminder settings. A board without one uses the defaults below; zero
    switches a kind of reminder off."""

    DEFAULT_REVIEW_NOTICE_DAYS = 30
    DEFAULT_IDLE_TASK_WORKING_DAYS = 5

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="reminder_policy")
    review_notice_days = models.PositiveIntegerField(
        default=DEFAULT_REVIEW_NOTICE_DAYS,
        help_text="How many days before a signed-off assessment's review date its author and lead officer "
                  "are reminded (0: no review reminders).",
    )
    overdue_actions = models.BooleanField(
        default=True,
        help_text="Remind the author and lead officer of mitigating actions past their due date and not done.",
    )
    idle_task_working_days = models.PositiveIntegerField(
        default=DEFAULT_IDLE_TASK_WORKING_DAYS,
        help_text="Remind the holder of a task (or, when nobody has claimed it, the people who could) after it "
                  "has waited this many working days, Monday to Friday (0: no idle-task reminders).",
    )

    class Meta:
        verbose_name = "reminder policy"
        verbose_name_plural = "reminder policies"

    def __str__(self) -> str:
        return f"Reminders of {self.board}"


class ReminderKind(models.TextChoices):
    REVIEW_DUE = "review_due", "Review date coming up"
    ACTION_OVERDUE = "action_overdue", "Mitigating action overdue"
    TASK_IDLE = "task_idle", "Task waiting"


class SentReminder(models.Model):
    """One reminder to one person, recorded so that it is never sent twice.

    ``about`` is the date the reminder is about (the review date, the due date, or the
    day the task last moved): a changed date is a new reminder. A row with no
    ``sent_at`` is a send in progress (or one that crashed after claiming); the sender
    deletes it if the email fails, and a later run takes over one older than the lease.
    """

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(help_text="The assessment, mitigating action or task.")
    about = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "about", "recipient"], name="sent_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} ({self.about}) to {self.recipient_id}"
