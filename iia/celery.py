"""Celery application (used when CELERY_BROKER_URL is set)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")

app = Celery("iia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
