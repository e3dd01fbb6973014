"""Memberships from single sign-on groups (``membership_sync_from_groups``): what the groups
give, no more; local memberships untouched; strange claims read as no group."""

import pytest

from assessments.models import AuditEvent, Board, Membership, MembershipSource, Role, SignOnGroupRole
from assessments.services.memberships import MOST_GROUPS, groups_from_claim, membership_sync_from_groups
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("claim", "groups"), [
    (["b", "a", "a"], ["a", "b"]),
    ("one-group", ["one-group"]),
    (None, []),
    ({"a": 1}, []),
    (["", 7, None, ["nested"], {"x": "y"}, "x" * 256, "ok"], ["ok"]),
])
def test_a_groups_claim_is_read_as_a_list_of_names(claim, groups):
    assert groups_from_claim(claim) == groups


def test_a_huge_groups_claim_is_read_only_so_far():
    assert len(groups_from_claim([f"g{n}" for n in range(MOST_GROUPS * 5)])) == MOST_GROUPS


def test_sync_adds_and_removes_only_its_own_and_audits_each_change():
    dundee, borders = Board.objects.get(slug="dundee"), Board.objects.get(slug="scottish-borders")
    SignOnGroupRole.objects.create(group="leads", board=dundee, role=Role.EQUALITY_LEAD)
    SignOnGroupRole.objects.create(group="leads", board=borders, role=Role.EQUALITY_LEAD)
    SignOnGroupRole.objects.create(group="officers", board=dundee, role=Role.OFFICER)
    person = f.user(Role.OFFICER)  # a local officer on Dundee

    changes = membership_sync_from_groups(user=person, groups=["leads", "officers", "unmapped"])
    held = set(Membership.objects.filter(user=person).values_list("board__slug", "role", "source"))
    assert held == {("dundee", Role.OFFICER, MembershipSource.LOCAL),  # not doubled, still local
                    ("dundee", Role.EQUALITY_LEAD, MembershipSource.SIGN_ON),
                    ("scottish-borders", Role.EQUALITY_LEAD, MembershipSource.SIGN_ON)}
    assert len(changes.granted) == 2 and changes.memberships == 3
    assert {e.board.slug for e in AuditEvent.objects.filter(action="membership.sign_on_grant")} == {
        "dundee", "scottish-borders"}

    changes = membership_sync_from_groups(user=person, groups=[])
    assert set(Membership.objects.filter(user=person).values_list("role", "source")) == {
        (Role.OFFICER, MembershipSource.LOCAL)}
    assert len(changes.revoked) == 2 and changes.memberships == 1
    assert AuditEvent.objects.filter(action="membership.sign_on_revoke").count() == 2
    assert membership_sync_from_groups(user=person, groups=[]).revoked == []  # nothing more to do
