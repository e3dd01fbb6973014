"""Writing the audit trail. Called by every service inside its transaction."""

from typing import Any

from ..models import Assessment, AuditEvent, Board, PlanChange, Screening


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
    """Append one audit event."""
    board_id = board if isinstance(board, int) else board.pk
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
