"""The focus indicator and the admin's breadcrumbs, measured from the computed styles in the
browser: every focus stop met by the keyboard on a form with date and time fields, a
scrollable table region, the header and the footer has a focus indicator of at least 3:1
against the colours around it (WCAG 2.2 1.4.11), and so do the admin's date shortcuts; the
admin's breadcrumb links have 4.5:1 (1.4.3) in the light and dark themes, hovered and focused."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f

from .contrast import assert_focus_visible, focus_ring, text_contrast
from .test_axe import signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

INSIDE_PICKER = "() => { const e = document.activeElement; return !!e && e.tagName === 'INPUT' && !e.matches(':focus'); }"


def tab_through(page, stops: int) -> list[dict]:
    """Press Tab up to ``stops`` times, until focus leaves the page: the focus ring at each
    stop, with whether focus was on a date or time field's own picker button (the field then
    no longer matches :focus)."""
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        seen.append({**focus_ring(page), "picker": page.evaluate(INSIDE_PICKER),
                     "type": page.evaluate("() => document.activeElement.type || ''")})
    return seen


def test_every_focus_stop_has_a_focus_indicator_of_3_to_1(live_server, browser):
    cast = f.Cast()
    context = signed_in_context(browser, live_server.url, cast.clerk)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/meetings/new/")
        stops = tab_through(page, 60)  # the skip link, the header, the form, the footer
        failing = [stop for stop in stops if stop["best"] < 3]
        assert not failing, failing
        pickers = {stop["type"] for stop in stops if stop["picker"]}
        assert pickers == {"date", "time"}, f"never reached a date and a time field's picker button: {stops}"
        assert any(stop["element"].startswith("button.button") for stop in stops)
        assert any(stop["around"] == "#123a5a" for stop in stops), "never reached the header's links"

        # a scrollable table region, reached by the keyboard (the statement's table of pages)
        page.goto(f"{live_server.url}/accessibility/")
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('table-wrap')"):
                break
        else:
            pytest.fail("the table region never took focus")
        ring = assert_focus_visible(page, "on a scrollable table region")
        assert {"outline", "box-shadow"} == {part["part"] for part in ring["parts"]}
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_admin_breadcrumbs_have_4_5_to_1_and_its_date_shortcuts_a_focus_indicator(live_server, browser, scheme):
    admin = get_user_model().objects.create_superuser("site-admin", "admin@example.org", f.PASSWORD)
    context = signed_in_context(browser, live_server.url, admin)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    try:
        page.goto(f"{live_server.url}/admin/assessments/strategicplan/add/")
        crumbs = page.locator("div.breadcrumbs a")
        assert crumbs.count() >= 3
        measured = {"link": text_contrast(page, "div.breadcrumbs a"), "bar": text_contrast(page, "div.breadcrumbs")}
        for index in range(crumbs.count()):
            crumbs.nth(index).hover()
            measured[f"hovered {index}"] = [text_contrast(page, "div.breadcrumbs a")[index]]
            crumbs.nth(index).focus()
            measured[f"focused {index}"] = [text_contrast(page, "div.breadcrumbs a")[index]]
            assert_focus_visible(page, "on a breadcrumb")
        low = {state: found for state, found in measured.items() if any(item["ratio"] < 4.5 for item in found)}
        assert not low, low

        # the date shortcuts: "Today" and the calendar button after the first date field
        page.locator("#id_period_start").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == "Today"
        assert_focus_visible(page, "on the admin's Today shortcut")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id").startswith("calendarlink")
        assert_focus_visible(page, "on the admin's calendar button")
        page.keyboard.press("Enter")  # opens the calendar
        page.locator(".calendarbox").first.wait_for()
        page.locator(".calendarbox a").first.focus()
        assert_focus_visible(page, "in the admin's calendar")
    finally:
        context.close()
