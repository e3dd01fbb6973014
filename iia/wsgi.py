"""WSGI entry point: what gunicorn's workers load."""
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
application = get_wsgi_application()

# under the production settings, no known secret or demo account: else the worker stops here
# (Django runs its checks for manage.py, never for gunicorn)
from iia.checks import refuse_to_start_if_insecure  # noqa: E402  (needs the settings loaded above)

refuse_to_start_if_insecure()

# Python's cyclic garbage collector, tuned for serving pages (docs/performance.md, "Garbage
# collection"). A page builds thousands of short-lived objects (model instances, template
# contexts); at the default threshold (700 new objects) the queue page started nine
# collections a request, and each full one walked the ~90,000 objects of Django and this
# project loaded at start, which never become garbage. So: the URLs and their views are
# imported now, what is loaded so far is frozen (never walked again), and a collection
# starts every 10,000 new objects instead of every 700.
GC_THRESHOLD = (10_000, 10, 10)


def tune_gc() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module before the freeze
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


tune_gc()
