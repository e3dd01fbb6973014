"""Pure checks of an assessment's answers. Each returns errors keyed by form field:
``r<row id>`` for a row, ``q<question id>`` for a question, ``j<row id>`` for a row
that needs a mitigating action or justification, ``e<row id>`` for a row that needs
an evidence-gathering action, otherwise a field name or ``__all__``."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .catalogue import template_rows
from .models import Assessment, Row, Section
from .models.assessment import ActionKind, Rating

Errors = dict[str, list[str]]

EXCLUSIVE_RATINGS = (Rating.NO_IMPACT, Rating.NOT_KNOWN, Rating.NOT_APPLICABLE)


@dataclass
class RatingInput:
    ratings: set[str] = field(default_factory=set)
    explanation: str = ""


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def rating_errors(row: Row, value: RatingInput) -> list[tuple[str, str]]:
    """The problems with one row's rating, each with the field it belongs to:
    ``r<id>`` for the ratings, ``x<id>`` for the explanation."""
    ratings = set(value.ratings)
    rating_key, explanation_key = f"r{row.pk}", f"x{row.pk}"
    if not ratings:
        return [(rating_key, f"Rate “{row.label}”: choose at least one rating.")]
    problems = []
    if ratings - set(Rating.values):
        problems.append((rating_key, f"Choose ratings for “{row.label}” from the list."))
    if Rating.NOT_APPLICABLE in ratings and not row.allows_not_applicable:
        problems.append((rating_key, f"“Not applicable” is not an option for “{row.label}”."))
    for exclusive in EXCLUSIVE_RATINGS:
        if exclusive in ratings and len(ratings) > 1:
            problems.append((rating_key, f"“{row.label}”: “{Rating(exclusive).label}” cannot be combined with another rating."))
    if ratings != {Rating.NO_IMPACT} and not value.explanation.strip():
        problems.append((explanation_key, f"Explain the rating of “{row.label}”."))
    return problems


def section_errors(section: Section, ratings: dict[int, RatingInput], answers: dict[int, str]) -> Errors:
    """What stops the section from being completed."""
    errors: Errors = {}
    for row in section.rows.all():
        for key, problem in rating_errors(row, ratings.get(row.pk, RatingInput())):
            _add(errors, key, problem)
    for question in section.questions.all():
        value = (answers.get(question.pk) or "").strip()
        if question.required and not value:
            _add(errors, f"q{question.pk}", f"Answer “{question.label}”.")
        elif value and question.kind == "choice" and value not in question.choices:
            _add(errors, f"q{question.pk}", "Choose one of the options.")
    return errors


def evidence_errors(evidence: str, consultation: str) -> Errors:
    errors: Errors = {}
    if not evidence.strip():
        _add(errors, "evidence", "Describe the evidence the assessment used.")
    if not consultation.strip():
        _add(errors, "consultation", "Describe the consultation undertaken, or why there was none.")
    return errors


@dataclass
class Coverage:
    """What the mitigating actions and justifications cover: action kind to row ids,
    and row id to justification."""

    linked: dict[str, set[int]]
    justifications: dict[int, str]
    review_date: datetime.date | None


def saved_coverage(assessment: Assessment, ratings: list | None = None) -> Coverage:
    """What the saved actions and justifications cover (``ratings``: the assessment's
    ratings, when the caller has read them)."""
    linked: dict[str, set[int]] = {ActionKind.MITIGATION: set(), ActionKind.EVIDENCE: set()}
    for action in assessment.actions.prefetch_related("rows"):
        linked[action.kind].update(row.pk for row in action.rows.all())
    if ratings is not None:
        justifications = {r.row_id: r.justification for r in ratings}
    else:
        justifications = dict(assessment.ratings.values_list("row_id", "justification").order_by())
    return Coverage(linked, justifications, assessment.review_date)


def actions_errors(assessment: Assessment, coverage: Coverage | None = None, *,
                   today: datetime.date | None = None, ratings: list | None = None) -> Errors:
    """Negative ratings need a mitigating action or a justification; "not known" needs an
    evidence-gathering action; the review date must be set and in the future. Checks
    the saved actions, or ``coverage`` (what a form is about to save); ``ratings``: the
    assessment's ratings, when the caller has read them."""
    today = today or timezone.localdate()
    if ratings is None:
        ratings = list(assessment.ratings.order_by())
    coverage = coverage or saved_coverage(assessment, ratings)
    errors: Errors = {}
    linked = coverage.linked
    by_row = {r.row_id: r for r in ratings}  # the rows and their order from the catalogue
    for row in template_rows(assessment.template):
        rating = by_row.get(row.pk)
        if rating is None:
            continue
        justification = coverage.justifications.get(rating.row_id, rating.justification) or ""
        if rating.negative and rating.row_id not in linked[ActionKind.MITIGATION] and not justification.strip():
            _add(
                errors,
                f"j{rating.row_id}",
                f"“{row.label}” is rated negative: link a mitigating action or record a justification.",
            )
        if rating.not_known and rating.row_id not in linked[ActionKind.EVIDENCE]:
            _add(
                errors,
                f"e{rating.row_id}",
                f"“{row.label}” is rated not known: link an evidence-gathering action.",
            )
    if coverage.review_date is None:
        _add(errors, "review_date", "Set a review date.")
    elif coverage.review_date <= today:
        _add(errors, "review_date", "The review date must be in the future.")
    return errors


def action_input_errors(description: str, owner: str, due_date, status: str = "planned", *,
                        today: datetime.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    problems = []
    if not description.strip():
        problems.append("Describe the action.")
    if not owner.strip():
        problems.append("Name who owns the action.")
    if due_date is None:
        problems.append("Give the action a due date.")
    elif due_date < today and status != "done":
        problems.append("The due date has passed: choose a future date, or mark the action done.")
    return problems
