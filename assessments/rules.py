"""Named predicates: who may do what. Services enforce them; views and the workflow
use them to decide what to show. Superusers get no exemption from any of them."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from .models import Assessment, AssessmentState, Board, Delegation, Membership, PlanChange, Role, Screening, ScreeningState
from .models.assessment import OPEN_STATES


def memberships(user: AbstractBaseUser) -> list[Membership]:
    """The user's memberships with their boards' short names, by board name: read once per
    user object and kept in Django's prefetch cache (every rule below asks many times in a
    request). ``user.refresh_from_db()`` reads them again."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    return _prefetched(user, "memberships", lambda: Membership.objects.select_related("board")
                       .only("user_id", "board_id", "role", "board__short_name", "board__name")
                       .order_by("board__name", "pk"))


def _prefetched(record, relation: str, queryset: Callable[[], QuerySet]) -> list:
    """``record``'s related rows, read once with ``queryset()`` into Django's prefetch cache
    (as ``prefetch_related`` would have), then read from it: the rules ask hundreds of
    times on a list page, and the check costs a dictionary lookup where building the query
    or calling ``prefetch_related_objects`` costs 20-30 µs."""
    cached = getattr(record, "_prefetched_objects_cache", {}).get(relation)
    if cached is None:
        prefetch_related_objects([record], Prefetch(relation, queryset=queryset()))
        cached = record._prefetched_objects_cache[relation]
    return list(cached)


def roles_on(user: AbstractBaseUser, board_id: int) -> set[str]:
    """The roles the user holds on the board."""
    return {membership.role for membership in memberships(user) if membership.board_id == board_id}


def board_ids(user: AbstractBaseUser) -> set[int]:
    """The boards the user belongs to."""
    return {membership.board_id for membership in memberships(user)}


def board_names(user: AbstractBaseUser) -> list[str]:
    """The short names of the boards the user belongs to, by name."""
    return list(dict.fromkeys(membership.board.short_name for membership in memberships(user)))


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
    return user.pk == assessment.author_id or user.pk in contributor_ids(assessment)


def contributor_ids(assessment: Assessment) -> set[int]:
    """The ids of everyone who saved part of the assessment: prefetched by a list's or a
    page's selector for every assessment at once, or read."""
    prefetched = getattr(assessment, "_prefetched_objects_cache", {}).get("contributors")
    if prefetched is not None:
        return {person.pk for person in prefetched}
    return set(assessment.contributors.values_list("pk", flat=True))


def is_participant(user: AbstractBaseUser, assessment: Assessment) -> bool:
    return is_author(user, assessment.plan_change) or is_contributor(user, assessment)


def plan_changes_involving(user: AbstractBaseUser) -> set[int]:
    """The ids of the plan changes the user took part in: created or led it, submitted a
    screening of it, wrote or contributed to a version. Every "not your own work" rule above
    (``is_author``, ``is_participant``, a screening's submitter) refuses only these.
    One query, each part by its own index (one join of them all was 0.4 s on a large board)."""
    parts = [
        PlanChange.objects.filter(created_by=user).values_list("pk", flat=True),
        PlanChange.objects.filter(lead_officer=user).values_list("pk", flat=True),
        Screening.objects.filter(submitted_by=user).values_list("plan_change_id", flat=True),
        Assessment.objects.filter(author=user).values_list("plan_change_id", flat=True),
        Assessment.contributors.through.objects.filter(user=user).values_list("assessment__plan_change_id", flat=True),
    ]
    first, *rest = (part.order_by() for part in parts)  # a compound query's parts take no ordering
    return set(first.union(*rest))


def can_decide_under_delegation(user: AbstractBaseUser, board: Board | int) -> bool:
    """A senior officer of the board (the Chief Officer, or a post the scheme of delegation
    names) records decisions taken under delegated authority, with no meeting."""
    return has_role(user, board, Role.SENIOR_OFFICER)


def can_start_plan_change(user: AbstractBaseUser, board: Board) -> bool:
    return has_role(user, board, Role.OFFICER)


def can_produce_mainstreaming_report(user: AbstractBaseUser, board: Board | int) -> bool:
    """The board's equality leads and senior officers produce its mainstreaming evidence
    (the figures of its SSI 2012/162 reg 3 and 4 reports, signed in the board's name)."""
    return has_role(user, board, Role.EQUALITY_LEAD) or has_role(user, board, Role.SENIOR_OFFICER)


