"""Single sign-on in a browser (issue 21, item 1): an officer and a clerk sign in through a
real OpenID provider (tests/oidc/provider.mjs) from the sign-in page's "Sign in with your
organisation", and land on their home page with their role. Each sign-in's time, from the
click to the home page, is the figure the note reports."""

import time

import pytest

from assessments.models import Board, Role, SignOnGroupRole
from tests.oidc.provider import PASSWORD

from .axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.mark.parametrize(("username", "name", "shows", "hides"), [
    ("officer", "Olive Officer", "Start an assessment", "Reports waiting for an agenda"),
    ("clerk", "Callum Clerk", "Reports waiting for an agenda", "Start an assessment"),
])
def test_staff_sign_in_with_their_organisation(live_server, page, sign_on, username, name, shows, hides):
    dundee = Board.objects.get(slug="dundee")
    SignOnGroupRole.objects.create(group="iia-dundee-officers", board=dundee, role=Role.OFFICER)
    SignOnGroupRole.objects.create(group="iia-dundee-clerks", board=dundee, role=Role.CLERK)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    started = time.perf_counter()
    page.get_by_role("link", name="Sign in with your organisation").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the test organisation").click()
    page.wait_for_url(f"{base}/")
    seconds = time.perf_counter() - started
    print(f"\nsign-in through the provider as {username}: {seconds:.2f} s")
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {name}"
    main = page.locator("main")
    assert shows in main.inner_text() and hides not in main.inner_text()
    assert "Dundee IJB" in page.locator("header").inner_text()


def test_someone_in_no_mapped_group_is_told_why_and_the_pages_pass_axe(live_server, browser, sign_on):
    base = live_server.url
    context = browser.new_context(locale="en-GB", bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    assert axe_violations(page) == []  # with the "Sign in with your organisation" button
    page.get_by_role("link", name="Sign in with your organisation").click()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the test organisation").click()
    page.get_by_role("heading", name="You are not signed in").wait_for()
    assert "none of your groups there gives you a role" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to the sign-in page").click()
    page.wait_for_url(f"{base}/accounts/login/")
    context.close()
