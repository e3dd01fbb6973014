"""The shared cache (Redis) that never takes a page down with it.

Everything the product keeps in the cache is keyed on the data it was computed from (the
newest audit event, a form's revision), so an entry that cannot be read is computed again
from the database. Django's Redis cache raises when Redis cannot be reached (restarted,
failed over, its host down); this one answers a read with a miss and drops a write, logs
it, and leaves Redis alone for a few seconds so that each request does not wait for a
connection that will fail: the pages keep working, slower, until Redis is back.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ForgivingRedisCache(RedisCache):
    # after a failure, Redis is not asked again for this long (per process)
    pause_seconds = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, method, fallback, *args):
        """``method(*args)`` (one of Django's Redis cache methods), or ``fallback`` when Redis
        is out of reach or was a moment ago."""
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return method(*args)
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + self.pause_seconds
            logger.warning("Cache unreachable (%s: %s); computing from the database for %.0f s",
                           method.__name__, error, self.pause_seconds)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # the keys not stored, as Django's contract has it: all of them when Redis is away
        return self._call(super().set_many, list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        # a count (the password pages' limits, iia/account_throttle.py) that cannot be read is 0
        return self._call(super().incr, 0, key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, None, keys, version)
