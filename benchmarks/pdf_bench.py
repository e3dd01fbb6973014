"""Documents: render and sign the demo's largest assessment with reportlab + pyHanko
(tagged PDF/UA-1 and PDF/A-2a, as the product issues it), and the same content through
WeasyPrint from the accessible HTML page (plain, and with its pdf/ua-1 variant), side by
side in one run; then an agenda pack of ``--pack-items`` reports with their signed
assessments (``pack_bench.py``): seconds and pages per second.

    .venv/bin/python benchmarks/pdf_bench.py [--runs 30] [--pack-items 30]

Reading the assessment from the database is timed on its own (WeasyPrint is given its
HTML ready-made), and with rendering and signing as the product does on sign-off.
It builds its own throwaway SQLite database with the demo data, so it measures the same
document on any machine. Prints medians (ms) and the ratio; asserts nothing.
"""

import argparse
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="iia-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
    os.environ.setdefault("IIA_SIGNING_DIR", str(workdir / "signing"))
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # not on stdout
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pack-items", type=int, default=30, help="0: no agenda pack")
    args = parser.parse_args()
    setup_django()

    from django.template.loader import render_to_string

    from reports import snapshots
    from reports.models import SignedDocument
    from reports.pdf import signing
    from reports.pdf.assessment import AssessmentPdf
    from reports.services import public_urls

    documents = SignedDocument.objects.filter(kind="assessment", status="ready").select_related(
        "assessment__plan_change__board", "assessment__template")
    document = max(documents, key=lambda d: d.pages)
    a = document.assessment
    html_url, verify_url = public_urls(document.verification_code)

    def load() -> AssessmentPdf:
        return AssessmentPdf(a, verification_code=document.verification_code, html_url=html_url,
                             verify_url=verify_url).load()

    loaded = load()

    def render() -> bytes:
        # the data is read once (its snapshot taken) (timed apart, as WeasyPrint gets its HTML ready-made)
        buffer = io.BytesIO()
        loaded.render(buffer)
        return buffer.getvalue()

    def whole() -> bytes:
        buffer = io.BytesIO()
        load().render(buffer)
        return sign(buffer.getvalue())

    def sign(pdf: bytes) -> bytes:
        return signing.sign(pdf, board_slug=a.plan_change.board.slug, reason="Signed off by bench",
                            location=a.plan_change.board.name, signer_name="Bench")

    snap = loaded.snapshot
    html = render_to_string("reports/assessment_document.html", {
        "document": document, "snap": snap, "verify_url": verify_url,
        "summary_facts": snapshots.summary_facts(snap), "sign_off_facts": snapshots.sign_off_facts(snap),
    })
    css = (ROOT / "iia" / "static" / "iia" / "iia.css").as_uri()
    html = html.replace('href="/static/iia/iia.css"', f'href="{css}"')

    def weasy() -> bytes:
        from weasyprint import HTML

        return HTML(string=html, base_url=str(ROOT)).write_pdf()

    def weasy_ua() -> bytes:
        from weasyprint import HTML

        return HTML(string=html, base_url=str(ROOT)).write_pdf(pdf_variant="pdf/ua-1")

    render(), sign(render()), whole()  # warm up: fonts, caches
    pdf = render()
    load_ms, _ = timed(load, args.runs)
    rl_ms, _ = timed(render, args.runs)
    sign_ms, _ = timed(lambda: sign(pdf), args.runs)
    both_ms, signed = timed(lambda: sign(render()), args.runs)
    whole_ms, _ = timed(whole, args.runs)
    weasy(), weasy_ua()  # warm up (after reportlab's figures: WeasyPrint's object graphs would
    gc.collect()         # otherwise sit in the collector's way)
    weasy_runs = max(5, args.runs // 3)
    weasy_ms, weasy_pdf = timed(weasy, weasy_runs)
    weasy_ua_ms, _ = timed(weasy_ua, weasy_runs)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(signed)).pages)
    weasy_pages = len(PdfReader(io.BytesIO(weasy_pdf)).pages)
    print(f"document: {a.reference} ({a.plan_change.title[:60]}), {pages} pages reportlab, {weasy_pages} pages WeasyPrint")
    print(f"runs: {args.runs} (WeasyPrint {max(5, args.runs // 3)} each)")
    print(f"read the assessment's data (queries)           median {load_ms:7.1f} ms")
    print(f"reportlab render, tagged PDF/UA-1 + PDF/A-2a   median {rl_ms:7.1f} ms")
    print(f"pyHanko sign (RSA 3072)                        median {sign_ms:7.1f} ms")
    print(f"render + sign                                  median {both_ms:7.1f} ms")
    print(f"read + render + sign (as on sign-off)          median {whole_ms:7.1f} ms")
    print(f"WeasyPrint render (HTML)                       median {weasy_ms:7.1f} ms")
    print(f"WeasyPrint render (HTML, pdf/ua-1)             median {weasy_ua_ms:7.1f} ms")
    print(f"ratio WeasyPrint pdf/ua-1 / (render + sign) = {weasy_ua_ms / both_ms:.1f}x")
    print(f"ratio WeasyPrint / (render + sign)          = {weasy_ms / both_ms:.1f}x")
    print(f"ratio WeasyPrint / (read + render + sign)   = {weasy_ms / whole_ms:.1f}x")
    if args.pack_items:
        from pack_bench import measure_pack

        print()
        measure_pack(args.pack_items)


if __name__ == "__main__":
    main()
