"""Selectors of the mainstreaming evidence: a board's figures for a chosen period, the
figures its mainstreaming and equality outcomes progress reports need every two years
(SSI 2012/162 regs 3 and 4).

Every figure is counted by the database with aggregate queries (five whatever the size of
the board: ``mainstreaming_figures``), never by reading the plan changes one by one. Each
figure carries its definition, in the words the PDF, the page and the exports print.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentReview,
    AssessmentState,
    Board,
    ImpactRating,
    MitigatingAction,
    ReviewOutcome,
    Screening,
    ScreeningState,
)
from assessments.models.assessment import ActionKind, ActionStatus

# The nine protected characteristics (Equality Act 2010 s.4), as the boards' forms code them
CHARACTERISTICS = {
    "PC.AGE": "Age",
    "PC.DISABILITY": "Disability",
    "PC.GENDER_REASSIGNMENT": "Gender reassignment",
    "PC.MARRIAGE": "Marriage and civil partnership",
    "PC.PREGNANCY": "Pregnancy and maternity",
    "PC.RACE": "Race",
    "PC.RELIGION": "Religion or belief",
    "PC.SEX": "Sex",
    "PC.SEXUAL_ORIENTATION": "Sexual orientation",
}
# The five dimensions of socio-economic disadvantage of the Fairer Scotland Duty guidance
FAIRER_SCOTLAND_DIMENSIONS = {
    "SED.LOW_INCOME": "Low income",
    "SED.LOW_WEALTH": "Low or no wealth",
    "SED.MATERIAL_DEPRIVATION": "Material deprivation",
    "SED.AREA_DEPRIVATION": "Area deprivation (communities of place and of interest)",
    "SED.SE_BACKGROUND": "Socio-economic background",
}
NEGATIVE_DEFINITION = ("Plan changes with an IIA signed off in the period that rates this row negative (a plan "
                       "change counts once, however many of its versions do).")


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    definition: str


@dataclass(frozen=True)
class FigureGroup:
    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class MainstreamingFigures:
    """A board's mainstreaming figures for the period ``start`` to ``end`` (both included,
    Europe/London days), counted at ``counted_at``."""

    board: Board
    start: datetime.date
    end: datetime.date
    counted_at: datetime.datetime
    groups: list[FigureGroup]
    characteristics: list[Figure]
    dimensions: list[Figure]

    @property
    def period(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: from the start day's midnight to the midnight after
    the end day (excluded), in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz),
            timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz))


def _assessment_figures(board: Board, since, until, now, today: datetime.date) -> dict:
    """One query: assessments completed in the period, the plan changes they belong to,
    how their results were published, and review dates missed."""
    completed = Q(signed_off_at__gte=since, signed_off_at__lt=until)
    due = F("signed_off_at") + datetime.timedelta(days=board.results_publication_days)
    published = Q(signed_document__published_at__isnull=False)
    return Assessment.objects.filter(plan_change__board=board).aggregate(
        completed=Count("pk", filter=completed),
        plan_changes=Count("plan_change", filter=completed, distinct=True),
        on_time=Count("pk", filter=completed & published & Q(signed_document__published_at__lte=due)),
        late=Count("pk", filter=completed & published & Q(signed_document__published_at__gt=due)),
        unpublished_overdue=Count("pk", filter=completed & ~published & Q(signed_off_at__lt=now - datetime.timedelta(
            days=board.results_publication_days))),
        unpublished_in_time=Count("pk", filter=completed & ~published & Q(signed_off_at__gte=now - datetime.timedelta(
            days=board.results_publication_days))),
        reviews_missed=Count("pk", filter=Q(state=AssessmentState.SIGNED_OFF, review_date__gte=since.date(),
                                            review_date__lt=min(until.date(), today))),
    )


def _screening_figures(board: Board, since, until) -> dict:
    reviewed = Q(reviewed_at__gte=since, reviewed_at__lt=until)
    return Screening.objects.filter(plan_change__board=board).aggregate(
        screened_out=Count("pk", filter=reviewed & Q(state=ScreeningState.SCREENED_OUT)),
        screened_in=Count("pk", filter=reviewed & Q(state=ScreeningState.SCREENED_IN)),
    )


def _action_figures(board: Board, until, today: datetime.date) -> dict:
    """Mitigating actions of the assessments in force at the end of the period (signed off
    by then and not superseded since)."""
    passed = min(until.date(), today)  # a due date before this has passed, within the period
    open_ = Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])  # named: a new status is not "open"
    return MitigatingAction.objects.filter(
        kind=ActionKind.MITIGATION, assessment__plan_change__board=board, assessment__state=AssessmentState.SIGNED_OFF,
        assessment__signed_off_at__lt=until,
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=passed)),
        not_due=Count("pk", filter=open_ & Q(due_date__gte=passed)),
    )


def _review_figures(board: Board, since, until) -> dict:
    return AssessmentReview.objects.filter(
        assessment__plan_change__board=board, reviewed_at__gte=since, reviewed_at__lt=until,
    ).aggregate(
        done=Count("pk"),
        confirmed=Count("pk", filter=Q(outcome=ReviewOutcome.CONFIRMED)),
        new_version=Count("pk", filter=Q(outcome=ReviewOutcome.NEW_VERSION)),
    )


def _negative_counts(board: Board, since, until) -> dict[str, int]:
    """Per row code (characteristics and Fairer Scotland dimensions), the plan changes
    whose IIA signed off in the period rates it negative: one grouped query."""
    rows = (ImpactRating.objects.filter(
        negative=True, row__code__in=[*CHARACTERISTICS, *FAIRER_SCOTLAND_DIMENSIONS],
        assessment__plan_change__board=board, assessment__signed_off_at__gte=since,
        assessment__signed_off_at__lt=until,
    ).order_by().values("row__code").annotate(plan_changes=Count("assessment__plan_change", distinct=True)))
    return {row["row__code"]: row["plan_changes"] for row in rows}


def mainstreaming_figures(*, board: Board, start: datetime.date, end: datetime.date,
                          now: datetime.datetime | None = None) -> MainstreamingFigures:
    """The board's mainstreaming figures for the period from ``start`` to ``end`` (both
    days included), counted now (or at ``now``): five aggregate queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since, until = _bounds(start, end)
    days = board.results_publication_days
    a = _assessment_figures(board, since, until, now, today)
    s = _screening_figures(board, since, until)
    m = _action_figures(board, until, today)
    r = _review_figures(board, since, until)
    negative = _negative_counts(board, since, until)
    groups = [
        FigureGroup("Assessments and screenings", [
            Figure("Assessments completed", a["completed"],
                   "Full Integrated Impact Assessments signed off by a senior officer in the period. Each version "
                   "counts: a plan change assessed again counts again."),
            Figure("Plan changes assessed", a["plan_changes"],
                   "Plan changes with at least one version of their IIA signed off in the period."),
            Figure("Screened out", s["screened_out"],
                   "Plan changes whose pre-screening an equality lead reviewed in the period with the outcome "
                   "\u201cno IIA required\u201d. A screening record is not an assessment."),
            Figure("Screened in", s["screened_in"],
                   "Plan changes whose pre-screening an equality lead reviewed in the period with the outcome "
                   "\u201cfull IIA required\u201d."),
        ]),
        FigureGroup("Mitigating actions", [
            Figure("Mitigating actions in force", m["total"],
                   "Mitigating actions (not evidence-gathering actions) of the assessments in force at the end of the "
                   "period: signed off by then and not superseded by a later version."),
            Figure("Mitigating actions done", m["done"], "Of those, the actions whose status is done."),
            Figure("Mitigating actions overdue", m["overdue"],
                   "Of those, the actions not done whose due date has passed, by the end of the period or today, "
                   "whichever is earlier."),
            Figure("Mitigating actions not yet due", m["not_due"], "Of those, the actions not done and not yet due."),
        ]),
        FigureGroup("Reviews", [
            Figure("Reviews done", r["done"], "Reviews of signed-off assessments recorded in the period."),
            Figure("Reviews that confirmed the assessment", r["confirmed"],
                   "Of those, reviews that found the assessment still holds, unchanged."),
            Figure("Reviews that started a new version", r["new_version"],
                   "Of those, reviews that found an update was needed and started a new version."),
            Figure("Review dates missed", a["reviews_missed"],
                   "Assessments in force whose review date fell in the period and has passed without a review."),
        ]),
        FigureGroup("Publication of results", [
            Figure("Results published on time", a["on_time"],
                   f"Assessments completed in the period whose signed document joined the public register within the "
                   f"board's set {days} days (\u00d7 24 hours) of sign-off: its \u201creasonable period\u201d "
                   f"(SSI 2012/162 reg 5)."),
            Figure("Results published late", a["late"],
                   f"Assessments completed in the period whose signed document joined the public register more than "
                   f"{days} days after sign-off."),
            Figure("Results not yet published, overdue", a["unpublished_overdue"],
                   f"Assessments completed in the period, not on the public register, signed off more than {days} "
                   f"days ago."),
            Figure("Results not yet published, not yet due", a["unpublished_in_time"],
                   f"Assessments completed in the period, not on the public register, signed off {days} days ago or "
                   f"less."),
        ]),
    ]
    return MainstreamingFigures(
        board=board, start=start, end=end, counted_at=now, groups=groups,
        characteristics=[Figure(label, negative.get(code, 0), NEGATIVE_DEFINITION)
                         for code, label in CHARACTERISTICS.items()],
        dimensions=[Figure(label, negative.get(code, 0), NEGATIVE_DEFINITION)
                    for code, label in FAIRER_SCOTLAND_DIMENSIONS.items()],
    )


def mainstreaming_table(figures: MainstreamingFigures) -> list[list]:
    """The figures as a header row and one row per figure, each with the board, the
    period and its definition (for the CSV and XLSX exports)."""
    f = figures
    lead = [f.board.name, f.start.isoformat(), f.end.isoformat()]
    table = [["Board", "Period start", "Period end", "Group", "Figure", "Number", "Definition"]]
    for group in f.groups:
        table += [[*lead, group.title, figure.label, figure.value, figure.definition] for figure in group.figures]
    for title, rows in (("Negative impacts by protected characteristic", f.characteristics),
                        ("Negative impacts by Fairer Scotland dimension", f.dimensions)):
        table += [[*lead, title, figure.label, figure.value, figure.definition] for figure in rows]
    return table
