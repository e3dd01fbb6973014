"""Passkeys as a second factor (docs/two-factor.md, ADR 0030), with real WebAuthn answers
from a passkey in software (``soft_passkey``), checked by py_webauthn: set up in place of an
app, the code step with a passkey, and as an attacker: the endpoints at the wrong step, with
no password, with another person's passkey, an answer given twice, a removed passkey,
hostile bodies, removing someone else's."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from iia.models import BackupCodes
from tests import factories as f

from .soft_passkey import SoftPasskey, b64

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]
VERIFY, SET_UP = "/accounts/two-factor/", "/accounts/two-factor/set-up/"
ADDED = "/accounts/two-factor/passkey-added/"
REGISTER_BEGIN, REGISTER_COMPLETE = "/accounts/passkeys/registration/begin/", "/accounts/passkeys/registration/complete/"
AUTH_BEGIN, AUTH_COMPLETE = "/accounts/passkeys/authentication/begin/", "/accounts/passkeys/authentication/complete/"


@pytest.fixture
def required(settings):
    settings.IIA_REQUIRE_TWO_FACTOR = True


def _client() -> Client:
    return Client(HTTP_HOST="localhost", raise_request_exception=False)  # the origin passkeys are taken from


def _sign_in(person, next_page="/") -> Client:
    client = _client()
    response = client.post("/accounts/login/", {"username": person.username, "password": f.PASSWORD,
                                                "next": next_page})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _post(client, url, body=None):
    return client.post(url, json.dumps(body) if body is not None else "", content_type="application/json")


def _add_passkey(client, passkey=None) -> SoftPasskey:
    """The set-up page's "Add a passkey", as its script does it."""
    passkey = passkey or SoftPasskey()
    options = _post(client, REGISTER_BEGIN)
    assert options.status_code == 200, options.content
    response = _post(client, REGISTER_COMPLETE, passkey.register(options.json()))
    assert response.status_code == 200, response.content
    return passkey


def _use_passkey(client, passkey, next_page=None):
    """The code step's "Use your passkey", as its script does it: the answer's response."""
    options = _post(client, AUTH_BEGIN)
    assert options.status_code == 200, options.content
    url = AUTH_COMPLETE + (f"?next={next_page}" if next_page else "")
    return _post(client, url, passkey.assert_(options.json()))


def _set_up_with_passkey(person) -> tuple[Client, SoftPasskey]:
    client = _sign_in(person)
    passkey = _add_passkey(client)
    assert client.post(ADDED, {"next": "/"}).status_code == 200  # the backup codes
    return client, passkey


def test_a_lead_sets_up_a_passkey_in_place_of_an_app_and_signs_in_with_it(cast):
    client = _sign_in(cast.lead)
    assert client.get("/")["Location"].startswith(SET_UP)  # must set up a second factor
    page = client.get(SET_UP).content.decode()
    assert 'id="passkey-register-button">Add a passkey</button>' in page
    assert "Code from your app" in page  # or an app, as before
    options = _post(client, REGISTER_BEGIN).json()
    assert options["rp"] == {"name": "iia", "id": "localhost"}
    assert options["authenticatorSelection"]["residentKey"] == "preferred"  # passwordless is off
    before = client.session.session_key
    passkey = SoftPasskey()
    assert _post(client, REGISTER_COMPLETE, passkey.register(options)).status_code == 200
    assert client.session.session_key != before  # signed in with it, under a new key
    assert WebAuthnCredential.objects.get(user=cast.lead).name == "Passkey 1"
    response = client.post(ADDED, {"next": "/"})
    codes = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", response.content.decode())
    assert response.status_code == 200 and len(codes) == 10 and "Two-factor sign-in is on" in response.content.decode()
    assert client.post(ADDED, {"next": "/"})["Location"] == SET_UP  # shown once
    assert client.get("/").status_code == 200

    again = _sign_in(cast.lead, next_page="/queue/")
    assert again.get("/")["Location"].startswith(VERIFY)
    page = again.get(VERIFY).content.decode()
    assert 'id="passkey-verification-button">Use your passkey</button>' in page
    assert '<script id="otp_webauthn_config" type="application/json">' in page
    options = _post(again, AUTH_BEGIN).json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64(passkey.credential_id)]
    before = again.session.session_key
    response = _post(again, AUTH_COMPLETE + "?next=/queue/", passkey.assert_(options))
    assert response.status_code == 200 and response.json()["redirect_url"] == "/queue/"
    assert again.session.session_key != before  # as a right code does
    assert again.get("/").status_code == 200
    assert WebAuthnCredential.objects.get(user=cast.lead).last_used_at is not None
    assert again.post(VERIFY, {"code": codes[0]})["Location"] == "/"  # done: the code step sends it on


