"""Random walks over every transition, by every kind of person (hypothesis state
machine): each state change writes exactly one audit event with its actor, time, from
and to states; a refused step writes none."""

import pytest
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from viewflow.fsm import TransitionNotAllowed as FlowTransitionNotAllowed

from assessments import services
from assessments.exceptions import NotAllowed, RuleViolation, StaleEdit
from assessments.models import AuditEvent
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow

pytestmark = pytest.mark.django_db
REFUSALS = (NotAllowed, RuleViolation, StaleEdit, TransitionNotAllowed, FlowTransitionNotAllowed, LookupError)
PEOPLE = ("officer", "officer2", "lead", "senior", "clerk", "other_board_lead")


def mostly(who: str):
    """Anyone, but most often the person whose step it is, so walks get deep."""
    return st.sampled_from([who] * 5 + list(PEOPLE))

WALKS = 20
TOTALS = {"steps": 0, "done": 0, "refused": 0, "events": 0, "changes": 0}


def _task(plan_change, node):
    task = active_task(plan_change, node)
    if task is None:
        raise LookupError(f"no open {node.name} task")
    return task


class Walk(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # every walk starts from the same database and is rolled back
        self.cast, borders = f.Cast(), f.Cast("scottish-borders")
        self.people = {"officer": self.cast.officer, "officer2": self.cast.officer2, "lead": self.cast.lead,
                       "senior": self.cast.senior, "clerk": self.cast.clerk, "other_board_lead": borders.lead}
        self.plan_change = f.start(self.cast)
        self.observed_changes = 0

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def states(self):
        found = {("screening", pk): state for pk, state in self.plan_change.screenings.values_list("pk", "state")}
        found |= {("assessment", pk): state for pk, state in self.plan_change.assessments.values_list("pk", "state")}
        return found

    def step(self, who, work):
        person = self.people[who]
        before, last = self.states(), AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = timezone.now()
        TOTALS["steps"] += 1
        try:
            with transaction.atomic():
                work(person)
        except REFUSALS:
            TOTALS["refused"] += 1
            assert not AuditEvent.objects.filter(pk__gt=last).exists(), "a refused step wrote an audit event"
            assert self.states() == before, "a refused step changed a state"
            return
        TOTALS["done"] += 1
        after = self.states()
        events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
        assert events, "a step that succeeded wrote no audit event"
        TOTALS["events"] += len(events)
        for event in events:
            assert event.actor_id == person.pk and event.actor_name == person.get_full_name()
            assert started <= event.at <= timezone.now() and event.to_state
        changed = {key for key in after if before.get(key) != after[key]}
        for kind, pk in changed:
            mine = [e for e in events if (e.assessment_id if kind == "assessment" else
                                          (e.screening_id if e.assessment_id is None else None)) == pk]
            if (kind, pk) in before:  # a transition: exactly one event from the old state to the new
                moves = [e for e in mine if (e.from_state, e.to_state) == (before[(kind, pk)], after[(kind, pk)])]
            else:  # a new record (a new version, a reopened screening): one event that opens it
                moves = [e for e in mine if e.to_state == after[(kind, pk)] and e.from_state in ("", e.to_state)]
            assert len(moves) == 1, f"{kind} {pk}: {before.get((kind, pk))} -> {after[(kind, pk)]}, events {events}"
        transitions = [e for e in events if e.from_state and e.from_state != e.to_state]
        assert len(transitions) == len([k for k in changed if k in before]), (changed, transitions)
        self.observed_changes += len(changed)
        TOTALS["changes"] += len(changed)

    # --- the steps ------------------------------------------------------------------

    @rule(who=mostly("officer"))
    @precondition(lambda self, node="screening": self.is_open(node))
    def screening_submit(self, who):
        self.step(who, lambda p: workflow_actions.screening_save(
            task=_task(self.plan_change, IIAFlow.screening), by=p, answers=f.answers(), complete=True, claim=True))

    @rule(who=mostly("lead"), decision=st.sampled_from(["concur", "override", "return"]))
    @precondition(lambda self, node="review_screening": self.is_open(node))
    def screening_review(self, who, decision):
        self.step(who, lambda p: workflow_actions.screening_review(
            task=_task(self.plan_change, IIAFlow.review_screening), by=p, decision=decision, comments="Because.",
            claim=True))

    @rule(who=mostly("officer"), index=st.integers(0, 5))
    @precondition(lambda self, node="complete_part": self.is_open(node))
    def complete_part(self, who, index):
        def work(person):
            tasks = active_tasks(self.plan_change, IIAFlow.complete_part)
            if not tasks:
                raise LookupError("no open part")
            task = tasks[index % len(tasks)]
            assessment = f.current(self.plan_change)
            code = task.data["part"]
            if code == "evidence":
                inputs = dict(evidence="Data.", consultation="People.")
            else:
                ratings, given = f.section_inputs(assessment.template.sections.get(code=code))
                inputs = dict(ratings=ratings, answers=given)
            workflow_actions.part_save(task=task, by=person, complete=True, claim=True, **inputs)
        self.step(who, work)

    @rule(who=mostly("officer"))
    @precondition(lambda self, node="actions": self.is_open(node))
    def actions(self, who):
        self.step(who, lambda p: f.complete_actions(self.cast, self.plan_change, by=p)
                  if active_task(self.plan_change, IIAFlow.actions) else _task(self.plan_change, IIAFlow.actions))

    @rule(who=mostly("officer"))
    @precondition(lambda self, node="submit": self.is_open(node))
    def submit(self, who):
        self.step(who, lambda p: workflow_actions.assessment_submit(
            task=_task(self.plan_change, IIAFlow.submit), by=p, claim=True))

    @rule(who=mostly("lead"), approve=st.booleans())
    @precondition(lambda self, node="review": self.is_open(node))
    def review(self, who, approve):
        def work(person):
            task = _task(self.plan_change, IIAFlow.review)
            if approve:
                workflow_actions.assessment_approve(task=task, by=person, risk_level="low", claim=True)
            else:
                workflow_actions.assessment_return(task=task, by=person, comments="More.", parts=["equality"],
                                                   claim=True)
        self.step(who, work)

    @rule(who=mostly("senior"), sign=st.booleans())
    @precondition(lambda self, node="sign_off": self.is_open(node))
    def sign_off(self, who, sign):
        def work(person):
            task = _task(self.plan_change, IIAFlow.sign_off)
            if sign:
                workflow_actions.assessment_sign_off(task=task, by=person, claim=True)
            else:
                workflow_actions.assessment_return(task=task, by=person, comments="More.", parts=["equality"],
                                                   claim=True)
        self.step(who, work)

    @rule(who=mostly("officer"))
    @precondition(lambda self: self.has_assessment())
    def withdraw(self, who):
        def work(person):
            assessment = f.current(self.plan_change)
            if assessment is None:
                raise LookupError("no assessment yet")
            workflow_actions.assessment_withdraw(assessment=assessment, by=person, reason="Not going ahead.")
        self.step(who, work)

    @rule(who=mostly("officer"))
    @precondition(lambda self: self.has_assessment())
    def new_version(self, who):
        def work(person):
            assessment = f.current(self.plan_change)
            if assessment is None:
                raise LookupError("no assessment yet")
            services.assessment_new_version(assessment=assessment, by=person, reason="The plan changed.")
        self.step(who, work)

    @rule(operation=st.sampled_from(["screening_submit", "screening_review", "complete_part", "actions", "submit",
                                     "review", "sign_off", "withdraw", "new_version"]),
          who=st.sampled_from(PEOPLE), flag=st.booleans())
    def out_of_turn(self, operation, who, flag):
        """Any step at any time, by anyone: most are refused, and must write nothing."""
        extra = {"review": {"approve": flag}, "sign_off": {"sign": flag}, "complete_part": {"index": 0},
                 "screening_review": {"decision": "concur" if flag else "return"}}.get(operation, {})
        getattr(self, operation)(who=who, **extra)

    def is_open(self, node_name: str) -> bool:
        return hasattr(self, "plan_change") and active_task(self.plan_change, getattr(IIAFlow, node_name)) is not None

    def has_assessment(self) -> bool:
        return hasattr(self, "plan_change") and self.plan_change.assessments.exists()

    @invariant()
    def at_most_one_open_assessment(self):
        if hasattr(self, "plan_change"):
            open_states = {"in_progress", "submitted", "returned", "approved"}
            assert sum(s in open_states for s in self.plan_change.assessments.values_list("state", flat=True)) <= 1


def test_random_walks_audit_every_transition_and_nothing_else(capsys):
    TOTALS.update(dict.fromkeys(TOTALS, 0))
    run_state_machine_as_test(Walk, settings=settings(
        max_examples=WALKS, stateful_step_count=40, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
    with capsys.disabled():
        print(f"\nA2 audit walks: {WALKS} walks, {TOTALS['steps']} steps ({TOTALS['done']} done, {TOTALS['refused']} "
              f"refused); {TOTALS['changes']} state changes, each with exactly 1 audit event; {TOTALS['events']} "
              f"events in all, every one with its actor and time; 0 events from refused steps")
    assert TOTALS["changes"] > WALKS and TOTALS["refused"] > 0
