"""Reviews of signed-off assessments: the regular check that an assessment still holds."""

from django.conf import settings
from django.db import models

from .assessment import Assessment
from .catalogue import Row


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed unchanged"
    NEW_VERSION = "new_version", "Update required: new version started"
    WITHDRAWN = "withdrawn", "Withdrawn: the policy or service no longer applies"


class AssessmentReview(models.Model):
    """One review of a signed-off assessment, recorded when its review date arrives (or
    earlier). ``confirmed``: the assessment still holds; ``next_review_date`` becomes its
    review date. ``new_version``: a new version was started (``new_version``), which
    supersedes the reviewed one when it is signed off. ``withdrawn``: the policy or service
    is no longer applied; the assessment is withdrawn (its monitoring and reminders end).
    Each review records, for every row the assessment rated negative, the actual impact
    against the predicted one (``ReviewedImpact``). Never changed after it is made."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    note = models.TextField()
    previous_review_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    new_version = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="started_by_review"
    )

    class Meta:
        ordering = ["assessment", "reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(outcome="confirmed", next_review_date__isnull=False)
                           | models.Q(outcome="new_version", new_version__isnull=False)
                           | models.Q(outcome="withdrawn", new_version__isnull=True, next_review_date__isnull=True)),
                name="review_outcome_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.assessment}: {self.get_outcome_display()}"


class ActualImpact(models.TextChoices):
    BETTER = "better", "Better than predicted"
    AS_PREDICTED = "as_predicted", "As predicted"
    WORSE = "worse", "Worse than predicted"


class ReviewedImpact(models.Model):
    """What a review found of one row the assessment rated negative: the actual impact
    against the predicted one, and the evidence for it. ``predicted`` keeps the row's
    rating and explanation in words, as they were when reviewed."""

    review = models.ForeignKey(AssessmentReview, on_delete=models.PROTECT, related_name="impacts")
    row = models.ForeignKey(Row, on_delete=models.PROTECT, related_name="+")
    predicted = models.TextField()
    actual = models.CharField(max_length=20, choices=ActualImpact.choices)
    evidence = models.TextField()

    class Meta:
        ordering = ["review", "row__section__order", "row__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "row"], name="reviewed_impact_unique_per_row"),
            models.CheckConstraint(condition=~models.Q(evidence=""), name="reviewed_impact_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.row}: {self.get_actual_display()}"
