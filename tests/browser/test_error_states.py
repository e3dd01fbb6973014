"""Withdraw with an empty reason, from the keyboard: the page comes back with the error
summary focused (as every other form does), the disclosure still open, and the summary's
link moves focus to the reason field, which is marked invalid."""

import pytest

from tests import factories as f

from .test_keyboard import focused, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_withdraw_without_a_reason_focuses_the_error_summary(live_server, page):
    base = live_server.url
    cast = f.Cast()
    f.plan()
    plan_change = f.screen(cast, f.start(cast))

    page.goto(f"{base}/accounts/login/")
    page.keyboard.type(cast.officer.username)
    type_into(page, "Password", f.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base}/plan-changes/{plan_change.pk}/")

    # open the disclosure from the keyboard and send it empty
    tab_to(page, lambda e: e["tag"] == "summary" and e["text"] == "Withdraw this assessment")
    page.keyboard.press("Enter")
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Withdraw the assessment")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.matches('[data-error-summary]')"), focused(page)
    assert page.locator("details#withdraw").get_attribute("open") is not None
    reason = page.get_by_label("Why is the assessment withdrawn?")
    assert reason.get_attribute("aria-invalid") == "true"

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Say why the assessment is withdrawn."
    page.keyboard.press("Enter")
    assert focused(page)["label"] == "Why is the assessment withdrawn?"
    page.keyboard.type("The service redesign was dropped.")
    with page.expect_navigation():
        tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Withdraw the assessment")
        page.keyboard.press("Enter")
    page.get_by_text("The assessment is withdrawn and its open tasks are closed.").wait_for()
