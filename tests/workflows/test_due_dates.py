"""Due dates of tasks (issue 19, item 2): working-day arithmetic, each board's policy, and
the board's equality leads editing only their own board's policy in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from iia.tokens import api_token_issue
from tests import factories as f
from workflows import due_dates
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.models import MOST_WORKING_DAYS, DueDatePolicy
from workflows.working_days import working_days_after, working_days_between

FRIDAY = datetime.date(2026, 12, 4)
SATURDAY, SUNDAY, MONDAY = (FRIDAY + datetime.timedelta(days=n) for n in (1, 2, 3))


@pytest.mark.parametrize("start, days, due", [
    (FRIDAY, 1, MONDAY),
    (SATURDAY, 1, MONDAY),
    (SUNDAY, 1, MONDAY),
    (MONDAY, 1, MONDAY + datetime.timedelta(days=1)),
    (MONDAY, 5, MONDAY + datetime.timedelta(days=7)),
    (FRIDAY, 5, FRIDAY + datetime.timedelta(days=7)),
    (SATURDAY, 5, FRIDAY + datetime.timedelta(days=7)),
    (SUNDAY, 10, FRIDAY + datetime.timedelta(days=14)),
    (FRIDAY - datetime.timedelta(days=1), 2, MONDAY),  # Thursday + 2
    (FRIDAY, 0, FRIDAY),
    (FRIDAY, 260, FRIDAY + datetime.timedelta(weeks=52)),
])
def test_working_days_after_skips_weekends(start, days, due):
    assert working_days_after(start, days) == due


def test_working_days_after_and_between_agree_every_day_of_the_week():
    for offset in range(7):
        start = FRIDAY + datetime.timedelta(days=offset)
        for days in range(1, 30):
            due = working_days_after(start, days)
            assert due.weekday() < 5
            assert working_days_between(start, due) == days
            assert working_days_between(start, due - datetime.timedelta(days=1)) == days - 1  # the first such day


def test_a_board_without_a_policy_gets_the_defaults(db):
    DueDatePolicy.objects.filter(board=f.board("dundee")).delete()
    policy = due_dates.policies_for([f.board("dundee").pk])[f.board("dundee").pk]
    assert policy.pk is None and policy.review_working_days == 10 and policy.part_working_days == 20


def test_the_migration_seeded_every_board(db):
    assert set(DueDatePolicy.objects.values_list("board__slug", flat=True)) >= {"dundee", "scottish-borders"}


def _made_on(task, day: datetime.date):
    task.created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    task.save(update_fields=["created"])
    return task


def test_each_kind_of_task_is_due_by_its_own_setting(cast):
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    policy.screening_working_days, policy.screening_review_working_days = 3, 1
    policy.save()
    plan_change = f.start(cast)
    screening = _made_on(active_task(plan_change, IIAFlow.screening), FRIDAY)
    assert due_dates.task_due_date(screening, policy) == FRIDAY + datetime.timedelta(days=5)  # Wednesday
    policy.screening_working_days = 0
    assert due_dates.task_due_date(screening, policy) is None  # 0: no due date
    f.screen(cast, plan_change)
    part = _made_on(active_task(plan_change, IIAFlow.complete_part), FRIDAY)
    assert due_dates.task_due_date(part, policy) == working_days_after(FRIDAY, policy.part_working_days)


def test_the_api_gives_each_task_its_due_date_and_whether_it_is_overdue(cast, borders):
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    policy.screening_working_days = 3
    policy.save()
    late = _made_on(active_task(f.start(cast), IIAFlow.screening), FRIDAY - datetime.timedelta(weeks=4))
    fresh = active_task(f.start(cast), IIAFlow.screening)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + api_token_issue(user=cast.officer))
    rows = {row["id"]: row for row in client.get("/api/tasks/inbox/").json()["results"]}
    assert rows[late.pk]["due"] == str(working_days_after(FRIDAY - datetime.timedelta(weeks=4), 3))
    assert rows[late.pk]["overdue"] is True
    today = timezone.localdate()
    assert rows[fresh.pk]["due"] == str(working_days_after(today, 3)) and rows[fresh.pk]["overdue"] is False
    policy.screening_working_days = 0  # no due date for this kind of task
    policy.save()
    row = client.get(f"/api/tasks/{late.pk}/").json()
    assert (row["due"], row["overdue"]) == (None, False)


def test_overdue_from_the_day_after_the_due_date():
    assert not due_dates.is_overdue(FRIDAY, FRIDAY)
    assert due_dates.is_overdue(FRIDAY, SATURDAY)
    assert not due_dates.is_overdue(None, SATURDAY)


# --- the admin: each board's equality leads, their own board only ------------------------

def _staff_lead(person):
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(Group.objects.get(name="Equality lead"))
    client = Client()
    client.force_login(person)
    return client


def _body(policy, **changes):
    fields = ("screening_working_days", "screening_review_working_days", "part_working_days",
              "submit_working_days", "review_working_days", "sign_off_working_days")
    return {**{name: getattr(policy, name) for name in fields}, **changes}


def test_a_lead_edits_their_own_boards_due_dates(cast):
    client = _staff_lead(cast.lead)
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    listing = client.get("/admin/workflows/duedatepolicy/").content.decode()
    assert "Dundee" in listing and "Borders" not in listing
    response = client.post(f"/admin/workflows/duedatepolicy/{policy.pk}/change/", _body(policy, review_working_days=7))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.review_working_days == 7


def test_another_boards_lead_cannot_see_or_edit_these_due_dates(cast, borders):
    client = _staff_lead(borders.lead)
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    url = f"/admin/workflows/duedatepolicy/{policy.pk}/change/"
    assert client.get(url).status_code == 302  # Django's admin: "not found", back to the index
    client.post(url, _body(policy, review_working_days=1))
    policy.refresh_from_db()
    assert policy.review_working_days == 10
    # nor add one for Dundee, nor change the board of their own
    before = DueDatePolicy.objects.count()
    response = client.post("/admin/workflows/duedatepolicy/add/", {"board": policy.board_id, **_body(policy)})
    assert response.status_code == 200 and DueDatePolicy.objects.count() == before
    own = DueDatePolicy.objects.get(board__slug="scottish-borders")
    client.post(f"/admin/workflows/duedatepolicy/{own.pk}/change/", {"board": policy.board_id, **_body(own)})
    own.refresh_from_db()
    assert own.board.slug == "scottish-borders"
    # an officer, not staff, is not let in at all
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.get(url).status_code == 302 and "/admin/login/" in officer.get(url)["Location"]


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", str(MOST_WORKING_DAYS + 1), "ten"])
def test_strange_figures_are_refused_with_a_message(cast, value):
    client = _staff_lead(cast.lead)
    policy = DueDatePolicy.objects.get(board__slug="dundee")
    response = client.post(f"/admin/workflows/duedatepolicy/{policy.pk}/change/", _body(policy, part_working_days=value))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    policy.refresh_from_db()
    assert policy.part_working_days == 20
