"""Changing a password (any signed-in person) and resetting it by email (a single-use link
that expires; the same answer whether or not the address has an account; limited per
address asked about and per client)."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client, override_settings

from tests import factories as f

pytestmark = pytest.mark.django_db
NEW = "a-new-long-passphrase-7"
CHANGE = "/accounts/password_change/"
RESET = "/accounts/password_reset/"


def _signed_in(person, **client_kwargs):
    client = Client(**client_kwargs)
    client.force_login(person)
    return client


def _change(client, current, new=NEW, again=None):
    return client.post(CHANGE, {"old_password": current, "new_password1": new, "new_password2": again or new})


def _signs_in(person, password) -> bool:
    response = Client().post("/accounts/login/", {"username": person.username, "password": password})
    return response.status_code == 302


# --- changing a password --------------------------------------------------------------

def test_an_officer_changes_their_password_and_stays_signed_in(cast, caplog):
    client = _signed_in(cast.officer)
    page = client.get(CHANGE).content.decode()
    assert re.search(r'<label for="id_old_password">Current password', page)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*id="id_old_password"', page)
    assert len(re.findall(r'<input[^>]*autocomplete="new-password"', page)) == 2
    assert "at least 10 characters" in page  # the validators of the settings, as the hint

    with caplog.at_level("INFO", logger="iia.accounts"):
        response = _change(client, f.PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    assert client.get(response["Location"]).status_code == 200  # still signed in
    assert client.get("/").status_code == 200
    assert not _signs_in(cast.officer, f.PASSWORD) and _signs_in(cast.officer, NEW)
    assert f"password changed by user {cast.officer.pk}" in caplog.text


def test_a_change_signs_out_the_persons_other_sessions(cast):
    elsewhere = _signed_in(cast.officer)
    assert elsewhere.get("/").status_code == 200
    _change(_signed_in(cast.officer), f.PASSWORD)
    assert elsewhere.get("/").status_code == 302  # sent to sign in


def test_a_wrong_current_password_is_refused_beside_its_field(cast):
    client = _signed_in(cast.officer)
    response = _change(client, "not-my-password")
    page = response.content.decode()
    assert response.status_code == 200
    error = re.search(r'<div class="error-message" id="id_old_password_error">(.*?)</div>', page, re.S)
    assert error and "That is not your current password" in error.group(1)
    assert 'href="#id_old_password"' in page  # the error summary links to the field
    assert _signs_in(cast.officer, f.PASSWORD) and not _signs_in(cast.officer, NEW)


@pytest.mark.parametrize(("new", "again", "message"), [
    ("short-1", None, "at least 10 characters"),
    ("31415926535897", None, "entirely numeric"),
    ("password123", None, "too common"),
    (NEW, NEW + "x", "didn’t match"),
    ("x" * 5000, None, "at most 4096 characters"),
])
def test_the_password_rules_of_the_settings_apply(cast, new, again, message):
    response = _change(_signed_in(cast.officer), f.PASSWORD, new, again)
    assert response.status_code == 200 and message in response.content.decode()
    assert _signs_in(cast.officer, f.PASSWORD)


def test_wrong_current_passwords_are_limited_per_account(cast):
    client = _signed_in(cast.officer)
    assert [_change(client, f"guess-{n}").status_code for n in range(5)] == [200] * 5
    refused = _change(client, f.PASSWORD)  # the right one, but no more guesses are checked
    assert refused.status_code == 429 and "wrong too many times" in refused.content.decode()
    assert _signs_in(cast.officer, f.PASSWORD)
    assert _change(_signed_in(cast.lead), f.PASSWORD).status_code == 302  # another account is not held


@pytest.mark.parametrize("path", [CHANGE, CHANGE + "done/"])
def test_anonymous_people_are_sent_to_sign_in(path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"
    assert Client().post(CHANGE, {"old_password": "x", "new_password1": NEW, "new_password2": NEW}).status_code == 302


def test_every_signed_in_page_offers_the_change_and_sign_in_offers_the_reset(cast):
    assert 'href="/accounts/password_change/">Change your password</a>' in _signed_in(cast.clerk).get("/").content.decode()
    assert f'href="{RESET}">Forgotten your password?</a>' in Client().get("/accounts/login/").content.decode()


# --- resetting it by email ------------------------------------------------------------

@pytest.fixture
def person(db):
    return f.user("officer", email="morag.fleming@example.org")


def _ask(email, client=None):
    return (client or Client()).post(RESET, {"email": email})


def _link(message) -> str:
    found = re.search(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _set(client, path, password=NEW):
    return client.post(path, {"new_password1": password, "new_password2": password})


def test_a_reset_link_works_once(person, caplog):
    response = _ask("Morag.Fleming@example.org")  # the address's case does not matter
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.to == ["morag.fleming@example.org"] and message.subject == "Reset your iia password"
    assert "Integrated Impact Assessment" in message.body and "within 1 hour" in message.body
    assert person.username in message.body and not message.alternatives  # plain text only
    link = _link(message)

    client = Client()
    opened = client.get(link)
    # the token goes into the session; the page's own address does not carry it
    assert opened.status_code == 302 and opened["Location"].endswith("/set-password/")
    assert link.split("/")[-2] not in opened["Location"]
    form = client.get(opened["Location"])
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    assert form["Referrer-Policy"] == "same-origin"
    with caplog.at_level("INFO", logger="iia.accounts"):
        done = _set(client, opened["Location"])
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert _signs_in(person, NEW) and not _signs_in(person, f.PASSWORD)
    assert f"password reset by email for user {person.pk}" in caplog.text

    again = Client()
    second = again.get(link)
    page = again.get(second["Location"]).content.decode() if second.status_code == 302 else second.content.decode()
    assert "The link does not work" in page
    assert _set(again, link, "yet-another-passphrase-9").status_code == 200
    assert _signs_in(person, NEW)


def test_a_link_is_spent_by_signing_in_too(person):
    _ask(person.email)
    link = _link(mail.outbox[0])
    assert _signs_in(person, f.PASSWORD)  # last_login changes
    assert "The link does not work" in Client().get(link, follow=True).content.decode()


def test_an_expired_link_is_refused(person, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    _ask(person.email)
    link = _link(mail.outbox[0])
    later = datetime.datetime.now() + datetime.timedelta(seconds=3601)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        client = Client()
        page = client.get(link, follow=True).content.decode()
        assert "The link does not work" in page
        assert _set(client, link).status_code == 200
    assert _signs_in(person, f.PASSWORD)


def test_an_unknown_address_gets_the_same_pages_and_no_email(person):
    known, unknown = _ask(person.email), _ask("nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    assert Client().get(known["Location"]).content == Client().get(unknown["Location"]).content


def test_with_a_worker_the_request_only_hands_the_address_over_whatever_it_holds(person, settings, caplog):
    """With a broker the request sends the worker the address asked about, known or not,
    and emails nobody itself: its work (and so its time) does not depend on the address.
    The worker then sends the link to the known address only."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    sent = []
    with mock.patch("iia.celery.send_to_workers", side_effect=lambda task, *args: sent.append((task.name, args))):
        known, unknown = _ask(person.email), _ask("nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert sent == [("iia.tasks.send_password_reset", (person.email,)),
                    ("iia.tasks.send_password_reset", ("nobody@example.org",))]
    assert mail.outbox == []
    from iia.tasks import send_password_reset

    assert [send_password_reset(args[0]) for _name, args in sent] == [1, 0]
    [message] = mail.outbox
    assert message.to == [person.email] and _link(message)


