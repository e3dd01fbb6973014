"""The pages of two-factor sign-in (docs/two-factor.md): the code step after the password
(a code, or a passkey), setting up an authenticator app or a passkey, and backup codes. The
rules and the checks are in ``iia.two_factor`` and ``iia.passkeys``, the passkey script's
endpoints in ``iia.passkey_views``; ``iia.middleware.TwoFactorMiddleware`` sends a session here."""

import django_otp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import account_throttle, passkeys, two_factor
from .forms import AppCodeForm, CodeForm

WRONG_CODE = "That code did not work. Enter the code your app shows now, or an unused backup code."
WRONG_APP_CODE = "That code did not work. Enter the 6 digits your app shows now for iia."
CODES_REFUSED = ("Too many wrong codes. Wait 15 minutes and try again, or ask your administrator "
                 "to reset your two-factor sign-in.")


def _next(request) -> str:
    """Where to go once the step is done: the page the person was on its way to, if it is
    on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refused(request, template, form, context):
    return render(request, template, {**context, "form": form, "extra_errors": [("", CODES_REFUSED)]}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code step: after the password, a code from the app or a backup code."""
    user = request.user
    if two_factor.step_due(request) != two_factor.VERIFY:
        return redirect(_next(request))
    if not django_otp.user_has_device(user):  # reset by an administrator since this session began
        if settings.IIA_REQUIRE_TWO_FACTOR and two_factor.two_factor_required(user):
            request.session[two_factor.SESSION_KEY] = two_factor.ENROL
        else:
            request.session.pop(two_factor.SESSION_KEY, None)
        return redirect(_next(request))
    context = {"next": _next(request),
               "passkey": passkeys.passkeys_offered(request) and bool(passkeys.passkeys_for(user))}
    if context["passkey"]:  # "Use your passkey", and whether to speak of an app beside it
        context["passkey_config"] = passkeys.passkey_config(request)
        context["has_app"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    template = "registration/two_factor_verify.html"
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if account_throttle.code_locked(user):
            return _refused(request, template, CodeForm(), context)
        if form.is_valid():
            if two_factor.code_check(request=request, code=form.cleaned_data["code"]):
                return redirect(_next(request))
            account_throttle.code_failed(user)
            form.add_error("code", WRONG_CODE)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Setting up an authenticator app (or a new one in place of the old): the secret as a
    QR code and as text, and the first code it shows to confirm it. Then the backup codes.
    Beside it, the person's passkeys and "Add a passkey" (``iia.passkey_views``), where this
    origin can take one."""
    user = request.user
    if two_factor.app_needs_code_first(request):
        # an app set up since this session signed in (in another browser): the session gives a
        # code from it now, and never replaces it with one of its own without
        request.session[two_factor.SESSION_KEY] = two_factor.VERIFY
        request.session.pop(two_factor.PENDING_SECRET_KEY, None)
        return redirect(f"{resolve_url('two_factor_verify')}?{urlencode({'next': _next(request)})}")
    key = two_factor.pending_secret(request)
    keys = passkeys.passkeys_for(user)
    context = {"next": _next(request), "secret": two_factor.secret_text(key),
               "qr_svg": two_factor.secret_qr_svg(user=user, key=key),
               "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
               "passkeys": keys, "passkeys_offered": passkeys.passkeys_offered(request),
               "required": two_factor.step_due(request) == two_factor.ENROL}
    context["removable"] = passkeys.passkey_removable(user=user, passkeys=keys) if keys else False
    if context["passkeys_offered"]:
        context["passkey_config"] = passkeys.passkey_config(request)
    template = "registration/two_factor_set_up.html"
    form = AppCodeForm(request.POST or None)
    if request.method == "POST":
        if account_throttle.code_locked(user):
            return _refused(request, template, AppCodeForm(), context)
        if form.is_valid():
            if two_factor.app_enrol(request=request, key=key, code=form.cleaned_data["code"]):
                codes = two_factor.backup_codes_issue(user=user)
                return render(request, "registration/two_factor_backup_codes.html",
                              {"codes": codes, "next": context["next"], "just_set_up": True,
                               "replaced": context["has_app"], "app_added": bool(keys) and not context["has_app"]})
            account_throttle.code_failed(user)
            form.add_error("code", WRONG_APP_CODE)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """How many backup codes are left; new ones on asking (the old stop working)."""
    user = request.user
    if not django_otp.user_has_device(user):
        return redirect("two_factor_set_up")
    if two_factor.app_needs_code_first(request):  # signed in before the app was set up
        request.session[two_factor.SESSION_KEY] = two_factor.VERIFY
        return redirect(f"{resolve_url('two_factor_verify')}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        codes = two_factor.backup_codes_issue(user=user)
        return render(request, "registration/two_factor_backup_codes.html",
                      {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)})
    return render(request, "registration/two_factor_backup_codes.html",
                  {"left": two_factor.backup_codes_left(user)})
