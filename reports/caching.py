"""Public pages kept in the cache between the changes that could alter them."""

import functools

from django.core.cache import cache

from assessments.caching import change_key, latest_audit_event

# entries are keyed on the newest audit event (``assessments.caching``): every publication,
# decision and withdrawal writes one
PUBLIC_PAGE_SECONDS = 60


def public_page(view):
    """For a reader who is not signed in, a GET's response is kept in the cache, keyed on
    the full URL and the newest audit event, so the next reader of the same page (the
    register in the week before a budget meeting) gets it without its queries and
    rendering. Signed-in users, and a reader with a message waiting, get it fresh."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (request.method not in ("GET", "HEAD") or request.user.is_authenticated
                or request.COOKIES.get("messages") or request.session.get("_messages")):
            return view(request, *args, **kwargs)
        key, version = change_key("public-page", request.get_full_path()), latest_audit_event()
        response = cache.get(key, version=version)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, PUBLIC_PAGE_SECONDS, version=version)
        return response

    return wrapper
