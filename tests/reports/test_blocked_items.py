"""A blocked agenda item (its assessment not cleared in time): "Move to a later meeting" and
"Remind the lead officer" beside "Remove", for the clerk of the board only."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent
from reports import services
from reports.models import AgendaItem, Meeting, ReportStatus
from tests import factories as f

from .test_meetings import NEXT_YEAR, committee, meeting, report_for

pytestmark = pytest.mark.django_db

SOON = datetime.date(NEXT_YEAR, 3, 4)
LATER = datetime.date(NEXT_YEAR, 4, 1)


def blocked_item(cast, title="Close day centre"):
    """A report whose assessment is not signed off, on the draft agenda of a meeting."""
    plan_change = f.start(cast, title)
    report = report_for(cast, plan_change)
    m = meeting(cast, SOON)
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    assert services.meeting_gate(m)  # blocked
    return item


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, item, **data):
    return client.post(f"/meetings/{item.meeting_id}/", {"item": str(item.pk), **data})


# --- the page ---------------------------------------------------------------------------------


def test_a_blocked_item_offers_move_and_remind_beside_remove(cast):
    item = blocked_item(cast)
    later = meeting(cast, LATER)
    page = client_for(cast.clerk).get(f"/meetings/{item.meeting_id}/").content.decode()
    assert "Move to a later meeting" in page and "Remind the lead officer" in page and ">Remove<" in page
    assert f'<option value="{later.pk}">' in page
    # a lead officer sees the agenda but none of the clerk's actions
    page = client_for(cast.officer).get(f"/meetings/{item.meeting_id}/").content.decode()
    assert "Move to a later meeting" not in page and "Remind the lead officer" not in page


def test_without_a_later_meeting_the_page_says_to_create_one(cast):
    item = blocked_item(cast)
    page = client_for(cast.clerk).get(f"/meetings/{item.meeting_id}/").content.decode()
    assert "No later meeting of this committee has a draft agenda" in page
    assert "Remind the lead officer" in page


# --- move to a later meeting ------------------------------------------------------------------


def test_move_to_a_later_meeting_moves_the_item_renumbers_and_audits(cast):
    item = blocked_item(cast)
    source = item.meeting
    later = meeting(cast, LATER)
    response = post(client_for(cast.clerk), item, action="move_later", meeting=str(later.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.meeting_id == later.pk and item.position == 5  # after the four standing items
    assert [i.position for i in source.items.order_by("position")] == [1, 2, 3, 4]
    assert item.report.status == ReportStatus.ON_AGENDA
    event = AuditEvent.objects.get(action="agenda.move_later")
    assert event.actor == cast.clerk and event.plan_change_id == item.report.plan_change_id
    assert source.title in event.message and later.title in event.message
    assert event.data == {"from_meeting": source.pk, "to_meeting": later.pk}


def test_a_meeting_in_the_past_or_not_later_is_refused(cast):
    item = blocked_item(cast)
    earlier = meeting(cast, SOON - datetime.timedelta(days=7))
    with pytest.raises(RuleViolation, match="later than this one"):
        services.agenda_item_move_later(item=item, to=earlier, by=cast.clerk)
    past = meeting(cast, LATER)
    Meeting.objects.filter(pk=past.pk).update(date=datetime.date.today() - datetime.timedelta(days=3))
    Meeting.objects.filter(pk=item.meeting_id).update(date=datetime.date.today() - datetime.timedelta(days=10))
    item.refresh_from_db()
    past.refresh_from_db()
    with pytest.raises(RuleViolation, match="not in the past"):
        services.agenda_item_move_later(item=item, to=past, by=cast.clerk)
    item.refresh_from_db()
    assert item.meeting_id != past.pk
    assert not AuditEvent.objects.filter(action="agenda.move_later").exists()


def test_another_committees_or_published_meeting_is_refused(cast):
    item = blocked_item(cast)
    other_committee = meeting(cast, LATER, kind="pac")
    with pytest.raises(RuleViolation, match="same committee"):
        services.agenda_item_move_later(item=item, to=other_committee, by=cast.clerk)
    published = meeting(cast, LATER)
    Meeting.objects.filter(pk=published.pk).update(status="published")
    published.refresh_from_db()
    with pytest.raises(RuleViolation, match="not yet published"):
        services.agenda_item_move_later(item=item, to=published, by=cast.clerk)


def test_another_boards_meeting_is_refused_over_http_and_by_the_service(cast, borders):
    item = blocked_item(cast)
    theirs = services.meeting_create(committee=committee("ijb", "scottish-borders"), by=borders.clerk, date=LATER,
                                     venue="Council Chamber")
    response = post(client_for(cast.clerk), item, action="move_later", meeting=str(theirs.pk))
    assert response.status_code == 200 and "Choose a later meeting of the same committee." in response.content.decode()
    with pytest.raises(RuleViolation, match="same committee"):
        services.agenda_item_move_later(item=item, to=theirs, by=cast.clerk)
    item.refresh_from_db()
    assert item.meeting_id != theirs.pk


def test_only_the_boards_clerk_may_move_or_remind(cast, borders):
    item = blocked_item(cast)
    later = meeting(cast, LATER)
    for person in (cast.officer, cast.lead, cast.senior):
        assert post(client_for(person), item, action="move_later", meeting=str(later.pk)).status_code == 403
        assert post(client_for(person), item, action="remind").status_code == 403
        with pytest.raises(NotAllowed):
            services.agenda_item_move_later(item=item, to=later, by=person)
        with pytest.raises(NotAllowed):
            services.agenda_item_remind(item=item, by=person)
    # another board's clerk does not see the meeting at all
    assert post(client_for(borders.clerk), item, action="move_later", meeting=str(later.pk)).status_code == 404
    assert post(client_for(borders.clerk), item, action="remind").status_code == 404
    with pytest.raises(NotAllowed):
        services.agenda_item_remind(item=item, by=borders.clerk)
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.meeting_id != later.pk


def test_strange_input_is_a_clear_answer_never_a_500(cast):
    item = blocked_item(cast)
    client = client_for(cast.clerk)
    for meeting_id in ("", "abc", "99999999999999999999", "-1", "²"):
        response = post(client, item, action="move_later", meeting=meeting_id)
        assert response.status_code == 200, meeting_id
        assert "Choose a later meeting of the same committee." in response.content.decode()
    response = client.post(f"/meetings/{item.meeting_id}/", {"item": "99999999999999999999", "action": "remind"})
    assert response.status_code == 404


def test_a_standing_item_cannot_be_moved_or_reminded(cast):
    item = blocked_item(cast)
    standing = AgendaItem.objects.get(meeting=item.meeting, position=1)
    later = meeting(cast, LATER)
    with pytest.raises(RuleViolation, match="Only a report"):
        services.agenda_item_move_later(item=standing, to=later, by=cast.clerk)
    with pytest.raises(RuleViolation, match="Only a report"):
        services.agenda_item_remind(item=standing, by=cast.clerk)


# --- remind the lead officer ------------------------------------------------------------------


def test_remind_emails_the_lead_officer_after_commit_audits_and_waits_a_day(cast, committed, monkeypatch):
    cast.officer.email = "lead.officer@example.org"
    cast.officer.save()
    item = blocked_item(cast)
    client = client_for(cast.clerk)
    with_commit = committed(post, client, item, action="remind")
    assert with_commit.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["lead.officer@example.org"]
    assert item.report.title in message.subject
    assert services.agenda_gate(item.report) in message.body and item.meeting.title in message.body
    event = AuditEvent.objects.get(action="agenda.remind")
    assert event.actor == cast.clerk and event.plan_change_id == item.report.plan_change_id
    # a second reminder the same day is refused, and says when the next may go
    response = committed(post, client, item, action="remind")
    assert response.status_code == 200
    assert "was reminded on" in response.content.decode() and "you can remind them again" in response.content.decode()
    assert len(mail.outbox) == 1 and AuditEvent.objects.filter(action="agenda.remind").count() == 1
    # a day later it may go again
    monkeypatch.setattr("reports.services.agenda_items._now",
                        lambda: event.at + datetime.timedelta(days=1, minutes=1))
    assert committed(post, client, item, action="remind").status_code == 302
    assert len(mail.outbox) == 2


def test_no_email_goes_before_the_reminder_commits(cast, django_capture_on_commit_callbacks):
    cast.officer.email = "lead.officer@example.org"
    cast.officer.save()
    item = blocked_item(cast)
    with django_capture_on_commit_callbacks() as callbacks:
        services.agenda_item_remind(item=item, by=cast.clerk)
    assert mail.outbox == [] and len(callbacks) == 1  # sent only once the change commits


def test_a_lead_officer_without_an_email_address_is_named(cast):
    cast.officer.email = ""
    cast.officer.save()
    item = blocked_item(cast)
    with pytest.raises(RuleViolation, match="has no email address"):
        services.agenda_item_remind(item=item, by=cast.clerk)
    assert not AuditEvent.objects.filter(action="agenda.remind").exists()


def test_a_cleared_item_has_nothing_to_remind(cast, monkeypatch):
    item = blocked_item(cast)
    monkeypatch.setattr("reports.services.agenda_items.agenda_gate", lambda report: "")
    with pytest.raises(RuleViolation, match="is cleared"):
        services.agenda_item_remind(item=item, by=cast.clerk)


def test_a_refused_move_is_shown_beside_the_choice_of_meeting_and_in_the_summary(cast):
    item = blocked_item(cast)
    later = meeting(cast, LATER)
    earlier = meeting(cast, SOON - datetime.timedelta(days=7))
    response = post(client_for(cast.clerk), item, action="move_later", meeting=str(earlier.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert (f'<select id="later-{item.pk}" name="meeting" aria-invalid="true" '
            f'aria-describedby="later-{item.pk}_error">') in page
    assert f'<div class="error-message" id="later-{item.pk}_error">' in page
    assert f'<a href="#later-{item.pk}">Choose a meeting later than this one' in page  # the error summary
    assert f'<option value="{later.pk}">' in page
    item.refresh_from_db()
    assert item.meeting_id == item.meeting.pk != earlier.pk
