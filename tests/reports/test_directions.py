"""The register of directions (2014 Act ss.26-27): issued when the board agrees the
report, referenced per board and year, varied or revoked by a later direction of the
same board only, reminded once before review, and published per board."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent
from reports import services
from reports.models import AgendaItem, Direction, DirectionEffect, DirectionStatus
from tests import factories as f
from workflows import reminders
from workflows.models import ReminderPolicy

from .test_meetings import committee

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REVIEW = TODAY + datetime.timedelta(days=200)


def proposed(cast, *, effect=DirectionEffect.NEW, earlier=None, review_date=REVIEW, title="Care at home",
             direction_to="council"):
    """A screened-out plan change's report, with one direction, sent to the clerk."""
    plan_change = f.screen(cast, f.start(cast, title=title), full=False)
    report = services.report_create(
        plan_change=plan_change, by=cast.officer, committee=committee(board=cast.board_slug), title=f"Report: {title}",
        report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="Agree it.",
        direction_to=direction_to,
        directions=[services.DirectionInput(functions=f"{title} services", budget="£1m", text=f"Deliver {title}.",
                                            review_date=review_date, effect=effect,
                                            earlier_id=earlier.pk if earlier else None)])
    return services.report_submit(report=report, by=cast.officer)


def on_agenda(cast, report, committed, *, days_ago=1) -> AgendaItem:
    """The report on a published agenda of a meeting held ``days_ago``."""
    m = services.meeting_create(committee=committee(board=cast.board_slug), by=cast.clerk,
                                date=TODAY + datetime.timedelta(days=60), venue="Council Chamber")
    item = services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    m.date = TODAY - datetime.timedelta(days=days_ago)
    type(m).objects.filter(pk=m.pk).update(date=m.date)
    item.refresh_from_db()
    return item


def issued(cast, committed, **kwargs) -> Direction:
    """A direction issued by the board agreeing its report."""
    report = proposed(cast, **kwargs)
    item = on_agenda(cast, report, committed)
    services.item_decide(item=item, by=cast.clerk, decision="agreed")
    return Direction.objects.get(report=report)


def test_agreeing_a_report_issues_its_direction_with_the_next_reference_of_the_board_and_year(cast, committed):
    first = issued(cast, committed, title="Care at home")
    second = issued(cast, committed, title="Day care")
    year = TODAY.year
    assert (first.reference, second.reference) == (f"DIJB-D-{year}-001", f"DIJB-D-{year}-002")
    assert first.status == DirectionStatus.CURRENT and first.issued_on == TODAY and first.issued_by == cast.clerk
    assert first.decision.report_id == first.report_id and first.decision.decision == "agreed"
    event = AuditEvent.objects.get(action="direction.issue", data__direction=first.pk)
    assert event.to_state == "current" and first.reference in event.message


def test_references_run_per_board_and_year(cast):
    from assessments.models import Board

    dundee, borders = Board.objects.get(slug="dundee"), Board.objects.get(slug="scottish-borders")
    with transaction.atomic():
        got = [services.direction_reference_allocate(board_id=b.pk, year=y)[0]
               for b, y in ((dundee, 2027), (dundee, 2027), (borders, 2027), (dundee, 2028), (dundee, 2027))]
    assert got == ["DIJB-D-2027-001", "DIJB-D-2027-002", "SBIJB-D-2027-001", "DIJB-D-2028-001", "DIJB-D-2027-003"]


@pytest.mark.parametrize("decision", ["noted", "remitted"])
def test_noting_or_remitting_the_report_issues_nothing(cast, committed, decision):
    report = proposed(cast)
    item = on_agenda(cast, report, committed)
    services.item_decide(item=item, by=cast.clerk, decision=decision, text="Back to the officer.")
    direction = report.directions.get()
    assert direction.status == DirectionStatus.PROPOSED and direction.reference is None


def test_agreed_as_amended_issues_the_direction_too(cast, committed):
    report = proposed(cast)
    item = on_agenda(cast, report, committed)
    services.item_decide(item=item, by=cast.clerk, decision="amended", text="Phase it.")
    assert report.directions.get().status == DirectionStatus.CURRENT


@pytest.mark.parametrize(("effect", "status", "action"), [("varies", "varied", "direction.vary"),
                                                          ("revokes", "revoked", "direction.revoke")])
def test_a_later_direction_varies_or_revokes_the_earlier_one(cast, committed, effect, status, action):
    earlier = issued(cast, committed, title="Care at home")
    later = issued(cast, committed, title="Care at home again", effect=effect, earlier=earlier)
    earlier.refresh_from_db()
    assert later.status == DirectionStatus.CURRENT and later.earlier == earlier
    assert earlier.status == status
    event = AuditEvent.objects.get(action=action)
    assert (event.from_state, event.to_state) == ("current", status)
    assert earlier.reference in event.message and later.reference in event.message


