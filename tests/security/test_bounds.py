"""Absurd numbers and strange text are answered, never a server error: a page number no
database could offset by, an id no column could hold, a line break in a one-line field."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from assessments.models import PlanChange
from iia.tokens import api_token_issue
from tests import factories as f

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775807"  # 2**63 - 1: the largest bigint, times a page size is past it
DIGITS_25 = "9" * 25


def signed_in(person) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def api_for(person) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=person)}")
    return client


@pytest.mark.parametrize("url", [
    f"/tasks/queue/?page={HUGE}", f"/tasks/inbox/?page={DIGITS_25}", f"/tasks/queue/?page={DIGITS_25}",
    f"/tasks/inbox/?page={HUGE}", "/tasks/inbox/?page=2", "/tasks/queue/?page=1000000",
])
def test_a_page_past_the_last_of_a_task_list_is_not_found(cast, url):
    f.start(cast)  # one task in the officer's inbox, none in the lead's queue
    for person in (cast.officer, cast.lead):
        response = signed_in(person).get(url)
        assert response.status_code == 404, (url, person.username, response.status_code)
        assert "Page not found" in response.content.decode()


def test_the_first_page_and_a_page_that_is_not_a_number_are_the_first_page(cast):
    f.start(cast)
    client = signed_in(cast.officer)
    for url in ("/tasks/inbox/", "/tasks/inbox/?page=1", "/tasks/inbox/?page=x", "/tasks/inbox/?page=-3"):
        response = client.get(url)
        assert response.status_code == 200 and response.context["page"].number == 1, url


@pytest.mark.parametrize("url", [
    f"/api/tasks/queue/?page={HUGE}", f"/api/tasks/inbox/?page={HUGE}", f"/api/tasks/queue/?page={DIGITS_25}",
    f"/api/tasks/inbox/?page={DIGITS_25}", f"/api/plan-changes/?page={DIGITS_25}", f"/api/assessments/?page={HUGE}",
    f"/api/reports/?page={HUGE}", f"/api/meetings/?page={HUGE}", f"/api/boards/?page={HUGE}",
    f"/api/register/dundee/documents/?page={HUGE}",
])
def test_an_absurd_page_of_an_api_list_is_not_found(cast, url):
    f.start(cast)
    response = api_for(cast.officer).get(url)
    assert response.status_code == 404, (url, response.status_code)


def test_ids_no_column_can_hold_are_refused_by_the_api(cast):
    plan = f.plan()
    client = api_for(cast.officer)
    body = {"board": "dundee", "plan": plan.pk, "title": "Too large", "description": "x",
            "change_type": "service_redesign", "director": cast.senior.username}
    for field, value in (("priorities", [10**19]), ("actions", [2**63]), ("plan", 10**20), ("priorities", [2**63 - 1])):
        response = client.post("/api/plan-changes/", {**body, field: value}, format="json")
        assert response.status_code == 400, (field, value, response.status_code)
        assert field in response.json()
    assert not PlanChange.objects.filter(title="Too large").exists()


def test_a_line_break_in_a_title_becomes_a_space(cast):
    plan = f.plan()
    priority = plan.priorities.first()
    response = signed_in(cast.officer).post("/plan-changes/new/dundee/", {
        "plan": plan.pk, "title": "Evening\r\nopening \n of  day centres", "description": "Line one.\nLine two.",
        "change_type": "service_redesign", "is_revision": "false", "priorities": [priority.pk],
        "actions": [priority.actions.first().pk], "lead_officer": cast.officer2.pk, "director": cast.senior.pk,
    })
    assert response.status_code == 302
    plan_change = PlanChange.objects.get(title="Evening opening of day centres")
    assert plan_change.description == "Line one.\nLine two."  # several lines stay several lines


def test_the_api_normalises_a_line_break_in_a_title_too(cast):
    plan = f.plan()
    response = api_for(cast.officer).post("/api/plan-changes/", {
        "board": "dundee", "plan": plan.pk, "title": "Evening\nopening", "description": "x",
        "change_type": "service_redesign", "director": cast.senior.username}, format="json")
    assert response.status_code == 201 and response.json()["title"] == "Evening opening"


def test_an_email_about_a_title_stored_with_a_line_break_is_still_sent(cast, committed):
    """A title stored before the rule (or by a script) may hold a line break: the subject
    line drops it, not the email (a header with a line break is refused by Django)."""
    for person in (cast.officer, cast.lead, cast.senior):
        person.email = f"{person.username}@example.org"
        person.save()
    plan_change = f.start(cast, "Old title")
    PlanChange.objects.filter(pk=plan_change.pk).update(title="Old\r\ntitle")
    plan_change.refresh_from_db()

    def to_submitted():
        f.screen(cast, plan_change)
        f.complete_parts(cast, plan_change)
        f.complete_actions(cast, plan_change)
        f.submit(cast, plan_change)

    committed(to_submitted)
    subjects = [message.subject for message in mail.outbox]
    assert "IIA to review: Old title" in subjects


def test_every_one_line_input_of_a_form_keeps_one_line_and_a_text_area_keeps_its_lines():
    from django import forms

    from assessments.forms import NamedErrorsForm

    class Example(NamedErrorsForm):
        title = forms.CharField(max_length=20)
        text = forms.CharField(widget=forms.Textarea)

    form = Example({"title": " Day\r\ncentres\u2028 open ", "text": "One.\nTwo."})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "Day centres open", "text": "One.\nTwo."}
    assert 'value="Day centres open"' in str(form["title"])  # the page shows what will be stored
