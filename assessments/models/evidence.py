"""Evidence files: a file attached to an assessment's evidence or consultation, to a
mitigating action's progress, or kept in a board's evidence library; and the library's
entries (a file or a link) that an assessment of the board cites
(docs/evidence.md, docs/adr/0025-evidence-files.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..evidence_storage import evidence_storage_of


class EvidencePart(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    CONSULTATION = "consultation", "Consultation"
    PROGRESS = "progress", "Progress on a mitigating action"
    LIBRARY = "library", "Evidence library"


ASSESSMENT_PARTS = (EvidencePart.EVIDENCE, EvidencePart.CONSULTATION)


def evidence_key(instance, filename: str) -> str:
    """The storage key: the board and a random name with the type's extension. Nothing the
    uploader typed reaches the storage (their name is kept in ``EvidenceFile.name``)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.board_id}/{uuid.uuid4().hex}.{extension}"


class EvidenceFile(models.Model):
    """One uploaded file: who uploaded it, when, its size and SHA-256, its type as read from
    its content, and whether it is published with the assessment or withheld (with the
    reason shown to the public instead). Attached to exactly one of: an assessment's
    evidence or consultation (``assessment``), a mitigating action's progress (``action``),
    or the board's evidence library (neither). A file of a signed assessment is never
    removed nor replaced: the record is fixed once signed."""

    board = models.ForeignKey("assessments.Board", on_delete=models.PROTECT, related_name="evidence_files")
    part = models.CharField(max_length=20, choices=EvidencePart.choices)
    assessment = models.ForeignKey("assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="evidence_files")
    action = models.ForeignKey("assessments.MitigatingAction", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="evidence_files")
    file = models.FileField(upload_to=evidence_key, storage=evidence_storage_of, max_length=200)
    name = models.CharField(max_length=200, help_text="The name it was uploaded with, cleaned.")
    content_type = models.CharField(max_length=120, help_text="Read from the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_by_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    published = models.BooleanField(default=True, help_text="Published with the assessment, or withheld.")
    withheld_reason = models.TextField(blank=True, help_text="Why the file is withheld from the public.")

    class Meta:
        ordering = ["part", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["assessment", "part"], name="evidence_file_assessment_part")]
        constraints = [
            models.CheckConstraint(condition=models.Q(published=True) | ~models.Q(withheld_reason=""),
                                   name="evidence_file_withheld_has_reason"),
            models.CheckConstraint(
                condition=(models.Q(part__in=[p.value for p in ASSESSMENT_PARTS], assessment__isnull=False,
                                    action__isnull=True)
                           | models.Q(part=EvidencePart.PROGRESS, assessment__isnull=True, action__isnull=False)
                           | models.Q(part=EvidencePart.LIBRARY, assessment__isnull=True, action__isnull=True)),
                name="evidence_file_attached_to_its_part",
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="evidence_file_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


class EvidenceSource(models.Model):
    """An entry of a board's evidence library: a file (SIMD or locality profile, survey
    results) or a link, with a title and a description. Managed by the board's equality
    leads; any assessment of the same board may cite it."""

    board = models.ForeignKey("assessments.Board", on_delete=models.PROTECT, related_name="evidence_sources")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    url = models.URLField(blank=True, max_length=500)
    file = models.OneToOneField(EvidenceFile, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="library_entry")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True, help_text="No longer offered to new citations.")

    class Meta:
        ordering = ["board", "title", "pk"]
        constraints = [
            # a link or a file, never both, never neither
            models.CheckConstraint(
                condition=(models.Q(url="", file__isnull=False) | (~models.Q(url="") & models.Q(file__isnull=True))),
                name="evidence_source_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceCitation(models.Model):
    """An assessment citing an entry of its board's evidence library."""

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(EvidenceSource, on_delete=models.PROTECT, related_name="citations")
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    cited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "source__title"]
        constraints = [models.UniqueConstraint(fields=["assessment", "source"], name="citation_unique_per_assessment")]

    def __str__(self) -> str:
        return f"{self.assessment_id} cites {self.source}"
