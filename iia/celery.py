"""Celery application (used when CELERY_BROKER_URL is set)."""

import logging
import os

from celery import Celery, signals
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")

app = Celery("iia")
# a web process with a broker sends tasks through this app; the worker runs them
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def refuse_to_start_if_insecure(**kwargs) -> None:
    """A worker under the production settings with a known secret or demo accounts stops
    before taking any work (``iia.checks``)."""
    from iia.checks import refuse_to_start_if_insecure as check

    check()


def send_to_workers(task, *args) -> bool:
    """``task.delay(*args)``, except that a broker out of reach is logged, not raised: the
    work it carries is kept in the database as pending (a document, a pack) and sent again
    by the sweep (``reports.tasks.send_pending``), or (a notification) is lost with a log
    line, never undoing or failing the change that asked for it."""
    try:
        task.delay(*args)
    except (OperationalError, OSError) as error:
        logging.getLogger("iia.background").warning("broker out of reach, %s%s not sent: %s", task.name, args, error)
        return False
    return True
