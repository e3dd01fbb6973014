"""The inbox and the queue come a page at a time, whatever the number of tasks."""

import pytest
from django.test import Client

from assessments import links
from tests import factories as f
from workflows import actions as workflow_actions
from workflows import selectors

pytestmark = pytest.mark.django_db


def listed(response) -> list:
    """The rows of a task list page, group after group, as shown."""
    return [item for group in response.context["groups"] for item in group.tasks]


@pytest.fixture
def three_started(cast, monkeypatch):
    """Three plan changes: each gives the officer a screening task and the lead nothing yet."""
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    return [f.start(cast, f"Change {i}") for i in range(3)]


def test_the_inbox_is_paged_oldest_first(cast, three_started):
    client = Client()
    client.force_login(cast.officer)
    first = client.get("/tasks/inbox/")
    assert [t.task.process.iiaprocess.plan_change for t in listed(first)] == three_started[:2]
    assert first.context["page"].has_next and 'href="?page=2"' in first.content.decode()
    second = client.get("/tasks/inbox/?page=2")
    assert [t.task.process.iiaprocess.plan_change for t in listed(second)] == three_started[2:]
    assert not second.context["page"].has_next and 'href="?page=1"' in second.content.decode()
    assert client.get("/tasks/inbox/?page=x").context["page"].number == 1


def test_the_queue_is_paged_and_never_offers_a_task_the_user_may_not_claim(cast, three_started):
    for plan_change in three_started:  # the officer submits each screening: the lead may review them
        workflow_actions.screening_save(task=f.active_task(plan_change, f.IIAFlow.screening), by=cast.officer,
                                        answers=f.answers(), complete=True, claim=True)
    lead = Client()
    lead.force_login(cast.lead)
    first = lead.get("/tasks/queue/")
    assert len(listed(first)) == 2 and first.context["page"].has_next
    second = lead.get("/tasks/queue/?page=2")
    assert len(listed(second)) == 1 and not second.context["page"].has_next
    seen = {t.task.pk for t in listed(first)} | {t.task.pk for t in listed(second)}
    assert len(seen) == 3
    # the officer who submitted them may not review their own screenings: none in their queue
    officer = Client()
    officer.force_login(cast.officer)
    assert listed(officer.get("/tasks/queue/")) == []


def test_task_lists_fill_in_url_patterns_and_times_as_django_would(cast, three_started):
    import datetime

    from django.template.defaultfilters import date as date_filter
    from django.urls import reverse
    from django.utils import timezone

    for name, ids in [("plan_change_detail", (7,)), ("iia:review:execute", (12, 345)), ("iia:screening:assign", (1, 2))]:
        assert links.id_url(name, *ids) == reverse(name, args=ids)
    with pytest.raises(ValueError):
        links.id_url("plan_change_detail", "7/../../admin")
    view = selectors.describe(selectors.inbox(cast.officer).first(), cast.officer)
    for made in [datetime.datetime(2026, 3, 1, 0, 5, tzinfo=datetime.UTC),  # GMT
                 datetime.datetime(2026, 7, 9, 23, 30, tzinfo=datetime.UTC)]:  # BST: the next day locally
        view.task.created = made
        assert view.waiting_since == date_filter(timezone.localtime(made), "j F Y, H:i")
    assert view.waiting_since == "10 July 2026, 00:30"  # the one date format, in local time


def test_task_lists_read_their_boards_without_joining_them(cast, three_started, django_assert_num_queries):
    """The task lists' query leaves the board table out (planning a join of seven tables took
    PostgreSQL longer than running it); the boards come in one query of their own, and the
    page then reads nothing more for them."""
    assert "assessments_board" not in str(selectors.inbox(cast.officer).query)
    tasks = list(selectors.inbox(cast.officer))
    views = selectors.describe_all(tasks, cast.officer)
    with django_assert_num_queries(0):
        boards = {(view.plan_change.board.short_name, view.task.process.coerced.board.pk) for view in views}
    board = three_started[0].board
    assert boards == {(board.short_name, board.pk)}


def test_tasks_read_without_their_plan_changes_are_primed_in_a_fixed_number_of_queries(
        cast, three_started, django_assert_num_queries):
    """A list of tasks read without its plan changes gets them, with their boards, in one
    query each, however many tasks: nothing is then read task by task."""
    from viewflow.workflow.models import Task

    tasks = list(Task.objects.filter(process__iiaprocess__plan_change__in=three_started, owner=cast.officer)
                 .select_related("process__iiaprocess"))
    assert len(tasks) == 3
    # plan changes, boards, screenings, versions (none yet: their contributors are not read)
    with django_assert_num_queries(4):
        selectors.tasks_primed(tasks)
    with django_assert_num_queries(0):
        seen = {(task.process.coerced.plan_change, task.process.coerced.plan_change.board.short_name) for task in tasks}
    assert seen == {(pc, pc.board.short_name) for pc in three_started}


def test_the_queues_pages_hold_exactly_the_tasks_its_rules_offer_in_their_order(cast, three_started, monkeypatch):
    """The database offers a queue only tasks of a role the user holds on the task's board
    (an officer's queue must not walk every review waiting for a lead); a queue page reads
    them a chunk at a time for the node's own rule: page after page, that is the queue the
    rules give, task for task, whoever asks."""
    monkeypatch.setattr(selectors, "QUEUE_SLACK", 0)  # chunks of exactly what the page lacks
    changes = three_started + [f.start(cast, f"Change {i}") for i in range(3, 7)]
    changes[1].lead_officer = cast.lead  # the lead's own work: never offered to the lead
    changes[1].save(update_fields=["lead_officer"])
    for plan_change in changes:
        workflow_actions.screening_save(task=f.active_task(plan_change, f.IIAFlow.screening), by=cast.officer,
                                        answers=f.answers(), complete=True, claim=True)
    read = {person.username: selectors._unclaimed(person).count()
            for person in [cast.lead, cast.senior, cast.officer, cast.officer2]}
    assert read == {cast.lead.username: 7, cast.senior.username: 0, cast.officer.username: 0,
                    cast.officer2.username: 0}  # the lead's own work is read, and refused by its rule
    # counted without reading the queue; past ``up_to`` the count says "more" (up_to + 1)
    assert [selectors.queue_count(cast.lead, up_to=n) for n in (None, 3, 5, 6, 10)] == [6, 4, 6, 6, 6]
    assert selectors.queue_count(cast.officer) == selectors.queue_count(cast.senior, up_to=5) == 0
    offered = {}
    for person in [cast.lead, cast.senior, cast.officer, cast.officer2]:
        paged, number = [], 1
        while True:
            page = selectors.queue_page(person, number)
            paged += [t.pk for t in page.tasks]
            if not page.has_next:
                break
            number += 1
        assert paged == [t.pk for t in selectors.queue(person)]
        offered[person.username] = len(paged)
    assert offered == {cast.lead.username: 6, cast.senior.username: 0, cast.officer.username: 0,
                       cast.officer2.username: 0}


def test_the_task_lists_have_their_indexes():
    """The inbox and queue read viewflow's task table through partial indexes of their own
    (and, on PostgreSQL, statistics of nodes by status): without them both walked the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "viewflow_task")
        assert indexes["iia_task_unclaimed"]["columns"] == ["flow_task", "created", "id", "process_id"]
        assert indexes["iia_task_open_owner"]["columns"] == ["owner_id", "created", "id"]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'iia_task_node_status'")
            assert cursor.fetchone() is not None
