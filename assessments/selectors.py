"""Every read of the assessments app, scoped to the boards of the user asking."""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from . import rules
from .caching import until_next_change
from .catalogue import assessment_parts, assessment_sections
from .cumulative import cumulative_matrix
from .forms import MatrixFilterForm
from .models import (
    SCREENING_PART,
    ActionProgress,
    Assessment,
    AssessmentState,
    AuditEvent,
    Board,
    Comment,
    Delegation,
    Membership,
    MitigatingAction,
    PlanAction,
    PlanChange,
    PlanPriority,
    ReviewedImpact,
    Screening,
    StrategicPlan,
)
from .models.assessment import PartStatus, Rating


def boards_for(user) -> QuerySet[Board]:
    return Board.objects.filter(pk__in=rules.board_ids(user))


def board_names() -> list[str]:
    """The formal names of every board the service holds (public: the register lists them)."""
    return list(Board.objects.order_by("name").values_list("name", flat=True))


def plan_changes_for(user) -> QuerySet[PlanChange]:
    """Plan changes of the user's boards, with what their status needs."""
    return (
        PlanChange.objects.filter(board_id__in=rules.board_ids(user))
        .select_related("board", "plan", "lead_officer", "director", "created_by")
        .prefetch_related(
            Prefetch("screenings", queryset=Screening.objects.order_by("-created_at")),
            Prefetch("assessments", queryset=Assessment.objects.order_by("-version")),
        )
    )


def plan_changes_started(user, limit: int = 10) -> list[tuple[PlanChange, "Status"]]:
    """The newest plan changes the user started, with their status: only what a list of
    them shows (``plan_changes_for`` joins five tables and reads every screening's answers
    and every version's text, which the list never shows)."""
    found = (
        PlanChange.objects.filter(board_id__in=rules.board_ids(user), created_by=user).select_related("board")
        .prefetch_related(
            Prefetch("screenings", queryset=Screening.objects.only("pk", "plan_change_id", "state", "created_at")),
            Prefetch("assessments", queryset=Assessment.objects.only("pk", "plan_change_id", "version", "state")),
        )
        .order_by("-created_at", "-pk")[:limit]
    )
    return [(plan_change, plan_change_status(plan_change)) for plan_change in found]


def plan_change_get(user, pk: int, *, people: bool = False) -> PlanChange:
    """One plan change of the user's boards, with its screenings, versions, forms, plan
    priorities and actions, and with ``people`` the people its page names (one query
    more); ``PlanChange.DoesNotExist`` otherwise."""
    plan_change = (
        PlanChange.objects.filter(board_id__in=rules.board_ids(user)).select_related("board", "plan")
        .prefetch_related(
            Prefetch("screenings", queryset=Screening.objects.select_related("template").order_by("-created_at")),
            Prefetch("assessments", queryset=Assessment.objects.select_related("template")
                     .prefetch_related("contributors").order_by("-version")),
            "priorities", Prefetch("actions", queryset=PlanAction.objects.select_related("priority")),
        ).get(pk=pk)
    )
    if people:
        attach_people([(plan_change, PLAN_CHANGE_PEOPLE)]
                      + [(screening, SCREENING_PEOPLE) for screening in plan_change.screenings.all()]
                      + [(assessment, ASSESSMENT_PEOPLE) for assessment in plan_change.assessments.all()])
    return plan_change


# the people a plan change page names, by the fields that hold them
PLAN_CHANGE_PEOPLE = ("lead_officer", "director", "created_by")
SCREENING_PEOPLE = ("submitted_by", "reviewed_by")
ASSESSMENT_PEOPLE = ("author", "approved_by", "signed_off_by")


def attach_people(records: list[tuple[object, tuple[str, ...]]]) -> None:
    """Read the people the records' fields name in one query and set them on the records,
    instead of joining the user table once per field (each join adds a user's eleven
    columns to compile and read)."""
    ids = {getattr(record, f"{name}_id") for record, names in records for name in names} - {None}
    people = get_user_model().objects.in_bulk(ids) if ids else {}
    for record, names in records:
        for name in names:
            record._meta.get_field(name).set_cached_value(record, people.get(getattr(record, f"{name}_id")))


def plans_for(user) -> QuerySet[StrategicPlan]:
    return StrategicPlan.objects.filter(board_id__in=rules.board_ids(user)).select_related("board")


