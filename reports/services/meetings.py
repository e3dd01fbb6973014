"""Meetings, agendas, publication and decisions (the clerk's work)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import Assessment, AssessmentState, Role
from assessments.selectors import current_assessment
from assessments.services import assessment_new_version, audit_record
from assessments.text import clean_text

from ..models import (
    AgendaItem,
    AgendaPack,
    Committee,
    Decision,
    ItemKind,
    Meeting,
    MeetingStatus,
    Publication,
    Report,
    ReportStatus,
    SignedDocument,
)
from ..models.meetings import STANDING_ITEMS
from ..signals import pack_requested
from .directions import directions_issue_on_decision
from .reports import agenda_gate, policy_implications, report_appendix, report_number_allocate


def _require_clerk(by, board_id: int) -> None:
    if not rules.has_role(by, board_id, Role.CLERK):
        raise NotAllowed("Only the board's clerk can manage its meetings and agendas.")


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("committee__board").get(pk=meeting.pk)


def meeting_create(*, committee: Committee, by, date, time=None, venue: str = "", remote: bool = False) -> Meeting:
    """A meeting with its standing items: apologies, declarations of interest, the
    previous minute and the action tracker."""
    _require_clerk(by, committee.board_id)
    if not remote and not clean_text(venue):
        raise RuleViolation({"venue": ["Give the venue, or say the meeting is held remotely."]})
    with transaction.atomic():
        meeting = Meeting.objects.create(committee=committee, date=date, venue=clean_text(venue), remote=remote,
                                         created_by=by, **({"time": time} if time else {}))
        for position, kind in enumerate(STANDING_ITEMS, 1):
            AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=ItemKind(kind).label)
        audit_record(board=committee.board_id, actor=by, action="meeting.create", to_state=meeting.status,
                     message=f"Created the meeting: {meeting.title}.")
    return meeting


def _today():
    """Today in the boards' time zone (Europe/London), whatever the request's."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def _late(meeting: Meeting, reason: str, *, what: str) -> str:
    """The reason for publishing later than the committee's period ("" when on time);
    refused without one."""
    if not meeting.is_late_on(_today()):
        return ""
    reason = clean_text(reason)
    if not reason:
        due = meeting.agenda_publication_date
        raise RuleViolation({"late_reason": [
            f"The agenda of this meeting was due by {due:%A %-d %B %Y}, {meeting.committee.publication_days} days "
            f"before it: say why {what} late."]})
    return reason


