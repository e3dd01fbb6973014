"""Monitoring after sign-off: progress on each mitigating action, recorded without
reopening the assessment (its signed document stays as signed)."""

import datetime

from django.db import transaction
from django.utils import timezone

from .. import rules
from ..exceptions import NotAllowed, RuleViolation
from ..models import ActionProgress, AssessmentState, MitigatingAction
from ..models.assessment import CLOSED_ACTION_STATUSES, ActionStatus
from ..models.monitoring import NOTE_LENGTH
from ..text import clean_text, long_date
from .assessment import _locked
from .audit import audit_record

NOT_YOURS = ("Only the board's equality leads, and its officers who wrote the assessment or lead its plan "
             "change, can record progress on its actions.")


def progress_blocker(assessment) -> str:
    """Why progress cannot be recorded on the assessment's actions now ("" when it can)."""
    if assessment.state == AssessmentState.SIGNED_OFF:
        return ""
    if assessment.state == AssessmentState.SUPERSEDED:
        return "This version has been superseded: record progress on the actions of the version in force."
    if assessment.state == AssessmentState.WITHDRAWN:
        return "This assessment is withdrawn: its actions are no longer monitored."
    return "Progress is recorded once the assessment is signed off; until then, edit its actions with the assessment."


def _errors(*, action, status, note, evidence, reason, done_on, signed_on) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    if status not in ActionStatus.values:
        add("status", "Choose a status from the list.")
    for key, text in (("note", note), ("evidence", evidence), ("reason", reason)):
        if len(text) > NOTE_LENGTH:
            add(key, f"Keep this to {NOTE_LENGTH:,} characters or fewer (it has {len(text):,}).")
    if status == ActionStatus.DONE:
        if done_on is None:
            add("done_on", "Enter the date the action was done.")
        elif done_on > timezone.localdate():
            add("done_on", "The date done cannot be in the future.")
        elif done_on < signed_on:
            add("done_on", f"The date done cannot be before the assessment was signed off ({long_date(signed_on)}).")
        if not evidence:
            add("evidence", "Give the evidence that the action was done.")
    elif done_on is not None:
        add("done_on", "Leave the date done empty unless the action is done.")
    if status == ActionStatus.DROPPED and not reason:
        add("reason", "Say why the action was dropped.")
    if status != ActionStatus.DROPPED and reason:
        add("reason", "Give a reason only when the action is dropped.")
    if status == action.status and not (note or evidence):
        add("note", "Change the status, or add a progress note.")
    elif action.status in CLOSED_ACTION_STATUSES and status not in CLOSED_ACTION_STATUSES and not note:
        add("note", f"Say why the action is reopened (it was {action.get_status_display().lower()}).")
    return errors


def action_progress_record(
    *, action: MitigatingAction, by, status: str, note: str = "", evidence: str = "", reason: str = "",
    done_on: datetime.date | None = None,
) -> ActionProgress:
    """Record progress on a mitigating action of the signed-off version in force: its new
    status (not started, in progress, done, dropped), a note, the evidence of completion,
    the day it was done (not in the future, not before the sign-off) or why it was dropped.
    Appends to the action's history, moves its status on and writes the audit event, in one
    transaction; the assessment stays signed off and its signed document unchanged."""
    with transaction.atomic():
        # lock order as every assessment service: the assessment, then its row
        assessment = _locked(action.assessment)
        action = MitigatingAction.objects.select_for_update().get(pk=action.pk, assessment=assessment)
        action.assessment = assessment
        if not rules.is_monitor(by, assessment):
            raise NotAllowed(NOT_YOURS)
        blocker = progress_blocker(assessment)
        if blocker:
            raise RuleViolation(blocker)
        note, evidence, reason = clean_text(note), clean_text(evidence), clean_text(reason)
        signed_on = timezone.localdate(assessment.signed_off_at)
        errors = _errors(action=action, status=status, note=note, evidence=evidence, reason=reason,
                         done_on=done_on, signed_on=signed_on)
        if errors:
            raise RuleViolation(errors)
        previous = action.status
        progress = ActionProgress.objects.create(
            action=action, previous_status=previous, status=status, note=note, evidence=evidence, reason=reason,
            done_on=done_on if status == ActionStatus.DONE else None, recorded_by=by, recorded_at=timezone.now(),
        )
        action.status, action.done_on = status, progress.done_on
        action.save(update_fields=["status", "done_on"])
        label = ActionStatus(status).label.lower()
        said = f"{label}" + (f" on {long_date(done_on)}" if progress.done_on else "") + (
            f" ({reason})" if reason else "")
        audit_record(
            board=assessment.plan_change.board_id, actor=by, action="action.progress",
            plan_change=assessment.plan_change, assessment=assessment, from_state=previous, to_state=status,
            message=f"Progress on the action “{action.description[:120]}”: {said}." + (f" {note}" if note else ""),
            data={"action": action.pk, "progress": progress.pk,
                  "done_on": progress.done_on.isoformat() if progress.done_on else None},
        )
    return progress
