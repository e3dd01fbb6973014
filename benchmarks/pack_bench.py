"""Build an agenda pack of many reports with their signed assessments and print the time,
pages per second and memory.

    .venv/bin/python benchmarks/pack_bench.py [--items 30]

(``benchmarks/pdf_bench.py`` runs it too, after its own figures.)

Uses its own throwaway SQLite database: the demo, plus ``--items`` plan changes taken to
sign-off through the real workflow (each with an explanation on every row), a report on
each, and one meeting whose agenda is published. Prints figures; asserts nothing.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_bench import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_django()
    measure_pack(args.items, profile=args.profile)


def measure_pack(items: int, *, profile: bool = False) -> None:
    """Set up ``items`` signed-off assessments with reports on one agenda, build its pack
    and print the figures (Django must be set up, on a throwaway database)."""
    import datetime

    from django.db import transaction

    from assessments.models import Board, PlanChange
    from fixtures import demo, demo_data, demo_steps
    from reports import services
    from reports.models import AgendaPack, Committee, Meeting

    users = demo._users()
    board = Board.objects.get(slug="dundee")
    plan = demo._plan(board, demo_data.DUNDEE_PLAN)
    template = demo_data.PLAN_CHANGES[0]
    started = time.perf_counter()
    for n in range(items):
        spec = {**template, "title": f"Benchmark plan change {n + 1}: {template['title']}"}
        demo_steps.walk_plan_change(plan, spec, users, author=users["officer"], lead=users["lead"], senior=users["chief"],
                          director=users["director"])
    setup_s = time.perf_counter() - started
    committee = Committee.objects.get(board=board, kind="ijb")
    meeting = services.meeting_create(committee=committee, by=users["clerk"],
                                      date=datetime.date.today() + datetime.timedelta(days=14), remote=True)
    for plan_change in PlanChange.objects.filter(title__startswith="Benchmark plan change"):
        report = services.report_create(
            plan_change=plan_change, by=users["officer"], committee=committee, title=f"Report: {plan_change.title}",
            report_by="Chief Officer", decision_sought="agree", purpose="To agree the change. " * 20,
            recommendations="Agree the change.\nNote the assessment.", main_text="Background. " * 300,
            direction_to="none")
        services.report_submit(report=report, by=users["officer"])
        services.agenda_add_report(meeting=meeting, report=report, by=users["clerk"])
    services.pack_request = lambda meeting: AgendaPack.objects.get_or_create(meeting=meeting)[0]
    import reports.services.meetings as meetings_module

    meetings_module.pack_request = services.pack_request  # build it here, measured, not on commit
    with transaction.atomic():
        services.meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk), by=users["clerk"])

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        services.pack_build(meeting_id=meeting.pk)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    pack = services.pack_build(meeting_id=meeting.pk)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"set-up: {items} signed-off assessments through the workflow in {setup_s:.1f} s")
    print(f"agenda pack: {items} reports with signed appendices, {pack.pages} pages, {pack.size / 1e6:.1f} MB")
    print(f"build time: {seconds:.2f} s, {pack.pages / seconds:.0f} pages per second")
    print(f"memory in this process: Python allocations peak {peak / 2**20:.1f} MiB during the build; "
          f"peak RSS {rss_after / 1024:.0f} MiB (before the build {rss_before / 1024:.0f} MiB)")

    # what a worker process needs: a fresh process that only builds the pack
    import os
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    with tempfile.NamedTemporaryFile(suffix=".pdf") as target:
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(root / "manage.py"), "build_agenda_pack", str(meeting.pk),
                                 "--output", target.name], check=True, env=dict(os.environ), cwd=root,
                                capture_output=True, text=True)
        wall = time.perf_counter() - started
    peak = result.stdout.rsplit("peak memory", 1)[-1].strip(" .\n")
    print(f"fresh worker process (manage.py build_agenda_pack): peak memory {peak}, {wall:.1f} s "
          f"including Django start-up")


if __name__ == "__main__":
    main()
