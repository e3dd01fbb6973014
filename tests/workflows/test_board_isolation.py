"""Every page, queue and query shows only the user's boards."""

import pytest

from assessments import selectors
from assessments.models import Role
from tests import factories as f
from workflows import selectors as workflow_selectors
from workflows.engine import active_task
from workflows.flows import IIAFlow

from .http import assign_url, client_for, execute_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_boards(cast, borders):
    dundee_change = f.to_submitted(cast, "Dundee change")
    borders_change = f.to_submitted(borders, "Borders change")
    return dundee_change, borders_change


def test_pages_of_another_board_are_not_found(cast, borders, two_boards):
    dundee_change, _ = two_boards
    client = client_for(borders.officer)
    assert client.get(f"/plan-changes/{dundee_change.pk}/").status_code == 404
    assert client.get(f"/plans/{dundee_change.plan_id}/").status_code == 404
    assert client.get("/plan-changes/new/dundee/").status_code == 404
    review = active_task(dundee_change, IIAFlow.review)
    lead = client_for(borders.lead)
    assert lead.get(assign_url(review)).status_code == 404
    assert lead.post(assign_url(review)).status_code == 404
    assert lead.get(execute_url(review)).status_code == 404
    assessment = f.current(dundee_change)
    assert client.post(f"/assessments/{assessment.pk}/new-version/", {"reason": "x"}).status_code == 404


def test_queues_and_lists_hold_only_the_users_boards(cast, borders, two_boards):
    dundee_change, borders_change = two_boards
    dundee_queue = client_for(cast.lead).get("/tasks/queue/").content.decode()
    borders_queue = client_for(borders.lead).get("/tasks/queue/").content.decode()
    assert "Dundee change" in dundee_queue and "Borders change" not in dundee_queue
    assert "Borders change" in borders_queue and "Dundee change" not in borders_queue
    assert list(selectors.plan_changes_for(borders.officer)) == [borders_change]
    assert all(t.process.coerced.board.slug == "dundee" for t in workflow_selectors.queue(cast.lead))
    home = client_for(borders.officer).get("/").content.decode()
    assert "Test plan scottish-borders" in home and "Test plan dundee" not in home


def test_a_member_of_both_boards_sees_both(cast, borders, two_boards):
    lead = f.user(Role.EQUALITY_LEAD)
    f.add_role(lead, Role.EQUALITY_LEAD, "scottish-borders")
    queue = client_for(lead).get("/tasks/queue/").content.decode()
    assert "Dundee change" in queue and "Borders change" in queue


def test_a_user_with_no_board_sees_nothing(two_boards):
    stranger = f.user(None)
    client = client_for(stranger)
    assert "Nothing is waiting" in client.get("/tasks/queue/").content.decode()
    assert client.get("/plan-changes/new/").status_code == 403
    assert client.get(f"/plan-changes/{two_boards[0].pk}/").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(two_boards):
    from django.test import Client

    client = Client()
    for url in ("/", "/tasks/inbox/", "/tasks/queue/", "/plans/", f"/plan-changes/{two_boards[0].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    task = active_task(two_boards[0], IIAFlow.review)
    assert client.get(execute_url(task)).status_code in (302, 404)
