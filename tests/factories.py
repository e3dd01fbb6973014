"""Builders for tests: people with roles, a plan, and plan changes driven through the
real services and flow to any stage."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from assessments import services
from assessments.models import Board, LocalityPlanningGroup, Membership, PlanPriority, Role, Row, StrategicPlan
from assessments.models.assessment import ActionKind
from assessments.services import ActionInput
from assessments.validation import RatingInput
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.selectors import process_assessment

User = get_user_model()
_counter = itertools.count(1)
PASSWORD = "test-password-123"

FULL_ANSWERS = {
    "asks_agreement": "yes", "information_only": "no", "affects_people": "yes",
    "protected_characteristics": "yes", "strategic_decision": "yes", "changes_access": "yes",
    "sea_qualifying": "no", "island_communities": "no", "children": "no", "already_assessed": "no",
}


def board(slug="dundee") -> Board:
    return Board.objects.get(slug=slug)


def user(role: str | None = None, board_slug: str = "dundee", *, username=None, job_title="", **extra):
    username = username or f"{role or 'user'}{next(_counter)}"
    person = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title(),
                                      last_name="Tester", **extra)
    if role:
        Membership.objects.create(user=person, board=board(board_slug), role=role, job_title=job_title)
    return person


def add_role(person, role, board_slug="dundee"):
    Membership.objects.create(user=person, board=board(board_slug), role=role)
    person.refresh_from_db()  # the rules read its memberships again
    return person


def plan(board_slug="dundee") -> StrategicPlan:
    b = board(board_slug)
    plan, created = StrategicPlan.objects.get_or_create(
        board=b, title=f"Test plan {b.slug}", defaults={"period_start": "2025-04-01", "period_end": "2028-03-31"}
    )
    if created:
        for number in (1, 2):
            priority = PlanPriority.objects.create(plan=plan, number=number, title=f"Priority {number}")
            priority.actions.create(number=1, text=f"Action {number}.1")
    return plan


def answers(**overrides) -> dict:
    given = {**FULL_ANSWERS, **overrides}
    return {code: {"answer": value, "comment": ""} for code, value in given.items()}


class Cast:
    """The people of one board for a test."""

    def __init__(self, board_slug="dundee"):
        self.board_slug = board_slug
        self.officer = user(Role.OFFICER, board_slug)
        self.officer2 = user(Role.OFFICER, board_slug)
        self.lead = user(Role.EQUALITY_LEAD, board_slug)
        self.senior = user(Role.SENIOR_OFFICER, board_slug, job_title="Chief Officer")
        self.clerk = user(Role.CLERK, board_slug)


def start(cast: Cast, title="Test plan change"):
    p = plan(cast.board_slug)
    plan_change = services.plan_change_create(
        board=p.board, plan=p, by=cast.officer, title=title, description="What changes.",
        change_type="service_redesign", is_revision=False, lead_officer=cast.officer, director=cast.senior,
        priorities=[p.priorities.first()], actions=[p.priorities.first().actions.first()],
    )
    IIAFlow.start.run(plan_change=plan_change)
    return plan_change


def screen(cast: Cast, plan_change, *, full=True, decision="concur", relies_on=None, **said):
    """Screen the plan change (``said``: answers that differ from ``FULL_ANSWERS``, e.g.
    ``children="yes"``; ``relies_on``: the earlier assessment for already_assessed=yes,
    which the lead confirms checking)."""
    given = answers(**said) if full else answers(asks_agreement="no", **said)
    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=given,
                           complete=True, claim=True, relies_on_id=relies_on.pk if relies_on else None)
    workflow_actions.screening_review(task=active_task(plan_change, IIAFlow.review_screening), by=cast.lead,
                             decision=decision, comments="" if decision == "concur" else "Because.", claim=True,
                             relies_on_checked=relies_on is not None)
    return plan_change


def consulted(row, rating: RatingInput) -> RatingInput:
    """A locality row rated negative with its locality's planning group consulted yesterday (s.41)."""
    if row.locality_id and rating.asks_consultation and rating.consulted_group is None:
        group = LocalityPlanningGroup.objects.filter(locality_id=row.locality_id).first()
        rating.consulted_group = group.pk
        rating.consulted_on = rating.consulted_on or datetime.date.today() - datetime.timedelta(days=1)
    return rating


def section_inputs(section, overrides=None):
    overrides = overrides or {}
    ratings = {row.pk: consulted(row, RatingInput(*overrides.get(row.code, ({"no_impact"}, ""))))
               for row in section.rows.all()}
    given = {}
    for question in section.questions.all():
        given[question.pk] = {"choice": question.choices[0] if question.choices else "",
                              "date": datetime.date.today().isoformat(),
                              "link": "https://example.org/environmental-report"}.get(question.kind, "An answer.")
    return ratings, given


def complete_parts(cast, plan_change, overrides=None, by=None):
    by = by or cast.officer
    assessment = current(plan_change)
    for task in active_tasks(plan_change, IIAFlow.complete_part):
        code = task.data["part"]
        if code == "evidence":
            inputs = dict(evidence="Data.", consultation="People.")
        else:
            ratings, given = section_inputs(assessment.template.sections.get(code=code), overrides)
            inputs = dict(ratings=ratings, answers=given)
        if task.owner_id not in (None, by.pk):
            task.flow_task.activation_class(task).unassign()
        workflow_actions.part_save(task=task, by=by, complete=True, claim=True, **inputs)
    return assessment


def row(assessment, code) -> Row:
    return Row.objects.get(section__template=assessment.template, code=code)


def complete_actions(cast, plan_change, actions=(), justifications=None, by=None):
    by = by or cast.officer
    assessment = current(plan_change)
    workflow_actions.actions_save(
        task=active_task(plan_change, IIAFlow.actions), by=by, actions=list(actions),
        justifications=justifications or {}, review_date=datetime.date.today() + datetime.timedelta(days=365),
        complete=True, claim=True)
    return assessment


def submit(cast, plan_change):
    assessment = current(plan_change)
    workflow_actions.assessment_submit(task=active_task(plan_change, IIAFlow.submit), by=cast.officer, claim=True)
    return assessment


def approve(cast, plan_change):
    assessment = current(plan_change)
    workflow_actions.assessment_approve(task=active_task(plan_change, IIAFlow.review), by=cast.lead, risk_level="low",
                               claim=True)
    return assessment


def sign_off(cast, plan_change):
    workflow_actions.assessment_sign_off(task=active_task(plan_change, IIAFlow.sign_off), by=cast.senior, claim=True)
    return current(plan_change)


def to_submitted(cast, title="Test plan change"):
    plan_change = screen(cast, start(cast, title))
    complete_parts(cast, plan_change)
    complete_actions(cast, plan_change)
    submit(cast, plan_change)
    return plan_change


def current(plan_change):
    return process_assessment(type("P", (), {"plan_change_id": plan_change.pk, "primed_records": None})())


def mitigation(assessment, codes, kind=ActionKind.MITIGATION):
    return ActionInput(description="Do something.", owner="Service manager",
                       due_date=datetime.date.today() + datetime.timedelta(days=60), kind=kind,
                       row_ids=[row(assessment, c).pk for c in codes])
