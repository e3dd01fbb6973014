"""Clerks are told (issue 19, item 3): a report sent to the clerk emails the board's clerks
after the commit, and shows on the clerk's home page with the agendas to publish and their
publication deadlines, each with a link to act; never another board's."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports import selectors
from reports import services as report_services
from reports.models import Committee
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _report(cast, title="Day centre report", *, send=True, committed=None):
    committee = Committee.objects.get(board__slug=cast.board_slug, kind="ijb")
    report = report_services.report_create(
        plan_change=f.start(cast, f"Plan change of {title}"), by=cast.officer, committee=committee, title=title,
        report_by="Chief Officer", decision_sought="note", purpose="P", recommendations="R", direction_to="none")
    if send:
        (committed or (lambda fn, **kw: fn(**kw)))(report_services.report_submit, report=report, by=cast.officer)
    return report


def _meeting(cast, days_ahead: int):
    committee = Committee.objects.get(board__slug=cast.board_slug, kind="ijb")
    return report_services.meeting_create(committee=committee, by=cast.clerk, venue="Chamber",
                                          date=timezone.localdate() + datetime.timedelta(days=days_ahead))


def test_sending_a_report_emails_the_boards_clerks_after_the_commit(cast, borders, django_capture_on_commit_callbacks):
    second_clerk = f.user("clerk", email="second.clerk@example.org")
    cast.clerk.email = "clerk@example.org"
    cast.clerk.save()
    borders.clerk.email = "borders.clerk@example.org"
    borders.clerk.save()
    report = _report(cast, send=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_services.report_submit(report=report, by=cast.officer)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == ["clerk@example.org", "second.clerk@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Report to put on an agenda: Day centre report"
    assert f"/reports/{report.pk}/" in message.body and report.plan_change.reference in message.body
    assert cast.officer.get_full_name() in message.body
    assert second_clerk.pk  # an active clerk with an address is told; the Borders clerk is not


def test_a_rolled_back_send_emails_nobody(cast, django_capture_on_commit_callbacks):
    cast.clerk.email = "clerk@example.org"
    cast.clerk.save()
    report = _report(cast, send=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_services.report_submit(report=report, by=cast.officer)
    report.__class__.objects.filter(pk=report.pk).delete()  # as if the change never committed
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_the_clerks_home_lists_reports_waiting_and_agendas_with_deadlines(cast, committed):
    cast.clerk.email = "clerk@example.org"
    cast.clerk.save()
    report = _report(cast, committed=committed)
    meeting = _meeting(cast, 30)
    html = _client(cast.clerk).get("/").content.decode()
    assert "Reports waiting for an agenda (1)" in html and "Day centre report" in html
    assert (f'href="/meetings/{meeting.pk}/?report={report.pk}#add-report">Add to the agenda of '
            f'{meeting.date:%-d %B %Y}') in html
    page = _client(cast.clerk).get(f"/meetings/{meeting.pk}/?report={report.pk}").content.decode()
    assert f'<option value="{report.pk}" selected>' in page  # the link's report, chosen already
    for odd in ("abc", "9" * 25, "-1"):
        assert _client(cast.clerk).get(f"/meetings/{meeting.pk}/?report={odd}").status_code == 200
    deadline = meeting.agenda_publication_date
    assert "Agendas to publish (1)" in html
    assert f"{deadline:%-d %B %Y} ({(deadline - timezone.localdate()).days} days left)" in html
    assert f'href="/meetings/{meeting.pk}/">Publish the agenda of {meeting.date:%-d %B %Y}' in html
    # once on the agenda it waits no longer; the agenda counts it
    report_services.agenda_add_report(meeting=meeting, report=report, by=cast.clerk)
    home = selectors.clerk_home(cast.clerk)
    assert home.waiting == [] and home.agendas[0].reports == 1


def test_without_a_meeting_the_clerk_is_offered_to_create_one(cast, committed):
    _report(cast, committed=committed)
    html = _client(cast.clerk).get("/").content.decode()
    assert 'href="/meetings/new/">Create a meeting of the' in html
    assert "No agenda is in preparation." in html


def test_a_late_agenda_is_marked_in_words(cast):
    meeting = _meeting(cast, 2)  # a week's publication period: due five days ago
    html = _client(cast.clerk).get("/").content.decode()
    assert f'<strong class="tag tag-warn">Late</strong> was due {meeting.agenda_publication_date:%-d %B %Y}' in html


def test_another_boards_reports_and_agendas_never_show(cast, borders, committed):
    _report(borders, "Borders report", committed=committed)
    _meeting(borders, 30)
    html = _client(cast.clerk).get("/").content.decode()
    assert "Borders report" not in html and "No report is waiting for an agenda." in html
    assert "No agenda is in preparation." in html
    assert "Scottish Borders" not in html


def test_only_clerks_see_the_clerks_lists(cast, committed):
    _report(cast, committed=committed)
    for person in (cast.officer, cast.lead, cast.senior):
        assert "Reports waiting for an agenda" not in _client(person).get("/").content.decode()
        assert selectors.clerk_home(person) is None


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_clerks_home_costs_the_same_however_many_reports(cast, committed):
    _report(cast, "First", committed=committed)
    _meeting(cast, 30)
    client = _client(cast.clerk)
    few = _queries(client)
    for n in range(4):
        _report(cast, f"More {n}", committed=committed)
        _meeting(cast, 40 + n)
    assert _queries(client) == few
    assert len(selectors.clerk_home(cast.clerk).waiting) == 5
