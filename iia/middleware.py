"""Security headers on every response."""

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
