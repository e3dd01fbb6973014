"""Decisions under delegated authority: recorded by a senior officer, published at once."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AssessmentState, Role
from assessments.selectors import current_screening, job_title
from assessments.services import audit_record
from assessments.text import clean_line, clean_text

from ..models import AgendaItem, DelegatedDecision, MeetingStatus, SignedDocument


def _today() -> datetime.date:
    """Today in the boards' time zone (Europe/London), whatever the request's."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def delegated_decision_refusal(document: SignedDocument) -> str:
    """Why no decision under delegated authority can publish ``document`` ("" when one can):
    it is not signed yet, not the plan change's current record, has a decision already,
    or is on a meeting's agenda (the board decides it there)."""
    if not document.is_ready or document.signed_at is None:
        return "The signed document is still being prepared."
    if document.assessment_id and document.assessment.state != AssessmentState.SIGNED_OFF:
        return "This version of the assessment is no longer the signed-off one."
    if document.screening_id and current_screening(document.screening.plan_change) != document.screening:
        return "This screening record is no longer the plan change's current one."
    if DelegatedDecision.objects.filter(document=document).exists():
        return "A decision under delegated authority is already recorded for this document."
    on_agenda = AgendaItem.objects.filter(report__plan_change_id=document.plan_change.pk).filter(
        Q(report__appendix=document) | Q(report__appendix__isnull=True, meeting__status=MeetingStatus.DRAFT))
    if document.publications.exists() or on_agenda.exists():
        return "This document is on a meeting's agenda: the board decides on it there."
    return ""


def delegated_decision_record(*, document: SignedDocument, by, authority: str, decision: str,
                              decided_on: datetime.date | None, late_reason: str = "") -> DelegatedDecision:
    """Record a decision taken under delegated authority and, in the same transaction,
    publish the signed assessment or screening record on the register beside it. The
    decision is dated between the document's signing and today; it is due on the register
    within the board's publication period, and later only with a reason."""
    with transaction.atomic():
        # one decision per document: the document's row is the lock two senior officers queue on
        document = (SignedDocument.objects.select_for_update(of=("self",))
                    .select_related("board", "assessment__plan_change", "screening__plan_change")
                    .defer("pdf", "certificate", "snapshot").get(pk=document.pk))
        if not rules.can_decide_under_delegation(by, document.board_id):
            raise NotAllowed("Only a senior officer of the board records decisions under delegated authority.")
        refusal = delegated_decision_refusal(document)
        if refusal:
            raise RuleViolation(refusal)
        today = _today()
        signed_on = timezone.localdate(document.signed_at, timezone.get_default_timezone())
        errors: dict[str, list[str]] = {}
        authority, decision = clean_line(authority), clean_text(decision)
        if not authority:
            errors["authority"] = ["Say which delegated authority the decision was taken under."]
        if not decision:
            errors["decision"] = ["Say what was decided."]
        if decided_on is None:
            errors["decided_on"] = ["Enter the date of the decision."]
        elif decided_on > today:
            errors["decided_on"] = ["The decision cannot be dated in the future: give the date it was taken."]
        elif decided_on < signed_on:
            errors["decided_on"] = [f"The decision cannot be dated before the document was signed, "
                                    f"on {signed_on:%-d %B %Y}."]
        if errors:
            raise RuleViolation(errors)
        days = document.board.results_publication_days
        due = decided_on + datetime.timedelta(days=days)
        late = ""
        if today > due:
            late = clean_text(late_reason)
            if not late:
                raise RuleViolation({"late_reason": [
                    f"The results of this decision were due on the register by {due:%-d %B %Y}, {days} days after "
                    "it: say why they are published late."]})
        now = timezone.now()
        plan_change = document.plan_change
        record = DelegatedDecision.objects.create(
            board=document.board, plan_change=plan_change, plan_change_reference=plan_change.reference,
            plan_change_title=plan_change.title, document=document, authority=authority,
            decision=decision, decided_on=decided_on, decided_by=by,
            decider_name=by.get_full_name() or by.get_username(),
            decider_role=job_title(by, document.board_id, Role.SENIOR_OFFICER),
            publication_due=due, published_at=now, late_reason=late)
        SignedDocument.objects.filter(pk=document.pk, published_at__isnull=True).update(published_at=now)
        audit_record(board=document.board_id, actor=by, action="delegated_decision.record", plan_change=plan_change,
                     message=f"Recorded a decision of {decided_on:%-d %B %Y} under delegated authority ({authority}) "
                             f"and published the {document.get_kind_display().lower()} {document.verification_code}."
                             + (f" Published late: {late}" if late else ""),
                     data={"document": document.verification_code, "decided_on": decided_on.isoformat(),
                           "publication_due": due.isoformat(), "late_reason": late})
    return record