def current_screening(plan_change: PlanChange) -> Screening | None:
    screenings = list(plan_change.screenings.all())
    return max(screenings, key=lambda s: (s.created_at, s.pk)) if screenings else None


def current_assessment(plan_change: PlanChange) -> Assessment | None:
    """The newest version of the plan change's full IIA, if it has one."""
    assessments = list(plan_change.assessments.all())
    return max(assessments, key=lambda a: a.version) if assessments else None


def assessments_to_rely_on(*, board_id: int) -> QuerySet[Assessment]:
    """The signed-off assessments of the board a screening may say it was "already
    assessed" in (never another board's), newest first."""
    return (Assessment.objects.filter(plan_change__board_id=board_id, state=AssessmentState.SIGNED_OFF)
            .select_related("plan_change__board").order_by("-signed_off_at", "-pk"))


def signed_off_assessment(plan_change: PlanChange) -> Assessment | None:
    """The version in force: the newest signed-off one."""
    signed = [a for a in plan_change.assessments.all() if a.state == AssessmentState.SIGNED_OFF]
    return max(signed, key=lambda a: a.version) if signed else None


@dataclass(frozen=True)
class Status:
    code: str
    label: str


def plan_change_status(plan_change: PlanChange) -> Status:
    """Where the plan change stands, in the words the UI uses."""
    assessment = current_assessment(plan_change)
    if assessment is not None:
        label = assessment.get_state_display()
        in_force = signed_off_assessment(plan_change)
        if in_force is not None and in_force.pk != assessment.pk:
            label = f"Signed off (v{in_force.version}); v{assessment.version}: {assessment.get_state_display()}"
        return Status(f"assessment-{assessment.state}", label)
    screening = current_screening(plan_change)
    if screening is not None:
        return Status(f"screening-{screening.state}", screening.get_state_display())
    return Status("new", "New")


@dataclass(frozen=True)
class Listed:
    """A plan change as the plan page lists it: what the link shows. The overview is kept in
    the cache and read from it on every view, so it holds these, not model instances with
    their screenings and assessments."""

    pk: int
    reference: str
    title: str


@dataclass
class ActionOverview:
    action: PlanAction
    plan_changes: list[tuple[Listed, Status]]
    total: int = 0  # plan changes touching it; ``plan_changes`` has the newest of them


@dataclass
class PriorityOverview:
    priority: PlanPriority
    actions: list[ActionOverview]
    plan_changes: list[tuple[Listed, Status]]
    total: int = 0


# The plan page lists this many plan changes (the newest) under each priority and action,
# with the number of the others: a plan with thousands of changes still gives a short page.
OVERVIEW_SHOWN = 10


@dataclass
class PlanOverview:
    priorities: list[PriorityOverview]
    stamp: str  # its key and version in the cache (the plan page keeps its markup under it)

    def __iter__(self):
        return iter(self.priorities)


def plan_overview(user, plan: StrategicPlan, *, shown: int | None = None) -> PlanOverview:
    """Every priority and action of the plan with the newest plan changes touching each
    (at most ``shown``) and how many touch it in all. It reads every plan change of the
    plan, so it is kept in the cache until the next audited change (``caching``)."""
    shown = OVERVIEW_SHOWN if shown is None else shown
    visible = plan_changes_for(user).filter(plan=plan)
    sql, params = visible.values("pk").query.sql_with_params()
    return until_next_change("plan-overview", (sql, params, plan.pk, shown),
                             lambda stamp: PlanOverview(_plan_overview(plan, visible, shown), stamp),
                             seconds=OVERVIEW_CACHE_SECONDS)


# how long a plan's overview may be kept (see ``caching``)
OVERVIEW_CACHE_SECONDS = 600


