"""The plan change's history shows each event's states in the words of the record the
event is about: an IJB report's, an agenda's, a meeting's, a screening's or an assessment's."""

import datetime
import html
import re

import pytest
from django.test import Client

from assessments.models import AuditEvent
from reports import services
from reports.models import Meeting, MeetingStatus, ReportStatus

from .helpers import signed_off
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db


def history_rows(client, plan_change) -> list[tuple[str, str]]:
    """(What, State) of each row of the plan change page's history table."""
    page = client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    table = page[page.index("<h2>History</h2>"):]
    rows = re.findall(r"<tr><td>.*?</td><td>.*?</td><td class=\"pre\">(.*?)</td><td>(.*?)</td></tr>", table, re.S)
    return [(html.unescape(what), html.unescape(state)) for what, state in rows]


def test_a_report_drafted_on_a_signed_off_assessment_shows_its_own_state(cast, committed):
    signed = committed(signed_off, cast)
    report_for(cast, signed.plan_change, submit=False)
    officer = Client()
    officer.force_login(cast.officer)
    what, state = history_rows(officer, signed.plan_change)[-1]
    assert what.startswith("Drafted the IJB report")
    assert state == "Report: Draft"  # not the screening's "Screening in progress"


def test_report_agenda_and_decision_events_read_in_words(cast, committed):
    signed = committed(signed_off, cast)
    m = meeting(cast)
    report = report_for(cast, signed.plan_change, submit=False)
    services.report_submit(report=report, by=cast.officer)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    services.agenda_remove(item=item, by=cast.clerk)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    Meeting.objects.filter(pk=m.pk).update(date=datetime.date.today() - datetime.timedelta(days=1))
    services.item_decide(item=item, by=cast.clerk, decision="agreed")
    officer = Client()
    officer.force_login(cast.officer)
    rows = history_rows(officer, signed.plan_change)
    report_rows = [state for what, state in rows if state.startswith("Report")]
    assert report_rows == [
        "Report: Draft",
        "Report: Draft → With the clerk",
        "Report: With the clerk → On a draft agenda",
        "Report: On a draft agenda → With the clerk",
        "Report: With the clerk → On a draft agenda",
        "Report: On a draft agenda → Published with the agenda",
        "Report: Published with the agenda → Decided",
    ]
    codes = set(ReportStatus.values) | set(MeetingStatus.values) | {"signed_off", "screened_in", "in_progress"}
    assert not [state for _, state in rows if set(re.split(r" → |: ", state)) & codes]  # no raw codes
    assert "Screening" not in " ".join(report_rows)
    # the meeting's own change is audited in its words too
    held = AuditEvent.objects.get(action="meeting.held")
    assert held.state_change_label() == "Agenda published → Held: decisions recorded"


def test_every_demo_event_names_its_states_in_words(committed):
    """Every state an audit event of the demo records is one of its subject's states."""
    from assessments.models.audit import state_words
    from fixtures import demo

    committed(demo.load)
    unresolved = []
    for event in AuditEvent.objects.exclude(from_state="", to_state=""):
        words, _ = state_words(event.subject, on_assessment=bool(event.assessment_id))
        unresolved += [(event.action, code) for code in (event.from_state, event.to_state) if code and code not in words]
    assert not unresolved
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"report.create", "agenda.add", "report.publish", "agenda.decide", "meeting.publish", "meeting.held"} <= actions
