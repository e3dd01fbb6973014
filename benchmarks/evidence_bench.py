"""Evidence upload at the limit: a 25 MB file posted to the upload page, the whole request
through Django's WSGI handler and every middleware (the body read from a file on disk as a
server would stream it), the file streamed to a temporary file and hashed as it arrives,
its type checked, stored in the evidence storage, recorded and audited.

    .venv/bin/python benchmarks/evidence_bench.py [--runs 5] [--mb 25] [--azure]

``--azure`` keeps the files in Azurite (started on a free port; `make azurite` installs it)
through the Azure backend, as `make stack` does, instead of the file system.

Prints, per run and as medians, the request's time and the peak of Python's memory
allocations during it (tracemalloc), and the process's peak resident size. Builds its own
throwaway SQLite database and evidence directory; asserts only that each upload was kept
with the right SHA-256.
"""

import argparse
import hashlib
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHUNK = 1024 * 1024


def setup_django(workdir: Path, azure_connection: str = "") -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
    os.environ["IIA_STORAGE"] = "azure" if azure_connection else "filesystem"
    os.environ["IIA_AZURE_CONNECTION_STRING"] = azure_connection
    os.environ["IIA_EVIDENCE_ROOT"] = str(workdir / "evidence")
    os.environ.setdefault("IIA_SIGNING_DIR", str(workdir / "signing"))
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("evidence_storage_prepare", verbosity=0, stdout=io.StringIO())


def write_body(path: Path, size: int, boundary: str, csrf: str) -> str:
    """A multipart body holding a PDF of ``size`` bytes (random after its header), written a
    chunk at a time; return the file's SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        fields = {"csrfmiddlewaretoken": csrf, "part": "evidence", "publication": "publish", "withheld_reason": ""}
        for name, value in fields.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="Locality profile.pdf"\r\n'
                  f"Content-Type: application/pdf\r\n\r\n".encode())
        head = b"%PDF-1.7\n"
        out.write(head)
        digest.update(head)
        left = size - len(head)
        while left:
            chunk = os.urandom(min(CHUNK, left))
            out.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=int, default=25)
    parser.add_argument("--azure", action="store_true", help="store in Azurite through the Azure backend")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="iia-evidence-bench-"))
    if args.azure:
        from tests.azurite import azurite

        with azurite(workdir / "azurite") as connection:
            run(args, workdir, connection)
    else:
        run(args, workdir)


def run(args, workdir: Path, azure_connection: str = "") -> None:
    setup_django(workdir, azure_connection)

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from assessments.models import EvidenceFile
    from tests import factories as f

    cast = f.Cast()
    assessment = f.current(f.screen(cast, f.start(cast, "Benchmark plan change")))
    client = Client()
    client.force_login(cast.officer)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = _get_new_csrf_string()
    boundary = "iia-bench-boundary"
    size = min(args.mb * 1024 * 1024, settings.IIA_EVIDENCE_MAX_BYTES)
    body = workdir / "body.bin"
    handler = WSGIHandler()
    times, peaks = [], []
    print(f"evidence upload of {size / 1048576:.0f} MB through the WSGI handler "
          f"(storage: {settings.STORAGES['evidence']['BACKEND'].rsplit('.', 1)[-1]})")
    for attempt in range(args.runs):
        sha256 = write_body(body, size, boundary, csrf)
        with body.open("rb") as stream:
            environ = {
                "REQUEST_METHOD": "POST", "PATH_INFO": f"/assessments/{assessment.pk}/files/", "SCRIPT_NAME": "",
                "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
                "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
                "CONTENT_LENGTH": str(body.stat().st_size),
                "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "wsgi.input": stream, "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
            }
            status = []
            tracemalloc.start()
            start = time.perf_counter()
            response = handler(environ, lambda s, h, *a, seen=status: seen.append(s))
            b"".join(response)
            response.close()  # as a WSGI server does: the request's temporary files are closed
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert status[0].startswith("302"), status
        record = EvidenceFile.objects.order_by("-pk").first()
        assert record.sha256 == sha256 and record.size == size, "the stored file is not the one sent"
        times.append(elapsed * 1000)
        peaks.append(peak / 1048576)
        print(f"  run {attempt + 1}: {elapsed * 1000:7.0f} ms, peak Python allocations {peak / 1048576:6.2f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"median: {statistics.median(times):.0f} ms, peak Python allocations {statistics.median(peaks):.2f} MB "
          f"for a {size / 1048576:.0f} MB file; process peak resident size {rss:.0f} MB (Django and all)")


if __name__ == "__main__":
    main()
