"""The project's own background work (Celery finds this module in every installed app)."""

from celery import shared_task

from . import password_reset


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset(email: str) -> int:
    """Email the reset links for ``email`` (``password_reset.password_reset_send``)."""
    return password_reset.password_reset_send(email)
