"""Pages under load, and how their cost grows with the board (issue 8, benchmarks 2 and 5).

    .venv/bin/python benchmarks/load_bench.py [--sizes 1000,10000] [--users 50] [--seconds 15]
    make bench-load BENCH_SIZES=1000,10000

For each size: a PostgreSQL database ``iia_bench_<size>`` on the stack's server (started
here when ``make stack`` is not running; kept for the next run while that server runs), or
``NAME_<size>`` on a running server with ``--server postgres://USER@HOST:PORT/NAME``,
seeded by ``manage.py seed_large --plan-changes <size>`` (about 0.7 assessments, 11 tasks
and 20 audit events per plan change); gunicorn with --workers on it (production
settings, plain HTTP on loopback); then wrk drives each page in turn with --users
connections for --seconds, signed in as the user whose page it is. Pages that take an
object (a plan change, a section form) rotate through up to 200 of them. Prints p50, p95
and p99 latency in ms and requests per second for each page; asserts nothing.

By default each user is a wrk connection asking back to back (a new request the moment
the last one answers: latency is then users / throughput). ``--think 1-5`` gives each user
a random wait of 1 to 5 s between requests, as people reading a page do, with a connection
per request (see ``drive_thinking``); ``--think 0,1-5`` runs both. The sign-in page is the
floor: what the server costs for a page that reads nothing.
"""

import argparse
import asyncio
import html.parser
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "demo-password-1"


def sh(*args, env=None, check=True, capture=False, cwd=ROOT):
    return subprocess.run(args, cwd=cwd, env=env, check=check, text=True,
                          stdout=subprocess.PIPE if capture else None)


# --- the server ----------------------------------------------------------------------

def stack_env() -> dict:
    """The stack's environment (ports, secret), written by .ci/stack.sh."""
    env_file = sh(".ci/stack.sh", "env", capture=True).stdout.strip().splitlines()[-1]
    env = dict(os.environ)
    for line in Path(env_file).read_text().splitlines():
        m = re.match(r"export (\w+)=(.*)", line)
        if m:
            env[m[1]] = m[2].strip("'").split("  #")[0].strip()
    return env


def ensure_postgres(port: str, data: str) -> None:
    # the stack's cluster, kept: the large boards seeded once are measured again later
    sh(".ci/postgres.sh", "start", port, env={**os.environ, "IIA_PG_DATA": data, "IIA_PG_KEEP": "1"})


def redis_answers(url: str) -> bool:
    import socket

    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return False
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def database(env: dict, port: str, size: int, code: Path = ROOT, prefix: str = "iia_bench") -> tuple[dict, float | None]:
    """The seeded database ``<prefix>_<size>`` for ``size`` plan changes; seeds it when
    missing, and brings it up to the served code's migrations (e.g. indexes) when it was
    seeded by older code."""
    name = f"{prefix}_{size}"
    env = {**env, "DATABASE_URL": f"postgres://iia@127.0.0.1:{port}/{name}",
           # no broker: nothing measured enqueues work, and seeding renders the demo's
           # few documents inline
           "CELERY_BROKER_URL": "",
           # the stack's Redis cache when `make stack` runs, each worker's memory otherwise
           "IIA_CACHE_URL": env.get("IIA_CACHE_URL", "") if redis_answers(env.get("IIA_CACHE_URL", "")) else ""}
    exists = sh("psql", "-h", "127.0.0.1", "-p", port, "-U", "iia", "-d", "postgres", "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True).stdout.strip()
    seconds = None
    if exists:
        print(f"{name}: already seeded")
        sh(PY, "manage.py", "migrate", "--noinput", "-v0", env=env, cwd=code)
    else:
        sh("createdb", "-h", "127.0.0.1", "-p", port, "-U", "iia", name)
        sh(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
        started = time.monotonic()
        sh(PY, "manage.py", "seed_large", "--demo", "--plan-changes", str(size), env=env)
        seconds = time.monotonic() - started
        print(f"{name}: seeded in {seconds:.0f} s")
    return env, seconds


class Gunicorn:
    def __init__(self, env: dict, port: int, workers: int, code: Path = ROOT):
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "iia.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--log-level", "warning"], cwd=code, env=env)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGQUIT)  # at once: requests wrk gave up on are dropped
        self.proc.wait(30)


