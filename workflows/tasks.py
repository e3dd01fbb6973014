"""Celery tasks of the workflow app (used when CELERY_BROKER_URL is set), and sending an
action's emails after it commits: on Celery with a broker, inline without one."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from . import notifications, reminders

logger = logging.getLogger("iia.notifications")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification(payload: dict) -> int:
    """The emails of one committed change (see ``notifications.messages_for``)."""
    return notifications.send(payload)


@shared_task
def send_reminders() -> dict:
    """The daily reminders (run by the beat schedule ``CELERY_BEAT_SCHEDULE``)."""
    return dict(reminders.reminders_send())


def enqueue(payload: dict) -> None:
    """Send one change's emails: on Celery when a broker is configured, inline otherwise.
    A broker out of reach, or a failure to send, is logged and never undoes or blocks the
    change it reports."""
    if settings.CELERY_BROKER_URL:
        try:
            send_notification.delay(payload)
        except (OperationalError, OSError) as error:
            logging.getLogger("iia.background").warning(
                "broker out of reach, %s not sent: %s", send_notification.name, error)
        return
    try:
        notifications.send(payload)
    except Exception:
        logger.exception("notifications %s were not sent", payload)


def notify(*, actions=(), tasks=()) -> None:
    """Send the emails about one change once it commits (nothing if it rolls back, with its
    savepoint or its transaction). ``actions``: ``(assessment id, action, actor id)`` the
    people are told about; ``tasks``: from ``notifications.task_events``."""
    payload = {"actions": [list(action) for action in actions], "tasks": [list(task) for task in tasks]}
    if payload["actions"] or payload["tasks"]:
        transaction.on_commit(lambda: enqueue(payload))
