"""The header every signed-in page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import rules
from assessments.models import Board, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_header_names_the_users_boards_in_order_read_with_the_roles(client):
    person = f.add_role(f.user(Role.OFFICER, "scottish-borders"), Role.OFFICER, "dundee")
    f.add_role(person, Role.EQUALITY_LEAD, "dundee")  # a second role on a board names it once
    names = [b.short_name for b in Board.objects.filter(slug__in=["dundee", "scottish-borders"]).order_by("name")]
    assert rules.board_names(person) == names and len(names) == 2

    person.refresh_from_db()  # the rules read its memberships again
    with CaptureQueriesContext(connection) as captured:
        assert rules.board_ids(person) and rules.board_names(person) == names
    assert len(captured) == 1  # the roles' query names the boards too

    client.force_login(person)
    page = client.get("/").content.decode()
    assert f"{person.get_full_name()} · {', '.join(names)}</span>" in page
    assert rules.board_names(f.user()) == []  # no membership, no board
