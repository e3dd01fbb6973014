"""Reads of the reports app: reports, meetings, the clerk's queue and the public register."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments import rules
from assessments.models import ImpactRating, Role
from assessments.selectors import plan_change_status

from .models import AgendaItem, Meeting, MeetingStatus, Publication, Report, ReportStatus, SignedDocument
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


def published_documents(board) -> QuerySet[SignedDocument]:
    """Everything on the board's public register: signed documents published with an
    agenda, each with the reports and meetings it was published with."""
    return (SignedDocument.objects.filter(board=board, published_at__isnull=False, status="ready")
            .select_related("assessment__plan_change__board", "screening__plan_change__board", "board")
            .defer(*DOCUMENT_BYTES)
            .prefetch_related(Prefetch("publications", queryset=Publication.objects.select_related(
                "report", "meeting__committee").order_by("published_at", "pk")))
            .order_by("-published_at", "-pk"))


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
