"""Changing and resetting a password (docs/security.md, "Changing and resetting a
password"): Django's own views, with the product's templates and forms, the limits of
``iia.account_throttle`` and a line in the ``iia.accounts`` log for each change (account
events belong to no board, so they are not audit events)."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from . import account_throttle
from .client_address import client_address
from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

logger = logging.getLogger("iia.accounts")

RESET_REFUSED = ("Too many password resets have been asked for from here or for this address. "
                 "Wait an hour and try again, or ask your administrator.")
CHANGE_REFUSED = ("The current password was wrong too many times. Wait 15 minutes and try again, "
                  "or sign out and reset your password by email.")


def duration_words(seconds: int) -> str:
    """``seconds`` as the reset email says it: "1 hour", "2 hours", "30 minutes"."""
    number, unit = (seconds // 3600, "hour") if seconds % 3600 == 0 else (max(1, seconds // 60), "minute")
    return f"{number} {unit}{'' if number == 1 else 's'}"


class PasswordChangeView(auth.PasswordChangeView):
    """Any signed-in person changes their password, giving the current one; this session
    stays signed in, every other session of theirs is signed out (Django's session hash)."""

    form_class = PasswordChangeForm
    template_name = "registration/change_password.html"

    def post(self, request, *args, **kwargs):
        if account_throttle.change_locked(request.user):  # not even checked: no more guesses
            context = self.get_context_data(form=self.form_class(user=request.user),
                                            extra_errors=[("", CHANGE_REFUSED)])
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password changed by user %s", self.request.user.pk)
        return response

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            account_throttle.change_failed(self.request.user)
            logger.info("wrong current password on the change-password page, user %s", self.request.user.pk)
        return super().form_invalid(form)


class PasswordChangeDoneView(auth.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


class PasswordResetView(auth.PasswordResetView):
    """Asking for a reset link by email. The page after is the same whether or not the
    address has an account; the link goes to the site's own address (``IIA_SITE_URL``),
    never to the Host the request named."""

    form_class = PasswordResetForm
    template_name = "registration/reset_password.html"
    subject_template_name = "registration/reset_password_subject.txt"
    email_template_name = "registration/reset_password_email.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not account_throttle.reset_allowed(email=form.cleaned_data["email"], address=client_address(self.request)):
            logger.warning("password reset refused: too many requests")
            context = self.get_context_data(form=form, extra_errors=[("", RESET_REFUSED)])
            return self.render_to_response(context, status=429)
        email = form.cleaned_data["email"]
        if settings.CELERY_BROKER_URL:  # the same work in the request whether or not the address has an account
            from .celery import send_to_workers
            from .tasks import send_password_reset

            send_to_workers(send_password_reset, email)
        else:
            password_reset_send(email)
        return HttpResponseRedirect(self.get_success_url())


def password_reset_send(email: str) -> int:
    """Email a reset link to each active account with a usable password at ``email``
    (Django's form finds them, ignoring case), on the site's own address; how many were
    sent. Run by a worker when there is one (``iia.tasks.send_password_reset``), so the
    request that asked takes the same time whatever the address holds."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    sent = len(list(form.get_users(form.cleaned_data["email"])))
    form.save(domain_override=urlsplit(settings.IIA_SITE_URL).netloc,
              subject_template_name=PasswordResetView.subject_template_name,
              email_template_name=PasswordResetView.email_template_name,
              extra_email_context={"site_url": settings.IIA_SITE_URL,
                                   "expiry": duration_words(settings.PASSWORD_RESET_TIMEOUT)})
    return sent


class PasswordResetDoneView(auth.PasswordResetDoneView):
    template_name = "registration/reset_password_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(expiry=duration_words(settings.PASSWORD_RESET_TIMEOUT), **kwargs)


class PasswordResetConfirmView(auth.PasswordResetConfirmView):
    """The emailed link: Django's view takes the token into the session and redirects to
    a URL without it (nothing the page links to can see it), checks it, and sets the new
    password, which spends the token (it is made from the password hash)."""

    form_class = SetPasswordForm
    template_name = "registration/reset_password_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password reset by email for user %s", self.user.pk)
        return response


class PasswordResetCompleteView(auth.PasswordResetCompleteView):
    template_name = "registration/reset_password_complete.html"
