import os

# The Celery app is loaded only where Celery is used: a worker (``celery -A iia``) or a
# process with a broker configured. Elsewhere it would only cost memory.
if os.environ.get("CELERY_BROKER_URL"):
    from .celery import app as celery_app

    __all__ = ("celery_app",)
