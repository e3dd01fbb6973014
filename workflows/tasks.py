"""Celery tasks of the workflow app (used when CELERY_BROKER_URL is set)."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification(payload: dict) -> int:
    """The emails of one committed change (see ``notifications.messages_for``)."""
    from .notifications import send

    return send(payload)


@shared_task
def send_reminders() -> dict:
    """The daily reminders (run by the beat schedule ``CELERY_BEAT_SCHEDULE``)."""
    from .reminders import reminders_send

    return dict(reminders_send())
