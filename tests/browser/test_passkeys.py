"""A lead, who must have two-factor sign-in, adds a passkey in place of an app (Chromium's
virtual authenticator, through the DevTools protocol, stands in for a fingerprint reader):
the backup codes, then signing out and in again with the password and the passkey, straight
to the inbox they were on their way to. A wrong passkey (its id, another key) is refused at
the code step, and so is one removed since the page was shown; the code step stays. The site
is opened as localhost: WebAuthn refuses an IP address."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django_otp_webauthn.models import WebAuthnCredential

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _password(page, base, person, path="/tasks/inbox/"):
    page.goto(f"{base}{path}")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _authenticator(page) -> tuple:
    """A platform authenticator that keeps passkeys and verifies its user without asking."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
               "isUserVerified": True}
    return cdp, cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def test_a_lead_adds_a_passkey_and_signs_in_with_it(live_server, page, settings):
    settings.IIA_REQUIRE_TWO_FACTOR = True
    base = live_server.url
    assert base.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    lead = f.Cast().lead
    cdp, authenticator = _authenticator(page)

    _password(page, base, lead)
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    page.get_by_role("heading", name="Two-factor sign-in is on").wait_for()
    assert page.locator(".backup-codes li").count() == 10
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    assert page.url == f"{base}/tasks/inbox/"

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    _password(page, base, lead)
    page.get_by_role("heading", name="Use your passkey or a code").wait_for()
    assert page.get_by_role("navigation", name="Main").count() == 0
    with page.expect_navigation(url=f"{base}/tasks/inbox/"):
        page.get_by_role("button", name="Use your passkey").click()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").get_attribute(
        "aria-current") == "page"

    # a wrong passkey (one with this passkey's id and another key) is refused, and so is one
    # removed (an administrator's reset, say) while its page is open: the code step stays
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    (real,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    cdp.send("WebAuthn.removeCredential", {"authenticatorId": authenticator, "credentialId": real["credentialId"]})
    other_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": {
        "credentialId": real["credentialId"], "rpId": "localhost", "userHandle": real["userHandle"],
        "isResidentCredential": True, "privateKey": base64.b64encode(other_key).decode(),
        "signCount": real["signCount"] + 10}})
    _password(page, base, lead)
    page.get_by_role("heading", name="Use your passkey or a code").wait_for()
    page.get_by_role("button", name="Use your passkey").click()
    page.get_by_role("status").filter(has_text="Invalid authentication response").wait_for()
    WebAuthnCredential.objects.filter(user=lead).delete()
    page.get_by_role("button", name="Use your passkey").click()
    page.get_by_role("status").filter(has_text="Perhaps it was removed?").wait_for()
    assert page.url.startswith(f"{base}/accounts/two-factor/?next=")
    page.goto(f"{base}/tasks/inbox/")
    assert page.url.startswith(f"{base}/accounts/two-factor/?next=")  # still held at the code step
