"""Deterministic interleavings: the first operation is paused just before it commits, the
second starts and runs until it waits for a lock (or ends), then the first commits.
Whatever the pair, the result must be the one the two give one after the other: same
outcomes, same state, same open tasks, same audit trail. Nothing is lost, nothing is
illegal."""

import itertools
from collections import Counter

import pytest
from django.db import transaction
from viewflow.workflow.status import STATUS

from assessments import services
from assessments.catalogue import template_parts
from assessments.models import AuditEvent, ImpactRating, PartProgress
from assessments.validation import RatingInput
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.models import IIAProcess

from .harness import Step, outcome_of, wait_until_blocked_or_done

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

OPERATIONS = ("approve", "return", "withdraw", "edit", "sign_off")
# Where each operation is legal; every ordered pair is tried from each state its first
# operation is legal in.
LEGAL_IN = {"approve": ("submitted",), "return": ("submitted", "approved"), "withdraw": ("in_progress", "submitted", "approved"),
            "edit": ("in_progress",), "sign_off": ("approved",)}
ACTIVE = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class Scenario:
    """One assessment brought to ``start``, and the five operations as two people who
    opened their pages at that moment would perform them."""

    def __init__(self, start: str):
        cast = self.cast = f.Cast()
        if start == "in_progress":
            self.plan_change = f.screen(cast, f.start(cast))
        else:
            self.plan_change = f.to_submitted(cast)
            if start == "approved":
                f.approve(cast, self.plan_change)
        self.assessment = f.current(self.plan_change)
        self.process_pk = IIAProcess.objects.get(plan_change=self.plan_change).pk
        self.section = self.assessment.template.sections.order_by("order").first()
        self.row = self.section.rows.order_by("order").first()
        self.revision = PartProgress.objects.filter(assessment=self.assessment, part=self.section.code).values_list(
            "revision", flat=True).first() or 0
        self.review = active_task(self.plan_change, IIAFlow.review)
        self.sign_off_task = active_task(self.plan_change, IIAFlow.sign_off)
        self.parts = [template_parts(self.assessment.template)[0].code]
        self.audit_before = AuditEvent.objects.filter(assessment=self.assessment).count()

    def operation(self, name: str, second: bool):
        cast, assessment = self.cast, self.assessment

        def task_op(task, person, action, **inputs):
            if task is None:
                raise LookupError("no such task open")  # the page the person opened is gone
            action(task=task, by=person, claim=True, **inputs)

        if name == "approve":
            return lambda: task_op(self.review, cast.lead, workflow_actions.assessment_approve, risk_level="low")
        if name == "return":
            task, person = (self.review, cast.lead) if self.review else (self.sign_off_task, cast.senior)
            return lambda: task_op(task, person, workflow_actions.assessment_return,
                                   comments="Say more about carers.", parts=self.parts)
        if name == "sign_off":
            return lambda: task_op(self.sign_off_task, cast.senior, workflow_actions.assessment_sign_off)
        if name == "withdraw":
            return lambda: workflow_actions.assessment_withdraw(assessment=assessment, by=cast.officer,
                                                                reason="The plan change is not going ahead.")
        person = cast.officer2 if second else cast.officer  # two officers, the same form opened at once
        text = f"Saved by the {'second' if second else 'first'} officer"

        def edit():
            with IIAFlow.lock(self.process_pk), transaction.atomic():  # as the part's page does
                services.section_save(assessment=assessment, section_code=self.section.code, by=person,
                                      ratings={self.row.pk: RatingInput({"positive"}, text)}, answers={},
                                      expected_revision=self.revision)
        return edit

    def fingerprint(self):
        self.assessment.refresh_from_db()
        tasks = sorted((t.flow_task.name, (t.data or {}).get("part", "")) for t in
                       IIAProcess.objects.get(pk=self.process_pk).task_set.filter(status__in=ACTIVE))
        audit = [e.action for e in AuditEvent.objects.filter(assessment=self.assessment).order_by("pk")][self.audit_before:]
        rating = ImpactRating.objects.filter(assessment=self.assessment, row=self.row).first()
        return {"state": self.assessment.state, "tasks": tasks, "audit": audit,
                "explanation": rating.explanation if rating else None,
                "revision": PartProgress.objects.filter(assessment=self.assessment, part=self.section.code)
                .values_list("revision", flat=True).first()}


def legal(fingerprint) -> list[str]:
    """What is wrong with a final state, if anything."""
    problems = []
    names = Counter(name for name, _ in fingerprint["tasks"])
    parts = Counter(fingerprint["tasks"])
    if any(n > 1 for n in parts.values()):
        problems.append(f"duplicate tasks {parts}")
    state = fingerprint["state"]
    expected = {"submitted": {"review": 1}, "approved": {"sign_off": 1}, "withdrawn": {}, "signed_off": {}}
    if state in expected and dict(names) != expected[state]:
        problems.append(f"{state} with tasks {dict(names)}")
    if state in ("in_progress", "returned") and (names["review"] or names["sign_off"]):
        problems.append(f"{state} with review tasks")
    return problems


def test_every_pair_of_operations_interleaved_equals_one_after_the_other(capsys):
    results, blocked, mismatches, illegal = [], 0, [], []
    for first, second in itertools.product(OPERATIONS, repeat=2):
        for start in LEGAL_IN[first]:
            serial = Scenario(start)
            expected = (outcome_of(serial.operation(first, False)), outcome_of(serial.operation(second, True)),
                        serial.fingerprint())

            racing = Scenario(start)
            a = Step(racing.operation(first, False), pause=True)
            a.start()
            assert a.at_commit.wait(30)
            b = Step(racing.operation(second, True))
            b.start()
            blocked += wait_until_blocked_or_done(b) == "blocked"
            a.release()
            actual = (a.finish(), b.finish(), racing.fingerprint())
            label = f"{first} then {second} from {start}"
            results.append(label)
            if actual != expected:
                mismatches.append(f"{label}: expected {expected}, got {actual}")
            illegal += [f"{label}: {p}" for p in legal(actual[2])]
            assert actual[0] == "ok", f"{label}: the first operation failed ({actual[0]})"
    lost = [m for m in mismatches if "explanation" in m or "revision" in m]
    with capsys.disabled():
        print(f"\nR3 interleavings: {len(results)} scenarios ({len(OPERATIONS) ** 2} ordered pairs x the states the "
              f"first is legal in), {len(results) - len(mismatches)} equal to the serial order, {blocked} second "
              f"operations waited on the first's lock, {len(illegal)} illegal end states, {len(lost)} lost writes")
    assert not mismatches, "\n".join(mismatches)
    assert not illegal, "\n".join(illegal)


def test_two_officers_saving_the_same_section_the_second_gets_a_conflict_not_an_overwrite():
    scenario = Scenario("in_progress")
    a = Step(scenario.operation("edit", False), pause=True)
    a.start()
    assert a.at_commit.wait(30)
    b = Step(scenario.operation("edit", True))
    b.start()
    assert wait_until_blocked_or_done(b) == "blocked"
    a.release()
    assert (a.finish(), b.finish()) == ("ok", "StaleEdit")
    final = scenario.fingerprint()
    assert final["explanation"] == "Saved by the first officer"
    assert final["revision"] == scenario.revision + 1
    assert final["audit"] == ["assessment.section_save"]
