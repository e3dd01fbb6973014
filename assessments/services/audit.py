"""Writing the audit trail. Called by every service inside its transaction."""

from typing import Any

from ..models import Assessment, AuditEvent, Board, PlanChange, Screening
from .listing import plan_change_listing_refresh


def actor_name(user) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def audit_record(
    *,
    board: Board | int,
    actor,
    action: str,
    plan_change: PlanChange | None = None,
    screening: Screening | None = None,
    assessment: Assessment | None = None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; an event of a plan change also refreshes what the list of
    plan changes filters and searches on (``plan_change_listing_refresh``)."""
    board_id = board if isinstance(board, int) else board.pk
    if plan_change is not None:
        plan_change_listing_refresh(plan_change=plan_change)
    return AuditEvent.objects.create(
        board_id=board_id,
        plan_change=plan_change,
        screening=screening,
        assessment=assessment,
        actor=actor,
        actor_name=actor_name(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        message=message,
        data=data or {},
    )