def agenda_add_report(*, meeting: Meeting, report: Report, by, late_reason: str = "") -> AgendaItem:
    """Put a report waiting with the clerk on the agenda, after the items already there.
    On a published agenda the report must pass the agenda gate first, and, later than the
    committee's publication period, comes with the reason."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _require_clerk(by, meeting.board_id)
        report = Report.objects.select_for_update(of=("self",)).select_related("committee", "plan_change").get(pk=report.pk)
        if report.board_id != meeting.board_id or report.committee_id != meeting.committee_id:
            raise RuleViolation({"report": ["Choose a report for this committee."]})
        if report.status != ReportStatus.SUBMITTED:
            raise RuleViolation({"report": ["Only a report waiting with the clerk can join an agenda."]})
        if meeting.status == MeetingStatus.HELD:
            raise RuleViolation("The meeting has been held.")
        if meeting.items.filter(report__plan_change_id=report.plan_change_id).exists():
            raise RuleViolation({"report": ["A report on this plan change is already on this agenda."]})
        late = ""
        if meeting.status == MeetingStatus.PUBLISHED:
            reason = agenda_gate(report)
            if reason:
                raise RuleViolation({"report": [f"“{report.title}” cannot join a published agenda: {reason}"]})
            late = _late(meeting, late_reason, what="this report joins it")
        position = (meeting.items.aggregate(p=Max("position"))["p"] or 0) + 1
        item = AgendaItem.objects.create(meeting=meeting, position=position, kind=ItemKind.REPORT,
                                         title=report.title, report=report, late_reason=late)
        report.put_on_agenda()
        report.save(update_fields=["status", "updated_at"])
        audit_record(board=meeting.board_id, actor=by, action="agenda.add", plan_change=report.plan_change,
                     from_state=ReportStatus.SUBMITTED, to_state=report.status,
                     message=f"Added “{report.title}” to the agenda of {meeting.title} as item {position}."
                             + (f" Added late: {late}" if late else ""),
                     data={"late_reason": late} if late else None)
        if meeting.status == MeetingStatus.PUBLISHED:
            _publish_report(meeting, report, by)
            pack_request(meeting=meeting)
    return item


def agenda_move(*, item: AgendaItem, by, offset: int) -> None:
    """Move an item up (-1) or down (+1) the draft agenda."""
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _require_clerk(by, meeting.board_id)
        if meeting.status != MeetingStatus.DRAFT:
            raise RuleViolation("A published agenda cannot be reordered.")
        items = list(meeting.items.order_by("position", "pk"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        target = index + offset
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            for position, it in enumerate(items, 1):
                if it.position != position:
                    AgendaItem.objects.filter(pk=it.pk).update(position=position)


def agenda_remove(*, item: AgendaItem, by) -> None:
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _require_clerk(by, meeting.board_id)
        if meeting.status != MeetingStatus.DRAFT:
            raise RuleViolation("Items cannot be removed from a published agenda.")
        item = AgendaItem.objects.select_related("report__plan_change").get(pk=item.pk)
        if item.report_id:
            item.report.take_off_agenda()
            item.report.save(update_fields=["status"])
            audit_record(board=meeting.board_id, actor=by, action="agenda.remove", plan_change=item.report.plan_change,
                         from_state=ReportStatus.ON_AGENDA, to_state=ReportStatus.SUBMITTED,
                         message=f"Took “{item.report.title}” off the agenda of {meeting.title}.")
        item.delete()
        for position, it in enumerate(meeting.items.order_by("position", "pk"), 1):
            AgendaItem.objects.filter(pk=it.pk).update(position=position)


def meeting_gate(meeting: Meeting) -> dict[int, str]:
    """Agenda items whose reports may not be published yet, with the reason (only while
    the agenda is a draft: a published report was cleared when it was published)."""
    if meeting.status != MeetingStatus.DRAFT:
        return {}
    return {item.pk: f"Item {item.position}, “{item.title}”: {reason}"
            for item in meeting.items.filter(kind=ItemKind.REPORT).select_related("report__plan_change")
            if (reason := agenda_gate(item.report))}


def _publish_report(meeting: Meeting, report: Report, by) -> None:
    """Number the report, freeze its Policy Implications and appendix, and publish the
    appendix (the signed document) on the register."""
    report_number_allocate(report=report, year=meeting.date.year)
    now = timezone.now()
    document = report_appendix(report)
    implications = policy_implications(report)
    report.publish()
    report.published_policy_implications = implications
    report.appendix = document
    report.save(update_fields=["status", "published_policy_implications", "appendix"])
    if document is not None:
        Publication.objects.get_or_create(document=document, report=report,
                                          defaults={"meeting": meeting, "published_at": now})
        SignedDocument.objects.filter(pk=document.pk, published_at__isnull=True).update(published_at=now)
    audit_record(board=meeting.board_id, actor=by, action="report.publish", plan_change=report.plan_change,
                 from_state=ReportStatus.ON_AGENDA, to_state=ReportStatus.PUBLISHED,
                 message=f"Published report {report.number} with the agenda of {meeting.title}.")


def meeting_publish(*, meeting: Meeting, by, late_reason: str = "") -> Meeting:
    """Publish the agenda: every report passes the gate, gets its number, its signed
    assessment or screening record joins the public register, and the agenda pack is
    built in the background. Later than the committee's publication period, the agenda
    is published only with the reason, kept on the meeting and shown with it."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _require_clerk(by, meeting.board_id)
        if meeting.status != MeetingStatus.DRAFT:
            raise RuleViolation("The agenda has already been published.")
        if not meeting.items.filter(kind=ItemKind.REPORT).exists():
            raise RuleViolation("Add at least one report before publishing the agenda.")
        errors = {f"item-{pk}": [reason] for pk, reason in meeting_gate(meeting).items()}
        try:
            late = _late(meeting, late_reason, what="it is published")
        except RuleViolation as violation:
            errors.update(violation.errors)
        if errors:
            raise RuleViolation(errors)
        for item in meeting.items.filter(kind=ItemKind.REPORT).select_related("report__committee", "report__plan_change"):
            _publish_report(meeting, item.report, by)
        meeting.publish()
        meeting.published_at = timezone.now()
        meeting.published_by = by
        meeting.late_reason = late
        meeting.save()
        message = f"Published the agenda of {meeting.title}."
        if late:
            message += (f" Published late, {meeting.published_when} "
                        f"(due by {meeting.agenda_publication_date:%-d %B %Y}): {late}")
        audit_record(board=meeting.board_id, actor=by, action="meeting.publish", from_state=MeetingStatus.DRAFT,
                     to_state=meeting.status, message=message,
                     data={"late_reason": late, "due": meeting.agenda_publication_date.isoformat()} if late else None)
        pack_request(meeting=meeting)
    return meeting


