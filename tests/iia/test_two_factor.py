"""Two-factor sign-in (docs/two-factor.md): setting up an authenticator app with a real code
made from the secret the page shows, the code step after the password, backup codes, no
code twice, wrong codes limited, who must set it up, an administrator's reset."""

import base64
import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from iia import checks
from iia.models import BackupCode, BackupCodes
from iia.tokens import api_token_issue
from tests import factories as f

pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("required", "no_device_wait")]
VERIFY = "/accounts/two-factor/"
SET_UP = "/accounts/two-factor/set-up/"
BACKUP = "/accounts/two-factor/backup-codes/"


@pytest.fixture
def required(settings):
    settings.IIA_REQUIRE_TWO_FACTOR = True


@pytest.fixture
def no_device_wait(settings):
    """django-otp makes a device wait 1, 2, 4… seconds after each wrong code; most tests
    give a right code straight after a wrong one, so the wait is off unless a test says."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(secret: str, *, steps_ahead=0) -> str:
    """The code an authenticator app holding ``secret`` (as the page shows it) makes now,
    or that many 30-second steps later."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _sign_in(person, client=None, path="/accounts/login/", next_page="/"):
    client = client or Client()
    response = client.post(path, {"username": person.username, "password": f.PASSWORD, "next": next_page})
    assert response.status_code == 302, response.content.decode()[:500]
    return client, response


def _secret(page: str) -> str:
    return re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page).group(1)


def _set_up(person):
    """Sign ``person`` in and set up their app; the client, the secret and the backup codes."""
    client, _ = _sign_in(person)
    page = client.get(SET_UP).content.decode()
    secret = _secret(page)
    response = client.post(SET_UP, {"code": _code(secret), "next": "/"})
    assert response.status_code == 200, response.content.decode()[:2000]
    codes = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", response.content.decode())
    return client, secret, codes


def test_a_lead_must_set_up_an_app_before_anything_else(cast):
    client, response = _sign_in(cast.lead, next_page="/tasks/inbox/")
    assert response["Location"] == "/tasks/inbox/"
    held = client.get("/tasks/inbox/")
    assert held.status_code == 302 and held["Location"] == f"{SET_UP}?next=%2Ftasks%2Finbox%2F"
    for path in ("/", "/admin/", "/workflow/", "/accounts/password_change/", VERIFY, BACKUP):
        assert client.get(path)["Location"].startswith(SET_UP), path
    assert client.post("/accounts/password_change/", {})["Location"].startswith(SET_UP)
    assert client.get("/api/boards/").status_code in (401, 403)  # no session to the API
    page = client.get(SET_UP).content.decode()
    assert "Your role needs two-factor sign-in" in page and "<svg" in page
    assert 'href="/tasks/inbox/"' not in page  # no menu until it is done
    assert client.post("/accounts/logout/").status_code == 302  # signing out is always there


