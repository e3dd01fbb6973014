"""Reads of the reports app: reports, meetings, the clerk's queue and the public register."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments import rules
from assessments.models import AssessmentState, EasyReadSummary, ImpactRating, Role, ScreeningState, SectionAnswer
from assessments.selectors import plan_change_status

from .models import (
    ISSUED_STATUSES,
    AgendaItem,
    Direction,
    DocumentStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Publication,
    Report,
    ReportStatus,
    SignedDocument,
)
from .services.reports import agenda_gate

# A signed document's bytes (the PDF, ~100 KB, its certificate, and the snapshot the PDF was
# rendered from): pages that list or describe documents leave them out; they only go out
# with the PDF itself or its HTML version.
DOCUMENT_BYTES = ("pdf", "certificate", "snapshot")


def reports_for(user) -> QuerySet[Report]:
    return Report.objects.filter(board_id__in=rules.board_ids(user)).select_related(
        "board", "committee", "plan_change__board", "author")


def meetings_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__board_id__in=rules.board_ids(user)).select_related("committee__board")


@dataclass
class QueueEntry:
    report: Report
    status_label: str
    meeting: Meeting | None
    blocked: str  # why it cannot join a published agenda, or ""
    at_risk: bool  # not cleared and the agenda publishes within the warning window
    days_to_publication: int | None


def clerk_queue(user, *, today: datetime.date | None = None) -> list[QueueEntry]:
    """Reports waiting for a meeting, and reports on draft agendas, with a flag on any
    whose assessment is not signed off (nor screened out) by the agenda's publication date."""
    today = today or timezone.localdate()
    clerk_boards = [b for b in rules.board_ids(user) if rules.has_role(user, b, Role.CLERK)]
    reports = (Report.objects.filter(board_id__in=clerk_boards, status__in=[ReportStatus.SUBMITTED, ReportStatus.ON_AGENDA])
               .select_related("committee", "plan_change__board")
               .prefetch_related("plan_change__screenings", "plan_change__assessments")
               .order_by("submitted_at", "pk"))
    items = {i.report_id: i.meeting for i in AgendaItem.objects.filter(
        report__in=reports, meeting__status=MeetingStatus.DRAFT).select_related("meeting__committee")}
    entries = []
    for report in reports:
        meeting = items.get(report.pk)
        blocked = agenda_gate(report)
        days = (meeting.agenda_publication_date - today).days if meeting else None
        entries.append(QueueEntry(report, plan_change_status(report.plan_change).label, meeting, blocked,
                                  bool(blocked) and (days is None or days <= 14), days))
    return entries


# the clerk's home lists this many of each, then links to the whole list
CLERK_HOME_ROWS = 20


@dataclass
class WaitingReport:
    """A report sent to the clerk and on no agenda yet, with the next agenda of its committee
    still in preparation (None: the clerk has to create a meeting first)."""

    report: Report
    meeting: Meeting | None


@dataclass
class AgendaToPublish:
    """A meeting whose agenda is still in preparation, with its publication deadline."""

    meeting: Meeting
    reports: int  # reports on its agenda
    days_left: int  # to its publication date; negative: late

    @property
    def deadline(self) -> datetime.date:
        return self.meeting.agenda_publication_date

    @property
    def late(self) -> bool:
        return self.days_left < 0


@dataclass
class Unpublished:
    """A signed document that is on no agenda, with no report on its way to one and no
    decision under delegated authority: due on the register within the board's period
    from its signing (reg 5 of SSI 2012/162)."""

    document: SignedDocument
    due: datetime.date
    days_left: int  # negative: overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class ClerkHome:
    waiting: list[WaitingReport]
    more_waiting: bool
    agendas: list[AgendaToPublish]
    more_agendas: bool
    unpublished: list[Unpublished] = field(default_factory=list)
    more_unpublished: bool = False


def clerk_boards(user) -> list[int]:
    return [b for b in sorted(rules.board_ids(user)) if rules.has_role(user, b, Role.CLERK)]


