"""Signed documents: the PDF the board and the public read, stored once."""

import secrets

from django.db import models

from assessments.models import Assessment, Board, Screening

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"IIA-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class DocumentKind(models.TextChoices):
    ASSESSMENT = "assessment", "Integrated Impact Assessment"
    SCREENING_RECORD = "screening_record", "Screening record"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed, will be retried"


class ImmutableDocument(Exception):
    pass


class SignedDocument(models.Model):
    """The signed PDF of a signed-off assessment or of a screened-out plan change's
    screening record. Its bytes are written once, with their SHA-256 and size; a
    download returns exactly those bytes, and they are never re-rendered.

    ``snapshot`` is what the PDF was rendered from (``reports.snapshots``), stored with it
    as canonical JSON, with its SHA-256 (also written into the signed PDF's keywords); the
    accessible HTML version is rendered from it alone. A document signed before snapshots
    were kept has none until ``manage.py rebuild_document_snapshots`` rebuilds one that
    renders to the signed PDF's very text (``snapshot_rebuilt_at`` then says when)."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="documents")
    assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_document"
    )
    screening = models.OneToOneField(
        Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_document"
    )
    verification_code = models.CharField(max_length=20, unique=True, default=new_verification_code)
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_role = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    certificate = models.BinaryField(null=True, blank=True, editable=False, help_text="DER of the signing certificate.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it joined the public register.")
    snapshot = models.TextField(blank=True, editable=False,
                                help_text="What the PDF was rendered from, as canonical JSON (reports.snapshots).")
    snapshot_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    snapshot_rebuilt_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="Set when the snapshot was rebuilt after signing (a document signed before snapshots were kept).")

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["board", "published_at"], name="document_board_published")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(assessment__isnull=False, screening__isnull=True)
                           | models.Q(assessment__isnull=True, screening__isnull=False)),
                name="document_of_exactly_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.verification_code}"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def plan_change(self):
        return (self.assessment or self.screening).plan_change

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = SignedDocument.objects.filter(pk=self.pk, sha256__isnull=False).values_list(
                "sha256", "snapshot_sha256").first()
            if stored and stored[0] != self.sha256:
                raise ImmutableDocument("A signed document's bytes are written once.")
            if stored and stored[1] and stored[1] != self.snapshot_sha256:
                raise ImmutableDocument("A signed document's snapshot is written once.")
        super().save(*args, **kwargs)
