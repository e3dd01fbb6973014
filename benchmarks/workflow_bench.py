"""Workflow engine overhead on PostgreSQL, side by side in one run:

- services: plan changes taken from start to sign-off through ``workflows.engine`` and the
  ``assessments`` services (IIAFlow's locks, guards, task rows, audit, notifications);
- floor: bare Django ORM doing, per step, one transaction that locks the row, updates its
  state and inserts the audit row (the least any audited, locked step can cost);
- SpiffWorkflow: ``benchmarks/iia_flow.bpmn`` (the same steps, gateways and loops) with its
  serialized state in a PostgreSQL row, per step one transaction that locks that row, runs the
  task, writes the state back and inserts the audit row;
- HTTP: the screening review, submission, approval and sign-off tasks completed through their
  pages with Django's test client (the whole middleware stack, no network).

    .venv/bin/python benchmarks/workflow_bench.py [--workflows 20] [--http-workflows 8]
        [--database-url postgres://...]

Without ``--database-url`` it starts its own throwaway PostgreSQL on port
``IIA_BENCH_PG_PORT`` (55433) with ``.ci/postgres.sh`` and stops it afterwards. The signed PDF
asked for at sign-off is rendered by a worker in production (``benchmarks/pdf_bench.py``
measures it), so here the request is recorded and not rendered. Prints figures; asserts nothing.
"""

import argparse
import atexit
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTS_ANSWERS = {"review_screening": "concur", "review": "approve", "sign_off": "sign_off"}


def start_postgres(port: int) -> str:
    env = {**os.environ, "IIA_PG_DATA": f"/tmp/iia-bench-pg-{port}"}
    script = str(ROOT / ".ci" / "postgres.sh")
    subprocess.run(["bash", script, "start", str(port)], check=True, env=env, stdout=subprocess.DEVNULL)
    atexit.register(subprocess.run, ["bash", script, "stop", str(port)], env=env)
    return f"postgres://iia@127.0.0.1:{port}/iia"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iia.settings.base")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("IIA_SIGNING_DIR", tempfile.mkdtemp(prefix="iia-bench-signing-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:  # start from an empty database on every run
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    import reports.background
    import workflows.tasks

    reports.background.enqueue = lambda document_id: None  # a worker renders it (see docstring)
    send_inline = workflows.tasks.enqueue
    workflows.tasks.enqueue = lambda payload: send_inline(payload) if EMAILS["inline"] else None


# Emails: composed and sent by a Celery worker in the production shape (CELERY_BROKER_URL set),
# so off the step's path; inline after the commit otherwise (``make run``). Both are measured.
EMAILS = {"inline": False}


def emails_inline(on: bool, fn):
    def run(*args, **kwargs):
        EMAILS["inline"] = on
        try:
            return fn(*args, **kwargs)
        finally:
            EMAILS["inline"] = False
    return run


class Steps:
    """Times (and optionally counts the queries of) each step of a workflow."""

    def __init__(self, count_queries=False):
        self.ms = defaultdict(list)
        self.queries = defaultdict(list)
        self.count_queries = count_queries

    def __call__(self, name, fn):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if self.count_queries:
            with CaptureQueriesContext(connection) as captured:
                result = fn()
            self.queries[name].append(len(captured.captured_queries))
            return result
        start = time.perf_counter()
        result = fn()
        self.ms[name].append((time.perf_counter() - start) * 1000)
        return result

    def steps(self) -> int:
        return sum(len(v) for v in self.ms.values()) or sum(len(v) for v in self.queries.values())


# --- the product: engine + services ----------------------------------------------------------

