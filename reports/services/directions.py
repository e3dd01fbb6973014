"""Issuing directions when the board agrees a report, their references, and the
earlier directions they vary or revoke (``docs/directions.md``)."""

import datetime

from django.db import transaction

from assessments.exceptions import RuleViolation
from assessments.services import audit_record

from ..models import (
    AgendaItem,
    Committee,
    CommitteeKind,
    Decision,
    Direction,
    DirectionEffect,
    DirectionNumberCounter,
    DirectionStatus,
)

ISSUING_DECISIONS = (Decision.AGREED, Decision.AMENDED)


def direction_reference_prefix(board_id: int) -> str:
    """The board's IJB report prefix: Dundee's ``DIJB`` gives ``DIJB-D-2027-003``."""
    committee = Committee.objects.filter(board_id=board_id, kind=CommitteeKind.IJB).first()
    return committee.report_prefix if committee else "IJB"


def direction_reference_allocate(*, board_id: int, year: int) -> tuple[str, int]:
    """The next reference of the board and year. The counter row is locked (in the
    caller's transaction), so directions issued at once never share a reference."""
    DirectionNumberCounter.objects.get_or_create(board_id=board_id, year=year)
    counter = DirectionNumberCounter.objects.select_for_update().get(board_id=board_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{direction_reference_prefix(board_id)}-D-{year}-{counter.last:03d}", counter.last


def earlier_direction_problem(*, board_id: int, effect: str, earlier: Direction | None,
                              direction: Direction | None = None) -> str:
    """Why ``earlier`` cannot be what a direction varies or revokes ("" when it can): it
    must be an issued, current direction of the same board, and never the direction itself."""
    if effect == DirectionEffect.NEW:
        return "" if earlier is None else "A new direction varies or revokes nothing: choose what it does."
    if effect not in DirectionEffect.values:
        return "Choose whether the direction is new, or varies or revokes an earlier one."
    if earlier is None:
        return "Choose the earlier direction it varies or revokes."
    if direction is not None and earlier.pk == direction.pk:
        return "A direction cannot vary or revoke itself."
    if earlier.report.board_id != board_id:
        return "Choose an earlier direction of this board."
    if earlier.status != DirectionStatus.CURRENT:
        return (f"Direction {earlier} is {earlier.get_status_display().lower()}, not current: "
                "only a current direction can be varied or revoked.")
    return ""


def direction_issue(*, direction: Direction, item: AgendaItem, by, issued_on: datetime.date) -> Direction:
    """Issue a proposed direction of the item's report on the board's decision to agree
    it: a reference, the issue date (not before the meeting; before the review date), the
    decision; the earlier direction it varies or revokes changes status with it. Runs in
    one transaction (the caller's, when it has one); every change is audited."""
    meeting = item.meeting
    board_id = meeting.committee.board_id
    with transaction.atomic():
        direction = (Direction.objects.select_for_update(of=("self",)).select_related("report__plan_change")
                     .get(pk=direction.pk))
        if direction.report_id != item.report_id or direction.report.board_id != board_id:
            raise RuleViolation("The direction is not in the report of this decision.")
        if item.decision not in ISSUING_DECISIONS:
            raise RuleViolation("A direction is issued only when the board agrees the report.")
        if direction.status != DirectionStatus.PROPOSED:
            raise RuleViolation(f"Direction {direction} has been issued already.")
        if issued_on < meeting.date:
            raise RuleViolation(f"A direction cannot be issued before the meeting that agreed it "
                                       f"({meeting.date:%-d %B %Y}).")
        if direction.review_date <= issued_on:
            raise RuleViolation(f"The direction's review date ({direction.review_date:%-d %B %Y}) must come "
                                       f"after its issue date ({issued_on:%-d %B %Y}).")
        earlier = None
        if direction.earlier_id:
            earlier = (Direction.objects.select_for_update(of=("self",)).select_related("report__plan_change")
                       .get(pk=direction.earlier_id))
        problem = earlier_direction_problem(board_id=board_id, effect=direction.effect, earlier=earlier,
                                            direction=direction)
        if problem:
            raise RuleViolation(problem)
        direction.reference, direction.reference_sequence = direction_reference_allocate(
            board_id=board_id, year=issued_on.year)
        direction.reference_year, direction.issued_on = issued_on.year, issued_on
        direction.decision, direction.issued_by = item, by
        direction.issue()
        direction.save()
        audit_record(board=board_id, actor=by, action="direction.issue", plan_change=direction.report.plan_change,
                     from_state=DirectionStatus.PROPOSED, to_state=direction.status,
                     message=f"Issued direction {direction.reference} to {direction.get_recipients_display().lower()} "
                             f"({meeting.title}, item {item.position}).",
                     data={"direction": direction.pk, "reference": direction.reference})
        if earlier is not None:
            earlier.revoke() if direction.effect == DirectionEffect.REVOKES else earlier.vary()
            earlier.save()
            action = "direction.revoke" if direction.effect == DirectionEffect.REVOKES else "direction.vary"
            audit_record(board=board_id, actor=by, action=action,
                         plan_change=earlier.report.plan_change, from_state=DirectionStatus.CURRENT,
                         to_state=earlier.status,
                         message=f"Direction {earlier.reference} {earlier.get_status_display().lower()} by "
                                 f"{direction.reference}.",
                         data={"direction": earlier.pk, "by_direction": direction.pk})
    return direction


def directions_issue_on_decision(*, item: AgendaItem, by, issued_on: datetime.date) -> list[Direction]:
    """Every proposed direction of the item's report, issued when the board agreed it
    (as recommended or as amended); none otherwise. In the decision's transaction: a
    direction that cannot be issued refuses the decision, with the reason."""
    if item.decision not in ISSUING_DECISIONS or not item.report_id:
        return []
    proposed = Direction.objects.filter(report_id=item.report_id, status=DirectionStatus.PROPOSED).order_by("pk")
    return [direction_issue(direction=d, item=item, by=by, issued_on=issued_on) for d in proposed]
