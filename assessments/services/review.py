"""Reviews of signed-off assessments: confirm unchanged, start a new version, or record
the policy withdrawn; each records the actual impact of every row rated negative."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import rules
from ..exceptions import NotAllowed, RuleViolation
from ..models import (
    ActualImpact,
    Assessment,
    AssessmentReview,
    AssessmentState,
    ImpactRating,
    ReviewedImpact,
    ReviewOutcome,
)
from ..models.assessment import OPEN_STATES
from ..models.monitoring import NOTE_LENGTH
from ..text import clean_text, long_date
from ..validation import review_date_problem
from .assessment import _audit, _locked, assessment_new_version


@dataclass
class ImpactInput:
    """What a review found of one row rated negative: ``actual`` (an ``ActualImpact``) and
    the evidence for it."""

    actual: str
    evidence: str


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


def negative_ratings(assessment: Assessment) -> list[ImpactRating]:
    """The ratings of the rows the assessment rated negative, in the form's order: what a
    review reports the actual impact of."""
    return list(assessment.ratings.filter(negative=True).select_related("row__section"))


def impact_field(rating_or_row_id, part: str) -> str:
    """The form field (and error key) of a row's actual impact (``actual``) or evidence."""
    row_id = getattr(rating_or_row_id, "row_id", rating_or_row_id)
    return f"impact-{row_id}-{part}"


def _impacts_checked(assessment: Assessment, impacts: dict[int, ImpactInput] | None, errors: dict) -> list:
    """The impacts to record, one per row rated negative, each with an actual impact and
    its evidence; missing or wrong ones added to ``errors`` by field."""
    impacts = impacts or {}
    ratings = negative_ratings(assessment)
    if set(impacts) - {rating.row_id for rating in ratings}:
        errors.setdefault("__all__", []).append("Record the actual impact of the rows rated negative only.")
    chosen = []
    for rating in ratings:
        given = impacts.get(rating.row_id) or ImpactInput("", "")
        evidence = clean_text(given.evidence)
        if given.actual not in ActualImpact.values:
            errors[impact_field(rating, "actual")] = [f"Choose the actual impact on “{rating.row.label}”."]
        if not evidence:
            errors[impact_field(rating, "evidence")] = [f"Give the evidence of the actual impact on "
                                                        f"“{rating.row.label}”."]
        elif len(evidence) > NOTE_LENGTH:
            errors[impact_field(rating, "evidence")] = [f"Keep this to {NOTE_LENGTH:,} characters or fewer."]
        predicted = rating.ratings_label + (f": {rating.explanation}" if rating.explanation else "")
        chosen.append(ReviewedImpact(row=rating.row, predicted=predicted, actual=given.actual, evidence=evidence))
    return chosen


def _record(review: AssessmentReview, impacts: list[ReviewedImpact]) -> None:
    for impact in impacts:
        impact.review = review
    ReviewedImpact.objects.bulk_create(impacts)


def _impact_words(impacts: list[ReviewedImpact]) -> str:
    if not impacts:
        return ""
    return " Actual impact: " + "; ".join(f"{i.row.label}: {i.get_actual_display().lower()}" for i in impacts) + "."


def _require_reviewable(assessment: Assessment, by) -> None:
    if not rules.can_review(by, assessment):
        raise NotAllowed("Only an equality lead of the board, or the assessment's author or lead officer, "
                         "can review it.")
    blocker = review_blocker(assessment)
    if blocker:
        raise RuleViolation(blocker)


def _note(note: str, errors: dict, key: str, missing: str) -> str:
    note = clean_text(note)
    if not note:
        errors[key] = [missing]
    elif len(note) > NOTE_LENGTH:
        errors[key] = [f"Keep this to {NOTE_LENGTH:,} characters or fewer."]
    return note


