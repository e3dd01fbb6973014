"""An officer's whole assessment with the keyboard alone: Tab, Shift+Tab, Space, Enter, the
arrow keys and typing. No mouse, no element.click(), and no page.goto but the first (the
sign-in page): every other page is reached by following a link from the keyboard.
The equality lead's concurrence with the screening is set up through the services."""

import datetime

import pytest

from assessments.models import PlanChange
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
# a review date within the three years a review date may be set
REVIEW_BY = (datetime.date.today() + datetime.timedelta(days=700)).isoformat()

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: 'body', type: '', name: '', value: '', id: '', text: '', label: '', legend: ''};
  const label = e.labels && e.labels.length ? e.labels[0].innerText.trim().replace(/:$/, '') : '';
  const fieldset = e.closest('fieldset');
  const legend = fieldset && fieldset.querySelector('legend') ? fieldset.querySelector('legend').innerText.trim() : '';
  const style = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', value: e.value || '', id: e.id || '',
          text: (e.textContent || '').trim().replace(/\\s+/g, ' '), label, legend, checked: !!e.checked,
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0, shadow: style.boxShadow !== 'none'};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit=400, key="Tab") -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"never reached by {key}")


def link(text: str):
    return lambda e: e["tag"] == "a" and e["text"].startswith(text)


def button(text: str):
    return lambda e: e["tag"] == "button" and e["text"] == text


def labelled(text: str, exact=True):
    return lambda e: e["label"] == text or (not exact and text in e["label"])


def follow(page, text: str):
    """Tab to the link and press Enter; wait for the next page."""
    now = tab_to(page, link(text))
    assert now["outline"] or now["shadow"], f"no visible focus style on the link {text}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, text: str, then: str):
    now = tab_to(page, button(text))
    assert now["outline"] or now["shadow"], f"no visible focus style on the button {text}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text(then).first.wait_for()


def type_into(page, label: str, text: str):
    tab_to(page, labelled(label))
    page.keyboard.type(text)


def type_date(page, label: str, iso: str):
    """A date field types day, month and year into its parts, in the order of the
    browser's locale: day first, else (Shift+Tab back to the first part) month first."""
    year, month, day = iso.split("-")
    tab_to(page, labelled(label))
    page.keyboard.type(day + month + year)
    if focused(page)["value"] != iso:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(month + day + year)
    assert focused(page)["value"] == iso, (label, focused(page)["value"])


def choose_option(page, label: str, value: str):
    """A closed select: the arrow keys move through its options."""
    now = tab_to(page, labelled(label))
    for _ in range(50):
        if now["value"] == value:
            return
        page.keyboard.press("ArrowDown")
        now = focused(page)
    raise AssertionError(f"{label}: no option {value}")


def choose_radio(page, now: dict, value: str):
    """In a radio group the arrow keys move and select; Space selects the first one reached."""
    for _ in range(10):
        if now["value"] == value:
            if not now["checked"]:
                page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowRight")
        now = focused(page)
    raise AssertionError(f"{now['name']}: no choice {value}")


def fill_form(page, handle, submit: str):
    """Tab through the form once, letting ``handle`` act on each control, up to the button."""
    seen = set()
    for _ in range(600):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "button" and now["text"] == submit:
            return
        key = (now["name"], now["value"] if now["type"] == "checkbox" else "")
        if now["tag"] in ("input", "textarea", "select") and key not in seen:
            seen.add(key)
            handle(now)
    raise AssertionError(f"no button {submit}")


def open_task(page, title: str):
    """From any page: the Inbox link in the navigation, then the task's button, named by the task."""
    follow(page, "Inbox")
    follow(page, title)


