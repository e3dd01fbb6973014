"""Base settings. Everything that differs between machines comes from the environment."""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab

from .known import DEMO_SIGNING_PASSPHRASE, DEV_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("IIA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def passkey_relying_party(site_url: str) -> tuple[str, str]:
    """The host name passkeys belong to and the origin they are taken from, for a site at
    ``site_url``: its own, or ``localhost`` for a site at an IP address (which WebAuthn refuses)."""
    parts = urlsplit(site_url)
    host = parts.hostname or "localhost"
    try:
        ipaddress.ip_address(host)
        host = "localhost"
    except ValueError:
        pass
    return host, f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


# The development key only ever serves 127.0.0.1; production.py refuses to start without its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
# A demo deployment: the sign-in page lists the demo accounts and documents are signed
# with a local demo key. production.py turns it off.
IIA_DEMO = env_bool("IIA_DEMO", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",  # two-factor sign-in (iia/two_factor.py, docs/two-factor.md)
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",  # passkeys, as a second factor (iia/passkeys.py)
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc served from here: the docs work offline
    "assessments",
    "workflows",
    "reports",
    "fixtures",
    "iia",  # project commands (backup, restore, api_token), API tokens, system checks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # before anything reads a body (CSRF reads the form in its process_view)
    "iia.middleware.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session gave its second factor
    "django_otp.middleware.OTPMiddleware",
    # the one place the second factor is asked for: nothing else answers until it is given
    "iia.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.middleware.ConflictMiddleware",
    "iia.middleware.SecurityHeadersMiddleware",
    # last: turns a locked-out login attempt into the lock-out page
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses attempts from a locked-out user and address
    "django.contrib.auth.backends.ModelBackend",
    "iia.oidc.OrganisationBackend",  # single sign-on; refuses everything while it is off
]
# --- Single sign-on over OpenID Connect (docs/single-sign-on.md) ---
# On when the issuer, client id and client secret are all set; the login page then offers
# "Sign in with your organisation". The provider's endpoints come from its discovery
# document (ISSUER/.well-known/openid-configuration) unless each is set here.
IIA_OIDC_ISSUER = os.environ.get("IIA_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("IIA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("IIA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("IIA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("IIA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("IIA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("IIA_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("IIA_OIDC_SIGN_ALGORITHM", "RS256")
# the scopes asked for, and the claim that lists the person's groups (docs: for each provider)
OIDC_RP_SCOPES = os.environ.get("IIA_OIDC_SCOPES", "openid email profile")
IIA_OIDC_GROUPS_CLAIM = os.environ.get("IIA_OIDC_GROUPS_CLAIM", "groups")
OIDC_TOKEN_USE_BASIC_AUTH = os.environ.get("IIA_OIDC_TOKEN_AUTH", "basic") == "basic"  # else client_secret_post
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_VERIFY_SSL = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sign_on_callback"
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
# --- Production safety, the client's address and sign-in throttling (docs/security.md) ---
# Set by production.py: its checks (iia/checks.py) refuse a known or short secret key, the
# demo signing passphrase and, unless IIA_ALLOW_DEMO_ACCOUNTS (the loopback stack only),
# demo accounts that sign in with the published demo password.
IIA_PRODUCTION = False
IIA_ALLOW_DEMO_ACCOUNTS = env_bool("IIA_ALLOW_DEMO_ACCOUNTS", False)
# How many proxies (load balancers) stand in front of the web processes, each appending the
# address it got the request from to X-Forwarded-For: the client's address is the one that
# many from the right (iia/client_address.py). 0: REMOTE_ADDR, the header ignored.
IIA_TRUSTED_PROXIES = int(os.environ.get("IIA_TRUSTED_PROXIES", "0"))
# Sign-in throttling: five failures for one user name from one address lock them out for 15
# minutes; twenty from one address, whatever the user names, lock that address out as long.
AXES_FAILURE_LIMIT = int(os.environ.get("IIA_LOGIN_FAILURE_LIMIT", "5"))
IIA_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("IIA_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("IIA_LOGIN_COOLOFF_HOURS", "0.25"))

# Password resets (docs/security.md, "Changing and resetting a password"): the emailed link
# works once and for this long; at most IIA_PASSWORD_RESET_EMAIL_LIMIT requests for one
# email address and IIA_PASSWORD_RESET_ADDRESS_LIMIT from one client address in the window,
# counted in the cache whether or not the email address has an account.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("IIA_PASSWORD_RESET_SECONDS", "3600"))
IIA_PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("IIA_PASSWORD_RESET_EMAIL_LIMIT", "3"))
IIA_PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("IIA_PASSWORD_RESET_ADDRESS_LIMIT", "20"))
IIA_PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("IIA_PASSWORD_RESET_WINDOW_MINUTES", "60"))
# Wrong current passwords on the change-password page, per account, before it refuses to
# check more for the window (a borrowed session cannot guess its way to a new password).
IIA_PASSWORD_CHANGE_FAILURE_LIMIT = int(os.environ.get("IIA_PASSWORD_CHANGE_FAILURE_LIMIT", "5"))

# Requests for a published document in another format (docs/other-formats.md): due this many
# working days after they are made; at most IIA_OTHER_FORMAT_ADDRESS_LIMIT from one address
# in IIA_OTHER_FORMAT_WINDOW_HOURS; the requester's details erased this many days after done.
IIA_OTHER_FORMAT_WORKING_DAYS = int(os.environ.get("IIA_OTHER_FORMAT_WORKING_DAYS", "10"))
IIA_OTHER_FORMAT_ADDRESS_LIMIT = int(os.environ.get("IIA_OTHER_FORMAT_ADDRESS_LIMIT", "5"))
IIA_OTHER_FORMAT_WINDOW_HOURS = int(os.environ.get("IIA_OTHER_FORMAT_WINDOW_HOURS", "24"))
IIA_OTHER_FORMAT_KEEP_DAYS = int(os.environ.get("IIA_OTHER_FORMAT_KEEP_DAYS", "90"))

# Two-factor sign-in (docs/two-factor.md, ADR 0027). Whoever has set it up is always asked for
# a code after their password; IIA_REQUIRE_TWO_FACTOR also makes equality leads, senior
# officers, clerks and administrators set it up before anything else. On unless this is a
# demo (make run signs in the demo accounts with the password alone); production.py turns
# it on and its checks refuse it off. Sign-ins through the backends named in
# IIA_TWO_FACTOR_EXEMPT_BACKENDS (an organisation's identity provider, which asks for its
# own second factor) are not asked; API tokens are a factor of their own (docs/api.md).
IIA_REQUIRE_TWO_FACTOR = env_bool("IIA_REQUIRE_TWO_FACTOR", not IIA_DEMO)
# single sign-on's backend (docs/single-sign-on.md): the organisation's provider asks for its own
IIA_TWO_FACTOR_EXEMPT_BACKENDS = ["iia.oidc.OrganisationBackend"]
# Wrong codes for one account within the sign-in cool-off before the code step stops
# checking them (on top of django-otp's own doubling delay after each wrong code).
IIA_TWO_FACTOR_FAILURE_LIMIT = int(os.environ.get("IIA_TWO_FACTOR_FAILURE_LIMIT", "5"))
OTP_TOTP_ISSUER = os.environ.get("IIA_TWO_FACTOR_ISSUER", "iia")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code in a row

AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "iia.login_throttle.LoginThrottle"  # adds the per-address limit
AXES_CLIENT_IP_CALLABLE = "iia.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "iia.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "iia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.context_processors.navigation",
                "iia.oidc.sign_on_context",  # the login page's "Sign in with your organisation"
            ],
        },
    },
]

