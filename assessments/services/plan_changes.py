"""Creating plan changes."""

from django.db import transaction

from .. import rules
from ..catalogue import active_template
from ..exceptions import NotAllowed, RuleViolation
from ..models import Board, PlanAction, PlanChange, PlanPriority, Role, Screening, StrategicPlan, Template
from ..text import clean_text
from .audit import audit_record


def plan_change_create(
    *,
    board: Board,
    plan: StrategicPlan,
    by,
    title: str,
    description: str,
    change_type: str,
    is_revision: bool,
    lead_officer,
    director,
    priorities: list[PlanPriority] = (),
    actions: list[PlanAction] = (),
    source_note: str = "",
) -> PlanChange:
    """Record a plan change and open its screening record (a draft, on the board's active template)."""
    if not rules.can_start_plan_change(by, board):
        raise NotAllowed("Only an officer of the board can start an assessment.")
    errors = {}
    if plan.board_id != board.pk:
        errors["plan"] = ["Choose a plan of this board."]
    if any(p.plan_id != plan.pk for p in priorities):
        errors["priorities"] = ["Choose priorities of the chosen plan."]
    if any(a.priority.plan_id != plan.pk for a in actions):
        errors["actions"] = ["Choose actions of the chosen plan."]
    if not rules.has_role(lead_officer, board, Role.OFFICER):
        errors["lead_officer"] = ["The lead officer must be an officer of the board."]
    if not rules.has_role(director, board, Role.SENIOR_OFFICER):
        errors["director"] = ["The responsible director must be a senior officer of the board."]
    if not clean_text(title):
        errors["title"] = ["Give the plan change a title."]
    if not Template.objects.filter(board=board, is_active=True).exists():  # a new board (docs/new-board.md)
        errors["__all__"] = [f"{board} has no assessment form yet: its equality lead imports one and makes it "
                             "active before the first assessment starts."]
    if errors:
        raise RuleViolation(errors)

    with transaction.atomic():
        plan_change = PlanChange.objects.create(
            board=board,
            plan=plan,
            title=clean_text(title),
            description=clean_text(description),
            change_type=change_type,
            is_revision=is_revision,
            lead_officer=lead_officer,
            director=director,
            created_by=by,
            source_note=source_note,
        )
        plan_change.priorities.add(*priorities)  # a new plan change has no links: nothing to compare first
        plan_change.actions.add(*actions)
        screening = Screening.objects.create(plan_change=plan_change, template=active_template(board))
        audit_record(
            board=board,
            actor=by,
            action="plan_change.create",
            plan_change=plan_change,
            screening=screening,
            to_state=screening.state,
            message=f"Started {plan_change.reference}: {plan_change.title}",
        )
    return plan_change
