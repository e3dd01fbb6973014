"""A clerk builds an agenda and publishes it, in a real browser."""

import datetime
import re

import pytest

from reports import services as reporting
from reports.models import AgendaPack, Committee, Meeting
from tests import factories as f
from tests.reports.helpers import signed_off

from .test_full_iia import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_clerk_builds_and_publishes_an_agenda(live_server, page):
    base = live_server.url
    cast = f.Cast()
    assessment = signed_off(cast)  # committed for real here, so its signed PDF is produced
    report = reporting.report_create(
        plan_change=assessment.plan_change, by=cast.officer, committee=Committee.objects.get(board__slug="dundee", kind="ijb"),
        title="Evening opening of the equipment store", report_by="Chief Officer", decision_sought="agree",
        purpose="To agree evening opening.", recommendations="Agree evening opening.", direction_to="none")
    reporting.report_submit(report=report, by=cast.officer)
    date = datetime.date.today() + datetime.timedelta(days=30)

    sign_in(page, base, cast.clerk)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Date").fill(date.isoformat())
    page.get_by_label("Held remotely").check()
    page.get_by_role("button", name="Create the meeting").click()
    page.get_by_text("Meeting created with its standing items").wait_for()
    page.get_by_label("Report waiting for a meeting").select_option(str(report.pk))
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_text("Report added to the agenda").wait_for()
    page.locator("button", has_text="Up: item 5").wait_for()
    assert page.locator("button", has_text="Down: item 5").count() == 0  # the last item cannot go down
    page.locator("button", has_text="Up: item 5").click()  # reorder: the report becomes item 4
    page.get_by_role("button", name="Publish the agenda").click()
    page.get_by_text("Agenda published.").wait_for()
    page.get_by_role("link", name="Download the agenda pack").wait_for(timeout=60000)
    shot(page, "05-meeting-published")
    meeting = Meeting.objects.get()
    item = meeting.items.get(report=report)
    assert item.position == 4 and meeting.status == "published"
    report.refresh_from_db()
    assert report.number == f"DIJB1-{date.year}"
    pack = AgendaPack.objects.get(meeting=meeting)
    assert pack.status == "ready" and pack.item_pages[str(item.pk)] >= 3

    # the meeting takes place: decisions are recorded once it has started
    page.get_by_text("Record its decisions here once it has started").wait_for()
    Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date.today() - datetime.timedelta(days=1))
    page.reload()
    page.locator(f"input[name='d{item.pk}-decision'][value='agreed']").check()
    page.locator("button", has_text="Record the decision on item 4").click()
    page.get_by_text("Decision recorded for item 4").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == "held"

    # the public can now find it on the register
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/register/dundee/")
    page.get_by_text(assessment.plan_change.title).first.wait_for()
    # the visually hidden part of a link's name is announced with a space before it
    page.get_by_role("link", name=re.compile(rf"Read it\s*: {re.escape(assessment.plan_change.title)}")).click()
    page.get_by_role("heading", level=1).filter(has_text="Integrated Impact Assessment").wait_for()
