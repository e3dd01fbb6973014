"""Sign-in throttling (docs/security.md, "Sign-in throttling"): django-axes locks a user
name on one address after ``AXES_FAILURE_LIMIT`` failures; this handler adds a limit per
address across user names (``IIA_LOGIN_ADDRESS_FAILURE_LIMIT``), which axes cannot
express itself (its lockout parameters all share the one failure limit)."""

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(address: str) -> int:
    """Failed sign-ins from ``address`` within the cool-off, whatever the user names."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    address = getattr(request, "axes_ip_address", None)
    locked = bool(address) and address_failures(address) >= settings.IIA_LOGIN_ADDRESS_FAILURE_LIMIT
    if locked:
        request.login_address_locked = True  # the lock-out page says why
    return locked


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler, with an address also locked out after too many failures."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
