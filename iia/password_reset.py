"""The password reset email (docs/security.md, "Changing and resetting a password"): sent
by the reset page (``iia.accounts``) when there is no worker, by the worker
(``iia.tasks.send_password_reset``) when there is."""

from urllib.parse import urlsplit

from django.conf import settings

from .forms import PasswordResetForm

SUBJECT_TEMPLATE = "registration/reset_password_subject.txt"
EMAIL_TEMPLATE = "registration/reset_password_email.txt"


def duration_words(seconds: int) -> str:
    """``seconds`` as the reset email says it: "1 hour", "2 hours", "30 minutes"."""
    number, unit = (seconds // 3600, "hour") if seconds % 3600 == 0 else (max(1, seconds // 60), "minute")
    return f"{number} {unit}{'' if number == 1 else 's'}"


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
              subject_template_name=SUBJECT_TEMPLATE,
              email_template_name=EMAIL_TEMPLATE,
              extra_email_context={"site_url": settings.IIA_SITE_URL,
                                   "expiry": duration_words(settings.PASSWORD_RESET_TIMEOUT)})
    return sent
