"""Requests for a published document in another format (SSI 2012/162 reg 10)."""

import secrets

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from assessments.models import Board

from .documents import CODE_ALPHABET, SignedDocument


def new_format_request_reference() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"AF-{raw[:4]}-{raw[4:]}"


class OtherFormat(models.TextChoices):
    EASY_READ = "easy_read", "Easy Read"
    LARGE_PRINT = "large_print", "Large print"
    AUDIO = "audio", "Audio"
    ANOTHER_LANGUAGE = "another_language", "Another language"
    BSL = "bsl", "British Sign Language (BSL)"


class FormatRequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class FormatRequest(models.Model):
    """A member of the public's request for a published document in another format.

    States: ``received`` (recorded, the board's equality leads emailed), ``in_progress``
    (an equality lead is preparing it), ``done`` (sent: what was sent and when are recorded).
    It is due ``IIA_OTHER_FORMAT_WORKING_DAYS`` working days after it was made, and overdue
    after that until done. The requester's name, contact details and note are erased
    ``IIA_OTHER_FORMAT_KEEP_DAYS`` days after it is done (``personal_data_erased_at``), and
    the hash of their address (for the throttle) after ``IIA_OTHER_FORMAT_WINDOW_HOURS``
    (docs/other-formats.md)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="format_requests")
    document = models.ForeignKey(SignedDocument, on_delete=models.PROTECT, related_name="format_requests")
    reference = models.CharField(max_length=14, unique=True, default=new_format_request_reference)
    format = models.CharField(max_length=20, choices=OtherFormat.choices)
    language = models.CharField(max_length=60, blank=True, help_text="Which language, for another language.")
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    note = models.TextField(max_length=1000, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True,
                                    help_text="Keyed hash of the requester's address, for the throttle only.")
    status = FSMField(max_length=12, choices=FormatRequestStatus.choices, default=FormatRequestStatus.RECEIVED,
                      protected=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_what = models.TextField(max_length=1000, blank=True, help_text="What was sent, and how.")
    sent_on = models.DateField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["board", "status", "due_on"], name="format_request_board_due")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone="") | models.Q(personal_data_erased_at__isnull=False),
                name="format_request_has_a_reply_route"),
            models.CheckConstraint(
                condition=~models.Q(format="another_language", language=""),
                name="format_request_language_named"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | (models.Q(sent_on__isnull=False) & ~models.Q(sent_what="")),
                name="format_request_done_says_what_was_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_format_display()}"

    @property
    def format_label(self) -> str:
        if self.format == OtherFormat.ANOTHER_LANGUAGE and self.language:
            return f"{self.get_format_display()}: {self.language}"
        return self.get_format_display()

    def is_overdue(self, today) -> bool:
        return self.status != FormatRequestStatus.DONE and self.due_on < today

    @transition(field=status, source=FormatRequestStatus.RECEIVED, target=FormatRequestStatus.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[FormatRequestStatus.RECEIVED, FormatRequestStatus.IN_PROGRESS],
                target=FormatRequestStatus.DONE)
    def complete(self):
        pass