# Form widgets through Jinja2, the admin's through the template language (iia/renderers.py).
FORM_RENDERER = "iia.renderers.FormRenderer"

WSGI_APPLICATION = "iia.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A request waits at most this long for a row another request holds, then gets the
    # 409 "someone else just changed this" page (ConflictMiddleware) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(os.environ.get('IIA_DB_LOCK_TIMEOUT_MS', '5000'))}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["iia.formats"]  # one date format on every page ("4 January 2027")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "iia" / "static"]
# Static files are served by WhiteNoise; without collectstatic they come from the apps
# (production runs collectstatic and turns both off).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = env_bool("WHITENOISE_AUTOREFRESH", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("IIA_SESSION_SECONDS", str(8 * 3600)))  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The upload limit, one figure: the largest file the check page takes (the page says it,
# the form checks it), and with a little room for the form around it the largest request
# body of any page (iia.middleware.RequestSizeMiddleware refuses more before reading it).
# A board's signed documents are far smaller (about 100 kB).
IIA_MAX_UPLOAD_BYTES = int(os.environ.get("IIA_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = IIA_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = IIA_MAX_UPLOAD_BYTES  # an upload is read in memory, never spooled to disk

# Evidence files (docs/evidence.md): each at most IIA_EVIDENCE_MAX_BYTES; the upload pages
# alone take a request body that large (iia.middleware.RequestSizeMiddleware), streamed to a
# temporary file on disk, never held in memory. Kept by the "evidence" storage, chosen by
# IIA_STORAGE: "filesystem" (under IIA_EVIDENCE_ROOT), "azure" (Azure Blob Storage: the
# connection string in IIA_AZURE_CONNECTION_STRING, the container IIA_AZURE_CONTAINER) or
# "s3" (IIA_S3_BUCKET, IIA_S3_ENDPOINT_URL and the usual AWS_* credentials; needs boto3).
IIA_EVIDENCE_MAX_BYTES = int(os.environ.get("IIA_EVIDENCE_MAX_BYTES", str(25 * 1024 * 1024)))
IIA_STORAGE = os.environ.get("IIA_STORAGE", "filesystem")
IIA_EVIDENCE_ROOT = os.environ.get("IIA_EVIDENCE_ROOT", str(VAR_DIR / "evidence"))


def evidence_storage(kind: str) -> dict:
    """The ``STORAGES["evidence"]`` entry for ``IIA_STORAGE``. No backend serves files by a
    URL of its own: downloads go through the product, which checks who asks."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": IIA_EVIDENCE_ROOT, "base_url": None}}
    if kind == "azure":
        return {"BACKEND": "iia.storage.EvidenceAzureStorage",
                "OPTIONS": {"connection_string": os.environ.get("IIA_AZURE_CONNECTION_STRING", ""),
                            "azure_container": os.environ.get("IIA_AZURE_CONTAINER", "evidence"),
                            "overwrite_files": False}}
    if kind == "s3":
        return {"BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": os.environ.get("IIA_S3_BUCKET", ""),
                            "endpoint_url": os.environ.get("IIA_S3_ENDPOINT_URL") or None,
                            "default_acl": "private", "querystring_auth": True, "file_overwrite": False}}
    raise ValueError(f"IIA_STORAGE is {kind!r}: give filesystem, azure or s3.")


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": evidence_storage(IIA_STORAGE),
}

# Whether the login page lists the demo accounts (only ever for a demo database).
IIA_SHOW_DEMO_LOGINS = env_bool("IIA_SHOW_DEMO_LOGINS", IIA_DEMO)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "iia": {"handlers": ["console"], "level": os.environ.get("IIA_LOG_LEVEL", "INFO")},
        # server errors with their tracebacks, whatever DEBUG says
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Signed documents. The signing keys live outside the repository; the demo passphrase
# only ever serves a development machine (production.py requires its own).
IIA_SIGNING_DIR = os.environ.get("IIA_SIGNING_DIR", str(Path.home() / ".local" / "share" / "iia" / "signing"))
IIA_SIGNING_PASSPHRASE = os.environ.get("IIA_SIGNING_PASSPHRASE", DEMO_SIGNING_PASSPHRASE if IIA_DEMO else "")
IIA_TIMESTAMP_URL = os.environ.get("IIA_TIMESTAMP_URL", "")
# Notifications: printed to the server's log unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iia@localhost")
IIA_SITE_URL = os.environ.get("IIA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Passkeys (django-otp-webauthn; docs/two-factor.md, ADR 0030): a second factor after the
# password, never the only one. A passkey belongs to the site's host name (the relying party
# id; WebAuthn refuses an IP address, so a site at 127.0.0.1 offers passkeys at localhost), and
# is taken only from the site's own origin. Moving the site to another host name leaves its
# passkeys behind: people sign in with an app or a backup code and add new ones.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID, _passkey_origin = passkey_relying_party(IIA_SITE_URL)
OTP_WEBAUTHN_RP_ID = os.environ.get("IIA_PASSKEY_RP_ID", OTP_WEBAUTHN_RP_ID)
OTP_WEBAUTHN_RP_NAME = os.environ.get("IIA_TWO_FACTOR_ISSUER", "iia")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("IIA_PASSKEY_ORIGINS", _passkey_origin)
OTP_WEBAUTHN_HELPER_CLASS = "iia.passkeys.PasskeyHelper"  # names each passkey as it is added
# A refused passkey is the person's mistake or an attack, not a server error: iia.accounts logs
# it, with the reason, in a line (the library's own logger would print a traceback for each).
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""
# The accessibility statement: the organisation that runs the service (empty: the names of
# the boards it holds) and where a member of the public reports a problem or asks for another
# format. The demo's address (.example) and number (Ofcom's range for drama) reach nobody.
IIA_ORGANISATION = os.environ.get("IIA_ORGANISATION", "")
IIA_ACCESSIBILITY_EMAIL = os.environ.get("IIA_ACCESSIBILITY_EMAIL", "accessibility@iia.example" if IIA_DEMO else "")
IIA_ACCESSIBILITY_PHONE = os.environ.get("IIA_ACCESSIBILITY_PHONE", "01632 960000" if IIA_DEMO else "")
IIA_FONT_DIRS = [d for d in os.environ.get("IIA_FONT_DIRS", "").split(":") if d]

# The cache: shared by every web process and host through Redis when IIA_CACHE_URL is
# set (the production shape sets it), each process's own memory otherwise. What is
# cached is keyed on the data it was computed from (e.g. the matrix on the newest audit
# event), so losing the cache costs time, never correctness; nothing relies on deleting an
# entry. Redis out of reach is a miss, not an error (``iia.cache``): pages keep working.
IIA_CACHE_URL = os.environ.get("IIA_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "iia.cache.ForgivingRedisCache", "LOCATION": IIA_CACHE_URL, "KEY_PREFIX": "iia",
                # a Redis host that does not answer costs a request at most this long, once
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}
    if IIA_CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # the form (``assessments.catalogue``): read on most pages, a task list's titles once a task,
    # so kept in each process (a Redis round trip a task would cost more than reading it here);
    # its keys carry the template's revision, so a changed form is read again everywhere
    "catalogue": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "iia-catalogue"},
}

# Background work: Celery with Redis when a broker is configured, inline otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# `celery -A iia beat` sends the reminders once a day (IIA_REMINDERS_HOUR, local time);
# without Celery, cron runs `manage.py send_reminders` instead.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "workflows.tasks.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("IIA_REMINDERS_HOUR", "7")), minute=0),
    },
    # documents and packs left pending (e.g. asked for while the broker was out of reach)
    "send-pending": {"task": "reports.tasks.send_pending", "schedule": crontab(minute="*/15")},
}

# The REST API (iia/api, docs/api.md): token or session authentication, JSON only, every
# endpoint signed-in unless it says otherwise (the public register).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "iia.api.authentication.TokenAuthentication",  # tokens kept as hashes (iia/tokens.py)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "iia.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "iia.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "iia.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "iia API",
    "DESCRIPTION": "Plan changes, assessments, tasks, IJB reports, meetings and the public register "
                   "of Integrated Impact Assessments. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStateEnum": "assessments.models.assessment.AssessmentState",
        "ScreeningStateEnum": "assessments.models.screening.ScreeningState",
        "OutcomeEnum": "assessments.models.screening.Outcome",
        "ScreeningReviewDecisionEnum": "assessments.models.screening.ReviewDecision",
        "ActionKindEnum": "assessments.models.assessment.ActionKind",
        "ActionStatusEnum": "assessments.models.assessment.ActionStatus",
        "PartStatusEnum": "assessments.models.assessment.PartStatus",
        "AgendaItemKindEnum": "reports.models.meetings.ItemKind",
        "AgendaDecisionEnum": "reports.models.meetings.Decision",
        "MeetingStatusEnum": "reports.models.meetings.MeetingStatus",
        "ReportStatusEnum": "reports.models.reports.ReportStatus",
        "DocumentKindEnum": "reports.models.documents.DocumentKind",
        "ReviewDecisionEnum": "iia.api.serializers.tasks.REVIEW_DECISIONS",
        "SignOffDecisionEnum": "iia.api.serializers.tasks.SIGN_OFF_DECISIONS",
    },
}