# --- signing in and reading forms ------------------------------------------------------

class FormReader(html.parser.HTMLParser):
    """The values a browser would send from the page's forms, keyed by form action."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self.current = None
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(a.get("action") or "", [])
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.current.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.current.append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.current.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None


class Session:
    def __init__(self, base: str, username: str | None):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        if username:
            page = self.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
            self.opener.open(self.base + "/accounts/login/", urllib.parse.urlencode(
                {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode())
            if "sessionid" not in self.cookies():
                raise RuntimeError(f"could not sign in as {username}")

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path).read().decode()

    def cookies(self) -> dict:
        return {c.name: c.value for c in self.jar}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies().items())


# --- what to request ---------------------------------------------------------------------

TARGETS = """
import datetime, json, random
from assessments.models import Board, PlanChange, StrategicPlan
from viewflow.workflow.models import Task
random.seed(8)
board = Board.objects.get(slug="dundee")
pcs = list(PlanChange.objects.filter(board=board).values_list("pk", flat=True))
parts = [(t.process_id, t.pk) for t in Task.objects.filter(
    process__iiaprocess__board=board, flow_task__endswith="complete_part", status="ASSIGNED",
    owner__username="officer").exclude(data__part="evidence").only("process_id", "data")]
# a place in the middle of the list of plan changes, as its "Older" link gives it
middle = PlanChange.objects.filter(board=board).order_by("-created_at", "-pk")[len(pcs) // 2]
micros = (middle.created_at - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)) // datetime.timedelta(microseconds=1)
print(json.dumps({"plan_changes": random.sample(pcs, min(200, len(pcs))), "older": f"{micros}-{middle.pk}",
                  "parts": random.sample(parts, min(200, len(parts))),
                  "plan": StrategicPlan.objects.filter(board=board).values_list("pk", flat=True).first()}))
