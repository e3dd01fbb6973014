"""Celery application (used when CELERY_BROKER_URL is set)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")

app = Celery("iia")
# a web process with a broker sends tasks through this app; the worker runs them
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
