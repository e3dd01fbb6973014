"""The mainstreaming report: time and pages for the demo board, then for a board of
``--plan-changes`` plan changes (``manage.py seed_large``), over the last two years.

    .venv/bin/python benchmarks/mainstreaming_bench.py [--plan-changes 10000] [--runs 5]

It builds its own throwaway SQLite database (or uses ``--database-url``, which it migrates,
fills with the demo and seeds: give it an empty database of your own), and prints for each
board: its plan changes, the queries and the median time of the figures
(``reports.mainstreaming.mainstreaming_figures``), of the PDF rendered and signed
(``reports.services.mainstreaming_report_pdf``) and of the whole (as the PDF download
does), and the PDF's pages. Asserts nothing.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="iia-bench-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
    os.environ.setdefault("IIA_SIGNING_DIR", str(workdir / "signing"))
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def timed(fn, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def measure(label: str, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessments.models import Board, Membership, PlanChange, Role
    from reports import services
    from reports.forms import MainstreamingPeriodForm
    from reports.mainstreaming import mainstreaming_figures

    board = Board.objects.get(slug="dundee")
    lead = Membership.objects.filter(board=board, role=Role.EQUALITY_LEAD).select_related("user").first().user
    form = MainstreamingPeriodForm.for_query({})
    assert form.is_valid(), form.errors
    period = form.cleaned_data

    def figures():
        return mainstreaming_figures(board=board, **period)

    def whole():
        return services.mainstreaming_report_pdf(figures=figures(), by=lead)

    whole()  # warm up: fonts, the signing key
    with CaptureQueriesContext(connection) as queries:
        result = figures()
    figures_ms, _ = timed(figures, runs)
    pdf_ms, (pdf, pages) = timed(lambda: services.mainstreaming_report_pdf(figures=result, by=lead), runs)
    whole_ms, _ = timed(whole, runs)
    values = {f.label: f.value for g in result.groups for f in g.figures}
    print(f"{label}: {PlanChange.objects.filter(board=board).count()} plan changes on {board.short_name}, "
          f"period {result.period} (counted {timezone.localdate()})")
    print(f"  assessments completed {values['Assessments completed']}, screened out {values['Screened out']}, "
          f"mitigating actions in force {values['Mitigating actions in force']}, "
          f"negative on age {result.characteristics[0].value}")
    print(f"  figures: {len(queries)} queries                 median {figures_ms:8.1f} ms")
    print(f"  PDF render + sign: {pages} pages, {len(pdf) // 1024} KB   median {pdf_ms:8.1f} ms")
    print(f"  figures + PDF + sign (the download)   median {whole_ms:8.1f} ms  ({runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan-changes", type=int, default=10_000, help="of the Dundee board")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="an empty database of your own (default: SQLite)")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.core.management import call_command

    from assessments.models import PlanChange

    measure("demo", args.runs)
    # seed_large copies both demo boards' plan changes: enough in all for Dundee to have the number asked for
    total = -(-args.plan_changes * PlanChange.objects.count() // PlanChange.objects.filter(board__slug="dundee").count())
    start = time.perf_counter()
    call_command("seed_large", plan_changes=total, audit_events=0, stdout=io.StringIO())
    print(f"(seed_large --plan-changes {total}, all boards: {time.perf_counter() - start:.0f} s)")
    measure(f"seed_large {args.plan_changes}", args.runs)


if __name__ == "__main__":
    main()