def clerk_home(user, *, today: datetime.date | None = None) -> ClerkHome | None:
    """What waits for the user as a clerk (None: a clerk of no board): reports sent to the
    clerk and on no agenda, oldest first, each with the agenda it can join; agendas in
    preparation, soonest publication deadline first. Two queries, whatever their numbers."""
    boards = clerk_boards(user)
    if not boards:
        return None
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    meetings = list(Meeting.objects.filter(committee__board_id__in=boards, status=MeetingStatus.DRAFT)
                    .select_related("committee")
                    .annotate(report_count=Count("items", filter=Q(items__kind=ItemKind.REPORT)))
                    .order_by("date", "time", "pk")[:CLERK_HOME_ROWS + 1])
    agendas = [AgendaToPublish(m, m.report_count, (m.agenda_publication_date - today).days) for m in meetings]
    agendas.sort(key=lambda agenda: (agenda.deadline, agenda.meeting.pk))
    reports = list(Report.objects.filter(board_id__in=boards, status=ReportStatus.SUBMITTED)
                   .select_related("committee", "plan_change__board", "author")
                   .order_by("submitted_at", "pk")[:CLERK_HOME_ROWS + 1])
    # the next agenda of each committee that is still being prepared and not yet past its meeting
    next_meeting = {}
    for meeting in meetings:
        if meeting.date >= today:
            next_meeting.setdefault(meeting.committee_id, meeting)
    waiting = [WaitingReport(report, next_meeting.get(report.committee_id)) for report in reports]
    unpublished = unpublished_documents(boards, today=today)
    return ClerkHome(waiting[:CLERK_HOME_ROWS], len(waiting) > CLERK_HOME_ROWS,
                     agendas[:CLERK_HOME_ROWS], len(agendas) > CLERK_HOME_ROWS,
                     unpublished[:CLERK_HOME_ROWS], len(unpublished) > CLERK_HOME_ROWS)


# a report in these states takes its plan change's document to a meeting
ON_THE_WAY_TO_A_MEETING = (ReportStatus.SUBMITTED, ReportStatus.ON_AGENDA)


def unpublished_documents(board_ids, *, today: datetime.date) -> list[Unpublished]:
    """The boards' signed documents of signed-off assessments and screened-out plan changes
    that are not on the register, with no report with the clerk or on an agenda: published
    only by a meeting yet to be arranged or by a decision under delegated authority. Oldest
    first, each due the board's publication period after its signing. One query."""
    on_the_way = Report.objects.filter(plan_change=OuterRef("plan_change_id"), status__in=ON_THE_WAY_TO_A_MEETING)
    documents = (SignedDocument.objects.filter(board_id__in=board_ids, status=DocumentStatus.READY,
                                               published_at__isnull=True)
                 .filter(Q(assessment__state=AssessmentState.SIGNED_OFF) | Q(screening__state=ScreeningState.SCREENED_OUT))
                 .annotate(plan_change_id=Coalesce("assessment__plan_change_id", "screening__plan_change_id"))
                 .exclude(Exists(on_the_way))
                 .select_related("board", "assessment__plan_change__board", "screening__plan_change__board")
                 .defer(*DOCUMENT_BYTES).order_by("signed_at", "pk")[:CLERK_HOME_ROWS + 1])
    entries = []
    for document in documents:
        due = (timezone.localdate(document.signed_at, timezone.get_default_timezone())
               + datetime.timedelta(days=document.board.results_publication_days))
        entries.append(Unpublished(document, due, (due - today).days))
    return entries


