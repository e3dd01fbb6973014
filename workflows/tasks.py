"""Celery tasks of the workflow app (used when CELERY_BROKER_URL is set)."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification(assessment_id: int, action: str, actor_id: int) -> int:
    from .notifications import send

    return send(assessment_id, action, actor_id)


@shared_task
def send_reminders() -> dict:
    """The daily reminders (run by the beat schedule ``CELERY_BEAT_SCHEDULE``)."""
    from .reminders import reminders_send

    return dict(reminders_send())