def services_workflow(cast, n: int, step: Steps):
    from tests import factories as f
    from workflows import actions as workflow_actions
    from workflows import engine
    from workflows.flows import IIAFlow

    p = f.plan()
    priority = p.priorities.first()
    plan_change = step("start", lambda: engine.plan_change_start(
        board=p.board, plan=p, by=cast.officer, title=f"Benchmark plan change {n}", description="What changes.",
        change_type="service_redesign", is_revision=False, lead_officer=cast.officer, director=cast.senior,
        priorities=[priority], actions=[priority.actions.first()]))

    def screening_step():
        workflow_actions.screening_save(task=engine.active_task(plan_change, IIAFlow.screening), by=cast.officer,
                                        answers=f.answers(), complete=True, claim=True)

    def review_screening_step():
        workflow_actions.screening_review(task=engine.active_task(plan_change, IIAFlow.review_screening),
                                          by=cast.lead, decision="concur", claim=True)

    step("screening", screening_step)
    step("review_screening", review_screening_step)
    assessment = f.current(plan_change)
    for task in engine.active_tasks(plan_change, IIAFlow.complete_part):
        code = task.data["part"]

        def part_step(task=task, code=code):
            if code == "evidence":
                inputs = dict(evidence="Data.", consultation="People.")
            else:
                ratings, given = f.section_inputs(assessment.template.sections.get(code=code))
                inputs = dict(ratings=ratings, answers=given)
            workflow_actions.part_save(task=task, by=cast.officer, complete=True, claim=True, **inputs)

        step("complete_part", part_step)
    step("actions", lambda: f.complete_actions(cast, plan_change))
    step("submit", lambda: f.submit(cast, plan_change))
    step("review", lambda: f.approve(cast, plan_change))
    step("sign_off", lambda: f.sign_off(cast, plan_change))
    return plan_change


# --- the floor: lock, update the state, insert the audit row ------------------------------

def floor_workflow(cast, n: int, step_names: list[str], step: Steps, template):
    from django.db import transaction

    from assessments.models import Assessment, AuditEvent, PlanChange
    from tests import factories as f

    p = f.plan()

    def audit(assessment_id, plan_change_id, action, from_state, to_state):
        AuditEvent.objects.create(board_id=p.board_id, plan_change_id=plan_change_id, assessment_id=assessment_id,
                                  actor=cast.officer, actor_name="Officer Tester", action=action,
                                  from_state=from_state, to_state=to_state, message=f"Floor step {action}.")

    def start():
        with transaction.atomic():
            plan_change = PlanChange.objects.create(
                board_id=p.board_id, plan=p, title=f"Floor plan change {n}", description="What changes.",
                change_type="service_redesign", is_revision=False, lead_officer=cast.officer,
                director=cast.senior, created_by=cast.officer)
            assessment = Assessment.objects.create(plan_change=plan_change, version=1, template=template,
                                                   author=cast.officer)
            audit(assessment.pk, plan_change.pk, "floor.start", "", "draft")
        return assessment

    assessment = step("start", start)
    states = ["draft", "submitted"]
    for index, name in enumerate(step_names[1:]):
        def one(index=index, name=name):
            with transaction.atomic():
                row = Assessment.objects.select_for_update().only("pk", "state", "plan_change_id").get(pk=assessment.pk)
                to_state = states[(index + 1) % 2]
                Assessment.objects.filter(pk=row.pk).update(state=to_state)
                audit(row.pk, row.plan_change_id, f"floor.{name}", row.state, to_state)

        step(name, one)


# --- SpiffWorkflow, persisted in PostgreSQL -----------------------------------------------------

SPIFF_TABLE = "bench_spiff_workflow"


