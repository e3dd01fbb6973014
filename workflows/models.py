"""The workflow's process, the boards' due dates for tasks, and their reminder settings with the
reminders sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from assessments.models import Board, PlanChange

# a task someone may still act on: waiting in a queue, held, or opened by its holder
ACTIVE_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class IIAProcess(Process):
    """A run of ``IIAFlow`` for one plan change.

    The board is stored on the process so every task query can be scoped to the
    user's boards without joining through the plan change.
    """

    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="processes")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="processes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
        help_text="The officer the run's own tasks go to: the plan change's creator, who writes its screening "
                  "and first version, or the author of the version a later run is for. Set when the run starts; "
                  "an assessment's author never changes.",
    )

    # (current screening, current assessment) when a list of tasks read them for all its
    # processes at once (``selectors.tasks_primed``, ``selectors.open_tasks``); None: each
    # is read when asked. Only lists set it: they read, and nothing changes under them.
    primed_records: tuple | None = None

    class Meta:
        verbose_name = "IIA process"
        verbose_name_plural = "IIA processes"


# a working year: a longer period is a typing slip (and would overflow nothing, but help no one)
MOST_WORKING_DAYS = 260


def _working_days(default: int, help_text: str):
    return models.PositiveSmallIntegerField(
        default=default, help_text=f"{help_text} (0: no due date).",
        validators=[MaxValueValidator(MOST_WORKING_DAYS, message=f"Give at most {MOST_WORKING_DAYS} working days.")])


class DueDatePolicy(models.Model):
    """A board's due dates for tasks: each task is due this many working days (Monday to
    Friday) after the day it was made, whoever holds it. A board without one uses the
    defaults below (``due_dates.policies_for``); zero gives a kind of task no due date."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="due_date_policy")
    screening_working_days = _working_days(10, "Complete the pre-screening within this many working days")
    screening_review_working_days = _working_days(
        5, "An equality lead reviews a pre-screening within this many working days of its submission")
    part_working_days = _working_days(
        20, "Complete each part of the IIA, and record its mitigating actions, within this many working days of the "
            "screening's review (or of a return)")
    submit_working_days = _working_days(
        5, "Submit the IIA within this many working days of its parts and mitigating actions being complete")
    review_working_days = _working_days(10, "An equality lead reviews a submitted IIA within this many working days")
    sign_off_working_days = _working_days(
        10, "A senior officer signs off an approved IIA within this many working days")

    class Meta:
        verbose_name = "due date policy"
        verbose_name_plural = "due date policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__lte": MOST_WORKING_DAYS for name in (
                    "screening_working_days", "screening_review_working_days", "part_working_days",
                    "submit_working_days", "review_working_days", "sign_off_working_days")}),
                name="due_dates_within_a_working_year",
            ),
        ]

    def __str__(self) -> str:
        return f"Due dates of {self.board}"

    def working_days_for(self, node_name: str) -> int:
        """The working days a task of the flow's node ``node_name`` has (0: no due date)."""
        field = NODE_DUE_DATES.get(node_name)
        return getattr(self, field) if field else 0


# the flow's human nodes (``IIAFlow``) and the setting that gives each its due date
NODE_DUE_DATES = {
    "screening": "screening_working_days",
    "review_screening": "screening_review_working_days",
    "complete_part": "part_working_days",
    "actions": "part_working_days",  # recorded alongside the parts
    "submit": "submit_working_days",
    "review": "review_working_days",
    "sign_off": "sign_off_working_days",
}


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
    DIRECTION_REVIEW = "direction_review", "Direction review coming up"
    FORMAT_OVERDUE = "format_overdue", "Request for another format overdue"


class SentReminder(models.Model):
    """One reminder to one person, recorded so that it is never sent twice.

    ``about`` is the date the reminder is about (the review date, the due date, or the
    day the task last moved): a changed date is a new reminder. A row with no
    ``sent_at`` is a send in progress (or one that crashed after claiming); the sender
    deletes it if the email fails, and a later run takes over one older than the lease.
    """

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(
        help_text="The assessment, mitigating action, task, direction or request for another format.")
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
