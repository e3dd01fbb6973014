"""Production checks (docs/security.md, "Secrets"): under the production settings
(``IIA_PRODUCTION``) no secret anyone could know, no demo account anyone could sign in to,
and two-factor sign-in required. They fail ``manage.py check`` (the settings ones) and
``manage.py migrate`` (all, the demo accounts included), and the web and Celery processes run them all when they start
(``refuse_to_start_if_insecure``), so gunicorn and the workers refuse to start."""

from django.conf import settings
from django.core import checks
from django.core.management.base import SystemCheckError
from django.db import DEFAULT_DB_ALIAS, connections

from .settings.known import DEMO_SIGNING_PASSPHRASE, DEV_SECRET_KEY, TEST_SIGNING_PASSPHRASE

TAG = "production"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 10  # distinct characters
KNOWN_SECRETS = frozenset({DEV_SECRET_KEY, DEMO_SIGNING_PASSPHRASE, TEST_SIGNING_PASSPHRASE})


def weak_secret_key(key: str) -> str:
    """Why ``key`` is no secret ("" when it is fine)."""
    if key in KNOWN_SECRETS or key.startswith("django-insecure-"):
        return "it is a published value (in this repository or Django's templates)"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"it has {len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are needed"
    if len(set(key)) < MIN_SECRET_KEY_CHARACTERS:
        return f"it has {len(set(key))} different characters; at least {MIN_SECRET_KEY_CHARACTERS} are needed"
    return ""


def signing_passphrases() -> dict[str, str]:
    """Every signing passphrase set: the default and each board's (``IIA_SIGNING_PASSPHRASE_<SLUG>``)."""
    import os

    found = {name: value for name, value in os.environ.items() if name.startswith("IIA_SIGNING_PASSPHRASE_")}
    found["IIA_SIGNING_PASSPHRASE"] = settings.IIA_SIGNING_PASSPHRASE
    return found


@checks.register(TAG)
def secret_key_check(app_configs, **kwargs):
    if not settings.IIA_PRODUCTION:
        return []
    errors = []
    for name, key in [("DJANGO_SECRET_KEY", settings.SECRET_KEY)] + [
            (f"SECRET_KEY_FALLBACKS[{n}]", k) for n, k in enumerate(settings.SECRET_KEY_FALLBACKS)]:
        if reason := weak_secret_key(key):
            errors.append(checks.Error(
                f"{name} is not a secret: {reason}.", id="iia.E001",
                hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))'"))
    return errors


@checks.register(TAG)
def demo_settings_check(app_configs, **kwargs):
    if not settings.IIA_PRODUCTION:
        return []
    errors = [
        checks.Error(f"{name} is the demo's published passphrase.", id="iia.E002",
                     hint="Give each signing key its own passphrase (make_signing_cert) and set it here.")
        for name, value in sorted(signing_passphrases().items()) if value in KNOWN_SECRETS
    ]
    if settings.IIA_DEMO or settings.IIA_SHOW_DEMO_LOGINS:
        errors.append(checks.Error("IIA_DEMO and IIA_SHOW_DEMO_LOGINS must be off under the production settings.",
                                   id="iia.E003"))
    return errors


@checks.register(TAG)
def sign_on_check(app_configs, **kwargs):
    """Single sign-on (docs/single-sign-on.md) half set is off without a word; over plain
    HTTP its tokens and client secret would cross the network readable."""
    if not settings.IIA_PRODUCTION:
        return []
    given = {"IIA_OIDC_ISSUER": settings.IIA_OIDC_ISSUER, "IIA_OIDC_CLIENT_ID": settings.OIDC_RP_CLIENT_ID,
             "IIA_OIDC_CLIENT_SECRET": settings.OIDC_RP_CLIENT_SECRET}
    missing = [name for name, value in given.items() if not value]
    if missing and len(missing) < len(given):
        return [checks.Error(f"Single sign-on is half set: {', '.join(missing)} missing.", id="iia.E005",
                             hint="Set all three to turn it on, or none to leave it off.")]
    endpoints = [settings.IIA_OIDC_ISSUER] + [getattr(settings, name) for name in (
        "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")]
    if not missing and any(url and not url.startswith("https://") for url in endpoints):
        return [checks.Error("Single sign-on's issuer and endpoints must be https:// addresses.", id="iia.E006")]
    return []


