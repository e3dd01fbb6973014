"""Security headers on every response; request bodies within the upload limit; the second
factor before anything else."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse

from assessments.evidence_http import HashingUploadHandler

from . import two_factor

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
# Django's admin sets a few inline styles, and the API docs (Redoc) inject
# theirs; they get a relaxed style-src and nothing else (scripts stay 'self' only).
ADMIN_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# Redoc (/api/docs/) also runs its search in a worker it builds from its own script.
DOCS_CSP = ADMIN_CSP + "; worker-src 'self' blob:"
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy everywhere; ``Cache-Control:
    no-store`` on every page shown to a signed-in user (assessments, tasks, documents not
    yet published), so nothing is kept in shared or browser caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/docs/"):
            policy = DOCS_CSP
        else:
            policy = ADMIN_CSP if request.path.startswith("/admin/") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


# Room for what a form sends around its file (the CSRF token, the other fields, the
# multipart boundaries): a body may be this much larger than the upload limit.
FORM_ROOM = 64 * 1024


class RequestSizeMiddleware:
    """A request body larger than the upload limit (``IIA_MAX_UPLOAD_BYTES`` and
    ``FORM_ROOM``) is refused with 413 from its Content-Length, before anything reads it:
    otherwise Django spools a whole upload to memory or disk before a view can look at its
    size. A body without a length (chunked) is refused with 411: Django would read none of
    it and answer as if nothing had been sent. The evidence upload pages (views marked by
    ``assessments.evidence_http.evidence_upload``) alone take a body as large as an evidence
    file (``IIA_EVIDENCE_MAX_BYTES``), streamed to a temporary file and hashed as it comes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._refuse(request, 411, "Send the request with its length (a Content-Length header).")
        limit = settings.IIA_MAX_UPLOAD_BYTES
        if request.method == "POST" and self._evidence_upload(request):
            limit = max(limit, settings.IIA_EVIDENCE_MAX_BYTES)
            request.upload_handlers = [HashingUploadHandler(request)]
        if length.isascii() and length.isdigit() and (len(length) > 15 or int(length) > limit + FORM_ROOM):
            if limit > settings.IIA_MAX_UPLOAD_BYTES:
                return self._refuse(request, 413, "The file is too large to upload.", limit, evidence=True)
            return self._refuse(request, 413, "The file is too large to check here.", limit)
        return self.get_response(request)

    @staticmethod
    def _evidence_upload(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "evidence_upload", False)

    @staticmethod
    def _refuse(request, status, message, limit=None, evidence=False):
        limit = limit or settings.IIA_MAX_UPLOAD_BYTES
        response = render(request, "413.html", {"message": message, "limit_mb": limit // (1024 * 1024),
                                                "evidence": evidence},
                          status=status)
        # The rest of the body is never read. No "Connection: close": a WSGI application may
        # not set hop-by-hop headers (PEP 3333); the server discards or closes on its own.
        return response


# The passkey script's JSON endpoints (iia/passkey_views.py) a session may reach at its step:
# using a passkey at the code step, adding one at the set-up step.
PASSKEY_STEPS = {
    two_factor.VERIFY: ("otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete"),
    two_factor.ENROL: ("otp_webauthn:credential-registration-begin", "otp_webauthn:credential-registration-complete"),
}


class TwoFactorMiddleware:
    """The one place two-factor sign-in is enforced (docs/two-factor.md): a session that
    still has to give its code, or set up an authenticator app or a passkey, reaches that page,
    the passkey endpoints of that step and signing out, nothing else (pages, the admin, task
    URLs): any other request is sent to it, and comes back after. To the API such a session
    is no session at all: a request there is anonymous unless it brings its token (a factor
    of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = two_factor.step_due(request)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        request.two_factor_pending = True  # the page shows no menu
        page = reverse("two_factor_verify" if step == two_factor.VERIFY else "two_factor_set_up")
        if request.path in (page, reverse("logout"), *(reverse(name) for name in PASSKEY_STEPS[step])):
            return self.get_response(request)
        return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
