"""Reviews of signed-off assessments: the regular check that an assessment still holds."""

from django.conf import settings
from django.db import models

from .assessment import Assessment


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed unchanged"
    NEW_VERSION = "new_version", "Update required: new version started"


class AssessmentReview(models.Model):
    """One review of a signed-off assessment, recorded when its review date arrives (or
    earlier). ``confirmed``: the assessment still holds; ``next_review_date`` becomes its
    review date. ``new_version``: a new version was started (``new_version``), which
    supersedes the reviewed one when it is signed off. Never changed after it is made."""

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
                           | models.Q(outcome="new_version", new_version__isnull=False)),
                name="review_outcome_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.assessment}: {self.get_outcome_display()}"
