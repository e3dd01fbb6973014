"""Cumulative impact: how the plan changes of a plan (or of a whole board) rate against
each row of the form, side by side, so a group hit negatively by several changes at once
stands out; and the counts the dashboard charts show.

Every function takes querysets the caller has already scoped to the user's boards (see
``selectors``) and reads in a fixed number of queries whatever the number of rows.
"""

import datetime
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .caching import until_next_change
from .catalogue import template_sections
from .models import (
    Assessment,
    AssessmentState,
    ImpactRating,
    MitigatingAction,
    PlanChange,
    Row,
    Section,
    Template,
)
from .models.assessment import CLOSED_ACTION_STATUSES, ActionStatus, Rating

# A row is flagged when at least this many plan changes rate it negative.
FLAG_AT = 2
# The pages show this many plan changes (columns) at a time; the totals and flags always
# count every plan change in scope. The exports have every column.
COLUMNS_PER_PAGE = 25
# Rows whose code starts with this are the protected characteristics (PC.AGE, PC.RACE...).
CHARACTERISTIC_PREFIX = "PC."
# States a column can be in; superseded versions never head a plan change.
COLUMN_STATES = [s for s in AssessmentState if s != AssessmentState.SUPERSEDED]
DEFAULT_STATES = [s.value for s in COLUMN_STATES if s != AssessmentState.WITHDRAWN]
RATING_LABELS = dict(Rating.choices)


@dataclass(frozen=True)
class Column:
    plan_change: PlanChange
    assessment: Assessment


@dataclass(frozen=True)
class Cell:
    ratings: tuple[str, ...] = ()
    in_form: bool = True  # False: the row is not in the form version this assessment used

    @property
    def label(self) -> str:
        if not self.in_form:
            return "Not in this form version"
        return " and ".join(RATING_LABELS[r] for r in self.ratings) or "Not rated"

    @property
    def kind(self) -> str:
        """The colour class; the words (``label``) always say the same thing."""
        if not self.in_form:
            return "absent"
        if "positive" in self.ratings and "negative" in self.ratings:
            return "mixed"
        return self.ratings[0] if self.ratings else "not_rated"


@dataclass
class MatrixRow:
    code: str
    label: str
    group: str
    cells: list[Cell]
    totals: Counter = field(default_factory=Counter)
    flagged: bool = False


@dataclass
class MatrixSection:
    code: str
    title: str
    rows: list[MatrixRow]