def _plan_overview(plan: StrategicPlan, visible: QuerySet[PlanChange], shown: int) -> list[PriorityOverview]:
    by_action: dict[int, list[int]] = {}
    by_priority: dict[int, list[int]] = {}
    links = PlanChange.actions.through.objects.filter(planchange__in=visible.values("pk"))
    for pc_id, action_id in links.values_list("planchange_id", "planaction_id").order_by("-planchange_id"):
        by_action.setdefault(action_id, []).append(pc_id)
    links = PlanChange.priorities.through.objects.filter(planchange__in=visible.values("pk"))
    for pc_id, priority_id in links.values_list("planchange_id", "planpriority_id").order_by("-planchange_id"):
        by_priority.setdefault(priority_id, []).append(pc_id)
    wanted = {pc_id for ids in (*by_action.values(), *by_priority.values()) for pc_id in ids[:shown]}
    changes = {pc.pk: (Listed(pc.pk, pc.reference, pc.title), plan_change_status(pc))
               for pc in visible.filter(pk__in=wanted)}

    def newest(ids: list[int]) -> list[tuple[Listed, Status]]:
        return [changes[pc_id] for pc_id in ids[:shown]]

    overview = []
    for priority in plan.priorities.prefetch_related("actions").order_by("number"):
        overview.append(
            PriorityOverview(
                priority=priority,
                actions=[ActionOverview(a, newest(by_action.get(a.pk, [])), len(by_action.get(a.pk, [])))
                         for a in priority.actions.all()],
                plan_changes=newest(by_priority.get(priority.pk, [])),
                total=len(by_priority.get(priority.pk, [])),
            )
        )
    return overview


def history(plan_change: PlanChange) -> QuerySet[AuditEvent]:
    """The plan change's audit events, oldest first, with what its history table shows
    (``state_change_label`` needs the action and the assessment's id, not the assessment)."""
    return AuditEvent.objects.filter(plan_change_id=plan_change.pk).only(
        "assessment_id", "action", "at", "actor_name", "message", "from_state", "to_state",
    ).order_by("at", "pk")


def history_version(events: list[AuditEvent]) -> int:
    """The newest of a plan change's audit events (``history``): every audited change to
    the plan change, its screenings and versions writes one, so this versions what they show."""
    return max((event.pk for event in events), default=0)


@dataclass
class RowSummary:
    row: object
    rating: object | None
    named: list[tuple[str, str]]  # the rating's values with their words, e.g. [("negative", "Negative")]


@dataclass
class SectionSummary:
    section: object
    groups: list[tuple[str, list[RowSummary]]]
    answers: list[tuple[object, str]]
    status: str
    counts: dict[str, int]


@dataclass
class NegativeImpact:
    """A row rated negative, with the actions linked to it (mitigating or gathering evidence)."""

    section: object
    item: RowSummary
    actions: list


RATING_WORDS = dict(Rating.choices)


class AssessmentSummary:
    """Everything the summary of an assessment shows, read in a fixed number of queries.

    The version and its contributors are there at once; the sections, parts and actions
    (five queries) are read when first asked for, so a page that shows them from its cache
    (``_assessment_summary.html`` with a ``summary_version``) does not read them. Items are
    attributes, and also keys (``summary["sections"]``)."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment

    def __getitem__(self, name: str):
        return getattr(self, name)

    def read(self) -> "AssessmentSummary":
        """Read everything now (a document rendered afterwards reads nothing more)."""
        for name in ("contributors", "sections", "parts", "actions", "negatives"):
            getattr(self, name)
        return self

    @cached_property
    def contributors(self) -> list:
        return list(self.assessment.contributors.all())

    @cached_property
    def sections(self) -> list[SectionSummary]:
        return self._sections_and_parts[0]

    @cached_property
    def parts(self) -> list[dict]:
        return self._sections_and_parts[1]

    @cached_property
    def actions(self) -> list:
        return list(self.assessment.actions.prefetch_related("rows").order_by("position", "pk"))

    @cached_property
    def negatives(self) -> list[NegativeImpact]:
        """Every row rated negative, in the form's order, with its linked actions."""
        by_row: dict[int, list] = {}
        for action in self.actions:
            for row in action.rows.all():
                by_row.setdefault(row.pk, []).append(action)
        return [NegativeImpact(section.section, item, by_row.get(item.row.pk, []))
                for section in self.sections for _, items in section.groups for item in items
                if item.rating is not None and item.rating.negative]

    @cached_property
    def _sections_and_parts(self) -> tuple[list[SectionSummary], list[dict]]:
        assessment = self.assessment
        # by row: no need of the ordering's joins; with the locality planning group consulted (s.41)
        ratings = {r.row_id: r for r in assessment.ratings.select_related("consulted_group").order_by()}
        answers = dict(assessment.answers.values_list("question_id", "value"))
        progress = {p.part: p for p in assessment.parts.all()}
        sections = []
        for section in assessment_sections(assessment):
            groups: list[tuple[str, list[RowSummary]]] = []
            counts = {"positive": 0, "negative": 0, "not_known": 0}
            for row in section.rows.all():
                rating = ratings.get(row.pk)
                if not groups or groups[-1][0] != row.group:
                    groups.append((row.group, []))
                named = [(value, RATING_WORDS[value]) for value in rating.ratings] if rating is not None else []
                groups[-1][1].append(RowSummary(row, rating, named))
                for key in counts:
                    if rating is not None and getattr(rating, key):
                        counts[key] += 1
            part = progress.get(section.code)
            sections.append(
                SectionSummary(
                    section=section,
                    groups=groups,
                    answers=[(q, answers.get(q.pk, "")) for q in section.questions.all()],
                    status=part.get_status_display() if part else PartStatus.NOT_STARTED.label,
                    counts=counts,
                )
            )
        parts = []
        for part in assessment_parts(assessment):
            record = progress.get(part.code)
            parts.append({"part": part, "progress": record,
                          "status": record.get_status_display() if record else "Not started"})
        return sections, parts


