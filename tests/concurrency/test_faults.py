"""Faults on PostgreSQL: a lock held too long, a worker killed mid-transition, a
transition rolled back after its side effects were scheduled."""

import os
import random
import signal
from collections import Counter
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments.models import AuditEvent, PartProgress
from reports.models import SignedDocument
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.models import IIAProcess
from workflows.selectors import task_url

from .harness import Step, connection_option, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
ACTIVE = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def test_a_lock_held_longer_than_the_lock_timeout_gives_contenders_a_retry_page(capsys):
    cast = f.Cast()
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    task = active_task(plan_change, IIAFlow.review)
    workflow_actions.task_claim(task=task, by=cast.lead)
    holder = Step(lambda: workflow_actions.assessment_approve(task=task, by=cast.lead, risk_level="low", claim=True), pause=True)
    holder.start()
    assert holder.at_commit.wait(30)  # the process and assessment rows are locked until released
    urls = [(task_url(task, "execute"), cast.lead, {"decision": "approve", "risk_level": "low"}),
            (f"/assessments/{assessment.pk}/withdraw/", cast.officer, {"reason": "Not going ahead."})]

    def contend(i):
        url, person, data = urls[i % len(urls)]
        client = Client(raise_request_exception=False)
        client.force_login(person)
        response = client.post(url, data)
        return response.status_code, "try again" in response.content.decode()

    with connection_option("-c lock_timeout=200"):
        results = race(contend, 6)
    holder.release()
    assert holder.finish() == "ok"
    statuses = Counter(code for code, _ in results)
    with capsys.disabled():
        print(f"\nR4 lock timeout: {len(results)} contenders behind a held lock, statuses {dict(statuses)}, "
              f"{sum(1 for _, retry in results if retry)} retry pages, {statuses.get(500, 0)} server errors")
    assert statuses == {409: 6} and all(retry for _, retry in results)
    assert f.current(plan_change).state == "approved"
    assert AuditEvent.objects.filter(assessment=assessment).exclude(action__startswith="assessment.section").filter(
        action__in=["assessment.approve", "assessment.withdraw"]).count() == 1


def test_side_effects_run_only_after_commit(capsys, settings):
    cast = f.Cast()
    for person in (cast.officer, cast.lead, cast.senior):
        person.email = f"{person.username}@example.org"
        person.save()
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    mail.outbox.clear()
    assessment = f.current(plan_change)
    task = active_task(plan_change, IIAFlow.sign_off)
    with mock.patch("reports.background.enqueue", wraps=__import__("reports.background").background.enqueue) as enqueue:
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow_actions.assessment_sign_off(task=task, by=cast.senior, claim=True)
            raise RuntimeError("the request failed after the transition")
        rolled_back = (enqueue.call_count, len(mail.outbox), SignedDocument.objects.count(), f.current(plan_change).state)
        workflow_actions.assessment_sign_off(task=task, by=cast.senior, claim=True)
        committed = (enqueue.call_count, len(mail.outbox), SignedDocument.objects.filter(assessment=assessment,
                                                                                        status="ready").count())
    with capsys.disabled():
        print(f"\nR5 side effects: rolled-back sign-off -> {rolled_back[0]} PDF jobs, {rolled_back[1]} emails, "
              f"{rolled_back[2]} documents; committed sign-off -> {committed[0]} PDF job, {committed[1]} email, "
              f"{committed[2]} signed document")
    assert rolled_back == (0, 0, 0, "approved")
    assert committed == (1, 1, 1)


# --- a worker killed in the middle of a transition -------------------------------------

STAGES = ("screening", "screening_review", "parts", "actions", "submit", "review", "sign_off")


def build(cast, stage):
    plan_change = f.start(cast, f"Stage {stage}")
    if stage == "screening":
        return plan_change
    if stage == "screening_review":
        workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                        complete=True, claim=True)
        return plan_change
    f.screen(cast, plan_change)
    if stage == "parts":
        return plan_change
    f.complete_parts(cast, plan_change)
    if stage == "actions":
        return plan_change
    f.complete_actions(cast, plan_change)
    if stage == "submit":
        return plan_change
    f.submit(cast, plan_change)
    if stage == "sign_off":
        f.approve(cast, plan_change)
    return plan_change


