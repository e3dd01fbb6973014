"""One request's time for the pages that use a cache, with each cache on or off, side by side.

    DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/python manage.py seed_large --plan-changes 300
    DATABASE_URL=sqlite:////tmp/bench.db [CACHE_BENCH_WITHOUT=catalogue,...] \
        [CACHE_BENCH_PAGES=plans/,inbox] .venv/bin/python benchmarks/cache_bench.py [requests]

Django's test client (the whole middleware stack, no network), signed in as the demo's
lead or officer, the sign-in page's cost left out; each page asked once to warm the caches,
then ``requests`` times. Prints the median wall and CPU time (CPU is steadier on a shared
machine), the 90th percentile, the queries and the size of each page. CACHE_BENCH_WITHOUT
turns caches off: plan-overview, matrix-page, matrix-scope (``assessments.caching``),
public-page (``reports.caching``), fragments (the markup
kept under those figures' stamps, ``{% cache %}``), catalogue (``assessments.catalogue``), links (a memo
of URL patterns, removed in issue 18: ``reverse`` each time). Asserts nothing."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments.models import Assessment, StrategicPlan  # noqa: E402

WITHOUT = set(filter(None, os.environ.get("CACHE_BENCH_WITHOUT", "").split(",")))


def turn_off(without: set[str]) -> None:
    from assessments import caching, catalogue, cumulative, selectors

    real = caching.until_next_change

    def bypass(name, parts, compute, *, seconds):  # a new stamp each time: its markup is rendered again too
        return compute(f"{name}:{time.perf_counter_ns()}") if name in without else real(name, parts, compute,
                                                                                          seconds=seconds)

    selectors.until_next_change = cumulative.until_next_change = bypass
    if "fragments" in without:  # the markup kept under the figures' stamps ({% cache %})
        settings.CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if "catalogue" in without:
        catalogue._by_revision = lambda what, template, read: list(read())
    if "public-page" in without:
        from django.core.cache.backends.dummy import DummyCache

        import reports.caching

        reports.caching.cache = DummyCache("", {})
    if "links" in without:
        from django.urls import reverse

        import workflows.selectors
        from assessments import links

        def plain(name, *ids):
            return reverse(name, args=[int(i) for i in ids])

        links.id_url = workflows.selectors.id_url = plain


def main() -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    turn_off(WITHOUT)
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    plan = StrategicPlan.objects.order_by("pk").first()
    plan_change = Assessment.objects.filter(ratings__isnull=False).order_by("-pk").values_list(
        "plan_change_id", flat=True).first()
    pages = [
        ("lead", f"/plans/{plan.pk}/"),
        ("lead", f"/boards/{plan.board.slug}/dashboard/"),
        ("lead", f"/plan-changes/{plan_change}/"),
        ("officer", "/tasks/inbox/"),
        ("lead", "/tasks/queue/"),
        (None, f"/register/{plan.board.slug}/"),
    ]
    only = os.environ.get("CACHE_BENCH_PAGES")
    if only:
        pages = [page for page in pages if any(o in page[1] for o in only.split(","))]
    for who, url in pages:
        client = Client()
        if who:
            client.force_login(get_user_model().objects.get(username=who))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        wall, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        wall.sort()
        print(f"{url:38} {who or 'anonymous':9} median {statistics.median(wall):7.1f} ms  "
              f"cpu {statistics.median(cpu):7.1f} ms  p90 {wall[int(len(wall) * 0.9) - 1]:7.1f} ms  "
              f"queries {len(queries)}  bytes {len(response.content)}")


if __name__ == "__main__":
    main()
