"""How tall the longest pages are at 1280x900: the plan change, sign-off, dashboard and plan pages.

    DATABASE_URL=sqlite:////tmp/heights.db .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/heights.db .venv/bin/python manage.py load_demo
    DATABASE_URL=sqlite:////tmp/heights.db .venv/bin/python benchmarks/page_heights.py [--port 8719]

Serves the demo data (the README's ``load_demo``) with ``runserver`` on the given port, then
Debian's Chromium (Playwright, headless) signs in as the demo user who would use each page and
prints the page's ``document.documentElement.scrollHeight`` in CSS pixels, and how much of the
first screen (900 px) is the page's opening. The sign-off page is the Chief Officer's sign-off
of DUN-0002 (claimed for them first, as they would). Asserts nothing."""
import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's event loop

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.models import PlanChange, StrategicPlan  # noqa: E402
from workflows import actions  # noqa: E402
from workflows.models import ACTIVE_STATUSES  # noqa: E402
from workflows.selectors import task_url  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo-password-1"
WIDTH, HEIGHT = 1280, 900


def sign_off_url() -> str:
    """The Chief Officer's sign-off page of DUN-0002, claiming the task for them if it is free."""
    from viewflow.workflow.models import Task

    chief = get_user_model().objects.get(username="chief")
    change = PlanChange.objects.get(board__slug="dundee", title__startswith="Review of the Community Meals")
    task = next(t for t in Task.objects.filter(process__iiaprocess__plan_change=change, status__in=ACTIVE_STATUSES)
                if t.flow_task.name == "sign_off")
    if task.owner_id is None:
        actions.task_claim(task=task, by=chief)
    return task_url(task, "execute")


def pages() -> list[tuple[str, str, str]]:
    """(name, user, path) of each page measured."""
    signed = PlanChange.objects.get(board__slug="dundee", title__startswith="Reduce care home placements")
    plan = StrategicPlan.objects.get(board__slug="dundee", plan_changes=signed)
    return [
        ("Plan change (signed off, DUN-0001)", "officer", reverse("plan_change_detail", args=[signed.pk])),
        ("Sign-off task (DUN-0002)", "chief", sign_off_url()),
        ("Dashboard (Dundee)", "lead", reverse("board_dashboard", args=["dundee"])),
        ("Plan (Dundee 2022/23)", "lead", reverse("plan_detail", args=[plan.pk])),
    ]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not start.")


def measure(base: str, measured: list[tuple[str, str, str]]) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    heights = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for name, user, path in measured:
            context = browser.new_context(locale="en-GB", viewport={"width": WIDTH, "height": HEIGHT})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill(user)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            page.goto(base + path)
            page.wait_for_load_state("load")
            heights.append((name, page.evaluate("document.documentElement.scrollHeight")))
            context.close()
        browser.close()
    return heights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8719)
    port = parser.parse_args().port
    measured = pages()
    server = serve(port)
    try:
        heights = measure(f"http://127.0.0.1:{port}", measured)
    finally:
        server.terminate()
        server.wait()
    print(f"{'Page':<40} {'Height (px)':>12} {'Screens':>8}")
    for name, height in heights:
        print(f"{name:<40} {height:>12,} {height / HEIGHT:>8.1f}")


if __name__ == "__main__":
    main()