@dataclass(frozen=True)
class DecisionRecorded:
    item: AgendaItem
    new_version: Assessment | None  # the version "agreed as amended" opened, if it opened one


def item_decide(*, item: AgendaItem, by, decision: str, text: str = "") -> DecisionRecorded:
    """Record the board's decision on an item, once the meeting has started. "Agreed as
    amended" reopens the plan change's assessment as a new version, for its lead officer,
    that supersedes it when signed off."""
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _require_clerk(by, meeting.board_id)
        if meeting.status == MeetingStatus.DRAFT:
            raise RuleViolation("Publish the agenda before recording decisions.")
        if not meeting.has_started:
            starts = meeting.starts_at
            raise RuleViolation({"decision": [
                f"The meeting starts on {starts:%A %-d %B %Y} at {starts:%H:%M}: record its decisions once it has "
                "started."]})
        if decision not in Decision.values:
            raise RuleViolation({"decision": ["Choose the decision."]})
        if decision in (Decision.AMENDED, Decision.REMITTED) and not clean_text(text):
            raise RuleViolation({"text": ["Say what the board amended or remitted."]})
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("report__plan_change").get(pk=item.pk)
        if item.decision:
            raise RuleViolation("A decision has already been recorded for this item.")
        item.decide(decision)
        item.decision_text = clean_text(text)
        item.decided_by = by
        item.decided_at = timezone.now()
        item.save()
        plan_change = item.report.plan_change if item.report_id else None
        report_status = item.report.status if item.report_id else ""
        if item.report_id:
            item.report.decide()
            item.report.save(update_fields=["status"])
            directions_issue_on_decision(item=item, by=by, issued_on=_today())
        audit_record(board=meeting.board_id, actor=by, action="agenda.decide", plan_change=plan_change,
                     from_state=report_status, to_state=ReportStatus.DECIDED if item.report_id else "",
                     message=f"{meeting.title}, item {item.position}: {item.get_decision_display()}"
                             + (f": {item.decision_text}" if item.decision_text else ""))
        new_version = None
        if decision == Decision.AMENDED and plan_change is not None:
            assessment = current_assessment(plan_change)
            if assessment is not None and assessment.state == AssessmentState.SIGNED_OFF:
                new_version = assessment_new_version(
                    assessment=assessment, by=by, board_decision=True,
                    reason=f"{meeting.committee.name} agreed the proposal as amended on {meeting.date:%-d %B %Y}: "
                           f"{item.decision_text}")
        undecided = meeting.items.filter(kind=ItemKind.REPORT, decision="").exists()
        if not undecided:
            meeting.hold()
            meeting.save(update_fields=["status"])
            audit_record(board=meeting.board_id, actor=by, action="meeting.held", from_state=MeetingStatus.PUBLISHED,
                         to_state=meeting.status, message=f"Recorded every decision of {meeting.title}.")
    return DecisionRecorded(item, new_version)


def pack_rebuild(*, meeting: Meeting, by) -> AgendaPack:
    """The clerk asks for the published agenda's pack to be built again (after a failure)."""
    _require_clerk(by, meeting.board_id)
    if meeting.status == MeetingStatus.DRAFT:
        raise RuleViolation("A pack is built when the agenda is published.")
    return pack_request(meeting=meeting)


def pack_request(*, meeting: Meeting) -> AgendaPack:
    """(Re)build the meeting's agenda pack after the transaction commits."""
    pack, _ = AgendaPack.objects.defer("pdf").get_or_create(meeting=meeting)
    pack.request()
    pack.progress, pack.progress_message, pack.requested_at = 0, "Waiting to start", timezone.now()
    pack.save(update_fields=["status", "progress", "progress_message", "requested_at"])
    transaction.on_commit(lambda: pack_requested.send(sender=AgendaPack, meeting_id=meeting.pk))
    return pack
