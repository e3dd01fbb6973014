"""Pre-screening: answer, submit, review."""

from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from .. import rules
from ..catalogue import template_screening_questions
from ..exceptions import NotAllowed, RuleViolation
from ..models import Assessment, Outcome, Screening, ScreeningState
from ..models.screening import ReviewDecision
from ..selectors import assessments_to_rely_on
from ..text import clean_text
from .assessment import assessment_open
from .audit import audit_record

Answers = dict[str, dict[str, str]]

FULL_IIA_REASONS = {
    "asks_agreement": "it asks the IJB to agree something",
    "affects_people": "it will affect people",
    "protected_characteristics": "it is relevant to protected characteristics",
    "strategic_decision": "it is a strategic decision under the Fairer Scotland Duty",
    "changes_access": "it could change spending, charges, eligibility, location or access to services",
}


def screening_propose(answers: Answers) -> tuple[str, str]:
    """The outcome the answers point to, with the reason (spec Part B outcome rule)."""

    def answer(code: str) -> str:
        return (answers.get(code) or {}).get("answer", "")

    if answer("asks_agreement") == "no":
        return Outcome.NO_IIA, (
            "The report does not ask the IJB to agree anything: it informs the board, so no IIA is required."
        )
    if answer("information_only") == "yes" and answer("affects_people") == "no":
        return Outcome.NO_IIA, (
            "The report is only an update, report or set of accounts and will not affect people, "
            "so no IIA is required."
        )
    reasons = [text for code, text in FULL_IIA_REASONS.items() if answer(code) == "yes"]
    because = "; ".join(reasons) if reasons else "the screening answers do not rule out an impact"
    return Outcome.FULL_IIA, f"A full IIA is required because {because}."


def _locked(screening: Screening) -> Screening:
    return Screening.objects.select_for_update(of=("self",)).select_related("plan_change__board", "template").get(pk=screening.pk)


def _clean_answers(screening: Screening, answers: Answers, *, require_all: bool) -> Answers:
    errors: dict[str, list[str]] = {}
    cleaned: Answers = {}
    for number, question in enumerate(template_screening_questions(screening.template), start=1):
        given = answers.get(question.code) or {}
        answer = (given.get("answer") or "").strip()
        comment = clean_text(given.get("comment"))
        if answer and answer not in dict(question.choices):
            errors[f"q_{question.code}"] = ["Choose one of the options."]
        elif require_all and not answer:
            errors[f"q_{question.code}"] = [f"Choose an answer to question {number}."]  # the page numbers them
        cleaned[question.code] = {"answer": answer, "comment": comment}
    if errors:
        raise RuleViolation(errors)
    return cleaned


# The question whose "yes" names the earlier assessment the proposal relies on.
ALREADY_ASSESSED = "already_assessed"


def _relies_on(screening: Screening, relies_on_id, *, require: bool) -> Assessment | None:
    """The earlier assessment named for an "already assessed" answer: a signed-off
    assessment of the screening's own board, chosen from ``assessments_to_rely_on``. Any
    other id (another board's, one not signed off, one that does not exist) gets the same
    answer, so the refusal tells nothing about other boards' records."""
    said_yes = (screening.answers.get(ALREADY_ASSESSED) or {}).get("answer") == "yes"
    if not said_yes:
        return None
    if relies_on_id in (None, ""):
        if require:
            raise RuleViolation({"relies_on": ["Choose the earlier assessment this proposal relies on."]})
        return None
    try:
        pk = int(relies_on_id)
    except (TypeError, ValueError):
        pk = None
    found = (assessments_to_rely_on(board_id=screening.plan_change.board_id).filter(pk=pk).first()
             if pk is not None and 0 < pk < 2**63 else None)
    if found is None:
        raise RuleViolation({"relies_on": ["Choose an earlier signed-off assessment of this board from the list."]})
    return found


def screening_save(*, screening: Screening, by, answers: Answers, officer_reason: str = "",
                   relies_on_id: int | None = None) -> Screening:
    """Save the answers as a draft; nothing is checked for completeness. ``relies_on_id``:
    for an "already assessed" answer, the earlier assessment it relies on."""
    with transaction.atomic():
        screening = _locked(screening)
        if not rules.can_edit_screening(by, screening):
            raise NotAllowed("This screening record cannot be edited by you now.")
        screening.answers = _clean_answers(screening, answers, require_all=False)
        screening.relies_on = _relies_on(screening, relies_on_id, require=False)
        screening.officer_reason = clean_text(officer_reason)
        screening.save()
        audit_record(
            board=screening.plan_change.board_id,
            actor=by,
            action="screening.save",
            plan_change=screening.plan_change,
            screening=screening,
            from_state=screening.state,
            to_state=screening.state,
            message="Saved the screening answers as a draft.",
        )
    return screening