def assessment_summary(assessment: Assessment) -> AssessmentSummary:
    """What the summary of the assessment shows (see ``AssessmentSummary``)."""
    return AssessmentSummary(assessment)


def job_title(user, board_id: int, role: str) -> str:
    """The user's job title in that role on the board (as shown in sign-off blocks)."""
    if user is None:
        return ""
    title = (
        Membership.objects.filter(user=user, board_id=board_id, role=role).values_list("job_title", flat=True).first()
    )
    return title or dict(Membership._meta.get_field("role").choices).get(role, "")


def cumulative_for(user, board: Board, query, *, plan: StrategicPlan | None = None, page: int | None = None):
    """The cumulative impact matrix of the board's plan changes the user can see, filtered
    by the query (a ``MatrixFilterForm``'s data): (form, plan changes in scope, matrix).
    With ``plan``, the matrix covers that plan; otherwise the form offers a plan filter.
    With ``page``, the matrix has one page of columns (see ``cumulative_matrix``)."""
    plans = None if plan is not None else list(plans_for(user).filter(board=board))
    form = MatrixFilterForm(query or None, board=board, plans=plans)
    chosen = form.filters()
    scope = plan_changes_for(user).filter(board=board)
    if plan is not None:
        scope = scope.filter(plan=plan)
    elif chosen.get("plan"):
        scope = scope.filter(plan_id=chosen["plan"])
    return form, scope, cumulative_matrix(scope, sections=chosen.get("section", ()), states=chosen.get("state", ()),
                                          page=page)


# --- comments, reviews, delegations --------------------------------------------------------

@dataclass
class CommentGroup:
    part: str
    title: str
    comments: list


def comment_groups(*, assessment: Assessment | None = None, screening: Screening | None = None,
                   part: str | None = None) -> list[CommentGroup]:
    """The comments on the screening and on the assessment version, grouped by part in the
    order of the form (the screening first); only parts with comments, or only ``part``."""
    found = Comment.objects.none()
    if assessment is not None:
        found |= Comment.objects.filter(assessment=assessment)
    if screening is not None:
        found |= Comment.objects.filter(screening=screening)
    if part is not None:
        found = found.filter(part=part)
    by_part: dict[str, list] = {}
    for comment in found.select_related("author").order_by("posted_at", "pk"):
        by_part.setdefault(comment.part, []).append(comment)
    titles = [(SCREENING_PART, "Pre-screening")]
    if assessment is not None:
        titles += [(p.code, p.title) for p in assessment_parts(assessment)]
    return [CommentGroup(code, title, by_part[code]) for code, title in titles if code in by_part]


def comment_part_choices(*, assessment: Assessment | None, screening: Screening | None) -> list[tuple[str, str]]:
    """What a comment can be about, for a form's list."""
    choices = [(SCREENING_PART, "Pre-screening")] if screening is not None else []
    if assessment is not None:
        choices += [(p.code, p.title) for p in assessment_parts(assessment)]
    return choices


