"""Pure checks of an assessment's answers. Each returns errors keyed by form field:
``r<row id>`` for a row, ``q<question id>`` for a question, ``j<row id>`` for a row
that needs a mitigating action or justification, ``e<row id>`` for a row that needs
an evidence-gathering action, otherwise a field name or ``__all__``."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from .catalogue import template_rows
from .models import Assessment, Question, Row, Section
from .models.assessment import ActionKind, ActionStatus, Rating
from .models.catalogue import DATE_KINDS, QuestionKind
from .text import long_date

Errors = dict[str, list[str]]

EXCLUSIVE_RATINGS = (Rating.NO_IMPACT, Rating.NOT_KNOWN, Rating.NOT_APPLICABLE)

# No date a question asks about is older (a year of 0001 parses, but is no answer)
EARLIEST_ANSWER_DATE = datetime.date(1900, 1, 1)
# The furthest a review date may be set: the strategic plan itself is reviewed every three
# years, so an assessment (or a direction) looked at less often would outlive the plan.
LONGEST_REVIEW_INTERVAL = datetime.timedelta(days=3 * 366)


def review_date_problem(review_date: datetime.date | None, *, today: datetime.date | None = None,
                        what: str = "The review date") -> str:
    """Why ``review_date`` cannot be a review date ("" when it can): it is missing, not after
    today, or more than three years away."""
    today = today or timezone.localdate()
    if review_date is None:
        return f"Enter {what[0].lower()}{what[1:]}."
    if review_date <= today:
        return f"{what} must be after today."
    if review_date > today + LONGEST_REVIEW_INTERVAL:
        return f"{what} must be within three years (by {long_date(today + LONGEST_REVIEW_INTERVAL)})."
    return ""


@dataclass
class RatingInput:
    ratings: set[str] = field(default_factory=set)
    explanation: str = ""
    # a locality row rated negative: the locality planning group consulted (its id), and when
    consulted_group: int | None = None
    consulted_on: datetime.date | None = None

    @classmethod
    def of(cls, rating) -> "RatingInput":
        """What a stored ``ImpactRating`` says, as input."""
        return cls(set(rating.ratings), rating.explanation, rating.consulted_group_id, rating.consulted_on)

    @property
    def asks_consultation(self) -> bool:
        return Rating.NEGATIVE in self.ratings


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


# Royal Assent of the Public Bodies (Joint Working) (Scotland) Act 2014, whose s.41 asks for the
# consultation: no locality planning group was consulted under it before (0001-01-01 is a typo).
LOCALITIES_ACT = datetime.date(2014, 4, 1)


def consultation_errors(row: Row, value: RatingInput, *, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """A locality row rated negative names the locality planning group consulted (``g<id>``)
    and the date it was consulted (``d<id>``), not in the future (s.41 of the 2014 Act)."""
    if not row.locality_id or not value.asks_consultation:
        return []
    today = today or timezone.localdate()
    problems = []
    if not value.consulted_group:
        problems.append((f"g{row.pk}", f"“{row.label}” is rated negative: choose the locality planning group "
                                       "that was consulted."))
    if value.consulted_on is None:
        problems.append((f"d{row.pk}", f"“{row.label}” is rated negative: give the date the locality planning "
                                       "group was consulted."))
    elif value.consulted_on > today:
        problems.append((f"d{row.pk}", f"The locality planning group on “{row.label}” cannot have been consulted "
                                       "in the future: give the date it was consulted."))
    elif value.consulted_on < LOCALITIES_ACT:
        problems.append((f"d{row.pk}", f"The locality planning group on “{row.label}” cannot have been consulted "
                                       "before 1 April 2014, when the 2014 Act made localities: check the year."))
    return problems


def rating_errors(row: Row, value: RatingInput) -> list[tuple[str, str]]:
    """The problems with one row's rating, each with the field it belongs to:
    ``r<id>`` for the ratings, ``x<id>`` for the explanation, ``g<id>`` and ``d<id>`` for
    the consultation of a locality row rated negative."""
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
    return problems + consultation_errors(row, value)


def section_errors(section: Section, ratings: dict[int, RatingInput], answers: dict[int, str]) -> Errors:
    """What stops the section from being completed."""
    errors: Errors = {}
    for row in section.rows.all():
        for key, problem in rating_errors(row, ratings.get(row.pk, RatingInput())):
            _add(errors, key, problem)
    questions = list(section.questions.all())
    by_code = {q.code: answers.get(q.pk) or "" for q in questions}
    for question in questions:
        value = (answers.get(question.pk) or "").strip()
        problem = answer_error(question, value)
        if problem:
            _add(errors, f"q{question.pk}", problem)
        elif not value and question.is_required(by_code):
            _add(errors, f"q{question.pk}", f"Answer “{question.label}”.")
    return errors


def answer_error(question: Question, value: str) -> str:
    """What is wrong with a given answer, whatever the other answers ("" if nothing)."""
    if not value:
        return ""
    if question.kind == QuestionKind.CHOICE and value not in question.choices:
        return "Choose one of the options."
    if question.kind in DATE_KINDS:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or day < EARLIEST_ANSWER_DATE:
            return f"“{question.label}”: give a real date, for example 2027-03-31."
        if question.kind == QuestionKind.PAST_DATE and day > timezone.localdate():
            return f"“{question.label}”: give the day it was done: it cannot be after today."
    if question.kind == QuestionKind.LINK:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            return f"“{question.label}”: give a web address starting https://."
    return ""


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
    # row id to the description of an evidence-gathering action linked to it: named when
    # that is all a negative row has
    evidence_actions: dict[int, str] = field(default_factory=dict)


def saved_coverage(assessment: Assessment, ratings: list | None = None) -> Coverage:
    """What the saved actions and justifications cover (``ratings``: the assessment's
    ratings, when the caller has read them)."""
    linked: dict[str, set[int]] = {ActionKind.MITIGATION: set(), ActionKind.EVIDENCE: set()}
    evidence_actions: dict[int, str] = {}
    for action in assessment.actions.prefetch_related("rows"):
        linked[action.kind].update(row.pk for row in action.rows.all())
        if action.kind == ActionKind.EVIDENCE:
            for row in action.rows.all():
                evidence_actions.setdefault(row.pk, action.description)
    if ratings is not None:
        justifications = {r.row_id: r.justification for r in ratings}
    else:
        justifications = dict(assessment.ratings.values_list("row_id", "justification").order_by())
    return Coverage(linked, justifications, assessment.review_date, evidence_actions)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
            evidence = coverage.evidence_actions.get(rating.row_id)
            if evidence is not None:  # the link is there, but of the wrong kind: say so
                message = (f"“{row.label}” is rated negative, and “{_short(evidence)}” is an evidence-gathering "
                           "action: a negative impact needs a mitigating action, or a justification.")
            else:
                message = f"“{row.label}” is rated negative: link a mitigating action or record a justification."
            _add(errors, f"j{rating.row_id}", message)
        if rating.not_known and rating.row_id not in linked[ActionKind.EVIDENCE]:
            _add(
                errors,
                f"e{rating.row_id}",
                f"“{row.label}” is rated not known: link an evidence-gathering action.",
            )
    problem = review_date_problem(coverage.review_date, today=today)
    if problem:
        _add(errors, "review_date", problem)
    return errors


def action_input_errors(description: str, owner: str, due_date, status: str = "planned", *,
                        today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The problems with one action, each with the field it belongs to."""
    today = today or timezone.localdate()
    problems = []
    if not description.strip():
        problems.append(("description", "Describe the action."))
    if not owner.strip():
        problems.append(("owner", "Name who owns the action."))
    if due_date is None:
        problems.append(("due_date", "Give the action a due date."))
    elif due_date < today and status != ActionStatus.DONE:
        problems.append(("due_date", "The due date has passed: choose a future date, or mark the action done."))
    return problems
