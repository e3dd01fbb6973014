"""Changing and resetting a password (docs/security.md, "Changing and resetting a
password"): Django's own views, with the product's templates and forms, the limits of
``iia.account_throttle`` and a line in the ``iia.accounts`` log for each change (account
events belong to no board, so they are not audit events)."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from . import account_throttle, password_reset
from .client_address import client_address
from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

logger = logging.getLogger("iia.accounts")

RESET_REFUSED = ("Too many password resets have been asked for from here or for this address. "
                 "Wait an hour and try again, or ask your administrator.")
CHANGE_REFUSED = ("The current password was wrong too many times. Wait 15 minutes and try again, "
                  "or sign out and reset your password by email.")


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
    never to the Host the request named. The email is ``password_reset``'s, sent here or,
    with a worker, by it."""

    form_class = PasswordResetForm
    template_name = "registration/reset_password.html"
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
            password_reset.password_reset_send(email)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth.PasswordResetDoneView):
    template_name = "registration/reset_password_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(expiry=password_reset.duration_words(settings.PASSWORD_RESET_TIMEOUT), **kwargs)


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
