"""Delegations: creating one and ending it early, both audited."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .. import rules
from ..exceptions import NotAllowed, RuleViolation
from ..models import Board, Delegation, Role
from ..text import clean_text, long_date
from .audit import actor_name, audit_record

DELEGABLE_ROLES = (Role.OFFICER, Role.EQUALITY_LEAD, Role.SENIOR_OFFICER)  # the roles that have tasks
LONGEST = datetime.timedelta(days=366)


def _overlapping(qs, starts_on, ends_on):
    return qs.filter(ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)


def delegation_errors(
    *, delegator, delegate, board: Board, role: str, starts_on: datetime.date, ends_on: datetime.date
) -> dict[str, list[str]]:
    """Everything wrong with a delegation, keyed by form field."""
    errors: dict[str, list[str]] = {}
    role_label = Role(role).label.lower() if role in Role.values else role
    if role not in DELEGABLE_ROLES or not rules.has_role(delegator, board, role):
        errors["role"] = ["Choose one of your own roles that has tasks."]
    if delegate.pk == delegator.pk:
        errors["delegate"] = ["You cannot delegate your tasks to yourself: choose a colleague."]
    elif not delegate.is_active or not rules.has_role(delegate, board, role):
        errors["delegate"] = [f"{actor_name(delegate)} is not {'an' if role_label[0] in 'aeiou' else 'a'} "
                              f"{role_label} on {board}: choose a colleague with the same role on the same board."]
    today = timezone.localdate()
    if starts_on < today:
        errors["starts_on"] = ["The start date cannot be in the past."]
    if ends_on < starts_on:
        errors["ends_on"] = ["The end date must be on or after the start date."]
    elif ends_on - starts_on > LONGEST:
        errors["ends_on"] = ["A delegation lasts at most a year."]
    if errors:
        return errors
    mine = _overlapping(Delegation.objects.filter(delegator=delegator, board=board, role=role), starts_on, ends_on)
    clash = mine.select_related("delegate").first()
    if clash is not None:
        errors["starts_on"] = [f"You already delegate these tasks to {actor_name(clash.delegate)} from "
                               f"{long_date(clash.starts_on)} to {long_date(clash.ends_on)}: choose dates that do not "
                               f"overlap, or end that delegation first."]
    away = _overlapping(Delegation.objects.filter(delegator=delegate, board=board, role=role), starts_on, ends_on)
    if away.exists():
        errors.setdefault("delegate", []).append(
            f"{actor_name(delegate)} has delegated their own {role_label} tasks for part of this period.")
    return errors


def delegation_create(
    *, delegator, delegate, board: Board, role: str, starts_on: datetime.date, ends_on: datetime.date,
    reason: str = "",
) -> Delegation:
    """The delegator hands their tasks of ``role`` on ``board`` to a colleague with the same role
    on the same board, from ``starts_on`` to ``ends_on``. Audited on the board."""
    with transaction.atomic():
        # one delegator's delegations are created one at a time, so two cannot overlap
        get_user_model().objects.select_for_update().filter(pk=delegator.pk).first()
        errors = delegation_errors(delegator=delegator, delegate=delegate, board=board, role=role,
                                   starts_on=starts_on, ends_on=ends_on)
        if errors:
            raise RuleViolation(errors)
        delegation = Delegation.objects.create(
            board=board, role=role, delegator=delegator, delegate=delegate, starts_on=starts_on, ends_on=ends_on,
            reason=clean_text(reason).strip()[:200],
        )
        audit_record(
            board=board, actor=delegator, action="delegation.create",
            message=(f"Delegated {Role(role).label.lower()} tasks to {actor_name(delegate)} from "
                     f"{long_date(starts_on)} to {long_date(ends_on)}."
                     + (f" Reason: {delegation.reason}" if delegation.reason else "")),
            data={"delegation": delegation.pk, "delegate": delegate.pk, "role": role,
                  "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )
    delegate.refresh_from_db()  # its rules read today's delegations again
    return delegation


def delegation_end(*, delegation: Delegation, by) -> Delegation:
    """The delegator ends a planned or active delegation early; the tasks are theirs again
    at once. Audited on the board."""
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().select_related("board", "delegate").get(pk=delegation.pk)
        if by.pk != delegation.delegator_id:
            raise NotAllowed("Only the person who made a delegation can end it.")
        if delegation.ended_at is not None or delegation.ends_on < timezone.localdate():
            raise RuleViolation("This delegation has already ended.")
        delegation.ended_at = timezone.now()
        delegation.ended_by = by
        delegation.save()
        audit_record(
            board=delegation.board, actor=by, action="delegation.end",
            message=f"Ended the delegation of {delegation.get_role_display().lower()} tasks to "
                    f"{actor_name(delegation.delegate)}.",
            data={"delegation": delegation.pk, "delegate": delegation.delegate_id, "role": delegation.role},
        )
    return delegation
