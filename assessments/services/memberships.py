"""Memberships from single sign-on (docs/single-sign-on.md): the roles a person's groups at
their organisation's identity provider give them, through the boards' ``SignOnGroupRole``
rows."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import Membership, MembershipSource, Role, SignOnGroupRole
from .audit import audit_record

# What one groups claim is read for: a directory may put hundreds of groups in it, but no
# more than this many, nor longer names than a mapping can hold, are looked at.
MOST_GROUPS = 2000
LONGEST_GROUP = 255


@dataclass(frozen=True)
class MembershipChanges:
    granted: list[tuple[int, str]]
    revoked: list[tuple[int, str]]
    memberships: int  # held after the sync, whatever granted them


def groups_from_claim(value) -> list[str]:
    """The group names in a groups claim: a list of strings (or one string); anything else,
    and names a mapping could not hold, is no group."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return sorted({g for g in value[:MOST_GROUPS] if isinstance(g, str) and 0 < len(g) <= LONGEST_GROUP})


def membership_sync_from_groups(*, user, groups: Iterable[str]) -> MembershipChanges:
    """Give ``user`` exactly the roles their provider's ``groups`` map to, as single sign-on
    memberships: add the ones missing, remove the single sign-on ones no group gives any
    more, each with an audit event on its board. A membership granted here is never removed
    or doubled (a role the groups give that is already held locally stays local)."""
    groups = groups_from_claim(list(groups))
    with transaction.atomic():
        # two sign-ins of one person at once (two tabs) take turns
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        wanted: dict[tuple[int, str], list[str]] = {}
        for board_id, role, group in (SignOnGroupRole.objects.filter(group__in=groups)
                                      .values_list("board_id", "role", "group")):
            wanted.setdefault((board_id, role), []).append(group)
        held = {(m.board_id, m.role): m for m in Membership.objects.filter(user=user)}
        revoked = sorted(key for key, m in held.items() if m.source == MembershipSource.SIGN_ON and key not in wanted)
        granted = sorted(key for key in wanted if key not in held)
        for board_id, role in revoked:
            held[(board_id, role)].delete()
            audit_record(board=board_id, actor=user, action="membership.sign_on_revoke",
                         message=f"Single sign-on: {Role(role).label} removed; no group of theirs at the "
                                 f"organisation's provider gives it any more.",
                         data={"user": user.pk, "role": role, "groups": groups[:50]})
        for board_id, role in granted:
            Membership.objects.create(user=user, board_id=board_id, role=role, source=MembershipSource.SIGN_ON)
            audit_record(board=board_id, actor=user, action="membership.sign_on_grant",
                         message=f"Single sign-on: {Role(role).label} given by the group "
                                 f"{', '.join(sorted(wanted[(board_id, role)]))} at the organisation's provider.",
                         data={"user": user.pk, "role": role, "groups": sorted(wanted[(board_id, role)])})
        count = len(held) - len(revoked) + len(granted)
    if hasattr(user, "_prefetched_objects_cache"):
        user._prefetched_objects_cache.pop("memberships", None)  # the rules read them again
    return MembershipChanges(granted=granted, revoked=revoked, memberships=count)