def step_of(cast, plan_change, stage):
    """The next transition of a plan change at ``stage``, as its task page would run it."""
    if stage == "screening":
        return lambda: workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer,
                                                       answers=f.answers(), complete=True, claim=True)
    if stage == "screening_review":
        return lambda: workflow_actions.screening_review(task=active_task(plan_change, IIAFlow.review_screening), by=cast.lead,
                                                         decision="concur", claim=True)
    if stage == "parts":
        def one_part():
            assessment = f.current(plan_change)
            task = next(t for t in active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] != "evidence")
            section = assessment.template.sections.get(code=task.data["part"])
            ratings, given = f.section_inputs(section)
            workflow_actions.part_save(task=task, by=cast.officer, ratings=ratings, answers=given, complete=True, claim=True)
        return one_part
    if stage == "actions":
        return lambda: f.complete_actions(cast, plan_change)
    if stage == "submit":
        return lambda: f.submit(cast, plan_change)
    if stage == "review":
        return lambda: f.approve(cast, plan_change)
    return lambda: f.sign_off(cast, plan_change)


def snapshot(plan_change):
    tasks = sorted((t.pk, t.flow_task.name, t.status, t.owner_id) for t in
                   Task.objects.filter(process__iiaprocess__plan_change=plan_change, status__in=ACTIVE))
    return {
        "screenings": sorted(plan_change.screenings.values_list("pk", "state")),
        "assessments": sorted(plan_change.assessments.values_list("pk", "state")),
        "tasks": tasks,
        "processes": sorted(IIAProcess.objects.filter(plan_change=plan_change).values_list("pk", "status")),
        "audit": AuditEvent.objects.filter(plan_change=plan_change).count(),
        "parts": sorted(PartProgress.objects.filter(assessment__plan_change=plan_change).values_list("part", "revision")),
        "documents": SignedDocument.objects.filter(assessment__plan_change=plan_change).count(),
    }


def duplicates(plan_change) -> list:
    keys = Counter((t.flow_task.name, (t.data or {}).get("part", "")) for t in
                   Task.objects.filter(process__iiaprocess__plan_change=plan_change, status__in=ACTIVE))
    return [key for key, n in keys.items() if n > 1]


def kill_during(operation, statement: int) -> int:
    """Fork a worker that runs ``operation`` and is killed (SIGKILL) when it is about to
    send its ``statement``-th SQL statement, or just before it commits if it sends fewer."""
    connections.close_all()  # the worker opens its own connection
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            sent = 0

            def counting(execute, sql, params, many, context):
                nonlocal sent
                sent += 1
                if sent == statement:
                    os.kill(os.getpid(), signal.SIGKILL)
                return execute(sql, params, many, context)

            connection.commit = lambda: os.kill(os.getpid(), signal.SIGKILL)
            with connection.execute_wrapper(counting):
                operation()
        finally:
            os._exit(3)  # never reached when killed
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)


def test_a_worker_killed_mid_transition_commits_nothing_and_the_work_resumes(capsys):
    rng = random.Random(20261125)
    cast = f.Cast()
    stages = [STAGES[i % len(STAGES)] for i in range(50)]
    rng.shuffle(stages)
    plan_changes = [build(cast, stage) for stage in stages]
    killed, partial, resumed, duplicated = 0, [], 0, []
    for plan_change, stage in zip(plan_changes, stages, strict=True):
        before = snapshot(plan_change)
        signal_number = kill_during(step_of(cast, plan_change, stage), rng.randint(1, 40))
        killed += signal_number == signal.SIGKILL
        if snapshot(plan_change) != before:
            partial.append(stage)
        step_of(cast, plan_change, stage)()  # the same step, done again by a healthy worker
        after = snapshot(plan_change)
        resumed += after["audit"] > before["audit"]
        duplicated += duplicates(plan_change)
    with capsys.disabled():
        print(f"\nR6 killed workers: {killed}/{len(stages)} killed mid-transition across {len(set(stages))} stages, "
              f"{len(partial)} left partial writes, {resumed}/{len(stages)} resumed from their last committed task, "
              f"{len(duplicated)} duplicate tasks")
    assert killed == len(stages)
    assert not partial and not duplicated
    assert resumed == len(stages)