def test_setting_up_with_a_real_code_signs_in_and_shows_ten_backup_codes_once(cast, caplog):
    client, _ = _sign_in(cast.lead)
    page = client.get(SET_UP).content.decode()
    secret = _secret(page)
    assert secret == _secret(client.get(SET_UP).content.decode())  # a reload shows the same secret
    assert len(secret.replace(" ", "")) == 32  # 160 bits in base 32
    wrong = client.post(SET_UP, {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "That code did not work" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.lead).exists()

    with caplog.at_level("INFO", logger="iia.accounts"):
        done = client.post(SET_UP, {"code": _code(secret), "next": "/tasks/inbox/"})
    page = done.content.decode()
    codes = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10 and all(re.fullmatch(r"(\w{4}-){3}\w{4}", c) for c in codes)
    assert 'href="/tasks/inbox/"' in page
    assert client.get("/tasks/inbox/").status_code == 200
    device = TOTPDevice.objects.get(user=cast.lead, confirmed=True)
    assert base64.b32encode(device.bin_key).decode() == secret.replace(" ", "")
    assert not any(code.replace("-", "") in str(list(BackupCodes.objects.values_list("codes__digest")))
                   for code in codes)  # kept as hashes only
    assert f"two-factor sign-in set up by user {cast.lead.pk}" in caplog.text
    assert "You have 10 unused backup codes" in client.get(BACKUP).content.decode()


def test_the_next_sign_in_asks_for_a_code_and_a_code_works_once(cast):
    _, secret, _ = _set_up(cast.lead)
    client, _ = _sign_in(cast.lead, next_page="/tasks/queue/")
    held = client.get("/tasks/queue/")
    assert held["Location"] == f"{VERIFY}?next=%2Ftasks%2Fqueue%2F"
    assert client.get(SET_UP)["Location"].startswith(VERIFY + "?")  # no new app without the old one's code
    assert client.get("/api/boards/").status_code in (401, 403)

    replay = client.post(VERIFY, {"code": _code(secret), "next": "/tasks/queue/"})  # the code that set it up
    assert replay.status_code == 200 and "That code did not work" in replay.content.decode()
    later = _code(secret, steps_ahead=1)  # the next one the app shows (one step of drift allowed)
    response = client.post(VERIFY, {"code": later, "next": "/tasks/queue/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/queue/"
    assert client.get("/tasks/queue/").status_code == 200

    elsewhere, _ = _sign_in(cast.lead)  # the same code, seen over a shoulder, in another session
    again = elsewhere.post(VERIFY, {"code": later})
    assert again.status_code == 200 and "That code did not work" in again.content.decode()
    assert elsewhere.get("/")["Location"].startswith(VERIFY + "?")


def test_a_backup_code_works_once_whatever_its_case_and_hyphens(cast):
    _, _, codes = _set_up(cast.senior)
    client, _ = _sign_in(cast.senior)
    typed = codes[3].replace("-", " ").upper()
    assert client.post(VERIFY, {"code": typed})["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "You have 9 unused backup codes" in client.get(BACKUP).content.decode()
    other, _ = _sign_in(cast.senior)
    assert other.post(VERIFY, {"code": codes[3]}).status_code == 200  # spent
    assert other.post(VERIFY, {"code": codes[4]}).status_code == 302


def test_new_backup_codes_replace_the_old(cast, django_assert_max_num_queries):
    client, _, old = _set_up(cast.clerk)
    with django_assert_max_num_queries(6):  # session, person, device, boards, has an app, the count
        assert "You have 10 unused backup codes" in client.get(BACKUP).content.decode()
    new = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", client.post(BACKUP).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other, _ = _sign_in(cast.clerk)
    assert other.post(VERIFY, {"code": old[0]}).status_code == 200
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302


def test_a_new_phone_replaces_the_old_one_and_its_backup_codes(cast):
    client, old_secret, old_codes = _set_up(cast.officer)
    page = client.get(SET_UP).content.decode()
    assert "Move to a new phone" in page
    new_secret = _secret(page)
    assert new_secret != old_secret
    done = client.post(SET_UP, {"code": _code(new_secret)}).content.decode()
    assert "Your new phone is set up" in done and "Your old backup codes no longer work" in done
    assert TOTPDevice.objects.filter(user=cast.officer).count() == 1
    other, _ = _sign_in(cast.officer)
    assert other.post(VERIFY, {"code": _code(old_secret, steps_ahead=1)}).status_code == 200
    assert other.post(VERIFY, {"code": old_codes[0]}).status_code == 200
    assert other.post(VERIFY, {"code": _code(new_secret, steps_ahead=1)}).status_code == 302


def test_wrong_codes_are_limited_per_account(cast):
    _, secret, codes = _set_up(cast.lead)
    client, _ = _sign_in(cast.lead)
    assert [client.post(VERIFY, {"code": f"{n:06d}"}).status_code for n in range(5)] == [200] * 5
    refused = client.post(VERIFY, {"code": codes[0]})  # right, but no more are checked
    assert refused.status_code == 429 and "Too many wrong codes" in refused.content.decode()
    elsewhere, _ = _sign_in(cast.lead)  # a new session does not start the count again
    assert elsewhere.post(VERIFY, {"code": codes[0]}).status_code == 429
    assert elsewhere.get("/")["Location"].startswith(VERIFY + "?")


def test_after_a_wrong_code_the_device_waits_before_checking_another(cast, settings):
    _, secret, _ = _set_up(cast.lead)
    settings.OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's default: 1 s, doubled after each
    client, _ = _sign_in(cast.lead)
    client.post(VERIFY, {"code": "abcdef"})  # a wrong backup code: the backup codes wait
    client.post(VERIFY, {"code": "999999" if _code(secret, steps_ahead=1) != "999999" else "888888"})
    assert client.post(VERIFY, {"code": _code(secret, steps_ahead=1)}).status_code == 200  # too soon
    device = TOTPDevice.objects.get(user=cast.lead)
    assert device.throttling_failure_count == 1  # one wrong; the one too soon was not checked
    assert BackupCodes.objects.get(user=cast.lead).throttling_failure_count == 1


@pytest.mark.parametrize("who", ["lead", "senior", "clerk", "staff", "superuser"])
def test_every_required_role_is_sent_to_set_up(cast, who):
    person = {"staff": lambda: f.user(is_staff=True), "superuser": lambda: f.user(is_superuser=True)}.get(
        who, lambda: getattr(cast, who))()
    client, _ = _sign_in(person)
    assert client.get("/")["Location"].startswith(SET_UP)


def test_an_administrator_signing_in_to_the_admin_sets_it_up_there(db):
    admin = f.user(is_staff=True, is_superuser=True)
    client, response = _sign_in(admin, path="/admin/login/?next=/admin/", next_page="/admin/")
    assert client.get("/admin/")["Location"] == f"{SET_UP}?next=%2Fadmin%2F"


def test_an_officer_is_not_made_to_but_may_and_is_then_asked(cast):
    client, _ = _sign_in(cast.officer)
    assert client.get("/").status_code == 200
    assert "Set up two-factor sign-in" in client.get(SET_UP).content.decode()
    _set_up(cast.officer)
    again, _ = _sign_in(cast.officer)
    assert again.get("/")["Location"].startswith(VERIFY + "?")


def test_off_nobody_is_made_to_but_whoever_set_it_up_is_asked(cast, settings):
    settings.IIA_REQUIRE_TWO_FACTOR = False
    client, _ = _sign_in(cast.lead)
    assert client.get("/").status_code == 200
    _set_up(cast.clerk)
    assert _sign_in(cast.clerk)[0].get("/")["Location"].startswith(VERIFY + "?")


def test_a_session_from_an_exempt_backend_is_not_asked(cast, settings):
    _set_up(cast.lead)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "django.contrib.auth.backends.RemoteUserBackend"]
    settings.IIA_TWO_FACTOR_EXEMPT_BACKENDS = ["django.contrib.auth.backends.RemoteUserBackend"]
    client = Client()
    client.force_login(cast.lead, backend="django.contrib.auth.backends.RemoteUserBackend")
    assert client.get("/").status_code == 200
    client.force_login(cast.clerk, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/")["Location"].startswith(SET_UP)


def test_an_api_token_is_a_factor_of_its_own(cast):
    _set_up(cast.lead)
    token = api_token_issue(user=cast.lead)
    assert Client().get("/api/boards/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    half, _ = _sign_in(cast.lead)  # a half-signed-in session does not add to a token
    assert half.get("/api/boards/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert half.get("/api/boards/").status_code in (401, 403)


def test_the_way_back_goes_nowhere_off_the_site(cast):
    _, secret, codes = _set_up(cast.lead)
    client, _ = _sign_in(cast.lead)
    response = client.post(VERIFY, {"code": codes[0], "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_administrator_resets_a_lost_phone_and_it_is_recorded(cast):
    admin = f.user(is_staff=True, is_superuser=True, username="siteadmin")
    admin_client, _, _ = _set_up(admin)
    _, _, codes = _set_up(cast.lead)
    lead_client, _ = _sign_in(cast.lead)
    assert lead_client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert lead_client.get("/").status_code == 200
    response = admin_client.post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [cast.lead.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.lead).exists() and not BackupCodes.objects.filter(user=cast.lead).exists()
    entry = LogEntry.objects.get(object_id=str(cast.lead.pk))
    assert entry.user == admin and entry.change_message == "Reset two-factor sign-in"
    # the lead's session that gave a code from the lost phone is held, and sent to set up again
    assert lead_client.get("/")["Location"].startswith(VERIFY + "?")
    assert lead_client.get(VERIFY)["Location"] == "/"
    assert lead_client.get("/")["Location"].startswith(SET_UP)
    assert _sign_in(cast.lead)[0].get("/")["Location"].startswith(SET_UP)


def test_a_lead_cannot_reset_anyone(cast):
    """Equality leads are staff (they edit their board's form) but not administrators of people."""
    cast.lead.is_staff = True
    cast.lead.save()
    client, _, _ = _set_up(cast.lead)
    _set_up(cast.clerk)
    response = client.post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [cast.clerk.pk]})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.clerk).exists()


def test_the_reset_command(cast, capsys):
    _set_up(cast.clerk)
    call_command("reset_two_factor", cast.clerk.username)
    assert not TOTPDevice.objects.filter(user=cast.clerk).exists()
    assert "is reset" in capsys.readouterr().err


def test_no_app_secret_is_in_the_admin(cast):
    admin = f.user(is_staff=True, is_superuser=True)
    client, _, _ = _set_up(admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


@override_settings(IIA_PRODUCTION=True, IIA_REQUIRE_TWO_FACTOR=False, IIA_ALLOW_DEMO_ACCOUNTS=False)
def test_production_refuses_it_off():
    assert [e.id for e in checks.two_factor_check(None)] == ["iia.E007"]
    with override_settings(IIA_ALLOW_DEMO_ACCOUNTS=True):  # the loopback stack
        assert checks.two_factor_check(None) == []
    with override_settings(IIA_REQUIRE_TWO_FACTOR=True):
        assert checks.two_factor_check(None) == []


def test_a_session_still_to_set_up_cannot_replace_an_app_set_up_since(cast):
    """An attacker with the password signs in before the lead has set up their app and keeps
    that session (step: set up). Once the lead has set up an app, the session must give a code
    from it: it can no longer put its own app in place of the lead's."""
    attacker, _ = _sign_in(cast.lead)
    assert attacker.get("/")["Location"].startswith(SET_UP)
    _set_up(cast.lead)  # the lead, in their own browser
    held = attacker.get(SET_UP)
    assert held.status_code == 302 and held["Location"].startswith(VERIFY)
    page = attacker.get(VERIFY)
    assert page.status_code == 200
    assert "iia_two_factor_secret" not in attacker.session  # the secret it was shown is gone
    assert attacker.post(SET_UP, {"code": _code("JBSWY3DPEHPK3PXP"), "next": "/"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=cast.lead).count() == 1
    assert attacker.get("/")["Location"].startswith(VERIFY)


def test_a_session_from_before_the_app_was_set_up_cannot_replace_it_without_a_code(cast):
    """An officer is not made to set it up, so a session signed in before they did is not
    asked for a code (decided at sign-in); but it cannot swap the officer's app for its own
    without first giving a code from the one set up."""
    attacker, _ = _sign_in(cast.officer)
    second, _ = _sign_in(cast.officer)
    assert attacker.get("/").status_code == 200
    page = attacker.get(SET_UP).content.decode()
    attacker_secret = _secret(page)
    _set_up(cast.officer)  # the officer, in their own browser
    key = TOTPDevice.objects.get(user=cast.officer).key
    response = attacker.post(SET_UP, {"code": _code(attacker_secret), "next": "/"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.get(user=cast.officer).key == key
    assert attacker.get("/")["Location"].startswith(VERIFY)
    # nor make itself new backup codes (to give at its next sign-in)
    assert second.post(BACKUP)["Location"].startswith(VERIFY)
    assert BackupCode.objects.filter(device__user=cast.officer).count() == 10  # the officer's still work