def test_officer_completes_a_whole_assessment_with_the_keyboard(live_server, page):
    base = live_server.url
    cast = f.Cast()
    f.plan()

    page.goto(f"{base}/accounts/login/")
    # the sign-in form puts focus on the user name for us
    assert focused(page)["label"] == "Username"
    page.keyboard.type(cast.officer.username)
    now = focused(page)
    assert now["outline"] or now["shadow"], "no visible focus style on a text field"
    type_into(page, "Password", f.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", level=1).first.wait_for()

    # the skip link comes first, is visible when focused, and moves focus to the main content
    skip = tab_to(page, lambda e: True, limit=1)
    assert skip["tag"] == "a" and skip["text"] == "Skip to main content"
    assert skip["outline"] or skip["shadow"], "no visible focus style on the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    after = tab_to(page, lambda e: True, limit=1)
    assert page.evaluate("() => document.querySelector('header').contains(document.activeElement)") is False, after

    # start the plan change (from the navigation: Shift+Tab back up to it)
    tab_to(page, link("Start an assessment"), key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "Title", "Evening opening of the equipment store")
    type_into(page, "Description", "Open the community equipment store two evenings a week.")
    choose_option(page, "Type of change", "service_redesign")
    tab_to(page, labelled("Priority 1", exact=False))
    page.keyboard.press("Space")
    choose_option(page, "Lead officer", str(cast.officer.pk))
    choose_option(page, "Responsible director", str(cast.senior.pk))
    # Shift+Tab back to the title to check it kept what was typed
    now = tab_to(page, labelled("Title"), key="Shift+Tab")
    assert now["value"] == "Evening opening of the equipment store"
    press_button(page, "Start the pre-screening", "Its pre-screening is in your inbox")
    plan_change = PlanChange.objects.get(title="Evening opening of the equipment store")

    # the pre-screening: a radio group per question, answered with the arrow keys
    open_task(page, "Complete the pre-screening")

    def screening_answer(now):
        if now["type"] == "radio" and now["name"].startswith("q_"):
            choose_radio(page, now, f.FULL_ANSWERS[now["name"][2:]])

    fill_form(page, screening_answer, "Submit for review")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Proposed outcome: Full IIA required").wait_for()

    # the equality lead concurs (set up through the services)
    workflow_actions.screening_review(task=active_task(plan_change, IIAFlow.review_screening), by=cast.lead, decision="concur",
                                      comments="", claim=True)

    # every part: "no impact" everywhere but Age, rated negative and explained
    for title in ("Corporate Risk", "Equality & Diversity", "Environment", "Fairness & Poverty"):
        open_task(page, f"Complete “{title}”")

        def part_answer(now):
            if now["type"] == "checkbox":
                age = now["legend"] == "Age"
                if now["value"] == ("negative" if age else "no_impact"):
                    page.keyboard.press("Space")
            elif now["tag"] == "textarea" and now["label"] == "Explanation for Age":
                page.keyboard.type("Older people travel less after dark.")
            elif now["tag"] == "textarea" and now["name"].startswith("q"):
                page.keyboard.type("Considered with the service and carers' representatives.")
            elif now["type"] == "radio" and now["name"].startswith("q") and not now["checked"]:
                page.keyboard.press("Space")

        fill_form(page, part_answer, "Save and complete")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.get_by_text(f"“{title}” is complete.").wait_for()

    open_task(page, "Complete “Evidence and consultation”")
    type_into(page, "Evidence", "Equipment store footfall 2024/25; carers' survey.")
    type_into(page, "Consultation", "Carers' forum, March.")
    press_button(page, "Save and complete", "is complete")

    # a mitigating action for the negative rating, and the review date
    open_task(page, "Record mitigating actions")
    type_into(page, "Description", "Offer free transport to the store for people over 75.")
    type_into(page, "Owner", "Equipment store manager")
    type_date(page, "Due date", "2099-03-31")
    tab_to(page, labelled("Equality & Diversity: Age"))
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    # another action, added at once: focus moves to its first field, nothing typed is lost
    tab_to(page, button("Add another action"))
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "act-1-kind", focused(page)
    assert page.get_by_text("Action 2 added.").count() == 1
    type_into(page, "Description", "Ask store visitors how they travel.")
    type_into(page, "Owner", "Equipment store manager")
    type_date(page, "Due date", "2099-01-31")
    type_date(page, "Review date", REVIEW_BY)
    press_button(page, "Save and complete", "Mitigating actions and review date are complete.")

    open_task(page, "Submit the IIA for review")
    press_button(page, "Submit for review", "submitted for review")

    assessment = f.current(plan_change)
    assert assessment.state == "submitted"
    assert assessment.ratings.get(row__code="PC.AGE").ratings == ["negative"]
    # in the order they were entered, though the second is due first
    assert [a.description for a in assessment.actions.all()] == [
        "Offer free transport to the store for people over 75.", "Ask store visitors how they travel."]
    assert assessment.review_date.isoformat() == REVIEW_BY
