"""Decisions are recorded once the meeting has started, and "agreed as amended" reopens
the assessment for its officer, who is told, as is the clerk."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent, Membership, Role
from reports import services
from reports.models import MeetingStatus, ReportStatus
from tests import factories as f
from workflows.engine import active_tasks
from workflows.flows import IIAFlow

from .helpers import signed_off
from .test_meetings import meeting, report_for, took_place

pytestmark = pytest.mark.django_db


def on_agenda(cast, committed, date=None):
    """A signed-off assessment's report on a published agenda."""
    signed = committed(signed_off, cast)
    m = meeting(cast, date=date)
    report = report_for(cast, signed.plan_change)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    return signed, m, item


def test_a_decision_before_the_meeting_starts_is_refused(cast, committed):
    signed, m, item = on_agenda(cast, committed, date=datetime.date.today() + datetime.timedelta(days=25))
    with pytest.raises(RuleViolation) as error:
        services.item_decide(item=item, by=cast.clerk, decision="agreed")
    assert list(error.value.errors) == ["decision"]
    assert f"starts on {m.date:%A %-d %B %Y} at 10:00" in error.value.errors["decision"][0]
    m.refresh_from_db()
    item.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED and not item.decision
    assert item.report.status == ReportStatus.PUBLISHED
    assert not AuditEvent.objects.filter(action__in=["agenda.decide", "meeting.held"]).exists()


def test_the_start_is_the_boards_local_time(cast, committed, monkeypatch):
    """A meeting at 10:00 on a summer day starts at 09:00 UTC (British Summer Time)."""
    signed = committed(signed_off, cast)
    m = meeting(cast, date=datetime.date(2026, 7, 1))
    item = services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)

    def clock(*args):
        monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(*args, tzinfo=datetime.UTC))

    clock(2026, 6, 1, 9, 0)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    clock(2026, 7, 1, 8, 59)  # 09:59 in Dundee
    with pytest.raises(RuleViolation):
        services.item_decide(item=item, by=cast.clerk, decision="agreed")
    clock(2026, 7, 1, 9, 0)  # 10:00 in Dundee
    services.item_decide(item=item, by=cast.clerk, decision="agreed")
    m.refresh_from_db()
    assert m.status == MeetingStatus.HELD


def test_the_page_says_when_decisions_can_be_recorded_and_refuses_them_beside_the_field(cast, committed):
    signed, m, item = on_agenda(cast, committed, date=datetime.date.today() + datetime.timedelta(days=25))
    clerk = Client()
    clerk.force_login(cast.clerk)
    page = clerk.get(f"/meetings/{m.pk}/").content.decode()
    assert f"The meeting starts on {m.date:%A %-d %B %Y} at 10:00. Record its decisions here once it has started." in page
    assert f'name="d{item.pk}-decision"' not in page
    # a form sent anyway (an old tab) comes back with the reason beside the field
    response = clerk.post(f"/agenda-items/{item.pk}/decision/", {f"d{item.pk}-decision": "agreed", f"d{item.pk}-text": ""})
    page = response.content.decode()
    assert response.status_code == 200
    beside = re.search(rf'id="id_d{item.pk}-decision_error">(.*?)</div>', page, re.S)
    assert beside and "record its decisions once it has started" in beside.group(1)
    assert re.search(rf'href="#id_d{item.pk}-decision_0">Item 5: The meeting starts on', page)
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED
    # once it has started, the forms are there
    took_place(m)
    assert f'name="d{item.pk}-decision"' in clerk.get(f"/meetings/{m.pk}/").content.decode()


def _with_email(*people):
    for person in people:
        person.email = f"{person.username}@example.org"
        person.save()


def test_agreed_as_amended_opens_the_next_version_for_the_lead_officer_and_tells_them_and_the_clerk(cast, committed):
    lead_officer = f.user(Role.OFFICER)
    _with_email(cast.officer, lead_officer, cast.clerk)
    signed, m, item = on_agenda(cast, committed)
    plan_change = signed.plan_change
    type(plan_change).objects.filter(pk=plan_change.pk).update(lead_officer=lead_officer)
    took_place(m)
    mail.outbox.clear()
    clerk = Client()
    clerk.force_login(cast.clerk)
    response = committed(clerk.post, f"/agenda-items/{item.pk}/decision/",
                         {f"d{item.pk}-decision": "amended", f"d{item.pk}-text": "Phase the reduction over two years."},
                         follow=True)
    new = f.current(plan_change)
    assert new.version == 2 and new.supersedes_id == signed.pk
    assert new.author == lead_officer  # not the clerk who recorded the decision
    # the clerk is told on the page
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"Decision recorded for item 5. Version 2 of the IIA of {plan_change.reference} is open for "
                     f"{lead_officer.get_full_name()}, its author, who has been told by email; its tasks are in "
                     "their inbox."]
    # the lead officer by one email, with the decision and the new version's tasks
    assert [message.to for message in mail.outbox] == [[lead_officer.email]]
    email = mail.outbox[0]
    assert email.subject == f"IIA version 2 open for you: {plan_change.title}"
    assert "agreed the proposal as amended" in email.body and "Phase the reduction over two years." in email.body
    assert "Version 2 is open for you to update; once signed off, it replaces version 1." in email.body
    assert "Your tasks on it:" in email.body and "Complete “Equality & Diversity”" in email.body
    # and in their inbox
    assert {t.owner for t in active_tasks(plan_change, IIAFlow.complete_part)} == {lead_officer}
    inbox = Client()
    inbox.force_login(lead_officer)
    assert plan_change.reference in inbox.get("/tasks/inbox/").content.decode()
    # the history names the author of the new version, not only the clerk who opened it
    opened = AuditEvent.objects.get(assessment=new, action="assessment.open")
    assert opened.actor == cast.clerk and opened.message == (
        f"Opened version 2 of the full IIA for {lead_officer.get_full_name()}, its author.")


def test_a_lead_officer_who_left_hands_the_new_version_to_the_previous_author(cast, committed):
    gone = f.user(Role.OFFICER)
    signed, m, item = on_agenda(cast, committed)
    type(signed.plan_change).objects.filter(pk=signed.plan_change_id).update(lead_officer=gone)
    Membership.objects.filter(user=gone).delete()
    took_place(m)
    recorded = services.item_decide(item=item, by=cast.clerk, decision="amended", text="Phase it.")
    assert f.current(signed.plan_change).author == signed.author == cast.officer
    assert recorded.new_version == f.current(signed.plan_change)


def test_a_decision_that_reopens_nothing_says_nothing_more(cast, committed):
    signed, m, item = on_agenda(cast, committed)
    took_place(m)
    clerk = Client()
    clerk.force_login(cast.clerk)
    response = clerk.post(f"/agenda-items/{item.pk}/decision/", {f"d{item.pk}-decision": "agreed"}, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["Decision recorded for item 5."]
    assert f.current(signed.plan_change).version == 1
