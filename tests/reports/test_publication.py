"""No side door in the agenda gate: a report "for noting" is held back like an "agree"
report when its plan change's screening says it asks for agreement or needs a full IIA;
an agenda published later than the committee's period says why; the period itself keeps
the three clear days of s.50B of the Local Government (Scotland) Act 1973."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent
from reports import services
from reports.models import AgendaPack, Committee, MeetingStatus, Report, ReportStatus
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow

from .helpers import signed_off
from .test_meetings import committee, meeting, report_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def days_ahead(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


# --- the agenda gate for reports "for noting" ----------------------------------------------


def _submitted_screening(cast, title):
    plan_change = f.start(cast, title)
    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    return plan_change


def _draft_screening_saying_agree(cast, title):
    plan_change = f.start(cast, title)
    assessment_services.screening_save(screening=plan_change.screenings.get(), by=cast.officer,
                                       answers=f.answers(asks_agreement="yes"))
    return plan_change


@pytest.mark.parametrize("record, says", [
    (lambda cast: f.to_submitted(cast, "Full IIA in review"),
     "its screening requires a full Integrated Impact Assessment. Its Integrated Impact Assessment is "
     "“Submitted for review”, not signed off."),
    (lambda cast: _submitted_screening(cast, "Screening proposes a full IIA"),
     "its screening requires a full Integrated Impact Assessment. Its screening is “Screening awaiting review”"),
    (lambda cast: _draft_screening_saying_agree(cast, "Screening answers agree"),
     "its screening says it asks the board to agree something. Its screening is “Screening in progress”"),
])
def test_a_report_for_noting_is_held_back_when_the_screening_says_agree(cast, record, says):
    plan_change = record(cast)
    noting = report_for(cast, plan_change, decision_sought="note")
    reason = services.agenda_gate(noting)
    assert reason.startswith(f"It is marked for noting, but {says}")
    m = meeting(cast)
    item = services.agenda_add_report(meeting=m, report=noting, by=cast.clerk)
    with pytest.raises(RuleViolation) as error:
        services.meeting_publish(meeting=m, by=cast.clerk)
    assert list(error.value.errors) == [f"item-{item.pk}"]
    m.refresh_from_db()
    noting.refresh_from_db()
    assert m.status == MeetingStatus.DRAFT and noting.status == ReportStatus.ON_AGENDA and noting.number is None


def test_a_report_for_noting_cannot_join_a_published_agenda_by_the_side_door(cast, committed):
    signed = committed(signed_off, cast)
    m = meeting(cast)
    services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    noting = report_for(cast, f.to_submitted(cast, "Not signed off"), decision_sought="note")
    with pytest.raises(RuleViolation) as error:
        services.agenda_add_report(meeting=m, report=noting, by=cast.clerk)
    assert "cannot join a published agenda: It is marked for noting, but its screening requires" in str(error.value)
    noting.refresh_from_db()
    assert noting.status == ReportStatus.SUBMITTED and not m.items.filter(report=noting).exists()


def test_reports_for_noting_that_the_record_clears_still_pass(cast, committed):
    screened_out = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    overridden = committed(lambda: f.screen(cast, f.start(cast, "Agree, but no IIA"), full=True, decision="override"))
    signed = committed(signed_off, cast)
    unscreened = f.start(cast, "Screening not started")
    for plan_change in (screened_out, overridden, signed.plan_change, unscreened):
        assert services.agenda_gate(report_for(cast, plan_change, decision_sought="note")) == "", plan_change.title


# --- publishing late needs a reason ---------------------------------------------------------


def _ready(cast, committed, date):
    signed = committed(signed_off, cast)
    m = meeting(cast, date=date)
    report = report_for(cast, signed.plan_change)
    services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    return m, report


def test_publishing_later_than_the_period_without_a_reason_is_refused(cast, committed):
    m, report = _ready(cast, committed, days_ahead(5))  # the period is 7 days
    assert m.agenda_publication_date == days_ahead(-2) and m.publication_is_late
    for reason in ("", "   "):
        with pytest.raises(RuleViolation) as error:
            services.meeting_publish(meeting=m, by=cast.clerk, late_reason=reason)
        assert list(error.value.errors) == ["late_reason"]
        assert "was due by" in error.value.errors["late_reason"][0] and "say why it is published late" in str(error.value)
    m.refresh_from_db()
    report.refresh_from_db()
    assert m.status == MeetingStatus.DRAFT and not m.late_reason and report.number is None
    assert not AuditEvent.objects.filter(action="meeting.publish").exists()


def test_a_late_agenda_is_published_with_its_reason_kept_and_shown(cast, committed):
    m, report = _ready(cast, committed, days_ahead(5))
    committed(services.meeting_publish, meeting=m, by=cast.clerk, late_reason="The budget figures came late.")
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED and m.late_reason == "The budget figures came late."
    event = AuditEvent.objects.get(action="meeting.publish")
    assert event.data["late_reason"] == "The budget figures came late."
    assert "Published late, 5 days before the meeting" in event.message
    clerk, public = Client(), Client()
    clerk.force_login(cast.clerk)
    page = clerk.get(f"/meetings/{m.pk}/").content.decode()
    assert re.search(r"<dt>Why it was published late</dt><dd[^>]*>The budget figures came late.</dd>", page)
    assert "5 days before the meeting" in page
    public_page = public.get(f"/register/dundee/meetings/{m.pk}/").content.decode()
    assert "later than the committee's publication period" in public_page
    assert "The budget figures came late." in public_page
    api = public.get("/api/register/dundee/meetings/").json()
    assert api["results"][0]["late_reason"] == "The budget figures came late."
    pack = AgendaPack.objects.get(meeting=m)
    cover = " ".join(PdfReader(io.BytesIO(bytes(pack.pdf))).pages[0].extract_text().split())
    assert "published later than the committee's publication period. Why: The budget figures came late." in cover


def test_on_time_needs_no_reason_and_keeps_none(cast, committed):
    m, _ = _ready(cast, committed, days_ahead(7))  # due today: on time
    assert not m.publication_is_late
    committed(services.meeting_publish, meeting=m, by=cast.clerk, late_reason="Not needed.")
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED and m.late_reason == ""
    assert "Why" not in Client().get(f"/register/dundee/meetings/{m.pk}/").content.decode()


def test_late_is_counted_in_the_boards_days(cast, committed, monkeypatch):
    """23:30 UTC on a summer evening is already the next day in Dundee."""
    m, _ = _ready(cast, committed, datetime.date(2026, 7, 15))  # due by 8 July
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 7, 8, 22, 30, tzinfo=datetime.UTC))
    assert not m.publication_is_late  # 23:30 on 8 July in Dundee
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 7, 8, 23, 30, tzinfo=datetime.UTC))
    assert m.publication_is_late  # 00:30 on 9 July
    with pytest.raises(RuleViolation):
        services.meeting_publish(meeting=m, by=cast.clerk)


def test_the_page_asks_for_the_reason_only_when_late_and_shows_its_error_beside_the_field(cast, committed):
    clerk = Client()
    clerk.force_login(cast.clerk)
    on_time, _ = _ready(cast, committed, days_ahead(30))
    assert 'name="publish-late_reason"' not in clerk.get(f"/meetings/{on_time.pk}/").content.decode()
    late, _ = _ready(cast, committed, days_ahead(3))
    page = clerk.get(f"/meetings/{late.pk}/").content.decode()
    assert 'name="publish-late_reason"' in page and "Why is the agenda published late?" in page
    assert f"it was due by {days_ahead(-4):%-d %B %Y}" in page
    response = clerk.post(f"/meetings/{late.pk}/", {"action": "publish", "publish-late_reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    beside = re.search(r'id="id_publish-late_reason_error">(.*?)</div>', page, re.S)
    assert beside and "say why it is published late" in beside.group(1)
    assert re.search(r'<a href="#id_publish-late_reason">The agenda of this meeting was due by', page)
    late.refresh_from_db()
    assert late.status == MeetingStatus.DRAFT
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("reports.services.meetings.pack_request", lambda meeting: None)
        response = clerk.post(f"/meetings/{late.pk}/", {"action": "publish", "publish-late_reason": "Urgent item."})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == MeetingStatus.PUBLISHED and late.late_reason == "Urgent item."


def test_a_report_joining_a_published_agenda_late_needs_its_own_reason(cast, committed):
    m, _ = _ready(cast, committed, days_ahead(2))
    committed(services.meeting_publish, meeting=m, by=cast.clerk, late_reason="Rescheduled meeting.")
    later = report_for(cast, committed(signed_off, cast).plan_change)
    with pytest.raises(RuleViolation) as error:
        services.agenda_add_report(meeting=m, report=later, by=cast.clerk)
    assert list(error.value.errors) == ["late_reason"]
    clerk = Client()
    clerk.force_login(cast.clerk)
    page = clerk.post(f"/meetings/{m.pk}/", {"action": "add", "report": later.pk, "late_reason": ""}).content.decode()
    assert re.search(r'id="id_late_reason_error">.*?say why this report joins it late', page, re.S)
    committed(services.agenda_add_report, meeting=m, report=later, by=cast.clerk, late_reason="Urgent: care home closure.")
    item = m.items.get(report=later)
    assert item.late_reason == "Urgent: care home closure."
    assert "Added late: Urgent: care home closure." in AuditEvent.objects.filter(action="agenda.add").last().message
    public = Client().get(f"/register/dundee/meetings/{m.pk}/").content.decode()
    assert "Joined the published agenda late: <span class=\"pre\">Urgent: care home closure.</span>" in public


def test_a_report_joining_a_published_agenda_in_time_needs_no_reason(cast, committed):
    m, _ = _ready(cast, committed, days_ahead(30))
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    later = report_for(cast, committed(signed_off, cast).plan_change)
    services.agenda_add_report(meeting=m, report=later, by=cast.clerk)
    assert Report.objects.get(pk=later.pk).status == ReportStatus.PUBLISHED


# --- the committee's publication period keeps three clear days ------------------------------


def test_the_publication_period_keeps_three_clear_days(cast):
    ijb = committee()
    for days, allowed in ((3, False), (4, True), (7, True), (90, True), (91, False), (0, False)):
        ijb.publication_days = days
        if allowed:
            ijb.full_clean()
        else:
            with pytest.raises(ValidationError) as error:
                ijb.full_clean()
            assert "publication_days" in error.value.message_dict
    ijb.publication_days = 3
    with pytest.raises(ValidationError) as error:
        ijb.full_clean()
    assert "3 clear days" in error.value.message_dict["publication_days"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.filter(pk=ijb.pk).update(publication_days=3)


def test_the_admin_refuses_a_period_under_three_clear_days(db):
    ijb = committee()
    admin = get_user_model().objects.create_superuser("root", "root@example.org", f.PASSWORD)
    client = Client()
    client.force_login(admin)
    data = {"board": ijb.board_id, "kind": ijb.kind, "name": ijb.name, "report_prefix": ijb.report_prefix}
    page = client.post(f"/admin/reports/committee/{ijb.pk}/change/", {**data, "publication_days": "3"}).content.decode()
    assert "3 clear days" in page
    assert Committee.objects.get(pk=ijb.pk).publication_days == 7
    assert client.post(f"/admin/reports/committee/{ijb.pk}/change/", {**data, "publication_days": "10"}).status_code == 302
    ijb.refresh_from_db()
    assert ijb.publication_days == 10
    m = services.meeting_create(committee=ijb, by=f.Cast().clerk, date=days_ahead(9), venue="Chamber")
    assert m.agenda_publication_date == days_ahead(-1) and m.publication_is_late
