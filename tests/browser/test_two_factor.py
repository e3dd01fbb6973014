"""A lead, who must have two-factor sign-in, signs in for the first time: set up the app from
the secret the page shows (the code made as an app makes it), keep the backup codes, go on;
then sign out, and sign in again with the password and a code."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _code(secret: str, steps_ahead=0) -> str:
    key = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(page, base, person):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_lead_sets_up_the_app_and_signs_in_with_a_code(live_server, page, settings):
    settings.IIA_REQUIRE_TWO_FACTOR = True
    base = live_server.url
    lead = f.Cast().lead

    _password(page, base, lead)
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert page.get_by_role("img", name="QR code of your iia secret for an authenticator app").is_visible()
    assert page.get_by_role("navigation", name="Main").count() == 0  # nothing else until it is done
    secret = page.locator("#secret").inner_text()
    page.get_by_label("Code from your app").fill(_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Two-factor sign-in is on").wait_for()
    assert page.locator(".backup-codes li").count() == 10
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    assert page.get_by_role("navigation", name="Main").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    _password(page, base, lead)
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("Code").fill(_code(secret, steps_ahead=1))  # the set-up code's step is spent
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.url == f"{base}/"
    assert page.get_by_role("navigation", name="Main").is_visible()