@checks.register(TAG)
def two_factor_check(app_configs, **kwargs):
    """Two-factor sign-in may be off under the production settings only for the loopback
    stack, whose demo accounts sign in with the demo password (IIA_ALLOW_DEMO_ACCOUNTS)."""
    if not settings.IIA_PRODUCTION or settings.IIA_REQUIRE_TWO_FACTOR or settings.IIA_ALLOW_DEMO_ACCOUNTS:
        return []
    return [checks.Error("IIA_REQUIRE_TWO_FACTOR is off under the production settings.", id="iia.E007",
                         hint="Leave it on: equality leads, senior officers, clerks and administrators then "
                              "set up two-factor sign-in (docs/two-factor.md).")]


def demo_accounts() -> list[str]:
    """The demo's user names (and the admin it makes) that sign in with the demo password here."""
    from django.contrib.auth import get_user_model

    from fixtures import demo_data

    names = [username for username, *_ in demo_data.USERS] + ["admin"]
    return sorted(user.username for user in get_user_model().objects.filter(username__in=names, is_active=True)
                  if user.check_password(demo_data.PASSWORD))


@checks.register(TAG, checks.Tags.database)
def demo_accounts_check(app_configs, databases=None, **kwargs):
    if not settings.IIA_PRODUCTION or settings.IIA_ALLOW_DEMO_ACCOUNTS or DEFAULT_DB_ALIAS not in (databases or ()):
        return []
    found = demo_accounts()
    if not found:
        return []
    return [checks.Error(
        f"The database holds demo accounts anyone can sign in to with the published demo password: {', '.join(found)}.",
        id="iia.E004",
        hint="Delete them or give them passwords of their own. Only a demo on loopback (make stack) sets "
             "IIA_ALLOW_DEMO_ACCOUNTS=1.")]


def refuse_to_start_if_insecure() -> None:
    """Run the production checks (with the database) and raise ``SystemCheckError`` when
    one fails: for the processes Django starts without its checks (gunicorn's workers,
    Celery's). Nothing to do outside the production settings."""
    if not settings.IIA_PRODUCTION:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    opened = connection.connection is None
    try:
        errors = [e for e in checks.run_checks(tags=[TAG], databases=[DEFAULT_DB_ALIAS]) if e.is_serious()]
    finally:
        if opened:  # a process forked after this opens its own
            connection.close()
    if errors:
        raise SystemCheckError("iia refuses to start under the production settings:\n" +
                               "\n".join(f"{e.id}: {e.msg} {e.hint or ''}".rstrip() for e in errors))


@checks.register()
def evidence_storage_check(app_configs, **kwargs):
    """The evidence storage ``IIA_STORAGE`` names can be reached: Azure needs its connection
    string, S3 its bucket and boto3 (docs/evidence.md). Under every settings: a deployment
    that chose a backend finds out at ``manage.py check``, not at its first upload."""
    import importlib.util
    import os

    kind = settings.IIA_STORAGE
    if kind == "azure" and not os.environ.get("IIA_AZURE_CONNECTION_STRING"):
        return [checks.Error("IIA_STORAGE is azure but IIA_AZURE_CONNECTION_STRING is not set.", id="iia.E010")]
    if kind == "s3" and not os.environ.get("IIA_S3_BUCKET"):
        return [checks.Error("IIA_STORAGE is s3 but IIA_S3_BUCKET is not set.", id="iia.E010")]
    if kind == "s3" and importlib.util.find_spec("boto3") is None:
        return [checks.Error("IIA_STORAGE is s3 but boto3 is not installed.", hint="pip install boto3",
                             id="iia.E010")]
    return []
