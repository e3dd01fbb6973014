"""Concurrency on PostgreSQL: many people acting on one assessment at once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django_fsm import TransitionNotAllowed
from viewflow.workflow.models import Task

from assessments import services
from assessments.models import AuditEvent
from tests import factories as f
from workflows.engine import active_task, claim
from workflows.flows import IIAFlow
from workflows.selectors import task_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

THREADS = 20


def _race(worker, n=THREADS):
    barrier = threading.Barrier(n)
    results = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            outcome = worker(i)
        except Exception as error:  # recorded, then asserted on
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_twenty_approvals_through_the_task_url_give_exactly_one(capsys):
    cast = f.Cast()
    plan_change = f.to_submitted(cast)
    task = active_task(plan_change, IIAFlow.review)
    claim(task, cast.lead)
    url = task_url(task, "execute")

    def approve(_):
        client = Client(raise_request_exception=False)
        client.force_login(cast.lead)
        return client.post(url, {"decision": "approve", "risk_level": "low"}).status_code

    results = _race(approve)
    winners, conflicts = results.count(302), results.count(409)
    errors = [r for r in results if r not in (302, 409)]
    with capsys.disabled():
        print(f"\nR1 competing approvals (task URL): {THREADS} requests, {winners} winner, "
              f"{conflicts} conflict pages, {len(errors)} server errors")
    assert winners == 1 and conflicts == THREADS - 1 and not errors
    assessment = f.current(plan_change)
    assert assessment.state == "approved"
    assert AuditEvent.objects.filter(assessment=assessment, action="assessment.approve").count() == 1
    assert Task.objects.filter(process_id=task.process_id, flow_task=IIAFlow.sign_off).count() == 1


def test_twenty_approvals_through_the_service_give_exactly_one(capsys):
    cast = f.Cast()
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)

    def approve(_):
        try:
            services.assessment_approve(assessment=assessment, by=cast.lead, risk_level="medium")
            return "approved"
        except TransitionNotAllowed:
            return "refused"

    results = _race(approve)
    with capsys.disabled():
        print(f"\nR1 competing approvals (service): {THREADS} calls, {results.count('approved')} approval, "
              f"{results.count('refused')} refused, {THREADS - results.count('approved') - results.count('refused')} errors")
    assert results.count("approved") == 1 and results.count("refused") == THREADS - 1
    assert AuditEvent.objects.filter(assessment=assessment, action="assessment.approve").count() == 1


def test_the_audit_table_refuses_update_and_delete_at_the_database():
    from django.db import DatabaseError, transaction

    cast = f.Cast()
    f.start(cast)
    event_id = AuditEvent.objects.values_list("pk", flat=True).first()
    for statement in ("UPDATE assessments_auditevent SET message = 'x' WHERE id = %s",
                      "DELETE FROM assessments_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event_id])
    assert AuditEvent.objects.filter(pk=event_id).exists()


def test_twenty_concurrent_report_numbers_are_all_different(capsys):
    from reports import services as reporting
    from reports.models import Committee

    cast = f.Cast()
    plan_change = f.start(cast)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    reports = [reporting.report_create(plan_change=plan_change, by=cast.officer, committee=committee, title=f"R{i}",
                                       report_by="Chief Officer", decision_sought="note", purpose="P",
                                       recommendations="R", direction_to="none") for i in range(THREADS)]

    def allocate(i):
        return reporting.report_number_allocate(report=reports[i], year=2031).number

    numbers = _race(allocate)
    errors = [n for n in numbers if not str(n).startswith("DIJB")]
    with capsys.disabled():
        print(f"\nR2 concurrent report numbers: {THREADS} allocations, {len(set(numbers))} distinct, "
              f"{len(errors)} errors")
    assert not errors and sorted(numbers, key=lambda n: int(n[4:].split("-")[0])) == [
        f"DIJB{i}-2031" for i in range(1, THREADS + 1)]
