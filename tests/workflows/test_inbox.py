"""The inbox and the queue (issue 19, item 2): tasks grouped by plan change with its
progress, soonest due first then oldest, overdue ones marked in words, each button named by
its task, another board's tasks never shown, and a fixed number of queries."""

import datetime
import re
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from tests import factories as f
from workflows import actions, selectors
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.models import DueDatePolicy

from .http import client_for

pytestmark = pytest.mark.django_db


def _age(plan_change, days: int) -> None:
    """Make the plan change's open tasks ``days`` calendar days old."""
    when = timezone.now() - datetime.timedelta(days=days)
    Task.objects.filter(process__iiaprocess__plan_change=plan_change).update(created=when)


def _groups(html: str) -> list[str]:
    """The group headings of a task list, in order."""
    return re.findall(r'<h2 class="h3" id="group-\d+"><a href="[^"]+">([^<]+)</a>', html)


def test_tasks_are_grouped_by_plan_change_with_progress(cast):
    parts = f.screen(cast, f.start(cast, "Parts in progress"))
    first = active_tasks(parts, IIAFlow.complete_part)[0]
    assessment = f.current(parts)
    code = first.data["part"]
    if code == "evidence":
        actions.part_save(task=first, by=cast.officer, complete=True, claim=True, evidence="Data.", consultation="P.")
    else:
        ratings, given = f.section_inputs(assessment.template.sections.get(code=code))
        actions.part_save(task=first, by=cast.officer, complete=True, claim=True, ratings=ratings, answers=given)
    screening = f.start(cast, "Screening only")
    html = client_for(cast.officer).get("/tasks/inbox/").content.decode()
    assert sorted(_groups(html)) == sorted([f"{parts.reference} Parts in progress", f"{screening.reference} Screening only"])
    total = len(active_tasks(parts, IIAFlow.complete_part)) + 1
    assert f"1 of {total} parts done" in html
    assert "Pre-screening" in html
    # each part's button names the part; no bare "Open"
    for task in active_tasks(parts, IIAFlow.complete_part):
        title = assessment.template.sections.filter(code=task.data["part"]).values_list("title", flat=True).first()
        assert f">Complete “{escape(title or 'Evidence and consultation', quote=False)}”<" in html
    assert ">Open<" not in html and ">Complete the pre-screening<" in html


def test_groups_come_soonest_due_first_then_oldest(cast):
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    parts = f.screen(cast, f.start(cast, "Parts due in twenty days"))
    old_screening = f.start(cast, "Screening due in ten days, made long ago")
    new_screening = f.start(cast, "Screening due in ten days, made now")
    _age(old_screening, 30)  # overdue
    _age(parts, 1)
    html = client_for(cast.officer).get("/tasks/inbox/").content.decode()
    assert [title.split(" ", 1)[1] for title in _groups(html)] == [
        "Screening due in ten days, made long ago", "Screening due in ten days, made now", "Parts due in twenty days"]
    # the same due date (made the same day, the same working days): the oldest first
    policy.screening_working_days = policy.part_working_days = 20
    policy.save()
    today = timezone.localdate()
    for plan_change, hour in ((parts, 8), (new_screening, 9)):
        Task.objects.filter(process__iiaprocess__plan_change=plan_change).update(
            created=timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour))))
    html = client_for(cast.officer).get("/tasks/inbox/").content.decode()
    assert [title.split(" ", 1)[1] for title in _groups(html)] == [
        "Screening due in ten days, made long ago", "Parts due in twenty days", "Screening due in ten days, made now"]


def test_overdue_tasks_are_marked_in_words(cast):
    late = f.start(cast, "Late screening")
    _age(late, 30)
    f.start(cast, "On time")
    html = client_for(cast.officer).get("/tasks/inbox/").content.decode()
    late_group, on_time_group = html.split('class="task-group"')[1:3]
    assert "Late screening" in late_group and "1 overdue" in late_group and ">Overdue</strong> was due" in late_group
    assert "Overdue" not in on_time_group and "overdue" not in on_time_group
    # the home page's next tasks say so too
    assert ">Overdue</strong> was due" in client_for(cast.officer).get("/").content.decode()


def test_a_task_without_a_due_date_says_so(cast):
    DueDatePolicy.objects.filter(board__slug="dundee").update(screening_working_days=0)
    f.start(cast, "No deadline")
    assert "No due date" in client_for(cast.officer).get("/tasks/inbox/").content.decode()