def screening_submit(*, screening: Screening, by, answers: Answers, officer_reason: str = "",
                     relies_on_id: int | None = None) -> Screening:
    """Check every question is answered (and, for "already assessed", the earlier
    assessment named), propose the outcome and send it for review."""
    with transaction.atomic():
        screening = _locked(screening)
        if not rules.can_edit_screening(by, screening):
            raise NotAllowed("This screening record cannot be submitted by you now.")
        screening.answers = _clean_answers(screening, answers, require_all=True)
        screening.relies_on = _relies_on(screening, relies_on_id, require=True)
        screening.relies_on_checked_by = screening.relies_on_checked_at = None  # the lead checks it afresh
        screening.officer_reason = clean_text(officer_reason)
        screening.proposed_outcome, screening.proposed_reason = screening_propose(screening.answers)
        from_state = screening.state
        screening.submit()
        screening.submitted_by = by
        screening.submitted_at = timezone.now()
        screening.save()
        audit_record(
            board=screening.plan_change.board_id,
            actor=by,
            action="screening.submit",
            plan_change=screening.plan_change,
            screening=screening,
            from_state=from_state,
            to_state=screening.state,
            message=f"Submitted the screening; proposed outcome: {screening.get_proposed_outcome_display()}."
                    + (f" Already assessed in {screening.relies_on.reference}." if screening.relies_on else ""),
            data={"relies_on": screening.relies_on_id} if screening.relies_on_id else None,
        )
    return screening


def screening_review(*, screening: Screening, by, decision: str, comments: str = "",
                     relies_on_checked: bool = False) -> Screening:
    """An equality lead concurs with the proposed outcome, overrides it (with a reason) or
    returns the screening. A full-IIA outcome opens the assessment. A screening that says
    the proposal was already assessed is decided only once the lead confirms they checked
    the earlier assessment it names (``relies_on_checked``); that check is recorded."""
    with transaction.atomic():
        screening = _locked(screening)
        if not rules.can_review_screening(by, screening):
            if screening.state != ScreeningState.SUBMITTED:
                raise TransitionNotAllowed("This screening is no longer awaiting review.")
            raise NotAllowed("Only an equality lead of the board who did not write it can review this screening.")
        if decision not in ReviewDecision.values:
            raise RuleViolation({"decision": ["Choose concur, override or return."]})
        if decision in (ReviewDecision.OVERRIDE, ReviewDecision.RETURN) and not clean_text(comments):
            raise RuleViolation({"comments": ["Give the reason for your decision."]})
        checked = bool(screening.relies_on_id) and decision != ReviewDecision.RETURN
        if checked and not relies_on_checked:
            raise RuleViolation({"relies_on_checked": [
                f"Confirm you checked the earlier assessment {screening.relies_on.reference} it relies on, "
                "or return the screening."]})
        from_state = screening.state
        if checked:
            screening.relies_on_checked_by = by
            screening.relies_on_checked_at = timezone.now()
        screening.review_decision = decision
        screening.review_comments = clean_text(comments)
        screening.reviewed_by = by
        screening.reviewed_at = timezone.now()
        if decision == ReviewDecision.RETURN:
            screening.return_to_officer()
        else:
            proposed = screening.proposed_outcome
            if decision == ReviewDecision.OVERRIDE:
                proposed = Outcome.NO_IIA if proposed == Outcome.FULL_IIA else Outcome.FULL_IIA
            screening.outcome = proposed
            if proposed == Outcome.FULL_IIA:
                screening.screen_in()
            else:
                screening.screen_out()
        screening.save()
        audit_record(
            board=screening.plan_change.board_id,
            actor=by,
            action=f"screening.{decision}",
            plan_change=screening.plan_change,
            screening=screening,
            from_state=from_state,
            to_state=screening.state,
            message=screening.get_review_decision_display() + (f": {clean_text(comments)}" if comments.strip() else "")
                    + (f" Checked the earlier assessment {screening.relies_on.reference}." if checked else ""),
            data={"relies_on_checked": screening.relies_on_id} if checked else None,
        )
        if screening.outcome == Outcome.FULL_IIA:
            assessment_open(plan_change=screening.plan_change, template=screening.template, by=by)
    return screening