def assessment_review_confirm(
    *, assessment: Assessment, by, note: str, next_review_date: datetime.date | None,
    impacts: dict[int, ImpactInput] | None = None,
) -> AssessmentReview:
    """Record that a signed-off assessment still holds: who, when, why, the actual impact of
    each row rated negative (``impacts``, by row id) and the next review date, which becomes
    the assessment's review date. The signed document is not changed."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_reviewable(assessment, by)
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        note = _note(note, errors, "note", "Say what you checked and why the assessment still holds.")
        problem = review_date_problem(next_review_date, today=today, what="The next review date")
        if problem:
            errors["next_review_date"] = [problem]
        found = _impacts_checked(assessment, impacts, errors)
        if errors:
            raise RuleViolation(errors)
        review = AssessmentReview.objects.create(
            assessment=assessment, outcome=ReviewOutcome.CONFIRMED, reviewed_by=by, reviewed_at=timezone.now(),
            note=note, previous_review_date=assessment.review_date, next_review_date=next_review_date,
        )
        _record(review, found)
        assessment.review_date = next_review_date
        assessment.save()
        _audit(assessment, by, "assessment.review_confirm",
               f"Reviewed: confirmed unchanged; next review {long_date(next_review_date)}. {note}"
               + _impact_words(found),
               data={"review": review.pk, "next_review_date": next_review_date.isoformat(),
                     "previous_review_date": review.previous_review_date.isoformat()
                     if review.previous_review_date else None})
    return review


def assessment_review_new_version(
    *, assessment: Assessment, by, note: str, impacts: dict[int, ImpactInput] | None = None,
) -> AssessmentReview:
    """Record that a review found the assessment needs updating, with the actual impact of
    each row rated negative, and start the new version (``assessment_new_version``: the
    answers are copied for editing, and it supersedes the reviewed version when it is
    signed off), in one transaction."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_reviewable(assessment, by)
        if not rules.can_start_new_version(by, assessment):
            raise NotAllowed("Only an officer of the board can start a new version.")
        errors: dict[str, list[str]] = {}
        note = _note(note, errors, "note", "Say what has changed and needs updating.")
        found = _impacts_checked(assessment, impacts, errors)
        if errors:
            raise RuleViolation(errors)
        new = assessment_new_version(assessment=assessment, by=by, reason=f"Review: {note}")
        review = AssessmentReview.objects.create(
            assessment=assessment, outcome=ReviewOutcome.NEW_VERSION, reviewed_by=by, reviewed_at=timezone.now(),
            note=note, previous_review_date=assessment.review_date, new_version=new,
        )
        _record(review, found)
        _audit(assessment, by, "assessment.review_new_version",
               f"Reviewed: update required; version {new.version} started." + _impact_words(found),
               data={"review": review.pk, "new_version": new.version})
    return review


def assessment_review_withdraw(
    *, assessment: Assessment, by, note: str, impacts: dict[int, ImpactInput] | None = None,
) -> AssessmentReview:
    """Record that a review found the policy or service withdrawn (no longer applied), with
    the actual impact of each row rated negative while it applied: the assessment is
    withdrawn, so its actions are no longer monitored or reminded about and its review
    date passes unreminded. Its signed document stays published as signed."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_reviewable(assessment, by)
        errors: dict[str, list[str]] = {}
        note = _note(note, errors, "note", "Say why the policy or service was withdrawn, and when.")
        found = _impacts_checked(assessment, impacts, errors)
        if errors:
            raise RuleViolation(errors)
        from_state = assessment.state
        assessment.withdraw_at_review()
        assessment.save()
        review = AssessmentReview.objects.create(
            assessment=assessment, outcome=ReviewOutcome.WITHDRAWN, reviewed_by=by, reviewed_at=timezone.now(),
            note=note, previous_review_date=assessment.review_date,
        )
        _record(review, found)
        _audit(assessment, by, "assessment.review_withdraw",
               f"Reviewed: withdrawn. {note}" + _impact_words(found), from_state=from_state,
               data={"review": review.pk})
    return review
