"""A new clerk, by visible labels only, from a report sent to them to its agenda published
(issue 19, item 3): from the home page, and through Meetings (the only way before the home
page listed the reports waiting). Each walk counts page visits and actions (clicks and
choices), the figure the note reports."""

import datetime
import re

import pytest
from django.utils import timezone

from reports import services as report_services
from reports.models import Committee, MeetingStatus, ReportStatus
from tests import factories as f
from tests.reports.helpers import signed_off

from .test_full_iia import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


class Walk:
    """Counts the page visits (the first page included) and the actions of a walk."""

    def __init__(self, page):
        self.page, self.visits, self.actions = page, 1, 0
        page.on("framenavigated", lambda frame: self._visited(frame))

    def _visited(self, frame):
        if frame == self.page.main_frame:
            self.visits += 1

    def click(self, locator):
        self.actions += 1
        locator.click()
        self.page.wait_for_load_state()

    def choose(self, locator, label):
        self.actions += 1
        locator.select_option(label=label)

    @property
    def steps(self) -> int:
        return self.visits + self.actions


def _sent_report_and_an_agenda():
    cast = f.Cast()
    plan_change = signed_off(cast).plan_change
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    meeting = report_services.meeting_create(committee=committee, by=cast.clerk, venue="Chamber",
                                             date=timezone.localdate() + datetime.timedelta(days=30))
    report = report_services.report_create(
        plan_change=plan_change, by=cast.officer, committee=committee, title="Equipment store evenings",
        report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R", direction_to="none")
    report_services.report_submit(report=report, by=cast.officer)
    return cast, meeting, report


def _add_and_publish(page, walk, report, *, chosen=False):
    select = page.get_by_label("Report waiting for a meeting")
    if chosen:  # the home page's link names its report: nothing to choose
        assert select.input_value() == str(report.pk)
    else:
        walk.choose(select, f"{report.title} ({report.plan_change.reference})")
    walk.click(page.get_by_role("button", name="Add to the agenda"))
    walk.click(page.get_by_role("button", name="Publish the agenda"))
    page.get_by_text("Agenda published.").wait_for()


def _published(meeting, report):
    meeting.refresh_from_db()
    report.refresh_from_db()
    return meeting.status == MeetingStatus.PUBLISHED and report.status == ReportStatus.PUBLISHED


def test_from_the_home_page_in_seven_steps(live_server, page):
    cast, meeting, report = _sent_report_and_an_agenda()
    sign_in(page, live_server.url, cast.clerk)  # the home page: visit 1
    walk = Walk(page)
    assert page.get_by_role("heading", name=re.compile("^Reports waiting for an agenda")).is_visible()
    walk.click(page.get_by_role("link", name=re.compile(f"^Add to the agenda of {meeting.date:%-d %B %Y}")))
    _add_and_publish(page, walk, report, chosen=True)
    assert _published(meeting, report)
    assert (walk.visits, walk.actions, walk.steps) == (4, 3, 7)


def test_through_meetings_in_ten_steps(live_server, page):
    cast, meeting, report = _sent_report_and_an_agenda()
    sign_in(page, live_server.url, cast.clerk)
    walk = Walk(page)
    walk.click(page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings"))
    walk.click(page.get_by_role("link", name=f"{meeting.date:%-d %B %Y}"))
    _add_and_publish(page, walk, report)
    assert _published(meeting, report)
    assert (walk.visits, walk.actions, walk.steps) == (5, 5, 10)