def test_a_backup_code_still_signs_in_a_person_with_only_a_passkey(cast):
    client = _sign_in(cast.clerk)
    _add_passkey(client)
    codes = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", client.post(ADDED).content.decode())
    again = _sign_in(cast.clerk)
    page = again.get(VERIFY).content.decode()
    assert "One of the backup codes you kept" in page  # no app to mention
    assert again.post(VERIFY, {"code": codes[0], "next": "/"})["Location"] == "/"
    assert again.get("/").status_code == 200


def test_the_endpoints_answer_a_session_only_at_its_step(cast):
    _, passkey = _set_up_with_passkey(cast.lead)
    anonymous = _client()
    for url in (AUTH_BEGIN, AUTH_COMPLETE):  # no password: passwordless sign-in is off
        response = _post(anonymous, url, {})
        assert response.status_code == 403 and response.json()["code"] == "not_at_the_code_step"
    assert "otp_webauthn_authentication_state" not in anonymous.session
    for url in (REGISTER_BEGIN, REGISTER_COMPLETE):
        assert _post(anonymous, url, {}).json()["code"] == "not_authenticated"

    at_code_step = _sign_in(cast.lead)  # adding a passkey needs the second factor first
    for url in (REGISTER_BEGIN, REGISTER_COMPLETE):
        response = _post(at_code_step, url, {})
        assert response.status_code == 302 and response["Location"].startswith(VERIFY + "?next=")
    at_set_up = _sign_in(cast.senior)  # must set up; has nothing to use
    for url in (AUTH_BEGIN, AUTH_COMPLETE):
        response = _post(at_set_up, url, {})
        assert response.status_code == 302 and response["Location"].startswith(SET_UP + "?next=")
    assert _post(at_set_up, REGISTER_BEGIN).status_code == 200

    assert _use_passkey(at_code_step, passkey).status_code == 200
    response = _post(at_code_step, AUTH_BEGIN)  # signed in: the code step's endpoints are done with
    assert response.status_code == 403 and response.json()["code"] == "not_at_the_code_step"
    assert _post(at_code_step, REGISTER_BEGIN).status_code == 200  # and it may add another


def test_a_session_that_has_not_given_its_second_factor_cannot_add_a_passkey(cast):
    """An attacker with an officer's password signs in before the officer sets up a passkey
    (an officer is not made to, so the session is not held); once the officer has one, the
    attacker's session cannot add its own without giving the officer's second factor."""
    attacker = _sign_in(cast.officer)
    assert attacker.get("/").status_code == 200
    _set_up_with_passkey(cast.officer)  # the officer, in their own browser
    response = _post(attacker, REGISTER_BEGIN)
    assert response.status_code == 403 and response.json()["code"] == "user_not_verified"
    assert WebAuthnCredential.objects.filter(user=cast.officer).count() == 1
    assert attacker.post(ADDED)["Location"].startswith(VERIFY)  # nor have backup codes made


def test_another_persons_passkey_is_refused_and_counts_as_a_wrong_code(cast, settings):
    _, lead_passkey = _set_up_with_passkey(cast.lead)
    _set_up_with_passkey(cast.clerk)
    clerk = _sign_in(cast.clerk)
    for _ in range(settings.IIA_TWO_FACTOR_FAILURE_LIMIT):
        response = _use_passkey(clerk, lead_passkey)
        assert response.status_code == 403 and response.json()["code"] == "credential_user_mismatch"
    response = _post(clerk, AUTH_BEGIN)  # the account's limit on wrong codes: passkeys and codes alike
    assert response.status_code == 429 and "Too many wrong codes" in response.json()["detail"]
    assert clerk.post(VERIFY, {"code": "123456"}).status_code == 429
    assert clerk.get("/")["Location"].startswith(VERIFY)


def test_an_answer_works_once_and_only_for_its_challenge(cast):
    _, passkey = _set_up_with_passkey(cast.lead)
    client = _sign_in(cast.lead)
    options = _post(client, AUTH_BEGIN).json()
    answer = passkey.assert_(options)
    assert _post(client, AUTH_COMPLETE, answer).status_code == 200
    replay = _sign_in(cast.lead)
    assert _post(replay, AUTH_COMPLETE, answer).json()["code"] == "invalid_state"  # no challenge asked for
    _post(replay, AUTH_BEGIN)
    assert _post(replay, AUTH_COMPLETE, answer).status_code == 422  # another challenge
    assert replay.get("/")["Location"].startswith(VERIFY)