def later_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """The meetings a blocked item of ``meeting`` may move to: later meetings of the same
    committee whose agendas are drafts, not in the past, soonest first
    (``services.agenda_item_move_later`` checks the same)."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return (Meeting.objects.filter(committee_id=meeting.committee_id, status=MeetingStatus.DRAFT,
                                   date__gt=meeting.date, date__gte=today)
            .order_by("date", "time", "pk"))


def published_documents(board) -> QuerySet[SignedDocument]:
    """Everything on the board's public register: signed documents published with an
    agenda, each with the reports and meetings it was published with, or published by a
    decision under delegated authority (with that decision)."""
    return (SignedDocument.objects.filter(board=board, published_at__isnull=False, status="ready")
            .annotate(has_easy_read=Exists(EasyReadSummary.objects.filter(assessment=OuterRef("assessment"))))
            .select_related("assessment__plan_change__board", "screening__plan_change__board", "board",
                            "delegated_decision")
            .defer(*DOCUMENT_BYTES)
            .prefetch_related(Prefetch("publications", queryset=Publication.objects.select_related(
                "report", "meeting__committee").order_by("published_at", "pk")))
            .order_by("-published_at", "-pk"))


def published_answers(documents) -> dict[int, list[tuple[str, str]]]:
    """The answers the form marks as published (e.g. the Islands Act s.8(4) explanation)
    of the documents' assessments, by assessment id, as (question, answer), in the form's
    order. A signed assessment is locked, so these are the answers it was signed with."""
    ids = [d.assessment_id for d in documents if d.assessment_id]
    found: dict[int, list[tuple[str, str]]] = {}
    answers = (SectionAnswer.objects.filter(assessment_id__in=ids, question__published=True).exclude(value="")
               .select_related("question__section").order_by("question__section__order", "question__order"))
    for answer in answers:
        found.setdefault(answer.assessment_id, []).append((answer.question.label, answer.value))
    return found


@dataclass
class RegisterFilters:
    q: str = ""
    priority: int | None = None
    characteristic: str = ""
    meeting: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def register_entries(board, filters: RegisterFilters) -> QuerySet[SignedDocument]:
    documents = published_documents(board)
    plan_change = Q(assessment__plan_change__isnull=False)
    if filters.q:
        q = filters.q.strip()
        text = Q(verification_code__iexact=q) | Q(publications__report__number__iexact=q)
        for field in ("title", "description"):
            text |= Q(**{f"assessment__plan_change__{field}__icontains": q})
            text |= Q(**{f"screening__plan_change__{field}__icontains": q})
        reference = re.fullmatch(r"([A-Za-z]+)-0*(\d+)", q)
        if reference and reference.group(1).upper() == board.reference_prefix:
            pk = int(reference.group(2))
            text |= Q(assessment__plan_change_id=pk) | Q(screening__plan_change_id=pk)
        documents = documents.filter(text).distinct()
    if filters.priority:
        documents = documents.filter(Q(assessment__plan_change__priorities=filters.priority)
                                     | Q(screening__plan_change__priorities=filters.priority)).distinct()
    if filters.characteristic:
        negative = ImpactRating.objects.filter(assessment=OuterRef("assessment"), negative=True,
                                               row__code=filters.characteristic)
        documents = documents.filter(plan_change).filter(Exists(negative))
    if filters.meeting:
        documents = documents.filter(publications__meeting_id=filters.meeting).distinct()
    if filters.date_from:
        documents = documents.filter(published_at__date__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(published_at__date__lte=filters.date_to)
    return documents


def published_meetings(board) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__board=board).exclude(status=MeetingStatus.DRAFT).select_related(
        "committee").order_by("-date")


def plan_change_documents(plan_change, assessment) -> tuple[SignedDocument | None, SignedDocument | None]:
    """The signed document of ``assessment`` (a version of the plan change, or None) and the
    newest signed screening record of the plan change, in one query. The plan change's
    screenings are read already (``plan_change_get``)."""
    screening_ids = [screening.pk for screening in plan_change.screenings.all()]
    wanted = Q(screening_id__in=screening_ids)
    if assessment is not None:
        wanted |= Q(assessment_id=assessment.pk)
    # newest first; without the bytes, which only go out with the PDF itself (the page read
    # the signed PDF, ~100 KB, to show its size and code: 6 ms of its slowest query)
    found = list(SignedDocument.objects.filter(wanted).defer(*DOCUMENT_BYTES))
    document = next((d for d in found if assessment is not None and d.assessment_id == assessment.pk), None)
    return document, next((d for d in found if d.screening_id is not None), None)


def register_directions(board) -> QuerySet[Direction]:
    """The board's issued directions for its public register of directions, newest first,
    with the report, decision and meeting each came from and the directions that vary or
    revoke them (proposed ones, in reports not yet agreed, are not directions yet)."""
    return (
        Direction.objects.filter(report__board=board, status__in=ISSUED_STATUSES)
        .select_related("report", "decision__meeting__committee", "earlier")
        .prefetch_related(Prefetch("later", queryset=Direction.objects.filter(status__in=ISSUED_STATUSES),
                                   to_attr="changed_by"))
        .order_by("-reference_year", "-reference_sequence")
    )


# --- requests for other formats and Easy Read summaries --------------------------------

def format_requests_for(user) -> QuerySet:
    """The requests for other formats the user handles: those of the boards where they are
    an equality lead."""
    from .models import FormatRequest

    boards = [b for b in rules.board_ids(user) if rules.can_handle_format_requests(user, b)]
    return (FormatRequest.objects.filter(board_id__in=boards)
            .select_related("board", "document__assessment__plan_change", "document__screening__plan_change",
                            "started_by", "done_by")
            .defer(*(f"document__{field}" for field in DOCUMENT_BYTES)))


@dataclass
class EasyRead:
    """The Easy Read summary of a published assessment as the register shows it: the wording
    in force, and the wordings the public could read that were replaced after publication
    (newest first, each with when it was replaced)."""

    current: object
    replaced: list  # (wording, replaced at)


def easy_read_of(document: SignedDocument) -> EasyRead | None:
    """The published assessment's Easy Read summary (None: it has none)."""
    if document.assessment_id is None:
        return None
    versions = list(EasyReadSummary.objects.filter(assessment_id=document.assessment_id).order_by("-written_at", "-pk"))
    if not versions:
        return None
    published = document.published_at
    replaced = [(older, newer.written_at) for newer, older in zip(versions, versions[1:], strict=False)
                if published is not None and newer.written_at >= published]
    return EasyRead(versions[0], replaced)
