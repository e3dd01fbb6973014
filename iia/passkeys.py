"""Passkeys as a second factor (docs/two-factor.md, ADR 0030): django-otp-webauthn's
credential is one more django-otp device beside the authenticator app and the backup codes,
so ``iia.two_factor`` asks for it at sign-in and holds a session to its step as it does for a
code. A passkey is never the only factor: passwordless sign-in is off
(``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN``), and the ceremonies' views
(``iia.passkey_views``) answer a session only at its step."""

import logging

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

logger = logging.getLogger("iia.accounts")


class PasskeyHelper(WebAuthnHelper):
    """The library's WebAuthn helper, naming each passkey as it is added ("Passkey 2"), so
    the person can tell theirs apart on the set-up page."""

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        credential.name = f"Passkey {WebAuthnCredential.objects.filter(user=user).count() + 1}"
        return credential


def passkeys_offered(request) -> bool:
    """Whether this page's origin is one a passkey is taken from
    (``OTP_WEBAUTHN_ALLOWED_ORIGINS``): elsewhere (the site reached by its IP address, or by
    a name it has not been told) the browser or the server would refuse one, so none is offered."""
    return f"{request.scheme}://{request.get_host()}" in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS


def passkey_config(request) -> dict:
    """What the library's script reads from the page (``otp_webauthn_config``): its four
    endpoints (ours, under its namespace) and the CSRF token."""
    return get_configuration(request)


def passkeys_for(user) -> list[WebAuthnCredential]:
    """``user``'s passkeys, the first added first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def passkey_removable(*, user, passkeys: list[WebAuthnCredential]) -> bool:
    """Whether ``user`` may remove one of ``passkeys`` (theirs): not their last way to give
    a second factor. Two-factor sign-in once on stays on; an administrator's reset takes it all."""
    return len(passkeys) > 1 or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkey_remove(*, user, pk: int) -> bool:
    """Remove ``user``'s passkey ``pk`` (theirs only), unless it is their last way to give
    a second factor. A session that signed in with it is asked for another at its next
    request. Returns whether it was removed."""
    with transaction.atomic():
        passkeys = list(WebAuthnCredential.objects.select_for_update().filter(user=user, confirmed=True)
                        .order_by("pk"))
        passkey = next((p for p in passkeys if p.pk == pk), None)
        if passkey is None or not passkey_removable(user=user, passkeys=passkeys):
            return False
        passkey.delete()
    logger.info("passkey %s removed by user %s", pk, user.pk)
    return True