class Spiff:
    def __init__(self, parts: list[str]):
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        parser = BpmnParser()
        parser.add_bpmn_file(str(ROOT / "benchmarks" / "iia_flow.bpmn"))
        self.spec = parser.get_spec("iia")
        self.serializer = BpmnWorkflowSerializer()
        self.parts = parts
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {SPIFF_TABLE} (id bigserial PRIMARY KEY, "
                           "plan_change_id bigint NOT NULL, serialization text NOT NULL)")

    def workflow(self, cast, n: int, step: Steps) -> int:
        from django.db import connection, transaction
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        from assessments.models import AuditEvent, PlanChange
        from tests import factories as f

        p = f.plan()

        def audit(plan_change_id, action, from_state, to_state):
            AuditEvent.objects.create(board_id=p.board_id, plan_change_id=plan_change_id, actor=cast.officer,
                                      actor_name="Officer Tester", action=action, from_state=from_state,
                                      to_state=to_state, message=f"Spiff step {action}.")

        def start():
            with transaction.atomic():
                plan_change = PlanChange.objects.create(
                    board_id=p.board_id, plan=p, title=f"Spiff plan change {n}", description="What changes.",
                    change_type="service_redesign", is_revision=False, lead_officer=cast.officer,
                    director=cast.senior, created_by=cast.officer)
                wf = BpmnWorkflow(self.spec)
                wf.do_engine_steps()
                with connection.cursor() as cursor:
                    cursor.execute(f"INSERT INTO {SPIFF_TABLE} (plan_change_id, serialization) VALUES (%s, %s) "
                                   "RETURNING id", [plan_change.pk, self.serializer.serialize_json(wf)])
                    row_id = cursor.fetchone()[0]
                audit(plan_change.pk, "spiff.start", "", "screening")
            return row_id

        row_id = step("start", start)

        def one() -> bool:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT plan_change_id, serialization FROM {SPIFF_TABLE} WHERE id = %s FOR UPDATE",
                               [row_id])
                plan_change_id, serialization = cursor.fetchone()
                wf = self.serializer.deserialize_json(serialization)
                task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
                name = task.task_spec.bpmn_id
                task.data["decision"] = PARTS_ANSWERS.get(name, "")
                if name == "review_screening":
                    task.data["parts"] = self.parts
                task.run()
                wf.do_engine_steps()
                cursor.execute(f"UPDATE {SPIFF_TABLE} SET serialization = %s WHERE id = %s",
                               [self.serializer.serialize_json(wf), row_id])
                audit(plan_change_id, f"spiff.{name}", name, "next")
                return name, wf.is_completed()

        done = False
        while not done:
            start_at = time.perf_counter()
            name, done = one()
            step.ms[name].append((time.perf_counter() - start_at) * 1000)
        return row_id


# --- over HTTP --------------------------------------------------------------------------------

def http_workflow(cast, n: int, posts: Steps, clients):
    """Through the services up to each transition task; the task itself over HTTP."""
    from tests import factories as f
    from workflows.engine import active_task
    from workflows.flows import IIAFlow
    from workflows.selectors import task_url

    def complete(node, who, data, claim: bool):
        task = active_task(plan_change, node)
        client = clients[who]
        if claim:
            assert client.post(task_url(task, "assign")).status_code == 302
        url = task_url(task, "execute")
        response = posts(node.name, lambda: client.post(url, data))
        assert response.status_code == 302, (node.name, response.status_code, response.content[:2000])

    plan_change = f.start(cast, title=f"HTTP plan change {n}")
    screening = {"action": "complete", "officer_reason": ""}
    for code, value in f.FULL_ANSWERS.items():
        screening[f"q_{code}"], screening[f"c_{code}"] = value, ""
    complete(IIAFlow.screening, "officer", screening, claim=False)
    complete(IIAFlow.review_screening, "lead", {"decision": "concur", "comments": ""}, claim=True)
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    complete(IIAFlow.submit, "officer", {}, claim=False)
    complete(IIAFlow.review, "lead", {"decision": "approve", "risk_level": "low"}, claim=True)
    complete(IIAFlow.sign_off, "senior", {"decision": "sign_off"}, claim=True)
    return plan_change


# --- report -----------------------------------------------------------------------------------

