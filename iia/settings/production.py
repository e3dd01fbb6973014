"""Production settings: secrets and hosts must come from the environment."""

import os

from .base import *  # noqa: F401,F403

DEBUG = False
IIA_PRODUCTION = True  # the production checks (iia/checks.py) refuse known secrets and demo accounts
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
IIA_DEMO = False
IIA_SHOW_DEMO_LOGINS = False
# Off only for the loopback stack (make stack), whose demo accounts sign in with the demo
# password alone: the production checks refuse it off otherwise (iia.E005).
IIA_REQUIRE_TWO_FACTOR = env_bool("IIA_REQUIRE_TWO_FACTOR", True)  # noqa: F405
IIA_SIGNING_PASSPHRASE = os.environ.get("IIA_SIGNING_PASSPHRASE", "")
IIA_ACCESSIBILITY_EMAIL = os.environ.get("IIA_ACCESSIBILITY_EMAIL", "")
IIA_ACCESSIBILITY_PHONE = os.environ.get("IIA_ACCESSIBILITY_PHONE", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# HTTPS everywhere. IIA_HTTPS=0 is only for a stack on loopback with no TLS in front
# (`make stack`): plain HTTP, no redirect, no HSTS, cookies without the Secure flag.
IIA_HTTPS = env_bool("IIA_HTTPS", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = IIA_HTTPS
SECURE_HSTS_SECONDS = 31536000 if IIA_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = IIA_HTTPS
SECURE_HSTS_PRELOAD = IIA_HTTPS
SESSION_COOKIE_SECURE = IIA_HTTPS
CSRF_COOKIE_SECURE = IIA_HTTPS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "iia.storage.StaticFilesStorage"},
    "evidence": evidence_storage(IIA_STORAGE),  # noqa: F405
}
