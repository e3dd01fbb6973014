"""Comments on the parts of an assessment and on the screening: posted once, kept, audited."""

from django.db import transaction

from .. import rules
from ..catalogue import part_by_code
from ..exceptions import NotAllowed, RuleViolation
from ..models import SCREENING_PART, Assessment, AssessmentState, Comment, Screening
from ..text import clean_text
from .audit import audit_record

COMMENT_LIMIT = 5000


def comment_add(
    *, by, text: str, part: str, assessment: Assessment | None = None, screening: Screening | None = None
) -> Comment:
    """Post a comment on one part of an assessment (a section code, ``evidence`` or
    ``actions``) or on the screening. Only the participants may; the comment is kept as
    posted and the history records it."""
    if (assessment is None) == (screening is None):
        raise ValueError("Comment on an assessment or on a screening.")
    with transaction.atomic():
        if assessment is not None:
            target = Assessment.objects.select_for_update(of=("self",)).select_related(
                "plan_change", "template").get(pk=assessment.pk)
            if not rules.can_comment(by, target):
                raise NotAllowed("Only the assessment's participants on its board can comment on it.")
            if target.state in (AssessmentState.SUPERSEDED, AssessmentState.WITHDRAWN):
                raise RuleViolation(f"This version is {target.get_state_display().lower()}: "
                                    f"comments are closed.")
            try:
                title = part_by_code(target.template, part).title
            except KeyError:
                raise RuleViolation({"part": ["Choose a part of this assessment."]}) from None
        else:
            target = Screening.objects.select_for_update(of=("self",)).select_related("plan_change").get(
                pk=screening.pk)
            if not rules.can_comment_screening(by, target):
                raise NotAllowed("Only the screening's participants on its board can comment on it.")
            if part != SCREENING_PART:
                raise RuleViolation({"part": ["Choose a part of this assessment."]})
            title = "the screening"
        text = clean_text(text).strip()
        if not text:
            raise RuleViolation({"text": ["Enter your comment."]})
        if len(text) > COMMENT_LIMIT:
            raise RuleViolation({"text": [f"Keep your comment to {COMMENT_LIMIT} characters or fewer."]})
        comment = Comment.objects.create(
            plan_change=target.plan_change, assessment=target if assessment is not None else None,
            screening=target if screening is not None else None, part=part, author=by, text=text,
        )
        audit_record(
            board=target.plan_change.board_id, actor=by, action="comment.add", plan_change=target.plan_change,
            assessment=comment.assessment, screening=comment.screening, from_state=target.state,
            to_state=target.state, message=f"Commented on {title}.",  # the text: participants only
            data={"comment": comment.pk, "part": part},
        )
    return comment