def reviews_of(assessment: Assessment) -> list:
    """The reviews recorded on the assessment, oldest first, with their reviewers and the
    versions they opened (read apart, only when a review opened one: joining a whole
    assessment row costs more to compile than the query costs to run)."""
    if assessment.signed_off_at is None:  # only a signed-off version is ever reviewed: nothing to read
        return []
    reviews = list(assessment.reviews.select_related("reviewed_by").order_by("reviewed_at", "pk"))
    prefetch_related_objects(reviews, "new_version", Prefetch("impacts", ReviewedImpact.objects.select_related("row")))
    return reviews


def review_due(assessment: Assessment) -> bool:
    """A signed-off assessment whose review date has arrived."""
    return (assessment.state == AssessmentState.SIGNED_OFF and assessment.review_date is not None
            and assessment.review_date <= timezone.localdate())


def delegations_of(user) -> dict[str, QuerySet]:
    """The user's delegations: those they made (``given``) and those made to them (``received``)."""
    base = Delegation.objects.select_related("board", "delegator", "delegate", "ended_by")
    return {"given": base.filter(delegator=user), "received": base.filter(delegate=user)}


def assessments_for(user) -> QuerySet[Assessment]:
    """Every version of every assessment on the user's boards, with what showing one needs."""
    return (
        Assessment.objects.filter(plan_change__board_id__in=rules.board_ids(user))
        .select_related("plan_change__board", "template", "author", "approved_by", "signed_off_by")
        .prefetch_related("ratings__row__section", "answers__question__section", "actions__rows", "parts")
        .order_by("-updated_at", "-pk")
    )


# --- monitoring after sign-off ---------------------------------------------------------------

@dataclass
class MonitoredAction:
    """A mitigating action and the progress recorded on it since sign-off, oldest first."""

    action: MitigatingAction
    updates: list

    @property
    def latest(self):
        return self.updates[-1] if self.updates else None

    @property
    def is_overdue(self) -> bool:
        return not self.action.is_closed and self.action.due_date < timezone.localdate()


def monitoring_of(assessment: Assessment) -> list[MonitoredAction]:
    """The assessment's mitigating actions, in the order they were entered, each with its
    progress since sign-off (two queries; none before sign-off, when nothing is recorded)."""
    actions = list(assessment.actions.order_by("position", "pk"))
    if assessment.signed_off_at is None or not actions:
        return [MonitoredAction(action, []) for action in actions]
    updates: dict[int, list] = {}
    for update in progress_of(actions):
        updates.setdefault(update.action_id, []).append(update)
    return [MonitoredAction(action, updates.get(action.pk, [])) for action in actions]


def progress_of(actions) -> QuerySet[ActionProgress]:
    """The progress updates of the actions, oldest first, with who recorded each."""
    return (ActionProgress.objects.filter(action__in=actions).select_related("recorded_by")
            .order_by("recorded_at", "pk"))


# --- evidence files and the evidence library (docs/evidence.md) -----------------------------

def evidence_files_of(assessment: Assessment) -> list:
    """The files of the assessment's evidence and consultation, in the order uploaded."""
    from .models import EvidenceFile

    # evidence before consultation, as the form has them ("-part" sorts them so)
    return list(EvidenceFile.objects.filter(assessment=assessment).order_by("-part", "uploaded_at", "pk"))


def progress_files_of(actions) -> list:
    """The files recorded with the progress of the actions, in the order uploaded."""
    from .models import EvidenceFile

    return list(EvidenceFile.objects.filter(action__in=actions).order_by("uploaded_at", "pk"))


def evidence_file_for(user, pk: int):
    """A file of one of the user's boards (``EvidenceFile.DoesNotExist`` otherwise, whatever
    the reason: another board's file is not known to exist)."""
    from .models import EvidenceFile

    return (EvidenceFile.objects.select_related("assessment__plan_change", "action__assessment__plan_change", "board")
            .get(pk=pk, board_id__in=rules.board_ids(user)))


def evidence_library_of(board_id: int, *, current_only: bool = False) -> list:
    """The entries of the board's evidence library, by title, with their files."""
    from .models import EvidenceSource

    entries = EvidenceSource.objects.filter(board_id=board_id).select_related("file")
    if current_only:
        entries = entries.filter(retired_at__isnull=True)
    return list(entries.order_by("title", "pk"))


def citations_of(assessment: Assessment) -> list:
    """The library entries the assessment cites, by title, with their files."""
    return list(assessment.citations.select_related("source__file").order_by("source__title", "pk"))