def test_a_passkey_from_another_site_is_refused(cast):
    _, passkey = _set_up_with_passkey(cast.lead)
    client = _sign_in(cast.lead)
    passkey.origin = "http://localhost.evil.example"
    assert _use_passkey(client, passkey).status_code == 422
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_removed_passkey_is_refused_and_the_reset_removes_them(cast):
    admin = f.user(is_staff=True, is_superuser=True, username="siteadmin")
    admin_client, _ = _set_up_with_passkey(admin)
    lead, passkey = _set_up_with_passkey(cast.lead)
    second = _add_passkey(lead)
    assert lead.post(f"/accounts/two-factor/passkeys/{WebAuthnCredential.objects.get(user=cast.lead, name='Passkey 1').pk}"
                     "/remove/")["Location"] == SET_UP
    client = _sign_in(cast.lead)
    response = _use_passkey(client, passkey)
    assert response.status_code == 404 and response.json()["code"] == "credential_not_found"
    assert _use_passkey(client, second).status_code == 200

    response = admin_client.post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [cast.lead.pk]})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=cast.lead).exists()
    assert not BackupCodes.objects.filter(user=cast.lead).exists()
    assert client.get("/")["Location"].startswith(VERIFY)  # the session that used it is asked again
    assert client.get(VERIFY)["Location"] == "/"
    assert client.get("/")["Location"].startswith(SET_UP)  # and sent to set up again


def test_the_reset_command_removes_passkeys(cast, capsys):
    _set_up_with_passkey(cast.clerk)
    call_command("reset_two_factor", cast.clerk.username)
    assert not WebAuthnCredential.objects.filter(user=cast.clerk).exists()
    assert "is reset (2 removed)" in capsys.readouterr().err  # the passkey and the backup codes


def test_a_person_removes_their_own_passkey_but_not_their_last_nor_anothers(cast):
    lead, _ = _set_up_with_passkey(cast.lead)
    _add_passkey(lead)
    clerk, _ = _set_up_with_passkey(cast.clerk)
    first, second = WebAuthnCredential.objects.filter(user=cast.lead).order_by("pk")
    page = lead.get(SET_UP).content.decode()
    assert "Passkey 1" in page and "Passkey 2" in page and page.count("link-button\">Remove<") == 2
    assert clerk.post(f"/accounts/two-factor/passkeys/{first.pk}/remove/").status_code == 404  # not theirs
    held = _sign_in(cast.lead)  # at the code step: give the second factor first
    assert held.post(f"/accounts/two-factor/passkeys/{first.pk}/remove/")["Location"].startswith(VERIFY)
    assert WebAuthnCredential.objects.filter(user=cast.lead).count() == 2
    lead.post(f"/accounts/two-factor/passkeys/{second.pk}/remove/")
    assert "Passkey 2 is removed" in lead.get(SET_UP).content.decode()
    response = lead.post(f"/accounts/two-factor/passkeys/{first.pk}/remove/")  # the last way in
    assert response["Location"] == SET_UP
    page = lead.get(SET_UP).content.decode()
    assert "is your only way to give a second factor" in page and "link-button\">Remove<" not in page
    assert list(WebAuthnCredential.objects.filter(user=cast.lead)) == [first]
    TOTPDevice.objects.create(user=cast.lead, name="Authenticator app", confirmed=True)
    assert "link-button\">Remove<" in lead.get(SET_UP).content.decode()  # with an app, it is not the last
    # the passkey this session signed in with, removed: the session gives another second factor
    lead.post(f"/accounts/two-factor/passkeys/{first.pk}/remove/")
    assert not WebAuthnCredential.objects.filter(user=cast.lead).exists()
    assert lead.get(SET_UP)["Location"].startswith(VERIFY)


@pytest.mark.parametrize("body", ["not json", "[]", "1", '"text"', '{"id": 1}',
                                  '{"id": "AA", "rawId": "!!", "type": "public-key", "response": {"clientDataJSON": "%%",'
                                  ' "authenticatorData": "AA", "signature": "AA"}}',
                                  '{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA",'
                                  ' "attestationObject": "!!"}}',
                                  '{"id": "' + "A" * 100_000 + '"}'])
def test_hostile_bodies_are_refused_not_a_server_error(cast, body):
    _, _passkey = _set_up_with_passkey(cast.lead)
    at_code_step = _sign_in(cast.lead)
    _post(at_code_step, AUTH_BEGIN)
    response = at_code_step.post(AUTH_COMPLETE, body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content[:300]
    adding = _sign_in(cast.senior)
    _post(adding, REGISTER_BEGIN)
    response = adding.post(REGISTER_COMPLETE, body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content[:300]
    assert not WebAuthnCredential.objects.filter(user=cast.senior).exists()


def test_passkeys_are_offered_only_where_they_work_and_the_pages_run_no_inline_script(cast):
    _set_up_with_passkey(cast.lead)
    elsewhere = Client()  # the site at another name (testserver): the browser would refuse the passkey
    elsewhere.post("/accounts/login/", {"username": cast.lead.username, "password": f.PASSWORD})
    page = elsewhere.get(VERIFY).content.decode()
    assert "Enter your code" in page and "passkey-verification-button" not in page
    for client, url in ((_sign_in(cast.lead), VERIFY), (_sign_in(cast.clerk), SET_UP)):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S)
        assert scripts and all('src="/static/' in attributes or 'type="application/json"' in attributes
                               for attributes, _ in scripts), scripts
        assert any('type="module" src="/static/django_otp_webauthn/' in attributes for attributes, _ in scripts)