"""


def targets(env: dict) -> dict:
    out = sh(PY, "manage.py", "shell", "-v0", "-c", TARGETS, env=env, capture=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def pages(base: str, found: dict) -> list[dict]:
    """Each page: who asks, and the requests (path, body) wrk rotates through."""
    officer, lead = Session(base, "officer"), Session(base, "lead")
    part_paths = [f"/workflow/{p}/complete_part/{t}/execute/" for p, t in found["parts"]]
    posts = []
    for path in part_paths[:50]:
        reader = FormReader()
        reader.feed(officer.get(path))
        fields = [(k, v) for form in reader.forms.values() for k, v in form if k != "revision"]
        fields = [(k, v) for k, v in fields if k != "action"] + [("action", "save")]
        posts.append((path, urllib.parse.urlencode(fields)))
    words = ["care", "respite", "transport", "carers", "budget", "mental health"]
    return [
        {"page": "sign-in page (the server's floor)", "session": Session(base, None),
         "requests": [("/accounts/login/", None)]},
        {"page": "inbox", "session": officer, "requests": [("/tasks/inbox/", None)]},
        {"page": "queue", "session": lead, "requests": [("/tasks/queue/", None)]},
        # each person's landing page: their inbox's first tasks, the count of their inbox and queue
        {"page": "home page (officer)", "session": officer, "requests": [("/", None)]},
        {"page": "home page (equality lead)", "session": lead, "requests": [("/", None)]},
        {"page": "plan change (assessment detail)", "session": officer,
         "requests": [(f"/plan-changes/{pk}/", None) for pk in found["plan_changes"]]},
        {"page": "section form GET", "session": officer, "requests": [(p, None) for p in part_paths]},
        {"page": "section form POST (draft save)", "session": officer, "requests": posts},
        {"page": "plan with cumulative matrix", "session": officer, "requests": [(f"/plans/{found['plan']}/", None)]},
        # the list of plan changes: its first page, a state, the user's own, an older page
        {"page": "plan changes list", "session": lead, "requests": [
            ("/plan-changes/", None), ("/plan-changes/?state=assessment-submitted", None),
            ("/plan-changes/?mine=on", None), (f"/plan-changes/?older={found['older']}", None)]},
        {"page": "plan changes search", "session": lead,
         "requests": [(f"/plan-changes/?q={urllib.parse.quote(w)}", None) for w in words]},
        {"page": "public register search", "session": Session(base, None),
         "requests": [(f"/register/dundee/?q={urllib.parse.quote(w)}", None) for w in words]},
    ]


# --- wrk -----------------------------------------------------------------------------

LUA = """
local reqs = {%s}
local cookie = %s
local i = 0
request = function()
  i = i + 1
  local r = reqs[(i %% #reqs) + 1]
  if r[2] then
    return wrk.format("POST", r[1], {["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, r[2])
  end
  return wrk.format("GET", r[1], {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f %%.3f %%d\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
"""


def lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def drive(base: str, page: dict, users: int, seconds: int, think: tuple[float, float] | None = None) -> dict:
    """``users`` on the page for ``seconds``: back to back (wrk, one connection each), or
    each waiting a random ``think`` (min, max seconds) between their requests."""
    if think:
        return drive_thinking(base, page, users, seconds, think)
    reqs = ", ".join(f"{{{lua_string(p)}, {lua_string(b) if b else 'nil'}}}" for p, b in page["requests"])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % (reqs, lua_string(page["session"].cookie_header())))
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(users), "-d", f"{seconds}s", "--timeout", "10s",
                              "-s", f.name, base], check=True, text=True, stdout=subprocess.PIPE).stdout
    finally:
        if not os.environ.get("IIA_BENCH_DEBUG"):
            os.unlink(f.name)
    if os.environ.get("IIA_BENCH_DEBUG"):
        print(out)
    n, micros, errors, p50, p95, p99, bad_status = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return {"page": page["page"], "requests": int(n), "rps": int(n) / (int(micros) / 1e6), "p50": float(p50),
            "p95": float(p95), "p99": float(p99), "errors": int(errors), "non_2xx_3xx": int(bad_status)}


# --- users who think between requests ---------------------------------------------------
#
# wrk can wait between requests, but only on an open connection: a sync gunicorn worker
# that has accepted it then waits with it (what a buffering proxy in front prevents), and
# gthread workers take up to a second to see a kept-alive connection again. So each
# thinking user here opens a connection per request, as a browser behind a proxy costs the
# server: asyncio, one process, a few per cent of a core at these rates.

async def _user(host: str, port: int, page: dict, cookie: str, think: tuple[float, float], deadline: float,
                rng: random.Random, out: dict) -> None:
    requests = page["requests"]
    i = rng.randrange(len(requests))
    await asyncio.sleep(rng.uniform(0, think[1]))  # users arrive spread over one think time
    while time.monotonic() < deadline:
        path, body = requests[i % len(requests)]
        i += 1
        head = (f"{'POST' if body else 'GET'} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
                f"Cookie: {cookie}\r\n")
        payload = body.encode() if body else b""
        if body:
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(payload)}\r\n"
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(head.encode() + b"\r\n" + payload)
                await writer.drain()
                answer = await asyncio.wait_for(reader.read(), timeout=10)
            finally:
                writer.close()
            out["latencies"].append(time.perf_counter() - started)
            if int(answer.split(b" ", 2)[1]) >= 400:
                out["bad_status"] += 1
        except (TimeoutError, OSError, IndexError, ValueError):
            out["errors"] += 1
        await asyncio.sleep(rng.uniform(*think))


def drive_thinking(base: str, page: dict, users: int, seconds: int, think: tuple[float, float]) -> dict:
    url = urllib.parse.urlsplit(base)
    host, port = url.hostname, url.port
    out = {"latencies": [], "errors": 0, "bad_status": 0}
    rng = random.Random(8)

    async def run():
        deadline = time.monotonic() + seconds
        cookie = page["session"].cookie_header()
        await asyncio.gather(*[_user(host, port, page, cookie, think, deadline, random.Random(rng.random()), out)
                               for _ in range(users)])

    started = time.monotonic()
    asyncio.run(run())
    elapsed = time.monotonic() - started
    ms = sorted(x * 1000 for x in out["latencies"])

    def pct(p):
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))] if ms else float("nan")

    return {"page": page["page"], "requests": len(ms), "rps": len(ms) / elapsed, "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "errors": out["errors"] + out["bad_status"], "non_2xx_3xx": out["bad_status"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000", help="plan changes per board, comma separated")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_WEB_PORT", "8871")) + 1)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="serve the code in this directory (e.g. `git archive` of an older commit) "
                             "on the same databases, for before/after figures")
    parser.add_argument("--pages", help="only the pages whose names contain one of these words, comma separated")
    parser.add_argument("--server", help="measure on this running PostgreSQL server instead of the stack's: "
                                         "postgres://USER@HOST:PORT/NAME uses (and seeds) databases NAME_<size>")
    parser.add_argument("--think", default="0",
                        help="users' think time between requests, in seconds: 0 (back to back) or MIN-MAX "
                             "(a random wait), comma separated for several runs; e.g. 0,1-5")
    args = parser.parse_args()
    thinks = [None if t.strip() == "0" else tuple(float(x) for x in t.split("-")) for t in args.think.split(",")]
    if not shutil.which("wrk"):
        sh(".ci/stack-packages.sh")
    env = stack_env()
    pg_port, prefix = os.environ.get("STACK_PG_PORT", "55871"), "iia_bench"
    if args.server:
        server_url = urllib.parse.urlsplit(args.server)
        pg_port, prefix = str(server_url.port or 5432), server_url.path.strip("/")
    else:
        ensure_postgres(pg_port, os.environ.get("STACK_DIR", f"/tmp/iia-stack-{pg_port}") + "/pg")
    if not Path(env["IIA_VAR_DIR"], "static", "staticfiles.json").exists():  # made by `make stack`
        sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        db_env, seeded = database(env, pg_port, size, args.code, prefix)
        found = targets(db_env)
        server = Gunicorn(db_env, args.port, args.workers, args.code)
        try:
            todo = pages(server.url, found)
        finally:
            server.stop()
        for think in thinks:
            users = "back to back" if think is None else f"think {think[0]:g}-{think[1]:g} s"
            for page in todo:
                if args.pages and not any(w in page["page"] for w in args.pages.split(",")):
                    continue
                # a fresh server per page: requests wrk gave up on must not slow the next page
                server = Gunicorn(db_env, args.port, args.workers, args.code)
                try:
                    drive(server.url, page, 4, 3)  # warm up: every worker has loaded its code and templates
                    row = {"size": size, "seed_seconds": seeded, "users": users,
                           **drive(server.url, page, args.users, args.seconds, think)}
                    results.append(row)
                    print(f"{size:>7} {users:<14} {row['page']:<34} p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
                          f"p99 {row['p99']:7.1f} ms  {row['rps']:6.1f} req/s  errors {row['errors']}", flush=True)
                finally:
                    server.stop()
    print(f"\n{args.users} users (wrk connections), {args.seconds} s per page, gunicorn {args.workers} workers, "
          "wrk 2 threads")
    print("| plan changes | users | page | p50 ms | p95 ms | p99 ms | req/s | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['size']:,} | {r['users']} | {r['page']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
              f"{r['rps']:.0f} | {r['errors']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.exit(main())
