"""Limits on the password pages (docs/security.md, "Changing and resetting a password") and
on two-factor codes (docs/two-factor.md), counted in the cache (Redis when ``IIA_CACHE_URL``
is set, shared by every process; each process's memory otherwise): requests to reset a
password, per email address asked about and per client address; wrong current passwords on
the change-password page, and wrong two-factor codes, per account.

Each count is of a fixed window, keyed on a keyed hash of what it counts (no email or
client address is kept in the cache). A cache out of reach counts nothing: the limits
lapse while it is away, and the pages keep working."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _key(kind: str, value: str, window: int) -> str:
    digest = salted_hmac("iia.account-throttle", f"{kind}:{value}", algorithm="sha256").hexdigest()
    return f"account-throttle:{kind}:{digest}:{int(time.time() // window)}"


def _count(kind: str, value: str, window: int) -> int:
    return cache.get(_key(kind, value, window), 0)


def _hit(kind: str, value: str, window: int) -> int:
    """Count one more in the current window and return the count."""
    key = _key(kind, value, window)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # gone since the add (evicted), or the cache is out of reach
        return 0


def reset_allowed(*, email: str, address: str) -> bool:
    """Count a request to reset the password of ``email`` from the client ``address``;
    False once either has made more than its limit in the window. Counted whether or not
    the email address has an account, so the answer says nothing about which ones do."""
    window = settings.IIA_PASSWORD_RESET_WINDOW_MINUTES * 60
    by_email = _hit("reset-email", email.strip().lower(), window)
    by_address = _hit("reset-address", address, window)
    return (by_email <= settings.IIA_PASSWORD_RESET_EMAIL_LIMIT
            and by_address <= settings.IIA_PASSWORD_RESET_ADDRESS_LIMIT)


def _change_window() -> int:
    return int(settings.AXES_COOLOFF_TIME * 3600)  # the sign-in lock-out's cool-off


def change_locked(user) -> bool:
    """Whether ``user`` has given a wrong current password too often to be asked again yet."""
    return _count("change", str(user.pk), _change_window()) >= settings.IIA_PASSWORD_CHANGE_FAILURE_LIMIT


def change_failed(user) -> None:
    """Count a wrong current password given on the change-password page."""
    _hit("change", str(user.pk), _change_window())


def code_locked(user) -> bool:
    """Whether ``user`` has given a wrong two-factor code (at the code step or setting up an
    app) too often within the sign-in cool-off to have another checked yet."""
    return _count("code", str(user.pk), _change_window()) >= settings.IIA_TWO_FACTOR_FAILURE_LIMIT


def code_failed(user) -> None:
    """Count a wrong two-factor code."""
    _hit("code", str(user.pk), _change_window())