def can_edit_screening(user: AbstractBaseUser, screening: Screening) -> bool:
    return screening.is_editable and has_role(user, screening.plan_change.board_id, Role.OFFICER)


def can_review_screening(user: AbstractBaseUser, screening: Screening) -> bool:
    """A submitted screening, reviewed by an equality lead of the board who neither wrote
    nor submitted it."""
    return (
        screening.state == ScreeningState.SUBMITTED
        and has_role(user, screening.plan_change.board_id, Role.EQUALITY_LEAD)
        and not is_author(user, screening.plan_change)
        and user.pk != screening.submitted_by_id
    )


def can_edit_assessment(user: AbstractBaseUser, assessment: Assessment) -> bool:
    return assessment.is_editable and has_role(user, assessment.plan_change.board_id, Role.OFFICER)


def can_submit(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """An assessment being written, submitted by an officer of the board (that it is
    complete is the service's rule, answered field by field)."""
    return can_edit_assessment(user, assessment)


def can_approve(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """A submitted assessment, approved by an equality lead of the board who did not
    author or contribute to it."""
    return (
        assessment.state == AssessmentState.SUBMITTED
        and has_role(user, assessment.plan_change.board_id, Role.EQUALITY_LEAD)
        and not is_participant(user, assessment)
    )


def can_sign_off(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """An approved assessment, signed off by a senior officer of the board who did not
    author or contribute to it."""
    return (
        assessment.state == AssessmentState.APPROVED
        and has_role(user, assessment.plan_change.board_id, Role.SENIOR_OFFICER)
        and not is_participant(user, assessment)
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
    if assessment.state not in OPEN_STATES:
        return False
    board_id = assessment.plan_change.board_id
    return (has_role(user, board_id, Role.OFFICER) and is_author(user, assessment.plan_change)) or has_role(
        user, board_id, Role.EQUALITY_LEAD
    )


# --- delegation ------------------------------------------------------------------------

def delegations_to(user: AbstractBaseUser) -> dict[tuple[int, str], set[int]]:
    """Today's active delegations to the user: (board id, role) -> the people who delegated
    that role on that board to them. Read once per user object, in Django's prefetch cache
    of ``delegations_in`` (today's only); ``user.refresh_from_db()`` reads them again."""
    if not user or not user.is_authenticated or not user.is_active:
        return {}
    def today():
        return Delegation.objects.active(timezone.localdate()).only("delegate_id", "board_id", "role", "delegator_id")

    found: dict[tuple[int, str], set[int]] = {}
    for delegation in _prefetched(user, "delegations_in", today):
        found.setdefault((delegation.board_id, delegation.role), set()).add(delegation.delegator_id)
    return found


def acts_for_any(user: AbstractBaseUser, people, board_id: int, role: str) -> bool:
    """The user is one of ``people`` (ids), or acts for one of them in ``role`` on the board
    under an active delegation. The user's own id is looked for first, so the delegations are
    read only when they could matter, whatever order the set of ids iterates in."""
    if user.pk in people:
        return True
    return any(acts_for(user, pk, board_id, role) for pk in people)


def acts_for(user: AbstractBaseUser, owner_id: int | None, board: Board | int, role: str) -> bool:
    """The user may act as ``owner_id`` in ``role`` on the board: it is the user, or the owner
    delegated that role on that board to the user and the delegation is active today. It
    never carries further (a delegate's delegate gets nothing). The user's own role and the
    task's own rules (not the author, ...) are checked separately, for the user."""
    if owner_id is None or not user or not user.is_authenticated:
        return False
    if owner_id == user.pk:
        return True
    board_id = board if isinstance(board, int) else board.pk
    return owner_id in delegations_to(user).get((board_id, role), set())


# --- reviews and comments ----------------------------------------------------------------

def can_review(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Record the review of a signed-off assessment: an equality lead of the board, or an
    officer of the board who is the assessment's author or the plan change's author or lead
    officer (or acts for one of them under an active delegation)."""
    board_id = assessment.plan_change.board_id
    if has_role(user, board_id, Role.EQUALITY_LEAD):
        return True
    if not has_role(user, board_id, Role.OFFICER):
        return False
    owners = {assessment.author_id, *assessment.plan_change.author_ids}
    return acts_for_any(user, owners, board_id, Role.OFFICER)


def _comment_participant(user: AbstractBaseUser, board_id: int, people: set[int]) -> bool:
    roles = roles_on(user, board_id)
    if roles & {Role.EQUALITY_LEAD, Role.SENIOR_OFFICER}:
        return True
    if user.pk in people and roles:
        return True
    return Role.OFFICER in roles and acts_for_any(user, people, board_id, Role.OFFICER)


def can_comment(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Read and post comments on an assessment: its participants on its board. They are
    the author and contributors, the plan change's author and lead officer (and officers
    acting for them under a delegation), and the board's equality leads and senior
    officers, who review and sign off. Nobody from another board."""
    people = {assessment.author_id, *assessment.plan_change.author_ids, *contributor_ids(assessment)}
    return _comment_participant(user, assessment.plan_change.board_id, people)


def can_comment_screening(user: AbstractBaseUser, screening: Screening) -> bool:
    """As ``can_comment``, for the screening: the plan change's author and lead officer, whoever
    submitted the screening, and the board's equality leads and senior officers."""
    people = {*screening.plan_change.author_ids, screening.submitted_by_id} - {None}
    return _comment_participant(user, screening.plan_change.board_id, people)


# --- monitoring after sign-off -------------------------------------------------------------

def is_monitor(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Who answers for an assessment's mitigating actions once it is signed off. An action's
    owner is free text (a name or a post), so it grants nothing by itself: the board's
    equality leads, and its officers who wrote or contributed to the assessment or who
    created or lead the plan change (or act for one of them under an active delegation)."""
    board_id = assessment.plan_change.board_id
    roles = roles_on(user, board_id)
    if Role.EQUALITY_LEAD in roles:
        return True
    if Role.OFFICER not in roles:
        return False
    people = {assessment.author_id, *assessment.plan_change.author_ids, *contributor_ids(assessment)}
    return acts_for_any(user, people, board_id, Role.OFFICER)


def can_record_progress(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Record progress on the mitigating actions of the signed-off version in force
    (``is_monitor``); never on a version superseded or withdrawn, nor before sign-off
    (until then the actions are edited with the assessment)."""
    return assessment.state == AssessmentState.SIGNED_OFF and is_monitor(user, assessment)


# --- Easy Read summaries and requests for other formats --------------------------------

def can_write_easy_read(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Write the Easy Read summary of an assessment being written or signed off: an officer
    or an equality lead of its board (docs/adr/0020-easy-read-summaries-and-other-formats.md)."""
    if assessment.state not in (*OPEN_STATES, AssessmentState.SIGNED_OFF):
        return False
    return bool(roles_on(user, assessment.plan_change.board_id) & {Role.OFFICER, Role.EQUALITY_LEAD})


def can_handle_format_requests(user: AbstractBaseUser, board: Board | int) -> bool:
    """Read and act on the board's requests for documents in other formats (they hold the
    requesters' contact details): the board's equality leads."""
    return has_role(user, board, Role.EQUALITY_LEAD)


# --- evidence files and the board's evidence library (docs/evidence.md) ----------------------

def can_see_evidence_files(user: AbstractBaseUser, board: Board | int) -> bool:
    """Download any evidence file of the board, published or withheld: its members."""
    return is_member(user, board)


def can_attach_evidence(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Attach a file to, or remove one from, the evidence or consultation of an assessment
    being written: whoever may edit it (an officer of the board). Never once signed."""
    return can_edit_assessment(user, assessment)


def can_set_evidence_publication(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Publish or withhold an assessment's file until it is signed off: the board's
    officers and equality leads."""
    if assessment.state not in OPEN_STATES:
        return False
    return bool(roles_on(user, assessment.plan_change.board_id) & {Role.OFFICER, Role.EQUALITY_LEAD})


def can_manage_evidence_library(user: AbstractBaseUser, board: Board | int) -> bool:
    """Add files and links to the board's evidence library, and retire them: its equality leads."""
    return has_role(user, board, Role.EQUALITY_LEAD)


def can_cite_evidence(user: AbstractBaseUser, assessment: Assessment) -> bool:
    """Cite an entry of the board's library from an assessment being written: whoever may edit it."""
    return can_edit_assessment(user, assessment)
