"""Two-factor sign-in is enforced in one place (``iia.middleware.TwoFactorMiddleware``):
a session held at the code step, or at setting up an app or a passkey, reaches nothing else
but the passkey endpoints of its step. Every URL the resolver knows (the role matrix's), GET
and POST: a page, an admin page, a task URL or the other step's passkey endpoints send it to
its step; the API answers it as it answers no session at all."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .test_role_matrix import urls
from .world import World

pytestmark = pytest.mark.django_db
VERIFY, SET_UP = "/accounts/two-factor/", "/accounts/two-factor/set-up/"
# what each step may reach besides its page and signing out: the passkey script's endpoints
REACHES = {VERIFY: {"/accounts/passkeys/authentication/begin/", "/accounts/passkeys/authentication/complete/"},
           SET_UP: {"/accounts/passkeys/registration/begin/", "/accounts/passkeys/registration/complete/"}}


def test_a_half_signed_in_session_reaches_nothing_but_its_step(committed, settings):
    settings.IIA_REQUIRE_TWO_FACTOR = True
    world = World(committed)
    lead, clerk = world.people["lead"], world.people["clerk"]
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    held = {VERIFY: Client(raise_request_exception=False), SET_UP: Client(raise_request_exception=False)}
    held[VERIFY].force_login(lead)  # has an app: give a code
    held[SET_UP].force_login(clerk)  # must have one and has not: set it up
    anonymous = Client(raise_request_exception=False)
    asked, reached = 0, set()
    for name, route in urls():
        for _key, kwargs, body in world.cases(name, route):
            path = reverse(name, kwargs=kwargs)
            for step, client in held.items():
                if path in (step, reverse("logout")):
                    continue
                for method in ("get", "post"):
                    response = getattr(client, method)(path, body or {})
                    asked += 1
                    if path in REACHES[step]:
                        assert response.status_code != 302, (method, path, step)  # the view answers
                        reached.add((step, path))
                    elif path.startswith("/api/"):
                        expected = getattr(anonymous, method)(path, body or {}).status_code
                        assert response.status_code == expected, (method, path, step)
                    else:
                        assert response.status_code == 302, (method, path, step, response.status_code)
                        assert response["Location"].startswith(f"{step}?next="), (method, path, response["Location"])
    assert asked > 1000
    assert reached == {(step, path) for step, paths in REACHES.items() for path in paths}
    assert held[VERIFY].get(VERIFY).status_code == 200 and held[SET_UP].get(SET_UP).status_code == 200