def test_a_varied_or_revoked_direction_cannot_be_varied_again(cast, committed):
    earlier = issued(cast, committed, title="Care at home")
    issued(cast, committed, title="Care at home again", effect="revokes", earlier=earlier)
    with pytest.raises(RuleViolation) as refused:
        proposed(cast, title="Third time", effect="varies", earlier=earlier)
    assert "revoked, not current" in str(refused.value)


def test_a_direction_varied_meanwhile_refuses_the_decision_and_changes_nothing(cast, committed):
    earlier = issued(cast, committed, title="Care at home")
    first = proposed(cast, title="First variation", effect="varies", earlier=earlier)
    second = proposed(cast, title="Second variation", effect="varies", earlier=earlier)
    first_item, second_item = on_agenda(cast, first, committed), on_agenda(cast, second, committed)
    services.item_decide(item=first_item, by=cast.clerk, decision="agreed")
    with pytest.raises(RuleViolation) as refused:
        services.item_decide(item=second_item, by=cast.clerk, decision="agreed")
    assert f"Direction {earlier.reference} is varied, not current" in str(refused.value)
    second_item.refresh_from_db()
    assert second_item.decision == "" and second.directions.get().status == DirectionStatus.PROPOSED
    earlier.refresh_from_db()
    assert earlier.later.get(status="current").report == first


def test_another_boards_direction_cannot_be_varied(cast, borders, committed):
    dundee_direction = issued(cast, committed)
    with pytest.raises(RuleViolation) as refused:
        proposed(borders, effect="varies", earlier=dundee_direction)
    assert "Choose an earlier direction of this board." in str(refused.value)
    # nor at issue, should a row say otherwise
    report = proposed(borders)
    Direction.objects.filter(report=report).update(effect="varies", earlier=dundee_direction)
    item = on_agenda(borders, report, committed)
    with pytest.raises(RuleViolation):
        services.item_decide(item=item, by=borders.clerk, decision="agreed")
    dundee_direction.refresh_from_db()
    assert dundee_direction.status == DirectionStatus.CURRENT


def test_a_direction_never_varies_itself(cast, committed):
    direction = issued(cast, committed)
    assert services.earlier_direction_problem(board_id=direction.report.board_id, effect="varies", earlier=direction,
                                              direction=direction) == "A direction cannot vary or revoke itself."
    with pytest.raises(IntegrityError), transaction.atomic():
        Direction.objects.filter(pk=direction.pk).update(effect="varies", earlier=direction)
    with pytest.raises(IntegrityError), transaction.atomic():  # varies, but says not what
        Direction.objects.filter(pk=direction.pk).update(effect="varies")


def test_dates_in_the_wrong_order_are_refused(cast, committed):
    with pytest.raises(RuleViolation) as refused:
        proposed(cast, review_date=TODAY - datetime.timedelta(days=1))
    assert "review date must be after today" in str(refused.value)
    with pytest.raises(RuleViolation) as refused:  # a direction outliving the strategic plan
        proposed(cast, review_date=datetime.date(9999, 12, 31))
    assert "review date must be within three years" in str(refused.value)
    report = proposed(cast, review_date=TODAY + datetime.timedelta(days=3))
    item = on_agenda(cast, report, committed)
    AgendaItem.objects.filter(pk=item.pk).update(decision="agreed")
    item.refresh_from_db()
    direction = report.directions.get()
    with pytest.raises(RuleViolation) as refused:  # before the meeting that agreed it
        services.direction_issue(direction=direction, item=item, by=cast.clerk,
                                 issued_on=item.meeting.date - datetime.timedelta(days=1))
    assert "cannot be issued before the meeting" in str(refused.value)
    with pytest.raises(RuleViolation) as refused:  # on or after its review date
        services.direction_issue(direction=direction, item=item, by=cast.clerk,
                                 issued_on=TODAY + datetime.timedelta(days=3))
    assert "must come after its issue date" in str(refused.value)
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.PROPOSED and direction.reference is None


def test_the_review_reminder_goes_once_to_the_clerks_and_senior_officers(cast, committed):
    for person in (cast.officer, cast.clerk, cast.senior):
        person.email = f"{person.username}@example.org"
        person.save()
    direction = issued(cast, committed, review_date=TODAY + datetime.timedelta(days=40))
    ReminderPolicy.objects.get_or_create(board=direction.report.board)  # 30 days' notice
    assert reminders.reminders_send(today=TODAY)["direction_review"] == 0  # not yet due
    mail.outbox.clear()
    day = TODAY + datetime.timedelta(days=15)
    assert reminders.reminders_send(today=day)["direction_review"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.clerk.email, cast.senior.email])
    assert direction.reference in mail.outbox[0].subject
    assert f"/register/dundee/directions/#{direction.reference}" in mail.outbox[0].body
    assert reminders.reminders_send(today=day + datetime.timedelta(days=1))["direction_review"] == 0
    assert len(mail.outbox) == 2


def test_a_varied_direction_is_not_reminded(cast, committed):
    cast.clerk.email = "clerk@example.org"
    cast.clerk.save()
    earlier = issued(cast, committed, review_date=TODAY + datetime.timedelta(days=10))
    issued(cast, committed, title="Again", effect="varies", earlier=earlier)
    due = reminders.reminders_due(today=TODAY)
    assert [r.object_id for r in due if r.kind == "direction_review"] == []


def test_the_public_register_of_directions(cast, borders, committed):
    earlier = issued(cast, committed, title="Care at home")
    later = issued(cast, committed, title="Care at home again", effect="varies", earlier=earlier)
    not_yet = proposed(cast, title="Not yet agreed")
    borders_direction = issued(borders, committed, title="Borders day care")
    page = Client().get("/register/dundee/directions/").content.decode()
    assert f'id="{earlier.reference}"' in page and f'id="{later.reference}"' in page
    assert f'Varied by <a href="#{later.reference}">{later.reference}</a>' in page
    assert f'Varies direction <a href="#{earlier.reference}">{earlier.reference}</a>' in page
    assert f'/register/dundee/reports/{later.report.number}/' in page
    assert f'/register/dundee/meetings/{later.decision.meeting_id}/' in page
    assert "Deliver Care at home again." in page and "The council" in page
    assert "Not yet agreed" not in page and not_yet.directions.get().reference is None
    assert borders_direction.reference not in page and "Borders day care" not in page
    assert "<form" not in page.split("<main", 1)[1]  # stored records, nothing to edit
    other = Client().get("/register/scottish-borders/directions/").content.decode()
    assert borders_direction.reference in other and earlier.reference not in other
    assert Client().get("/register/nowhere/directions/").status_code == 404
    report_page = Client().get(f"/register/dundee/reports/{later.report.number}/").content.decode()
    assert f"Direction {later.reference}" in report_page and f"#{earlier.reference}" in report_page


def test_the_register_of_directions_in_the_api_without_signing_in(cast, borders, committed):
    """``/api/register/<board>/directions/``: the same issued directions as the page, newest
    first, each with what it varies and what varied it; nothing proposed, nothing of another
    board; the queries do not grow with the directions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    earlier = issued(cast, committed, title="Care at home")
    with CaptureQueriesContext(connection) as one:
        assert Client().get("/api/register/dundee/directions/").status_code == 200
    later = issued(cast, committed, title="Care at home again", effect="varies", earlier=earlier)
    proposed(cast, title="Not yet agreed")
    issued(borders, committed, title="Borders day care")
    with CaptureQueriesContext(connection) as two:
        response = Client().get("/api/register/dundee/directions/")
    assert len(two) == len(one)
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["reference"], first["status"], first["varies_or_revokes"], first["changed_by"]) == (
        later.reference, "current", earlier.reference, [])
    assert (second["reference"], second["status"], second["varies_or_revokes"], second["changed_by"]) == (
        earlier.reference, "varied", None, [later.reference])
    assert first["text"] == "Deliver Care at home again." and first["recipients"] == "council"
    assert first["report_number"] == later.report.number and first["decision"] == "agreed"
    assert first["meeting"] == later.decision.meeting_id and first["review_date"] == REVIEW.isoformat()
    assert Client().get("/api/register/nowhere/directions/").status_code == 404


def test_the_report_form_offers_only_the_boards_current_directions(cast, borders, committed):
    earlier = issued(cast, committed, title="Care at home")
    theirs = issued(borders, committed, title="Borders day care")
    client = Client()
    client.force_login(cast.officer)
    url = f"/plan-changes/{f.start(cast).pk}/reports/new/"
    page = client.get(url).content.decode()
    assert f'value="{earlier.pk}"' in page and theirs.reference not in page
    data = {"committee": committee().pk, "title": "A report", "report_by": "Chief Officer",
            "decision_sought": "agree", "purpose": "Purpose.", "recommendations": "One", "direction_to": "council",
            "dir-TOTAL_FORMS": "1", "dir-INITIAL_FORMS": "0", "dir-0-functions": "Care", "dir-0-budget": "£1",
            "dir-0-text": "Do it.", "dir-0-review_date": REVIEW.isoformat(), "dir-0-effect": "varies"}
    for strange in (str(theirs.pk), "99999999999999999999", "x" * 500, ""):
        response = client.post(url, {**data, "dir-0-earlier": strange})
        assert response.status_code == 200, strange
    response = client.post(url, {**data, "dir-0-effect": "sideways", "dir-0-earlier": earlier.pk})
    assert response.status_code == 200
    assert client.post(url, {**data, "dir-0-earlier": earlier.pk}).status_code == 302
    direction = Direction.objects.get(report__title="A report")
    assert (direction.effect, direction.earlier) == ("varies", earlier)


def test_the_clerk_is_told_which_directions_the_decision_issued(cast, committed):
    report = proposed(cast)
    item = on_agenda(cast, report, committed)
    client = Client()
    client.force_login(cast.clerk)
    response = client.post(f"/agenda-items/{item.pk}/decision/", {f"d{item.pk}-decision": "agreed",
                                                                   f"d{item.pk}-text": ""}, follow=True)
    reference = Direction.objects.get(report=report).reference
    assert f"Issued direction {reference}: now on the board" in response.content.decode()
