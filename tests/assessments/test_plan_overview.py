"""The plan page lists the newest plan changes under each priority and action, with the
number of all of them."""

import pytest
from django.test import Client

from assessments import selectors
from assessments.models import PlanChange
from tests import factories as f
from workflows import actions as workflow_actions

pytestmark = pytest.mark.django_db


def test_each_action_lists_its_newest_plan_changes_and_counts_them_all(cast, monkeypatch):
    changes = [f.start(cast, f"Change {i}") for i in range(3)]
    plan = changes[0].plan
    action = changes[0].actions.get()
    overview = selectors.plan_overview(cast.officer, plan, shown=2)
    item = next(a for p in overview for a in p.actions if a.action == action)
    assert [pc.pk for pc, _status in item.plan_changes] == [c.pk for c in changes[:0:-1]] and item.total == 3
    assert item.plan_changes[0][0].reference == changes[2].reference
    priority = next(p for p in overview if p.priority == changes[0].priorities.get())
    assert len(priority.plan_changes) == 2 and priority.total == 3

    monkeypatch.setattr(selectors, "OVERVIEW_SHOWN", 2)
    client = Client()
    client.force_login(cast.officer)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "The newest 2 of 3; all are in the matrix below." in page
    assert changes[2].title in page and f"/plan-changes/{changes[0].pk}/" not in page.split("matrix-title")[0]


def test_the_overview_is_kept_until_the_next_audited_change(cast, django_assert_max_num_queries):
    """The overview reads every plan change of the plan: it is kept in the cache, keyed on
    the newest audit event, so a second view reads one row and a new plan change (audited)
    shows at once."""
    first = f.start(cast, "Change one")
    plan = first.plan
    totals = lambda: next(p.total for p in selectors.plan_overview(cast.officer, plan)  # noqa: E731
                          if p.priority == first.priorities.get())
    assert totals() == 1
    with django_assert_max_num_queries(3):  # the priority (this test's), the audit key, the user's boards
        assert totals() == 1
    f.start(cast, "Change two")
    assert totals() == 2


def test_the_home_page_counts_the_queue_up_to_one_page(cast, monkeypatch):
    from workflows import selectors as task_selectors

    monkeypatch.setattr(task_selectors, "TASKS_PER_PAGE", 1)
    for i in range(2):
        pc = f.start(cast, f"Change {i}")
        workflow_actions.screening_save(task=f.active_task(pc, f.IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                        complete=True, claim=True)
    client = Client()
    client.force_login(cast.lead)
    home = client.get("/")
    assert home.context["queue_count"] == "1 or more"
    client.force_login(cast.officer)
    assert client.get("/").context["inbox_count"] == 0


def test_the_home_page_lists_the_newest_plan_changes_the_user_started_with_their_status(cast, borders):
    mine = [f.start(cast, f"Mine {i}") for i in range(12)]
    screened = f.screen(cast, mine[-1])  # the newest: screened in, its IIA in progress
    theirs = f.start(borders, "Another board's")
    theirs.created_by = cast.officer  # started by the same person on a board they do not belong to
    theirs.save(update_fields=["created_by"])
    listed = selectors.plan_changes_started(cast.officer)
    assert [pc for pc, _status in listed] == mine[:1:-1]  # the newest ten, newest first
    assert listed[0][1] == selectors.plan_change_status(PlanChange.objects.get(pk=screened.pk))
    assert listed[1][1].label == "Screening in progress" and listed[0][1].code.startswith("assessment-")
    assert selectors.plan_changes_started(cast.officer2) == []
    client = Client()
    client.force_login(cast.officer)
    page = client.get("/").content.decode()
    assert f"/plan-changes/{mine[-1].pk}/" in page and f"/plan-changes/{mine[0].pk}/" not in page
    assert theirs.title not in page


def test_the_plan_pages_kept_markup_changes_with_its_figures(cast):
    """The plan page keeps the markup of its priorities and of its matrix under the stamp of
    the figures they show (key and audit version): a second view renders neither again, and
    an audited change (a new plan change, an assessment signed off) shows at once, in the
    priorities and in the matrix."""
    first = f.to_submitted(cast, "Change one")
    plan = first.plan
    client = Client()
    client.force_login(cast.lead)
    page = client.get(f"/plans/{plan.pk}/")
    assert page.context["overview"].stamp and page.context["matrix"].stamp
    html = page.content.decode()
    assert html.count(first.reference) >= 2 and "Submitted" in html  # a link under its action, a matrix column
    again = client.get(f"/plans/{plan.pk}/")
    rendered = {template.name for template in again.templates}
    assert "assessments/_matrix_table.html" not in rendered and "assessments/tags/plan_change_links.html" not in rendered
    assert "assessments/_matrix_table.html" in {template.name for template in page.templates}
    second = f.start(cast, "Change two")
    f.approve(cast, first)
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert second.reference in html and "v1, Approved" in html
