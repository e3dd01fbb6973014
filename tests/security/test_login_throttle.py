"""Sign-in throttling behind the load balancer: the client's address comes from the trusted
proxy's header, a user name is locked on one address only, and one address cannot guess
across many user names."""

import pytest
from django.test import Client, RequestFactory, override_settings

from iia.client_address import client_address
from tests import factories as f

pytestmark = pytest.mark.django_db
BALANCER = "10.0.0.2"


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


@override_settings(IIA_TRUSTED_PROXIES=1)
def test_behind_the_balancer_wrong_passwords_from_one_client_do_not_lock_the_account_for_another(cast):
    attacker = Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert [_sign_in(attacker, cast.officer.username, f"wrong-{n}") for n in range(5)] == [200, 200, 200, 200, 429]
    assert _sign_in(attacker, cast.officer.username, f.PASSWORD) == 429  # the attacker's own address is locked
    owner = Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert _sign_in(owner, cast.officer.username, f.PASSWORD) == 302


@override_settings(IIA_TRUSTED_PROXIES=1)
def test_addresses_a_client_writes_into_the_header_are_not_believed(cast):
    # the balancer appends the address it saw; whatever the client put before it is its own
    statuses = [_sign_in(Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66"),
                         cast.officer.username, f"wrong-{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_without_a_trusted_proxy_the_header_is_ignored(cast):
    statuses = [_sign_in(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"),
                         cast.officer.username, f"wrong-{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_one_address_guessing_across_user_names_is_stopped_at_the_address_limit(cast, capsys):
    names = [f.user("officer").username for _ in range(10)]
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [_sign_in(guesser, name, f"wrong-{n}") for n in range(4) for name in names]
    assert statuses == [200] * 19 + [429] * 21  # the 20th failure locks the address, whatever the name
    response = guesser.post("/accounts/login/", {"username": cast.officer.username, "password": f.PASSWORD})
    assert response.status_code == 429 and "failed from your network" in response.content.decode()
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.8"), cast.officer.username, f.PASSWORD) == 302
    with capsys.disabled():
        print(f"\nS3 40 guesses over 10 names from one address: {statuses.count(200)} unthrottled")


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), [
    (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
    (1, BALANCER, "192.0.2.1", "192.0.2.1"),
    (1, BALANCER, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
    (1, BALANCER, "192.0.2.1:51234", "192.0.2.1"),
    (1, BALANCER, "[2001:db8::1]:443", "2001:db8::1"),
    (1, BALANCER, "2001:DB8::1", "2001:db8::1"),
    (2, BALANCER, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
    (2, BALANCER, "192.0.2.1", BALANCER),  # too short: not through both proxies
    (1, BALANCER, "", BALANCER),
    (1, BALANCER, "unknown", BALANCER),
    (1, BALANCER, "192.0.2.1, <script>", BALANCER),
])
def test_the_client_address_is_counted_from_the_right_by_the_trusted_proxies(proxies, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(IIA_TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected
