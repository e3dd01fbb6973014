"""Two-factor sign-in (docs/two-factor.md, ADR 0027): after their password, a person who has
set it up gives a code from their authenticator app (django-otp's TOTP device), uses a passkey
(django-otp-webauthn's credential: ``iia.passkeys``, ADR 0030) or gives one of their backup
codes (``iia.models.BackupCodes``); equality leads, senior officers, clerks and
administrators must set up an app or a passkey first when ``IIA_REQUIRE_TWO_FACTOR`` is on.

What a session still has to do is decided once, when it signs in (``sign_in_state``), and
kept in the session, so that a page costs no query to know it; ``iia.middleware.
TwoFactorMiddleware`` holds the session to that step until it is done. Account events belong
to no board: they are lines in the ``iia.accounts`` log (and, for a reset by an
administrator, the admin's history of the person), not audit events."""

import logging
import secrets
import time
from base64 import b32encode
from binascii import unhexlify

import django_otp
import segno
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from assessments.models import Membership, Role

from .models import BackupCode, BackupCodes, backup_code_digest

logger = logging.getLogger("iia.accounts")

SESSION_KEY = "iia_two_factor"  # the step this session still has to take
VERIFY = "verify"  # give a code
ENROL = "enrol"  # set up an authenticator app or a passkey
PENDING_SECRET_KEY = "iia_two_factor_secret"  # the secret being set up, until its first code

REQUIRED_ROLES = (Role.EQUALITY_LEAD, Role.SENIOR_OFFICER, Role.CLERK)
APP_NAME = "Authenticator app"
BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = 16  # 80 bits: 16 characters of 32
BACKUP_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32: no i, l, o or u


def two_factor_required(user) -> bool:
    """Whether ``user`` must set up two-factor sign-in (when ``IIA_REQUIRE_TWO_FACTOR`` is
    on): administrators (staff or superuser) and equality leads, senior officers and clerks
    of any board. A delegate holds the delegator's role on the board, so is one of these."""
    return bool(user.is_staff or user.is_superuser
                or Membership.objects.filter(user=user, role__in=REQUIRED_ROLES).exists())


@receiver(user_logged_in, dispatch_uid="iia.two_factor.sign_in_state")
def sign_in_state(sender, request, user, **kwargs) -> None:
    """Record what a new session must do before it counts as signed in: give a code, if the
    person has set up two-factor sign-in; set it up, if they must and have not; nothing
    otherwise, or when they signed in through a backend that asked for its own second
    factor (``IIA_TWO_FACTOR_EXEMPT_BACKENDS``)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    if request.session.get(BACKEND_SESSION_KEY) in settings.IIA_TWO_FACTOR_EXEMPT_BACKENDS:
        return
    if django_otp.user_has_device(user):
        request.session[SESSION_KEY] = VERIFY
    elif settings.IIA_REQUIRE_TWO_FACTOR and two_factor_required(user):
        request.session[SESSION_KEY] = ENROL


def step_due(request) -> str | None:
    """The step this signed-in session must still take (``VERIFY`` or ``ENROL``); ``None``
    when it has none or has given its second factor."""
    step = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if step is None:
        return None
    user = request.user
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return None
    return step


def app_needs_code_first(request) -> bool:
    """Whether this session must give its second factor before it may set up an app in place
    of the person's, add or remove a passkey or make backup codes: they have one, and the
    session has not given it (it signed in before it was set up, or is still at a step),
    unless it signed in through an exempt backend."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return False
    if request.session.get(BACKEND_SESSION_KEY) in settings.IIA_TWO_FACTOR_EXEMPT_BACKENDS:
        return False
    return django_otp.user_has_device(user)


def _signed_in_with(request, device) -> None:
    """The session counts as signed in with ``device``, under a new session key (the one
    seen before the second factor is not the one that has it)."""
    django_otp.login(request, device)
    request.session.cycle_key()


# --- the authenticator app ------------------------------------------------------------

def pending_secret(request) -> str:
    """The secret (hexadecimal) being set up in this session: made on the first visit to
    the set-up page, kept until a code from it is given, so a reload shows the same one."""
    if not request.session.get(PENDING_SECRET_KEY):
        request.session[PENDING_SECRET_KEY] = random_hex(20)
    return request.session[PENDING_SECRET_KEY]


def secret_text(key: str) -> str:
    """The secret as an app asks for it typed in: base 32, in groups of four."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def secret_qr_svg(*, user, key: str) -> str:
    """The secret's ``otpauth://`` address as a QR code, an SVG to put in the page."""
    address = TOTPDevice(user=user, key=key).config_url  # unsaved: only its address
    return segno.make(address, error="m").svg_inline(scale=4, border=4, light="#fff")


def _six_digits(code: str) -> int | None:
    code = code.replace(" ", "")
    return int(code) if len(code) == 6 and code.isascii() and code.isdigit() else None


def app_enrol(*, request, key: str, code: str) -> TOTPDevice | None:
    """Set up the authenticator app holding ``key`` once it gives a right ``code``: it
    replaces the app the person had (a new phone), and this session counts as signed in
    with it. The code's time step is spent: it cannot be given again at the code step."""
    token = _six_digits(code)
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if token is None or not totp.verify(token, tolerance=1):
        return None
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, key=key, confirmed=True,
                                           last_t=totp.t(), drift=totp.drift)
    request.session.pop(PENDING_SECRET_KEY, None)
    _signed_in_with(request, device)
    logger.info("two-factor sign-in set up by user %s", user.pk)
    return device


# --- backup codes -----------------------------------------------------------------------

def backup_codes_issue(*, user) -> list[str]:
    """Ten new backup codes for ``user``, replacing any they had (which stop working).
    Returns them, in groups of four: the only time anyone sees them."""
    codes = ["".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
             for _ in range(BACKUP_CODE_COUNT)]
    with transaction.atomic():
        BackupCodes.objects.filter(user=user).delete()
        device = BackupCodes.objects.create(user=user, name="Backup codes", confirmed=True)
        BackupCode.objects.bulk_create(BackupCode(device=device, digest=backup_code_digest(code)) for code in codes)
    logger.info("backup codes made for user %s", user.pk)
    return ["-".join(code[i:i + 4] for i in range(0, BACKUP_CODE_LENGTH, 4)) for code in codes]


def backup_codes_left(user) -> int:
    """How many of ``user``'s backup codes are unused."""
    return BackupCode.objects.filter(device__user=user, device__confirmed=True).count()


# --- the code step ----------------------------------------------------------------------

def code_check(*, request, code: str) -> bool:
    """Check a code given at the code step: six digits against the person's authenticator
    app, anything else against their backup codes. Each device is checked under its row
    lock (``django_otp.verify_token``): the app takes only a time step later than the last
    it took, a backup code is deleted as it is taken, so no code works twice, and each
    wrong one doubles the device's wait before it checks again. A right one: the session
    counts as signed in."""
    user = request.user
    model = TOTPDevice if _six_digits(code) is not None else BackupCodes
    for device in model.objects.devices_for_user(user, confirmed=True):
        if django_otp.verify_token(user, device.persistent_id, code.replace(" ", "")):
            _signed_in_with(request, device)
            logger.info("second factor given by user %s (%s)", user.pk, device.name)
            return True
    logger.info("wrong code at the code step, user %s", user.pk)
    return False


def two_factor_reset(*, user, by=None) -> int:
    """Take away ``user``'s authenticator app, passkeys and backup codes (a lost phone or
    laptop): their next sign-in sets it up again if they must, and any session of theirs that
    gave a second factor with them is asked again. Recorded in the admin's history of the
    person when an administrator ``by`` did it, and in the ``iia.accounts`` log. Returns how
    many were taken away."""
    with transaction.atomic():
        removed = sum(model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
                      for model in (TOTPDevice, WebAuthnCredential, BackupCodes))
        if by is not None:
            LogEntry.objects.log_actions(by.pk, [user], CHANGE, change_message="Reset two-factor sign-in",
                                         single_object=True)
    logger.warning("two-factor sign-in reset for user %s by %s", user.pk, f"user {by.pk}" if by else "a command")
    return removed
