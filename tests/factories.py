"""Builders for tests: people with roles, a plan, and plan changes driven through the
real services and flow to any stage."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from assessments import services
from assessments.models import Board, Membership, PlanPriority, Role, Row, StrategicPlan
from assessments.models.assessment import ActionKind
from assessments.services import ActionInput
from assessments.validation import RatingInput
from workflows.engine import active_task, active_tasks, run_task
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
    person.__dict__.pop("_iia_roles", None)
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


def screen(cast: Cast, plan_change, *, full=True, decision="concur"):
    screening = plan_change.screenings.get()
    given = answers() if full else answers(asks_agreement="no")
    run_task(active_task(plan_change, IIAFlow.screening), cast.officer,
             lambda: services.screening_submit(screening=screening, by=cast.officer, answers=given))
    run_task(active_task(plan_change, IIAFlow.review_screening), cast.lead,
             lambda: services.screening_review(screening=screening, by=cast.lead, decision=decision,
                                               comments="" if decision == "concur" else "Because."))
    return plan_change


def section_inputs(section, overrides=None):
    overrides = overrides or {}
    ratings = {row.pk: RatingInput(*overrides.get(row.code, ({"no_impact"}, ""))) for row in section.rows.all()}
    given = {}
    for question in section.questions.all():
        given[question.pk] = question.choices[0] if question.kind == "choice" else "An answer."
    return ratings, given


def complete_parts(cast, plan_change, overrides=None, by=None):
    by = by or cast.officer
    assessment = current(plan_change)
    for task in active_tasks(plan_change, IIAFlow.complete_part):
        code = task.data["part"]

        def work(code=code):
            if code == "evidence":
                return services.evidence_save(assessment=assessment, by=by, evidence="Data.",
                                              consultation="People.", complete=True)
            section = assessment.template.sections.get(code=code)
            ratings, given = section_inputs(section, overrides)
            return services.section_save(assessment=assessment, section_code=code, by=by, ratings=ratings,
                                         answers=given, complete=True)

        if task.owner_id not in (None, by.pk):
            task.flow_task.activation_class(task).unassign()
        run_task(task, by, work)
    return assessment


def row(assessment, code) -> Row:
    return Row.objects.get(section__template=assessment.template, code=code)


def complete_actions(cast, plan_change, actions=(), justifications=None, by=None):
    by = by or cast.officer
    assessment = current(plan_change)
    run_task(active_task(plan_change, IIAFlow.actions), by, lambda: services.actions_save(
        assessment=assessment, by=by, actions=list(actions), justifications=justifications or {},
        review_date=datetime.date.today() + datetime.timedelta(days=365), complete=True))
    return assessment


def submit(cast, plan_change):
    assessment = current(plan_change)
    run_task(active_task(plan_change, IIAFlow.submit), cast.officer,
             lambda: services.assessment_submit(assessment=assessment, by=cast.officer))
    return assessment


def approve(cast, plan_change):
    assessment = current(plan_change)
    run_task(active_task(plan_change, IIAFlow.review), cast.lead,
             lambda: services.assessment_approve(assessment=assessment, by=cast.lead, risk_level="low"))
    return assessment


def sign_off(cast, plan_change):
    assessment = current(plan_change)
    run_task(active_task(plan_change, IIAFlow.sign_off), cast.senior,
             lambda: services.assessment_sign_off(assessment=assessment, by=cast.senior))
    return current(plan_change)


def to_submitted(cast, title="Test plan change"):
    plan_change = screen(cast, start(cast, title))
    complete_parts(cast, plan_change)
    complete_actions(cast, plan_change)
    submit(cast, plan_change)
    return plan_change


def current(plan_change):
    return process_assessment(type("P", (), {"plan_change_id": plan_change.pk})())


def mitigation(assessment, codes, kind=ActionKind.MITIGATION):
    return ActionInput(description="Do something.", owner="Service manager",
                       due_date=datetime.date.today() + datetime.timedelta(days=60), kind=kind,
                       row_ids=[row(assessment, c).pk for c in codes])
