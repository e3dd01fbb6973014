"""The append-only audit trail."""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .assessment import AssessmentState
from .boards import Board
from .screening import ScreeningState

# The words of the states of each kind of record events are about, by subject (the first
# word of the action). Apps with records of their own register theirs when they load
# (``reports``: reports, agendas, meetings), as this app imports none of them.
_STATE_WORDS: dict[str, tuple[dict[str, str], str]] = {}


def register_state_words(subject: str, choices: type[models.TextChoices], noun: str = "") -> None:
    """Events whose action starts with ``subject`` show their states in ``choices``' words,
    after ``noun`` when the words alone would not say which record they are of."""
    _STATE_WORDS[subject] = (dict(choices.choices), noun)


def state_words(subject: str, *, on_assessment: bool) -> tuple[dict[str, str], str]:
    """The state words of an event's subject, and its noun. The assessments app's own:
    an assessment's states; a screening's (also for the plan change that starts one); a
    comment's, those of the assessment or screening it is on."""
    if subject in _STATE_WORDS:
        return _STATE_WORDS[subject]
    if subject == "assessment" or (subject == "comment" and on_assessment):
        return dict(AssessmentState.choices), ""
    return dict(ScreeningState.choices), ""


class AuditTampering(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTampering("Audit events cannot be changed.")

    def delete(self):
        raise AuditTampering("Audit events cannot be deleted.")

    def anonymise_actor(self, actor_id: int, name: str) -> int:
        """The one change the audit trail allows: replacing the recorded name of a person
        who left with a pseudonym (``services.person_anonymise``). On PostgreSQL the
        trigger lets it through only while ``iia.anonymising`` is set, for this
        transaction, and only if nothing but the name changes."""
        if not connection.in_atomic_block:
            raise AuditTampering("Anonymising runs inside the retention service's transaction.")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('iia.anonymising', 'on', true)")
            cursor.execute("UPDATE assessments_auditevent SET actor_name = %s WHERE actor_id = %s", [name, actor_id])
            changed = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('iia.anonymising', 'off', true)")
        return changed


class AuditEvent(models.Model):
    """One state change or edit: who, when, from which state to which. Never changed or
    deleted; the actor's name is kept so the record survives a removed account."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    plan_change = models.ForeignKey(
        "assessments.PlanChange", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    screening = models.ForeignKey(
        "assessments.Screening", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["plan_change", "at"], name="audit_plan_change_at"),
            models.Index(fields=["board", "at"], name="audit_board_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    @property
    def subject(self) -> str:
        """What the event is about: the first word of its action ("report.submit" is
        about a report)."""
        return self.action.partition(".")[0]

    def state_change_label(self) -> str:
        """The state change in the words of the record the event is about, e.g.
        "Submitted for review → Approved" for an assessment or "Report: Draft → With the
        clerk" for an IJB report."""
        words, noun = state_words(self.subject, on_assessment=bool(self.assessment_id))
        before, after = words.get(self.from_state, self.from_state), words.get(self.to_state, self.to_state)
        if not self.to_state:
            return ""
        label = after if not self.from_state or before == after else f"{before} → {after}"
        return f"{noun}: {label}" if noun else label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTampering("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTampering("Audit events cannot be deleted.")