def med(values) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, default=20)
    parser.add_argument("--http-workflows", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or start_postgres(int(os.environ.get("IIA_BENCH_PG_PORT", "55433")))
    setup_django(url)

    from django.db import connection
    from django.test import Client

    from assessments.catalogue import parallel_part_codes
    from tests import factories as f

    cast = f.Cast()

    # warm up every path (imports, caches, plans), and learn the steps of one workflow
    warm = Steps()
    plan_change = services_workflow(cast, 0, warm)
    template = f.current(plan_change).template
    step_names = [name for name, values in warm.ms.items() for _ in values]
    spiff = Spiff(parallel_part_codes(f.current(plan_change)))
    floor_workflow(cast, 0, step_names, Steps(), template)
    spiff.workflow(cast, 0, Steps())

    services, inline, floor, spiffs = Steps(), Steps(), Steps(), Steps()
    totals = defaultdict(list)
    with_emails = emails_inline(True, services_workflow)
    for n in range(1, args.workflows + 1):  # interleaved, so drift hits every path alike
        for label, run in (("services", lambda n=n: services_workflow(cast, n, services)),
                           ("inline", lambda n=n: with_emails(cast, 1000 + n, inline)),
                           ("floor", lambda n=n: floor_workflow(cast, n, step_names, floor, template)),
                           ("spiff", lambda n=n: spiff.workflow(cast, n, spiffs))):
            start = time.perf_counter()
            run()
            totals[label].append(time.perf_counter() - start)

    counted, counted_inline = Steps(count_queries=True), Steps(count_queries=True)
    services_workflow(cast, -1, counted)
    with_emails(cast, -2, counted_inline)
    floor_counted = Steps(count_queries=True)
    floor_workflow(cast, -1, step_names, floor_counted, template)

    clients = {}
    for who in ("officer", "lead", "senior"):
        clients[who] = Client()
        clients[who].force_login(getattr(cast, who))
    posts, posts_inline = Steps(), Steps()
    http_workflow(cast, 0, Steps(), clients)  # warm up
    http_with_emails = emails_inline(True, http_workflow)
    for n in range(1, args.http_workflows + 1):
        http_workflow(cast, n, posts, clients)
        http_with_emails(cast, 1000 + n, posts_inline, clients)
    http_counted, http_counted_inline = Steps(count_queries=True), Steps(count_queries=True)
    http_workflow(cast, -1, http_counted, clients)
    http_with_emails(cast, -2, http_counted_inline, clients)

    steps = len(step_names)
    print(f"PostgreSQL {connection.pg_version // 10000}, {args.workflows} workflows per path, "
          f"interleaved; {steps} steps per workflow (start, screening, review, "
          f"{step_names.count('complete_part')} parts, actions, submit, review, sign-off)")
    print("emails: on the worker (production shape) unless marked 'emails inline' (make run); "
          "the signed PDF is left to the worker")
    floor_ms = med(totals["floor"]) * 1000
    for label, name in (("services", "engine + services (IIAFlow)"), ("inline", "  the same, emails inline"),
                        ("floor", "ORM floor"), ("spiff", "SpiffWorkflow 3 + PostgreSQL")):
        total = med(totals[label]) * 1000
        print(f"{name:32} {1000 / total:6.1f} workflows/s  {total / steps:6.2f} ms/step  "
              f"{total / floor_ms:4.1f}x floor")
    print()
    print(f"{'':18} {'services':>18} {'emails inline':>18} {'ORM floor':>18} {'spiff':>9}")
    print(f"{'step':18} {'ms':>9} {'queries':>8} {'ms':>9} {'queries':>8} {'ms':>9} {'queries':>8} {'ms':>9}")
    for name in dict.fromkeys(step_names):
        print(f"{name:18} {med(services.ms[name]):9.2f} {med(counted.queries[name]):8.0f} "
              f"{med(inline.ms[name]):9.2f} {med(counted_inline.queries[name]):8.0f} "
              f"{med(floor.ms[name]):9.2f} {med(floor_counted.queries[name]):8.0f} {med(spiffs.ms[name]):9.2f}")
    all_queries = sum(sum(v) for v in counted.queries.values())
    all_inline = sum(sum(v) for v in counted_inline.queries.values())
    print(f"queries per step: services {all_queries / steps:.1f}, emails inline {all_inline / steps:.1f}, floor "
          f"{sum(sum(v) for v in floor_counted.queries.values()) / steps:.1f}")
    transitions = ["review_screening", "submit", "review", "sign_off"]
    floor_t = med([v for name in transitions for v in floor.ms[name]])
    for label, measured in (("services", services), ("emails inline", inline)):
        service_t = med([v for name in transitions for v in measured.ms[name]])
        print(f"transition steps (screening review, submit, approve, sign off), {label}: {service_t:.2f} ms, "
              f"floor {floor_t:.2f} ms, {service_t / floor_t:.1f}x floor")
    print()
    for label, measured, queries in (("", posts, http_counted), (", emails inline", posts_inline,
                                                                  http_counted_inline)):
        every = [v for values in measured.ms.values() for v in values]
        print(f"task completed over HTTP (Django test client, {args.http_workflows} workflows{label}): "
              f"median {med(every):.2f} ms")
        for name, values in measured.ms.items():
            print(f"  {name:18} median {med(values):6.2f} ms  {med(queries.queries[name]):4.0f} queries")


if __name__ == "__main__":
    main()
