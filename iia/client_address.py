"""The address a request came from, behind any number of trusted proxies
(``IIA_TRUSTED_PROXIES``, docs/security.md "The client's address")."""

import ipaddress

from django.conf import settings


def _address(text: str) -> str:
    """``text`` as an IP address ("" when it is none), a port a proxy may add taken off."""
    text = text.strip()
    for candidate in (text, text.rsplit(":", 1)[0] if text.count(":") == 1 else "",
                      text[1:].split("]", 1)[0] if text.startswith("[") else ""):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return ""


def client_address(request) -> str:
    """The client's address. With ``IIA_TRUSTED_PROXIES`` = n, the n-th entry from the right
    of ``X-Forwarded-For``: each trusted proxy appends the address it got the request from,
    so that entry was written by the outermost one; anything further left was written by
    the client and is never believed. With 0 (no proxy), or a header too short or not an
    address (a request that did not come through the proxies), ``REMOTE_ADDR``."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.IIA_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
