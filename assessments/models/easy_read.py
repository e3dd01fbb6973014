"""Easy Read summaries of assessments: plain words published beside the signed PDF."""

from django.conf import settings
from django.db import models
from django.utils import timezone

EASY_READ_MAX_CHARS = 5000


class EasyReadTampering(Exception):
    """Raised on any attempt to change or delete a written wording."""


class EasyReadSummary(models.Model):
    """One wording of an assessment's Easy Read summary. The newest is the summary in force;
    a new wording is a new row, never an edit, so every wording the public ever read is kept
    (docs/adr/0020-easy-read-summaries-and-other-formats.md). It is not part of the signed
    PDF: it is written in plain words by the board's officers or equality leads, during the
    assessment or after sign-off, and shown on the register beside the signed PDF."""

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.PROTECT,
                                   related_name="easy_read_versions")
    text = models.TextField(max_length=EASY_READ_MAX_CHARS)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    written_by_name = models.CharField(max_length=200)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "-written_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "written_at"], name="easy_read_assessment_at")]
        verbose_name = "Easy Read summary"
        verbose_name_plural = "Easy Read summaries"

    def __str__(self) -> str:
        return f"Easy Read summary of assessment {self.assessment_id} ({self.written_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise EasyReadTampering("A written Easy Read wording is never changed: write a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EasyReadTampering("Easy Read wordings are never deleted.")
