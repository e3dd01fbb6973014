"""The equality lead's review, the senior officer's sign-off and the clerk's agenda with the
keyboard alone, as the officer's assessment is in test_keyboard.py: after the sign-in page
(the only page.goto) only Tab, Shift+Tab, Space, Enter, the arrow keys (in radio groups and
closed selects) and typing. Every focus stop used has a focus indicator of at least 3:1
(``contrast.assert_focus_visible``), and axe-core finds nothing on every page the journey
passes through. What came before each journey is set up through the services.

One browser (the session's) and one browser context for the module, its cookies cleared
between tests."""

import datetime

import pytest

from assessments.models import AssessmentState
from reports import services as reporting
from reports.models import AgendaPack, Committee, Meeting
from tests import factories as f
from tests.reports.helpers import signed_off

from .axe import axe_violations, describe
from .contrast import assert_focus_visible
from .test_keyboard import choose_option, fill_form, focused, labelled, tab_to, type_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture(scope="module")
def context(browser):
    # bypass_csp: axe-core is injected as a script (as in test_axe.py)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def page(context):
    context.clear_cookies()
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    page.close()


def axe_clean(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core at {page.url}:\n{describe(violations)}"


def sign_in(page, base, person):
    """The sign-in page puts focus on the user name; the password, then Enter."""
    page.goto(f"{base}/accounts/login/")
    assert focused(page)["label"] == "Username"
    axe_clean(page)
    page.keyboard.type(person.username)
    assert_focus_visible(page, "on the user name")
    tab_to(page, labelled("Password"))
    page.keyboard.type(f.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", level=1).first.wait_for()


def go(page, wanted, what: str, key="Enter"):
    """Tab to the link or button ``wanted`` picks, check its focus indicator, press Enter and
    check the next page with axe-core."""
    tab_to(page, wanted)
    assert_focus_visible(page, what)
    with page.expect_navigation():
        page.keyboard.press(key)
    page.get_by_role("heading", level=1).first.wait_for()
    axe_clean(page)


def link(text: str, *, containing: str = ""):
    return lambda e: e["tag"] == "a" and e["text"].startswith(text) and containing in e["text"]


def button(text: str):
    return lambda e: e["tag"] == "button" and e["text"] == text


def claim_from_the_queue(page, task: str, reference: str):
    """The Queue in the navigation, the task's Claim link, then Claim the task: the task opens."""
    go(page, link("Queue"), "on the Queue link")
    go(page, link("Claim", containing=reference), f"on the Claim link of {reference}")
    go(page, button("Claim the task"), "on the Claim the task button")
    page.get_by_text(f"You have claimed this task: {task}").wait_for()


def to_the_decision(page):
    """The decision page's own link past the assessment's summary to the decision form."""
    tab_to(page, link("Go to your decision"))
    assert_focus_visible(page, "on Go to your decision")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "decision"


def choose_radio(page, now: dict, value: str):
    """In a radio group the arrow keys move and select; Space selects the first one reached."""
    for _ in range(10):
        if now["value"] == value:
            if not now["checked"]:
                page.keyboard.press("Space")
            assert focused(page)["checked"]
            return
        page.keyboard.press("ArrowDown")
        now = focused(page)
    raise AssertionError(f"{now['name']}: no choice {value}")


def record_the_decision(page, then: str):
    assert_focus_visible(page, "on Record the decision")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text(then).first.wait_for()
    axe_clean(page)


def test_equality_lead_approves_one_and_returns_another_with_the_keyboard(live_server, page):
    cast = f.Cast()
    f.plan()
    approved = f.to_submitted(cast, "Evening opening of the equipment store")
    returned = f.to_submitted(cast, "Weekend day centre hours")
    sign_in(page, live_server.url, cast.lead)

    # approve, with a risk level and comments
    claim_from_the_queue(page, "Review the IIA", approved.reference)
    to_the_decision(page)

    def approve(now):
        if now["name"] == "decision":
            choose_radio(page, now, "approve")
        elif now["name"] == "risk_level":
            choose_radio(page, now, "medium")
        elif now["name"] == "comments":
            page.keyboard.type("Good evidence from the carers' survey.")
            assert_focus_visible(page, "on the comments")

    fill_form(page, approve, "Record the decision")
    record_the_decision(page, "IIA approved. It now goes to a senior officer for sign-off.")
    assessment = f.current(approved)
    assert assessment.state == AssessmentState.APPROVED and assessment.risk_level == "medium"

    # return with comments: first without choosing a part, to meet the error summary
    claim_from_the_queue(page, "Review the IIA", returned.reference)
    to_the_decision(page)

    def return_without_parts(now):
        if now["name"] == "decision":
            choose_radio(page, now, "return")
        elif now["name"] == "comments":
            page.keyboard.type("Say more about the effect on carers.")

    fill_form(page, return_without_parts, "Record the decision")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    axe_clean(page)
    # focus on the summary, even though the form was sent from the #decision link's target
    assert page.evaluate("() => document.activeElement.matches('.error-summary')"), focused(page)
    assert_focus_visible(page, "on the error summary")
    tab_to(page, link("Choose the parts the officer must change."))
    assert_focus_visible(page, "on the error summary's link")
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "parts", "the error's link does not move focus to the parts"
    page.keyboard.press("Shift+Tab")  # back before the parts, so the form is walked from there

    def choose_the_part(now):
        if now["name"] == "parts" and now["value"] == "equality" and not now["checked"]:
            page.keyboard.press("Space")
            assert focused(page)["checked"]
        elif now["name"] == "comments":
            assert now["value"] == "Say more about the effect on carers.", "the comments were lost"

    fill_form(page, choose_the_part, "Record the decision")
    record_the_decision(page, "IIA returned to the officer with your comments.")
    assessment = f.current(returned)
    assert assessment.state == AssessmentState.RETURNED
    assert assessment.return_comments == "Say more about the effect on carers." and "equality" in assessment.rework_parts


def test_senior_officer_signs_off_with_the_keyboard(live_server, page):
    cast = f.Cast()
    f.plan()
    plan_change = f.to_submitted(cast, "Evening opening of the equipment store")
    f.approve(cast, plan_change)
    sign_in(page, live_server.url, cast.senior)

    claim_from_the_queue(page, "Sign off the IIA", plan_change.reference)
    page.get_by_role("heading", name="Declaration").wait_for()
    to_the_decision(page)

    def sign(now):
        if now["name"] == "decision":
            choose_radio(page, now, "sign_off")
        elif now["name"] == "comments":
            page.keyboard.type("Signed off for the March board.")

    fill_form(page, sign, "Record the decision")
    record_the_decision(page, "IIA signed off. It is now locked; any change needs a new version.")
    assessment = f.current(plan_change)
    assert assessment.state == AssessmentState.SIGNED_OFF and assessment.signed_off_by == cast.senior


def test_clerk_creates_a_meeting_adds_a_report_and_publishes_the_agenda_with_the_keyboard(live_server, page):
    cast = f.Cast()
    assessment = signed_off(cast)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    report = reporting.report_create(
        plan_change=assessment.plan_change, by=cast.officer, committee=committee,
        title="Evening opening of the equipment store", report_by="Chief Officer", decision_sought="agree",
        purpose="To agree evening opening.", recommendations="Agree evening opening.", direction_to="none")
    reporting.report_submit(report=report, by=cast.officer)
    date = datetime.date.today() + datetime.timedelta(days=40)
    sign_in(page, live_server.url, cast.clerk)

    go(page, link("Meetings"), "on the Meetings link")
    go(page, link("New meeting"), "on the New meeting link")
    choose_option(page, "Committee", str(committee.pk))
    type_date(page, "Date", date.isoformat())
    assert_focus_visible(page, "on the date")
    now = tab_to(page, labelled("Held remotely"))
    page.keyboard.press("Space")
    assert focused(page)["checked"] and now["type"] == "checkbox"
    go(page, button("Create the meeting"), "on Create the meeting")
    page.get_by_text("Meeting created with its standing items").wait_for()

    # the agenda's table scrolls in a region that takes focus
    tab_to(page, lambda e: e["tag"] == "div" and page.evaluate("() => document.activeElement.matches('.table-wrap')"))
    assert_focus_visible(page, "on the agenda's table region")
    choose_option(page, "Report waiting for a meeting", str(report.pk))
    go(page, button("Add to the agenda"), "on Add to the agenda")
    page.get_by_text("Report added to the agenda").wait_for()

    go(page, button("Publish the agenda"), "on Publish the agenda")
    page.get_by_text("Agenda published.").wait_for()
    # the pack builds in the background; the page reloads itself once it is ready
    page.get_by_role("link", name="Download the agenda pack").wait_for(timeout=60000)
    axe_clean(page)
    tab_to(page, link("Download the agenda pack"))
    assert_focus_visible(page, "on Download the agenda pack")

    meeting = Meeting.objects.get()
    assert meeting.status == "published" and meeting.committee == committee and meeting.date == date
    assert meeting.items.filter(report=report).exists()
    report.refresh_from_db()
    assert report.number == f"DIJB1-{date.year}"
    assert AgendaPack.objects.get(meeting=meeting).status == "ready"
