"""Named predicates: who may do what. Services enforce them; views and the workflow
use them to decide what to show. Superusers get no exemption from any of them."""

from django.contrib.auth.models import AbstractBaseUser

from .models import Assessment, AssessmentState, Board, Membership, PlanChange, Role, Screening


def roles_on(user: AbstractBaseUser, board_id: int) -> set[str]:
    """The roles the user holds on the board (cached on the user object per request)."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cache = user.__dict__.setdefault("_iia_roles", None)
    if cache is None:
        cache = {}
        for b_id, role in Membership.objects.filter(user=user).values_list("board_id", "role"):
            cache.setdefault(b_id, set()).add(role)
        user.__dict__["_iia_roles"] = cache
    return cache.get(board_id, set())


def board_ids(user: AbstractBaseUser) -> set[int]:
    """The boards the user belongs to."""
    roles_on(user, 0)
    return set(user.__dict__.get("_iia_roles") or {}) if user.is_authenticated else set()


def has_role(user: AbstractBaseUser, board: Board | int, role: str) -> bool:
    board_id = board if isinstance(board, int) else board.pk
    return role in roles_on(user, board_id)


def is_member(user: AbstractBaseUser, board: Board | int) -> bool:
    board_id = board if isinstance(board, int) else board.pk
    return bool(roles_on(user, board_id))


def is_author(user: AbstractBaseUser, plan_change: PlanChange) -> bool:
    """The person who created the plan change or leads it."""
    return user.pk in plan_change.author_ids


def is_contributor(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Anyone who saved part of this assessment, its author included."""
    return user.pk == assessment.author_id or assessment.contributors.filter(pk=user.pk).exists()


def is_participant(user: AbstractBaseUser, assessment: Assessment) -> bool:
    return is_author(user, assessment.plan_change) or is_contributor(user, assessment)


def can_start_plan_change(user: AbstractBaseUser, board: Board) -> bool:
    return has_role(user, board, Role.OFFICER)


def can_edit_screening(user: AbstractBaseUser, screening: Screening) -> bool:
    return screening.is_editable and has_role(user, screening.plan_change.board_id, Role.OFFICER)


def can_review_screening(user: AbstractBaseUser, screening: Screening) -> bool:
    """An equality lead of the board who neither wrote nor submitted the screening."""
    return (
        has_role(user, screening.plan_change.board_id, Role.EQUALITY_LEAD)
        and not is_author(user, screening.plan_change)
        and user.pk != screening.submitted_by_id
    )


def can_edit_assessment(user: AbstractBaseUser, assessment: Assessment) -> bool:
    return assessment.is_editable and has_role(user, assessment.plan_change.board_id, Role.OFFICER)


def can_approve(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """An equality lead of the board who did not author or contribute to the assessment."""
    return has_role(user, assessment.plan_change.board_id, Role.EQUALITY_LEAD) and not is_participant(
        user, assessment
    )


def can_sign_off(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """A senior officer of the board who did not author or contribute to the assessment."""
    return has_role(user, assessment.plan_change.board_id, Role.SENIOR_OFFICER) and not is_participant(
        user, assessment
    )


def can_return(user: AbstractBaseUser, assessment: Assessment) -> bool:
    if assessment.state == AssessmentState.SUBMITTED:
        return can_approve(user, assessment)
    if assessment.state == AssessmentState.APPROVED:
        return can_sign_off(user, assessment)
    return False


def can_start_new_version(user: AbstractBaseUser, assessment: Assessment) -> bool:
    return assessment.state == AssessmentState.SIGNED_OFF and has_role(
        user, assessment.plan_change.board_id, Role.OFFICER
    )


def can_withdraw(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """The plan change's author or lead officer, or an equality lead of the board, can
    withdraw an assessment that is not yet signed off (the plan change is not going ahead)."""
    board_id = assessment.plan_change.board_id
    return (has_role(user, board_id, Role.OFFICER) and is_author(user, assessment.plan_change)) or has_role(
        user, board_id, Role.EQUALITY_LEAD
    )
