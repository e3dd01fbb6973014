"""The shared cache: Redis out of reach costs time, never a page."""

import socket
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings

from iia.cache import ForgivingRedisCache
from tests import factories as f

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unreachable():
    return override_settings(CACHES={**settings.CACHES, "default": {
        "BACKEND": "iia.cache.ForgivingRedisCache", "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}})


class _Recorder:
    """Stands in for the Redis client: records what is asked of it."""

    def __init__(self):
        self.asked = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.asked.append(name)


def test_with_redis_out_of_reach_reads_miss_writes_drop_and_redis_is_left_alone_a_while(caplog):
    from django.core.cache import caches

    with _unreachable():
        backend = caches["default"]
        assert isinstance(backend, ForgivingRedisCache)
        started = time.monotonic()
        assert backend.get("k", "fallback") == "fallback"
        assert time.monotonic() - started < 2  # refused at once on loopback; 0.5 s at most to connect elsewhere
        assert "Cache unreachable" in caplog.text
        # for a few seconds Redis is not asked at all: every call answers as a miss or a dropped write
        client = backend.__dict__["_cache"] = _Recorder()
        backend.set("k", 1)
        assert backend.get("k") is None and backend.get_many(["k", "j"]) == {} and not backend.has_key("k")
        assert backend.add("k", 1) is False and backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert backend.incr("count") == 0  # a count that cannot be read (the password pages' limits)
        assert client.asked == []
        # then it is asked again
        backend._down_until = time.monotonic() - 1
        backend.get("k")
        assert client.asked == ["get"]


def test_the_pages_that_keep_things_in_the_cache_work_with_redis_out_of_reach():
    cast = f.Cast()
    plan_change = f.screen(cast, f.start(cast))
    client = Client()
    client.force_login(cast.officer)
    with _unreachable():
        for _ in range(2):
            assert client.get(f"/plan-changes/{plan_change.pk}/").status_code == 200  # the kept summary
            assert client.get(f"/plans/{plan_change.plan_id}/").status_code == 200  # the kept matrix and overview
            assert Client().get("/register/dundee/").status_code == 200  # public pages kept for readers


def test_the_password_pages_work_with_redis_out_of_reach():
    """Their limits are counted in the cache: with Redis away they count nothing, and the
    pages still answer."""
    cast = f.Cast()
    client = Client()
    client.force_login(cast.officer)
    with _unreachable():
        response = client.post("/accounts/password_change/", {"old_password": "wrong", "new_password1": "x",
                                                               "new_password2": "x"})
        assert response.status_code == 200
        assert Client().post("/accounts/password_reset/", {"email": "nobody@example.org"}).status_code == 302