def test_inactive_accounts_and_accounts_without_a_password_get_no_email(db):
    f.user("officer", email="left@example.org", is_active=False)
    unusable = f.user("officer", email="sso@example.org")
    unusable.set_unusable_password()
    unusable.save()
    assert [_ask(email).status_code for email in ("left@example.org", "sso@example.org")] == [302, 302]
    assert mail.outbox == []


def test_the_link_is_on_the_sites_own_address_whatever_host_the_request_named(person, settings):
    settings.IIA_SITE_URL = "https://iia.example.gov.scot"
    _ask(person.email, Client(HTTP_HOST="localhost"))
    assert "https://iia.example.gov.scot/accounts/reset/" in mail.outbox[0].body
    assert "localhost" not in mail.outbox[0].body


def test_requests_are_limited_per_address_asked_about_whatever_it_holds(person, capsys):
    known = [_ask(person.email, Client(REMOTE_ADDR=f"192.0.2.{n}")).status_code for n in range(5)]
    unknown = [_ask("nobody@example.org", Client(REMOTE_ADDR=f"192.0.2.{n}")).status_code for n in range(5)]
    assert known == unknown == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "Too many password resets" in _ask(person.email).content.decode()
    with capsys.disabled():
        print(f"\nS5 password reset requests for one address, from 5 clients: known {known}, unknown {unknown}; "
              f"{len(mail.outbox)} emails")


@override_settings(IIA_TRUSTED_PROXIES=1)
def test_requests_are_limited_per_client_behind_the_balancer(person):
    def ask(n, client_address):
        return _ask(f"someone{n}@example.org", Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address))

    assert [ask(n, "198.51.100.66").status_code for n in range(21)] == [302] * 20 + [429]
    assert ask(99, "192.0.2.10").status_code == 302  # another client behind the same balancer


@override_settings(PASSWORD_RESET_TIMEOUT=1800)
def test_the_email_and_the_page_say_the_expiry_set(person):
    sent = _ask(person.email)
    assert "within 30 minutes" in mail.outbox[0].body
    assert "for 30 minutes" in Client().get(sent["Location"]).content.decode()


def test_an_over_long_or_malformed_address_is_refused_without_an_email(person):
    for email in ("x" * 300 + "@example.org", "not an address", ""):
        assert _ask(email).status_code == 200
    assert mail.outbox == []
