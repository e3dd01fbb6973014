"""Passkeys (docs/two-factor.md, ADR 0030): django-otp-webauthn's JSON endpoints, which its
script on the code step and the set-up page calls, held to our rules, and the two pages
around them: backup codes after a first passkey, and removing one.

- **Using a passkey** (authentication) answers only a session at the code step
  (``two_factor.VERIFY``); it counts as signed in exactly as with a right code
  (``two_factor._signed_in_with``: a new session key), and a failed one counts towards the
  account's limit on wrong codes, as a wrong code does.
- **Adding a passkey** (registration) answers a signed-in session, but not one that has a
  second factor and has not given it (the library's rule, with ours for what "has given it"
  means: ``two_factor.app_needs_code_first``); a session that had none counts as signed in
  with the new passkey, as after setting up an app.

``iia.middleware.TwoFactorMiddleware`` lets a half-signed-in session reach the first two at
the code step and the last two at the set-up step, and nothing else."""

import logging

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import path
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from . import account_throttle, passkeys, two_factor
from .models import BackupCodes
from .two_factor_views import CODES_REFUSED, _next

logger = logging.getLogger("iia.accounts")


class NotAtTheCodeStep(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Sign in with your password first."
    default_code = "not_at_the_code_step"


class CodesRefused(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_detail = CODES_REFUSED
    default_code = "too_many_failures"


# what py_webauthn's parsers raise, beyond their own errors, for a body they cannot read
# (text where they want base 64 or CBOR, a number where they want text)
UNREADABLE = (TypeError, ValueError)


class _Malformed:
    """A body the library's parser does not expect is the client's mistake: 400, not a
    server error."""

    def handle_exception(self, exc):
        if isinstance(exc, UNREADABLE):
            exc = exceptions.MalformedRequest()
        return super().handle_exception(exc)


class _AtTheCodeStep:
    def check_can_authenticate(self):
        if two_factor.step_due(self.request) != two_factor.VERIFY:
            raise NotAtTheCodeStep()
        if account_throttle.code_locked(self.request.user):
            raise CodesRefused()
        super().check_can_authenticate()


class BeginAuthentication(_Malformed, _AtTheCodeStep, views.BeginCredentialAuthenticationView):
    """The code step's "Use your passkey": the challenge, and the person's passkeys."""


class CompleteAuthentication(_Malformed, _AtTheCodeStep, views.CompleteCredentialAuthenticationView):
    """The passkey's answer: a right one signs the session in as a right code does; any
    other counts towards the account's limit on wrong codes."""

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except (exceptions.OTPWebAuthnApiError, *UNREADABLE) as exc:
            account_throttle.code_failed(self.request.user)
            logger.info("a passkey refused at the code step, user %s (%s)", self.request.user.pk,
                        getattr(exc, "code", type(exc).__name__))
            raise

    def complete_auth(self, device):
        two_factor._signed_in_with(self.request, device)
        logger.info("second factor given by user %s (%s)", self.request.user.pk, device.name)

    def get_success_url(self):
        return _next(self.request)


class _MayAddAPasskey:
    def user_is_mfa_enrolled(self, user) -> bool:
        # read by the library only for a session that has not given a second factor
        return two_factor.app_needs_code_first(self.request)


class BeginRegistration(_Malformed, _MayAddAPasskey, views.BeginCredentialRegistrationView):
    """The set-up page's "Add a passkey": the challenge, and the passkeys the person has
    (which the authenticator will not make twice)."""


class CompleteRegistration(_Malformed, _MayAddAPasskey, views.CompleteCredentialRegistrationView):
    """The new passkey, checked and kept. A session that had given no second factor counts
    as signed in with it, under a new session key."""

    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        try:
            with rewrite_exceptions():
                device = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
        except (exceptions.OTPWebAuthnApiError, *UNREADABLE) as exc:
            logger.info("a passkey refused as it was added, user %s (%s)", user.pk, getattr(exc, "code", type(exc).__name__))
            raise
        if not self.request.user.is_verified():
            two_factor._signed_in_with(self.request, device)
        logger.info("passkey added by user %s", user.pk)
        return JsonResponse({"id": device.pk})


urlpatterns = [  # under the library's namespace, so its script and template tags find them
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
]


def _held(request, next_url):
    """A session that has a second factor and has not given it: to the code step first."""
    request.session[two_factor.SESSION_KEY] = two_factor.VERIFY
    return redirect(f"{resolve_url('two_factor_verify')}?{urlencode({'next': next_url})}")


@require_POST
def passkey_added(request):
    """Where the set-up page goes once a passkey is added: the backup codes, made now if
    this was the person's first second factor (shown once, as after setting up an app);
    otherwise back to the set-up page, which lists the new passkey."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{resolve_url('login')}?{urlencode({'next': resolve_url('two_factor_set_up')})}")
    if two_factor.app_needs_code_first(request):
        return _held(request, resolve_url("two_factor_set_up"))
    if passkeys.passkeys_for(user) and not BackupCodes.objects.filter(user=user).exists():
        codes = two_factor.backup_codes_issue(user=user)
        return render(request, "registration/two_factor_backup_codes.html",
                      {"codes": codes, "next": _next(request), "just_set_up": True, "passkey": True})
    return redirect("two_factor_set_up")


@require_POST
def passkey_remove(request, pk: int):
    """Remove one of the person's own passkeys, but not their last way to give a second
    factor (``passkeys.passkey_remove``); a session that has not given its second factor is
    sent to give it first."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{resolve_url('login')}?{urlencode({'next': resolve_url('two_factor_set_up')})}")
    if two_factor.app_needs_code_first(request):
        return _held(request, resolve_url("two_factor_set_up"))
    passkey = get_object_or_404(WebAuthnCredential, pk=pk, user=user)
    if passkeys.passkey_remove(user=user, pk=passkey.pk):
        messages.success(request, f"{passkey.name} is removed: it no longer signs you in.")
    else:
        messages.error(request, f"{passkey.name} is your only way to give a second factor: add another "
                                "passkey or an authenticator app before you remove it.")
    return redirect("two_factor_set_up")
