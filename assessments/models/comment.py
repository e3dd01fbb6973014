"""Comments on the parts of an assessment and on the screening: part of the record."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .assessment import Assessment
from .plan_change import PlanChange
from .screening import Screening

SCREENING_PART = "screening"


class CommentTampering(Exception):
    """Raised on any attempt to change or delete a posted comment."""


class CommentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CommentTampering("Comments cannot be changed after they are posted.")

    def delete(self):
        raise CommentTampering("Comments cannot be deleted.")


class Comment(models.Model):
    """A comment on one part of an assessment version (``part`` is a section code,
    ``evidence`` or ``actions``) or on the screening (``part`` is ``screening``).
    Seen by the assessment's participants; kept in its history, never edited or deleted."""

    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="comments")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    part = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    posted_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["posted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(assessment__isnull=False, screening__isnull=True)
                           | models.Q(assessment__isnull=True, screening__isnull=False, part=SCREENING_PART)),
                name="comment_on_assessment_or_screening",
            ),
        ]
        indexes = [models.Index(fields=["plan_change", "posted_at"], name="comment_plan_change_at")]

    def __str__(self) -> str:
        return f"{self.author} on {self.part}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise CommentTampering("Comments cannot be changed after they are posted.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CommentTampering("Comments cannot be deleted.")
