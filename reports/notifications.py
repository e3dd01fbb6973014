"""Emails of the reports app, sent after the change commits (``reports.background``).

A report sent to the clerk: every active clerk of its board with an email address is told,
with a link to the report and to their home page, where the reports waiting for an agenda
and the agendas to publish are listed. Nobody is told about their own action."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from assessments.models import Membership, Role
from assessments.text import clean_line

from .models import FormatRequest, Report, ReportStatus


def clerks_of(board_id: int) -> list:
    """The board's active clerks who have an email address."""
    return list(get_user_model().objects.filter(
        pk__in=Membership.objects.filter(board_id=board_id, role=Role.CLERK).values("user_id"),
        is_active=True).exclude(email="").order_by("pk"))


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


def report_sent_messages(*, report_id: int, actor_id: int) -> list[EmailMessage]:
    """One email per clerk of the report's board (none once the report has moved on, e.g.
    taken back before the email went out)."""
    report = (Report.objects.select_related("plan_change__board", "committee", "author")
              .filter(pk=report_id, status__in=[ReportStatus.SUBMITTED, ReportStatus.ON_AGENDA]).first())
    if report is None:
        return []
    sender = get_user_model().objects.filter(pk=actor_id).first()
    plan_change = report.plan_change
    subject = clean_line(f"Report to put on an agenda: {report.title}")
    body = (f"{_name(sender) if sender else 'An officer'} sent the report “{report.title}” to the clerk, for the "
            f"{report.committee.name}. It is about the plan change “{plan_change.title}” ({plan_change.reference}).\n\n"
            f"Read it: {settings.IIA_SITE_URL}{reverse('report_detail', args=[report.pk])}\n"
            f"Put it on an agenda from your home page: {settings.IIA_SITE_URL}{reverse('home')}")
    return [EmailMessage(subject, body, to=[clerk.email]) for clerk in clerks_of(report.board_id)
            if clerk.pk != actor_id]


def report_sent_send(*, report_id: int, actor_id: int) -> int:
    """Send the emails about a report sent to the clerk; returns how many were sent."""
    messages = report_sent_messages(report_id=report_id, actor_id=actor_id)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def equality_leads_of(board_id: int) -> list:
    """The board's active equality leads who have an email address."""
    return list(get_user_model().objects.filter(
        pk__in=Membership.objects.filter(board_id=board_id, role=Role.EQUALITY_LEAD).values("user_id"),
        is_active=True).exclude(email="").order_by("pk"))


def format_request_messages(*, format_request_id: int) -> list[EmailMessage]:
    """One email per equality lead of the request's board, with the document, the format and
    the due date; the requester's details are on the request's page, behind sign-in, not in
    the email."""
    request = (FormatRequest.objects.select_related("document__assessment__plan_change",
                                                    "document__screening__plan_change")
               .filter(pk=format_request_id).first())
    if request is None:
        return []
    document = request.document
    plan_change = document.plan_change
    subject = clean_line(f"Asked for in {request.format_label}: {plan_change.title}")
    body = (f"Someone asked for the {document.get_kind_display().lower()} of “{plan_change.title}” "
            f"({plan_change.reference}) in {request.format_label}, reference {request.reference}. "
            f"It is due by {request.due_on.day} {request.due_on:%B %Y}.\n\n"
            f"Their contact details and what they asked for: "
            f"{settings.IIA_SITE_URL}{reverse('format_request_detail', args=[request.pk])}")
    return [EmailMessage(subject, body, to=[lead.email]) for lead in equality_leads_of(request.board_id)]


def format_request_send(*, format_request_id: int) -> int:
    """Send the emails about a request for another format; returns how many were sent."""
    messages = format_request_messages(format_request_id=format_request_id)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