@dataclass
class Matrix:
    columns: list[Column]
    sections: list[MatrixSection]
    flag_at: int = FLAG_AT
    without_assessment: int = 0  # plan changes in scope with no full IIA (screened out or not yet screened)
    total_columns: int = 0  # columns in scope; ``columns`` is one page of them when paged
    page: int = 1
    pages: int = 1
    stamp: str = ""  # a page kept in the cache: its key and version (the template keeps its table under it)

    @property
    def rows(self) -> list[MatrixRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def flagged_rows(self) -> list[MatrixRow]:
        return [row for row in self.rows if row.flagged]

    @property
    def column_negatives(self) -> list[int]:
        """Negative ratings in each column, in column order."""
        counts = [0] * len(self.columns)
        for row in self.rows:
            for i, cell in enumerate(row.cells):
                counts[i] += "negative" in cell.ratings
        return counts


_CELLS: dict[tuple[tuple[str, ...], bool], Cell] = {}


def _cell(ratings: tuple[str, ...], in_form: bool) -> Cell:
    """The one ``Cell`` of these ratings (there are a few dozen kinds; a page has ~1,500 cells)."""
    cell = _CELLS.get((ratings, in_form))
    if cell is None:
        cell = _CELLS[(ratings, in_form)] = Cell(ratings, in_form)
    return cell


def current_assessments(plan_changes: QuerySet[PlanChange]) -> dict[int, Assessment]:
    """The newest version of each plan change's full IIA, by plan change id."""
    newest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(plan_change__in=plan_changes).only(
        "pk", "plan_change_id", "version", "state", "template_id", "review_date", "signed_off_at"
    ):
        held = newest.get(assessment.plan_change_id)
        if held is None or assessment.version > held.version:
            newest[assessment.plan_change_id] = assessment
    return newest


def cumulative_matrix(
    plan_changes: QuerySet[PlanChange], *, sections: Iterable[str] = (), states: Iterable[str] = (),
    page: int | None = None, per_page: int = COLUMNS_PER_PAGE,
) -> Matrix:
    """Rows of the form against the current assessment of each plan change.

    ``sections`` limits the rows to those section codes, ``states`` the columns to
    assessments in those states (default: every state but withdrawn). Rows are keyed by
    their stable code, so assessments made with different versions of the form line up;
    a row one version lacks shows as such, never as a blank rating.

    With ``page``, the matrix has that page of ``per_page`` columns (the newest plan
    changes first), while each row's totals and flag still count every column in scope:
    a page costs the same whatever the number of plan changes, and is kept in the cache
    until the next audited change (a page is what the plan page and dashboard show; the
    whole matrix, for exports, is built each time).
    """
    sections, states = set(sections), set(states) or set(DEFAULT_STATES)
    if page is None:
        return _matrix(plan_changes, sections, states, None, per_page)
    sql, params = plan_changes.values("pk").query.sql_with_params()
    return until_next_change("matrix-page", (sql, params, sorted(sections), sorted(states), page, per_page),
                             lambda stamp: replace(_matrix(plan_changes, sections, states, page, per_page), stamp=stamp),
                             seconds=SCOPE_CACHE_SECONDS)


def _matrix(plan_changes: QuerySet[PlanChange], sections: set[str], states: set[str], page: int | None,
            per_page: int) -> Matrix:
    scope = _scope(plan_changes, states, totals=page is not None)
    pc_ids, a_ids = scope.plan_change_ids, scope.assessment_ids
    pages, total_columns = 1, len(pc_ids)
    template_ids = scope.template_ids
    counted = None
    if page is None:
        in_scope = list(zip(pc_ids, a_ids, strict=True))  # (plan change, assessment)
    else:
        counted = scope.totals
        pages = max(1, -(-total_columns // per_page))
        page = min(max(1, page), pages)
        # the page's slice of the newest-first order, read from the arrays without copying them
        newest = total_columns - 1 - (page - 1) * per_page
        in_scope = [(pc_ids[i], a_ids[i]) for i in range(newest, max(newest - per_page, -1), -1)]
    shown = {pc_id for pc_id, _a_id in in_scope}
    # a column names its plan change: none of what the caller's queryset fetches with it
    changes = {pc.pk: pc for pc in plan_changes.filter(pk__in=shown).select_related(None).prefetch_related(None)
               .select_related("board")}
    assessments = {a.pk: a for a in Assessment.objects.filter(pk__in=[a_id for _pc_id, a_id in in_scope]).only(
        "pk", "plan_change_id", "version", "state", "template_id", "review_date", "signed_off_at")}
    columns = [Column(changes[pc_id], assessments[a_id]) for pc_id, a_id in in_scope]
    for column in columns:
        column.assessment.plan_change = column.plan_change
    # the rows of every form version in scope, from the catalogue's cache (``template_sections``)
    catalogue: dict[tuple[str, str], tuple[tuple, Section, Row]] = {}
    forms_of: dict[tuple[str, str], set[int]] = {}  # row key -> the form versions that have the row
    keys: dict[int, tuple[str, str]] = {}  # row id -> (section code, row code), for every form version
    for template in Template.objects.filter(pk__in=template_ids).only("pk", "version", "revision").order_by("-version"):
        for section in template_sections(template):
            if sections and section.code not in sections:
                continue
            for row in section.rows.all():
                key = (section.code, row.code)
                keys[row.pk] = key
                forms_of.setdefault(key, set()).add(template.pk)
                if key not in catalogue:  # the newest form version names and orders the row
                    catalogue[key] = ((section.order, section.code, row.order), section, row)

    ratings: dict[tuple[str, str], dict[int, tuple[str, ...]]] = {}  # row key -> assessment id -> ratings
    flags = [r.value for r in Rating]
    for assessment_id, row_id, *values in ImpactRating.objects.filter(
        assessment_id__in=[c.assessment.pk for c in columns]
    ).values_list("assessment_id", "row_id", *flags).order_by():  # the ordering would join row and section
        if row_id in keys:  # a row of a section left out by the filter has no key
            ratings.setdefault(keys[row_id], {})[assessment_id] = tuple(
                f for f, on in zip(flags, values, strict=True) if on)

    heads = [(c.assessment.pk, c.assessment.template_id) for c in columns]
    built: dict[str, MatrixSection] = {}
    for key, (_order, section, row) in sorted(catalogue.items(), key=lambda item: item[1][0]):
        rated, forms = ratings.get(key, {}), forms_of[key]
        cells = [_cell(rated.get(a_id, ()), t_id in forms) for a_id, t_id in heads]
        if counted is None:
            totals = Counter(r for cell in cells for r in cell.ratings)
        else:
            totals = counted.get(key, Counter())
        built_section = built.setdefault(key[0], MatrixSection(key[0], section.title, []))
        built_section.rows.append(MatrixRow(row.code, row.label, row.group, cells, totals, totals["negative"] >= FLAG_AT))
    built_sections = [section for section in built.values() if section.rows]
    return Matrix(columns, built_sections, without_assessment=scope.without_assessment,
                  total_columns=total_columns, page=page or 1, pages=pages)


@dataclass(frozen=True)
class Scope:
    """What a matrix counts over every plan change in scope: the newest IIA version of each
    in scope of the states (plan change ids and assessment ids, in plan change order, as
    compact arrays: this is read from the cache on every page view), the form versions
    they were made with, the plan changes without an IIA, and (for a paged matrix) each
    row's totals."""

    plan_change_ids: array
    assessment_ids: array
    template_ids: frozenset
    without_assessment: int
    totals: dict | None


# how long a scope's figures may be kept (see ``caching``)
SCOPE_CACHE_SECONDS = 600


def _scope(plan_changes: QuerySet[PlanChange], states: set[str], *, totals: bool) -> Scope:
    """The figures that read every plan change in scope (the part of a matrix page that
    grows with the board), kept in the cache until the next audited change."""

    def compute(_stamp: str) -> Scope:
        # the newest version of each plan change's IIA, as plain tuples: cheap for thousands
        newest: dict[int, tuple[int, int, str, int]] = {}
        for pk, pc_id, version, state, template_id in Assessment.objects.filter(
            plan_change__in=plan_changes
        ).values_list("pk", "plan_change_id", "version", "state", "template_id").order_by():
            held = newest.get(pc_id)
            if held is None or version > held[1]:
                newest[pc_id] = (pk, version, state, template_id)
        in_scope = [(pc_id, held) for pc_id, held in sorted(newest.items()) if held[2] in states]
        ids = array("q", (held[0] for _pc_id, held in in_scope))
        return Scope(array("q", (pc_id for pc_id, _held in in_scope)), ids,
                     frozenset(held[3] for _pc_id, held in in_scope), plan_changes.count() - len(newest),
                     _counted_totals(list(ids)) if totals else None)

    sql, params = plan_changes.values("pk").query.sql_with_params()
    return until_next_change("matrix-scope", (sql, params, sorted(states), totals), compute,
                             seconds=SCOPE_CACHE_SECONDS)


def _counted_totals(assessment_ids: list[int]) -> dict[tuple[str, str], Counter]:
    """Each row's ratings over these assessments, counted by the database."""
    flags = [r.value for r in Rating]
    totals: dict[tuple[str, str], Counter] = {}
    for section_code, row_code, *counts in (
        ImpactRating.objects.filter(assessment_id__in=assessment_ids)
        .values("row__section__code", "row__code")
        .annotate(**{f"n_{f}": Count("pk", filter=Q(**{f: True})) for f in flags})
        .values_list("row__section__code", "row__code", *[f"n_{f}" for f in flags])
        .order_by()
    ):
        counter = totals.setdefault((section_code, row_code), Counter())
        counter.update({f: n for f, n in zip(flags, counts, strict=True) if n})
    return totals


# --- the charts' figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A bar chart's figures: what the SVG, its data table and the PDF all draw from."""

    slug: str
    title: str
    description: str
    unit: str  # what a bar counts, e.g. "assessments"
    bars: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(value for _label, value in self.bars)


Current = dict[int, Assessment] | None  # current_assessments(plan_changes), when the caller has read it


def state_chart(plan_changes: QuerySet[PlanChange], *, current: Current = None) -> Chart:
    current = current_assessments(plan_changes) if current is None else current
    counts = Counter(a.state for a in current.values())
    bars = [(s.label, counts.get(s.value, 0)) for s in COLUMN_STATES]
    return Chart("states", "Assessments by state", "The current version of each plan change's assessment.",
                 "assessments", bars)


def characteristic_chart(matrix: Matrix) -> Chart:
    bars = [(row.label, row.totals["negative"]) for row in matrix.rows if row.code.startswith(CHARACTERISTIC_PREFIX)]
    return Chart("characteristics", "Negative ratings per protected characteristic",
                 "How many of the plan changes shown rate each characteristic negative.", "negative ratings", bars)


def mitigation_chart(plan_changes: QuerySet[PlanChange], today: datetime.date | None = None, *,
                     current: Current = None) -> Chart:
    today = today or timezone.localdate()
    current = current_assessments(plan_changes) if current is None else current
    ids = [a.pk for a in current.values() if a.state != AssessmentState.WITHDRAWN]
    soon = today + datetime.timedelta(days=30)
    undone = ~Q(status__in=CLOSED_ACTION_STATUSES)
    counts = MitigatingAction.objects.filter(assessment_id__in=ids).aggregate(  # one query for the five bars
        overdue=Count("pk", filter=undone & Q(due_date__lt=today)),
        soon=Count("pk", filter=undone & Q(due_date__gte=today, due_date__lte=soon)),
        later=Count("pk", filter=undone & Q(due_date__gt=soon)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        dropped=Count("pk", filter=Q(status=ActionStatus.DROPPED)),
    )
    bars = [("Overdue", counts["overdue"]), ("Due in the next 30 days", counts["soon"]),
            ("Due later", counts["later"]), ("Done", counts["done"]), ("Dropped", counts["dropped"])]
    return Chart("mitigations", "Mitigating actions due and overdue",
                 "Actions of the current assessments, by due date; done and dropped actions apart "
                 "(progress recorded since sign-off).", "actions", bars)


def review_chart(plan_changes: QuerySet[PlanChange], today: datetime.date | None = None, *,
                 current: Current = None) -> Chart:
    today = today or timezone.localdate()
    current = current_assessments(plan_changes) if current is None else current
    dates = [a.review_date for a in current.values()
             if a.state == AssessmentState.SIGNED_OFF]
    buckets = Counter()
    for date in dates:
        if date is None:
            buckets["No review date"] += 1
        elif date < today:
            buckets["Review overdue"] += 1
        elif date <= today + datetime.timedelta(days=90):
            buckets["Review due in 90 days"] += 1
        else:
            buckets["Review later"] += 1
    labels = ["Review overdue", "Review due in 90 days", "Review later", "No review date"]
    return Chart("reviews", "Reviews due", "Signed-off assessments by the date they are due for review.",
                 "assessments", [(label, buckets[label]) for label in labels])


def dashboard_charts(plan_changes: QuerySet[PlanChange], matrix: Matrix) -> list[Chart]:
    current = current_assessments(plan_changes)  # read once for the three charts that need it
    return [state_chart(plan_changes, current=current), characteristic_chart(matrix),
            mitigation_chart(plan_changes, current=current), review_chart(plan_changes, current=current)]
