"""What a clerk can do about a blocked agenda item (a report whose assessment is not
cleared in time): move it to a later meeting of the committee, or remind the plan
change's lead officer. "Remove" is ``meetings.agenda_remove``."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent
from assessments.services import audit_record
from assessments.text import clean_line

from ..models import AgendaItem, ItemKind, Meeting, MeetingStatus, Report
from .meetings import _locked_meeting, _require_clerk, _today
from .reports import agenda_gate

logger = logging.getLogger("iia.notifications")

REMINDER_INTERVAL = datetime.timedelta(days=1)  # one reminder a day per plan change


def _now() -> datetime.datetime:
    return timezone.now()


def _renumber(meeting: Meeting) -> None:
    for position, it in enumerate(meeting.items.order_by("position", "pk"), 1):
        if it.position != position:
            AgendaItem.objects.filter(pk=it.pk).update(position=position)


def _report_item(item: AgendaItem) -> AgendaItem:
    item = AgendaItem.objects.select_related("report__plan_change__lead_officer", "meeting").get(pk=item.pk)
    if item.kind != ItemKind.REPORT or item.report_id is None:
        raise RuleViolation({f"item-{item.pk}": ["Only a report can be moved or its lead officer reminded."]})
    return item


def agenda_item_move_later(*, item: AgendaItem, to: Meeting, by) -> AgendaItem:
    """Move a report from a draft agenda to a later draft meeting of the same committee (not
    in the past), at the end of that agenda. Both meetings are locked, the earlier first
    (the order every move takes, so two moves cannot wait on each other)."""
    with transaction.atomic():
        source = item.meeting
        first, second = sorted([source, to], key=lambda m: m.pk)
        locked = {m.pk: _locked_meeting(m) for m in (first, second)}
        source, to = locked[source.pk], locked[to.pk]
        _require_clerk(by, source.board_id)
        item = _report_item(item)
        if item.meeting_id != source.pk:
            raise RuleViolation({f"item-{item.pk}": ["The item has moved meanwhile: reload the page."]})
        key = f"item-{item.pk}"
        if source.status != MeetingStatus.DRAFT:
            raise RuleViolation({key: ["Items cannot be moved off a published agenda."]})
        if to.board_id != source.board_id or to.committee_id != source.committee_id:
            raise RuleViolation({key: ["Choose a later meeting of the same committee."]})
        if to.status != MeetingStatus.DRAFT:
            raise RuleViolation({key: ["Choose a meeting whose agenda is not yet published."]})
        if to.date <= source.date or to.date < _today():
            raise RuleViolation({key: ["Choose a meeting later than this one, and not in the past."]})
        report = Report.objects.select_for_update(of=("self",)).select_related("plan_change").get(pk=item.report_id)
        if to.items.filter(report__plan_change_id=report.plan_change_id).exists():
            raise RuleViolation({key: ["A report on this plan change is already on that agenda."]})
        old_position = item.position
        report.move_to_later_meeting()
        report.save(update_fields=["status", "updated_at"])
        position = (max(to.items.values_list("position", flat=True), default=0)) + 1
        AgendaItem.objects.filter(pk=item.pk).update(meeting=to, position=position, late_reason="")
        _renumber(source)
        audit_record(board=source.board_id, actor=by, action="agenda.move_later", plan_change=report.plan_change,
                     from_state=report.status, to_state=report.status,
                     message=f"Moved “{report.title}” from item {old_position} of {source.title} "
                             f"to item {position} of {to.title}.",
                     data={"from_meeting": source.pk, "to_meeting": to.pk})
        item.refresh_from_db()
    return item


def agenda_item_remind(*, item: AgendaItem, by) -> AgendaItem:
    """Email the plan change's lead officer that the report on the agenda is held back, and
    why; at most once a day per plan change. Audited; the email goes after the commit."""
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _require_clerk(by, meeting.board_id)
        item = _report_item(item)
        key = f"item-{item.pk}"
        if meeting.status != MeetingStatus.DRAFT:
            raise RuleViolation({key: ["The agenda is published: nothing on it is held back."]})
        report = item.report
        plan_change = report.plan_change
        reason = agenda_gate(report)
        if not reason:
            raise RuleViolation({key: [f"“{report.title}” is cleared: there is nothing to remind the lead officer of."]})
        lead = plan_change.lead_officer
        if not lead.email or not lead.is_active:
            raise RuleViolation({key: [f"{lead.get_full_name() or lead.username} has no email address the "
                                       "product can use: remind them another way."]})
        last = (AuditEvent.objects.filter(plan_change=plan_change, action="agenda.remind",
                                          at__gt=_now() - REMINDER_INTERVAL).order_by("-at").first())
        if last is not None:
            when = timezone.localtime(last.at)
            raise RuleViolation({key: [
                f"{lead.get_full_name() or lead.username} was reminded on {when:%-d %B at %H:%M}: you can remind "
                f"them again from {timezone.localtime(last.at + REMINDER_INTERVAL):%-d %B at %H:%M}."]})
        audit_record(board=meeting.board_id, actor=by, action="agenda.remind", plan_change=plan_change,
                     from_state=report.status, to_state=report.status,
                     message=f"Reminded the lead officer, {lead.get_full_name() or lead.username}, that "
                             f"“{report.title}” is held back on the agenda of {meeting.title}: {reason}",
                     data={"meeting": meeting.pk, "lead_officer": lead.pk})
        message = EmailMessage(
            clean_line(f"Held back from the agenda: {report.title}"),
            render_to_string("reports/email/remind_lead_officer.txt", {
                "lead_officer": lead, "clerk_name": by.get_full_name() or by.username,
                "board": meeting.committee.board, "report": report, "plan_change": plan_change,
                "meeting": meeting, "reason": reason,
                "plan_change_url": settings.IIA_SITE_URL.rstrip("/") + reverse(
                    "plan_change_detail", args=[plan_change.pk]),
            }),
            to=[lead.email])
        transaction.on_commit(lambda: _send(message))
    return item


def _send(message: EmailMessage) -> None:
    """A failure to send is logged and never undoes the reminder it reports."""
    try:
        message.send()
    except Exception:
        logger.exception("reminder to %s was not sent", message.to)
