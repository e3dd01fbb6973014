"""An officer, an equality lead and a senior officer take a full IIA to sign-off in a real browser."""

import datetime
import re
from pathlib import Path

import pytest

from assessments.models import PlanChange
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
# a review date within the three years a review date may be set
REVIEW_BY = (datetime.date.today() + datetime.timedelta(days=700)).isoformat()

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_first(page, base, list_url, task_title, action):
    """Follow the task's button in the list: named by the task ("Complete “Age”"), or by
    what is done to it ("Claim: Review the IIA")."""
    page.goto(f"{base}{list_url}")
    name = task_title if action == "Open" else f"{action}: {task_title}"
    page.get_by_role("link", name=re.compile("^" + re.escape(name))).first.click()


def test_full_iia_from_start_to_sign_off(live_server, page):
    base = live_server.url
    cast = f.Cast()
    plan = f.plan()

    # officer starts the assessment and completes the pre-screening
    sign_in(page, base, cast.officer)
    page.get_by_role("link", name="Start an assessment").first.click()
    page.get_by_label("Title").fill("Evening opening of the equipment store")
    page.get_by_label("Description").fill("Open the community equipment store two evenings a week.")
    page.get_by_label("Type of change").select_option("service_redesign")
    page.get_by_label("Priority 1").check()
    page.get_by_label("Lead officer").select_option(str(cast.officer.pk))
    page.get_by_label("Responsible director").select_option(str(cast.senior.pk))
    page.get_by_role("button", name="Start the pre-screening").click()
    page.get_by_text("Its pre-screening is in your inbox").wait_for()
    plan_change = PlanChange.objects.get(title="Evening opening of the equipment store")
    assert plan_change.plan == plan

    open_first(page, base, "/tasks/inbox/", "Complete the pre-screening", "Open")
    for code, answer in f.FULL_ANSWERS.items():
        page.locator(f"input[name=q_{code}][value={answer}]").check()
    shot(page, "01-screening")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Proposed outcome: Full IIA required").wait_for()
    sign_out(page)

    # the equality lead concurs
    sign_in(page, base, cast.lead)
    open_first(page, base, "/tasks/queue/", "Review the screening", "Claim")
    page.get_by_role("button", name="Claim the task").click()
    page.get_by_label("Concur with the proposed outcome").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Screened in: full IIA required").wait_for()
    sign_out(page)

    # the officer completes every part, in any order
    sign_in(page, base, cast.officer)
    for title in ("Corporate Risk", "Equality & Diversity", "Environment", "Fairness & Poverty"):
        open_first(page, base, "/tasks/inbox/", f"Complete “{title}”", "Open")
        for box in page.locator("input[type=checkbox][value=no_impact]").all():
            box.check()
        if title == "Equality & Diversity":
            age = page.locator("fieldset").filter(has=page.locator("legend", has_text=re.compile("^Age$")))
            age.locator("input[value=no_impact]").uncheck()
            age.locator("input[value=positive]").check()
            age.locator("input[value=negative]").check()
            page.get_by_label("Explanation for Age").fill("Evening hours help working carers; older people travel after dark.")
            shot(page, "02-section")
        for area in page.locator("textarea[name^=q]").all():
            area.fill("Considered with the service and carers' representatives.")
        for radio in page.locator("input[type=radio][name^=q]").all()[:1]:
            radio.check()
        page.get_by_role("button", name="Save and complete").click()
        page.get_by_text(f"“{title}” is complete.").wait_for()
    open_first(page, base, "/tasks/inbox/", "Complete “Evidence and consultation”", "Open")
    page.get_by_role("textbox", name="Evidence").fill("Equipment store footfall 2024/25; carers' survey.")
    page.get_by_role("textbox", name="Consultation").fill("Carers' forum, March.")
    page.get_by_role("button", name="Save and complete").click()

    open_first(page, base, "/tasks/inbox/", "Record mitigating actions", "Open")
    action = page.locator("fieldset.action-block").first
    action.get_by_label("Description").fill("Offer free transport to the store for people over 75.")
    action.get_by_label("Owner").fill("Equipment store manager")
    action.get_by_label("Due date").fill("2099-03-31")
    action.get_by_label("Equality & Diversity: Age").check()
    page.get_by_label("Review date").fill(REVIEW_BY)
    shot(page, "03-actions")
    page.get_by_role("button", name="Save and complete").click()
    open_first(page, base, "/tasks/inbox/", "Submit the IIA for review", "Open")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("submitted for review").wait_for()
    sign_out(page)

    # the equality lead approves with a risk level
    sign_in(page, base, cast.lead)
    open_first(page, base, "/tasks/queue/", "Review the IIA", "Claim")
    page.get_by_role("button", name="Claim the task").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Medium").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("IIA approved").wait_for()
    sign_out(page)

    # the senior officer signs off
    sign_in(page, base, cast.senior)
    open_first(page, base, "/tasks/queue/", "Sign off the IIA", "Claim")
    page.get_by_role("button", name="Claim the task").click()
    page.get_by_label("Sign off", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("IIA signed off").wait_for()
    page.goto(f"{base}/plan-changes/{plan_change.pk}/")
    page.get_by_text("Signed off", exact=True).first.wait_for()
    shot(page, "04-signed-off")
    assessment = f.current(plan_change)
    assert assessment.state == "signed_off"
    assert assessment.approved_by == cast.lead and assessment.signed_off_by == cast.senior
    assert assessment.ratings.get(row__code="PC.AGE").ratings == ["positive", "negative"]
