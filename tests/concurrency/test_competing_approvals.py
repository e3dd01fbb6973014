"""Concurrency on PostgreSQL: many people acting on one assessment at once."""

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django_fsm import TransitionNotAllowed
from viewflow.fsm import TransitionNotAllowed as FlowTransitionNotAllowed
from viewflow.workflow.models import Task

from assessments.exceptions import NotAllowed
from assessments.models import AuditEvent
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.selectors import task_url

from .harness import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

THREADS = 20
ROUNDS = 20


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def _round_outcome(plan_change, process_pk) -> tuple[int, int]:
    assessment = f.current(plan_change)
    assert assessment.state == "approved"
    events = AuditEvent.objects.filter(assessment=assessment, action="assessment.approve").count()
    next_tasks = Task.objects.filter(process_id=process_pk, flow_task=IIAFlow.sign_off).count()
    return events, next_tasks


def test_twenty_approvals_through_the_task_url_give_exactly_one_per_round(capsys):
    cast = f.Cast()
    good_rounds, statuses = 0, Counter()
    for _ in range(ROUNDS):
        plan_change = f.to_submitted(cast)
        task = active_task(plan_change, IIAFlow.review)
        workflow_actions.task_claim(task=task, by=cast.lead)
        url = task_url(task, "execute")

        def approve(_, url=url):
            client = Client(raise_request_exception=False)
            client.force_login(cast.lead)
            return client.post(url, {"decision": "approve", "risk_level": "low"}).status_code

        results = race(approve, THREADS)
        statuses.update(results)
        events, next_tasks = _round_outcome(plan_change, task.process_id)
        good_rounds += results.count(302) == 1 and results.count(409) == THREADS - 1 and events == 1 and next_tasks == 1
    errors = sum(n for code, n in statuses.items() if code not in (302, 409))
    with capsys.disabled():
        print(f"\nR1 competing approvals (task URL): {good_rounds}/{ROUNDS} rounds of {THREADS} requests with "
              f"1 winner, 1 audit event and 1 sign-off task; {statuses[409]} conflict pages; {errors} server errors")
    assert good_rounds == ROUNDS and errors == 0, statuses


def test_twenty_approvals_through_the_service_give_exactly_one_per_round(capsys):
    cast = f.Cast()
    good_rounds, outcomes = 0, Counter()
    for _ in range(ROUNDS):
        plan_change = f.to_submitted(cast)
        assessment = f.current(plan_change)
        task = active_task(plan_change, IIAFlow.review)

        def approve(_, task=task, assessment=assessment):
            try:
                workflow_actions.assessment_approve(task=task, by=cast.lead, risk_level="medium", claim=True)
                return "approved"
            except (TransitionNotAllowed, FlowTransitionNotAllowed, NotAllowed):
                return "refused"

        results = race(approve, THREADS)
        outcomes.update(results)
        events, next_tasks = _round_outcome(plan_change, task.process_id)
        good_rounds += results.count("approved") == 1 and events == 1 and next_tasks == 1
    errors = sum(n for outcome, n in outcomes.items() if outcome not in ("approved", "refused"))
    with capsys.disabled():
        print(f"\nR1 competing approvals (service): {good_rounds}/{ROUNDS} rounds of {THREADS} calls with 1 approval, "
              f"1 audit event and 1 sign-off task; {outcomes['refused']} refused; {errors} errors")
    assert good_rounds == ROUNDS and errors == 0, outcomes


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

    numbers = race(allocate, THREADS)
    errors = [n for n in numbers if not str(n).startswith("DIJB")]
    with capsys.disabled():
        print(f"\nR2 concurrent report numbers: {THREADS} allocations, {len(set(numbers))} distinct, "
              f"{len(errors)} errors")
    assert not errors and sorted(numbers, key=lambda n: int(n[4:].split("-")[0])) == [
        f"DIJB{i}-2031" for i in range(1, THREADS + 1)]