def test_the_queue_names_what_is_claimed(cast):
    plan_change = f.start(cast, "To review")
    actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                           complete=True, claim=True)
    html = client_for(cast.lead).get("/tasks/queue/").content.decode()
    assert ">Claim: Review the screening<" in html


def test_another_boards_tasks_and_due_dates_never_show(cast, borders):
    f.start(borders, "Borders change")
    DueDatePolicy.objects.filter(board__slug="scottish-borders").update(screening_working_days=1)
    dundee = f.start(cast, "Dundee change")
    _age(dundee, 3)
    html = client_for(cast.officer).get("/tasks/inbox/").content.decode()
    assert "Borders change" not in html and "Dundee change" in html
    assert "Overdue" not in html  # Dundee's ten working days, not Borders' one
    for client in (client_for(cast.lead), client_for(cast.senior), client_for(cast.clerk)):
        for url in ("/tasks/inbox/", "/tasks/queue/"):
            assert "Borders change" not in client.get(url).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_however_many_tasks(cast, borders):
    f.screen(cast, f.start(cast, "Parts"))
    f.start(cast, "Screening")
    client = client_for(cast.officer)
    few = _queries(client, "/tasks/inbox/"), _queries(client, "/")
    for n in range(3):
        f.screen(cast, f.start(cast, f"More parts {n}"))
        _age(f.start(cast, f"More screenings {n}"), 20 * n)
        f.start(borders, f"Borders {n}")
    assert len(Task.objects.filter(owner=cast.officer, status__in=["NEW", "ASSIGNED", "STARTED"])) > 20
    assert (_queries(client, "/tasks/inbox/"), _queries(client, "/")) == few


def test_the_queue_costs_the_same_however_many_tasks(cast):
    def queued(title):
        plan_change = f.start(cast, title)
        actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer,
                               answers=f.answers(), complete=True, claim=True)

    queued("First")
    client = client_for(cast.lead)
    few = _queries(client, "/tasks/queue/")
    for n in range(4):
        queued(f"More {n}")
    assert _queries(client, "/tasks/queue/") == few


def test_pages_follow_the_due_dates_across_the_whole_inbox(cast, monkeypatch):
    """The soonest due come on the first page, whichever page their age would put them on:
    parts made long ago but due in twenty working days come after screenings made today
    and due in two."""
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    DueDatePolicy.objects.filter(board__slug="dundee").update(screening_working_days=2, part_working_days=20)
    parts = f.screen(cast, f.start(cast, "Old parts"))
    _age(parts, 5)
    screenings = [f.start(cast, f"New screening {n}") for n in range(3)]
    officer = client_for(cast.officer)
    shown = []
    for number in range(1, 10):
        response = officer.get(f"/tasks/inbox/?page={number}")
        shown += [view.task for group in response.context["groups"] for view in group.tasks]
        if not response.context["page"].has_next:
            break
    titles = [task.process.iiaprocess.plan_change.title for task in shown]
    assert titles[:3] == [plan_change.title for plan_change in screenings]
    assert set(titles[3:]) == {"Old parts"}
    assert len(shown) == len(set(shown)) == selectors.inbox(cast.officer).count() > 5
    # the home page's next tasks are the soonest due, not the oldest
    home = client_for(cast.officer).get("/")
    assert [view.task.process.iiaprocess.plan_change.title for view in home.context["inbox"]][:3] == titles[:3]


def test_the_queue_pages_follow_the_due_dates_and_the_nodes_rules(cast, monkeypatch):
    """A lead's queue: screening reviews due in one working day before IIA reviews made
    earlier and due in ten, page after page; the lead's own work never offered."""
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    DueDatePolicy.objects.filter(board__slug="dundee").update(screening_review_working_days=1, review_working_days=10)
    submitted = [f.to_submitted(cast, f"IIA {n}") for n in range(2)]
    for plan_change in submitted:
        _age(plan_change, 4)
    reviews = []
    for n in range(3):
        plan_change = f.start(cast, f"Screening {n}")
        actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer,
                               answers=f.answers(), complete=True, claim=True)
        reviews.append(plan_change.title)
    lead = client_for(cast.lead)
    shown = []
    for number in range(1, 10):
        response = lead.get(f"/tasks/queue/?page={number}")
        shown += [view.task.process.iiaprocess.plan_change.title for group in response.context["groups"]
                  for view in group.tasks]
        if not response.context["page"].has_next:
            break
    assert shown == reviews + ["IIA 0", "IIA 1"]
    assert shown == [task.process.iiaprocess.plan_change.title for task in selectors.queue(cast.lead)]
