"""A plan change: what is being impact-assessed."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .boards import Board
from .plans import PlanAction, PlanPriority, StrategicPlan


class ChangeType(models.TextChoices):
    STRATEGY = "strategy", "Strategy"
    PLAN = "plan", "Plan"
    POLICY = "policy", "Policy"
    SERVICE_REDESIGN = "service_redesign", "Service redesign"
    BUDGET_SAVING = "budget_saving", "Budget saving"
    COMMISSIONING = "commissioning", "Commissioning decision"
    PROCEDURE = "procedure", "Procedure"
    REPORT = "report", "Report for noting"
    OTHER = "other", "Other"


class PlanChange(models.Model):
    """A change to a board's strategic plan: a new action, a service redesign, a budget decision.

    Every plan change is screened; a full IIA (an ``Assessment``) follows only when the
    screening says so.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="plan_changes")
    plan = models.ForeignKey(StrategicPlan, on_delete=models.PROTECT, related_name="plan_changes")
    title = models.CharField(max_length=250)
    description = models.TextField(help_text="What will change, and the intended outcome.")
    change_type = models.CharField(max_length=30, choices=ChangeType.choices)
    is_revision = models.BooleanField(
        default=False, help_text="Revision of an existing policy or service (rather than a new one)."
    )
    priorities = models.ManyToManyField(PlanPriority, blank=True, related_name="plan_changes")
    actions = models.ManyToManyField(PlanAction, blank=True, related_name="plan_changes")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_plan_changes"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directed_plan_changes",
        help_text="Director or head of service responsible.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_plan_changes"
    )
    source_note = models.CharField(
        max_length=200, blank=True, help_text="Where the example comes from, e.g. 'Fictional example'."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by ``services.plan_change_listing_refresh`` (called with every audit event of the
    # plan change), so the list of plan changes filters and searches them with an index.
    status = models.CharField(max_length=40, default="new", editable=False,
                              help_text="Where it stands: its current version's or screening's state.")
    search_text = models.TextField(blank=True, editable=False,
                                   help_text="What the list's search reads: the title, description, "
                                             "screening answers and mitigating actions.")
    # its words, stemmed, on PostgreSQL (NULL on SQLite, which searches ``search_text``)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["board", "-created_at"], name="plan_change_board_recent"),
            models.Index(fields=["board", "status", "-created_at"], name="plan_change_board_status"),
            models.Index(fields=["lead_officer", "-created_at"], name="plan_change_lead_recent"),
            models.Index(fields=["plan", "-created_at"], name="plan_change_plan_recent"),
        ]
        # and on PostgreSQL a GIN index of ``search_vector`` (migration 0011)

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.board.reference_prefix}-{self.pk:04d}" if self.pk else "(new)"

    @property
    def author_ids(self) -> set[int]:
        """The people who own the proposal: whoever created it and its lead officer."""
        return {self.created_by_id, self.lead_officer_id}
