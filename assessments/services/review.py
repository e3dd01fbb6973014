"""Reviews of signed-off assessments: confirm unchanged, or start a new version."""

import datetime

from django.db import transaction
from django.utils import timezone

from .. import rules
from ..exceptions import NotAllowed, RuleViolation
from ..models import Assessment, AssessmentReview, AssessmentState, ReviewOutcome
from ..models.assessment import OPEN_STATES
from ..text import clean_text, long_date
from .assessment import _audit, _locked, assessment_new_version

LONGEST_INTERVAL = datetime.timedelta(days=3 * 366)  # the strategic plan itself is reviewed every 3 years


def review_blocker(assessment: Assessment) -> str:
    """Why the assessment cannot be reviewed now, or "" when it can: only the signed-off
    version in force, with no newer version open, is reviewed."""
    if assessment.state != AssessmentState.SIGNED_OFF:
        return (f"Only a signed-off assessment in force can be reviewed; this version is "
                f"{assessment.get_state_display().lower()}.")
    # the plan change's versions (a handful), as its page has read them already
    newer = max((a for a in assessment.plan_change.assessments.all()
                 if a.version > assessment.version and a.state in OPEN_STATES), key=lambda a: a.version, default=None)
    if newer is not None:
        return f"Version {newer.version} is already open: its sign-off will supersede this version."
    return ""


def _require_reviewable(assessment: Assessment, by) -> None:
    if not rules.can_review(by, assessment):
        raise NotAllowed("Only an equality lead of the board, or the assessment's author or lead officer, "
                         "can review it.")
    blocker = review_blocker(assessment)
    if blocker:
        raise RuleViolation(blocker)


def assessment_review_confirm(
    *, assessment: Assessment, by, note: str, next_review_date: datetime.date | None
) -> AssessmentReview:
    """Record that a signed-off assessment still holds: who, when, why, and the next review
    date, which becomes the assessment's review date. The signed document is not changed."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_reviewable(assessment, by)
        note = clean_text(note).strip()
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        if not note:
            errors["note"] = ["Say what you checked and why the assessment still holds."]
        if next_review_date is None:
            errors["next_review_date"] = ["Enter the next review date."]
        elif next_review_date <= today:
            errors["next_review_date"] = ["The next review date must be after today."]
        elif next_review_date > today + LONGEST_INTERVAL:
            errors["next_review_date"] = ["The next review date must be within three years."]
        if errors:
            raise RuleViolation(errors)
        review = AssessmentReview.objects.create(
            assessment=assessment, outcome=ReviewOutcome.CONFIRMED, reviewed_by=by, reviewed_at=timezone.now(),
            note=note, previous_review_date=assessment.review_date, next_review_date=next_review_date,
        )
        assessment.review_date = next_review_date
        assessment.save()
        _audit(assessment, by, "assessment.review_confirm",
               f"Reviewed: confirmed unchanged; next review {long_date(next_review_date)}. {note}",
               data={"review": review.pk, "next_review_date": next_review_date.isoformat(),
                     "previous_review_date": review.previous_review_date.isoformat()
                     if review.previous_review_date else None})
    return review


def assessment_review_new_version(*, assessment: Assessment, by, note: str) -> AssessmentReview:
    """Record that a review found the assessment needs updating, and start the new version
    (``assessment_new_version``: the answers are copied for editing, and it supersedes the
    reviewed version when it is signed off), in one transaction."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_reviewable(assessment, by)
        if not rules.can_start_new_version(by, assessment):
            raise NotAllowed("Only an officer of the board can start a new version.")
        note = clean_text(note).strip()
        if not note:
            raise RuleViolation({"reason": ["Say what has changed and needs updating."]})
        new = assessment_new_version(assessment=assessment, by=by, reason=f"Review: {note}")
        review = AssessmentReview.objects.create(
            assessment=assessment, outcome=ReviewOutcome.NEW_VERSION, reviewed_by=by, reviewed_at=timezone.now(),
            note=note, previous_review_date=assessment.review_date, new_version=new,
        )
        _audit(assessment, by, "assessment.review_new_version",
               f"Reviewed: update required; version {new.version} started.",
               data={"review": review.pk, "new_version": new.version})
    return review
