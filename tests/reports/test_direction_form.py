"""The report form asks once who a direction goes to, and the direction's fields follow it."""

import datetime
import re

import pytest
from django.test import Client

from reports import services
from reports.models import Report
from tests import factories as f

from .test_meetings import NEXT_YEAR, committee

pytestmark = pytest.mark.django_db


def officer_client(cast) -> Client:
    client = Client()
    client.force_login(cast.officer)
    return client


def report_data(direction_to, **direction):
    data = {"committee": committee().pk, "title": "A report", "report_by": "Chief Officer",
            "decision_sought": "agree", "purpose": "Purpose.", "recommendations": "One\nTwo",
            "direction_to": direction_to, "dir-TOTAL_FORMS": "1", "dir-INITIAL_FORMS": "0"}
    data.update({f"dir-0-{name}": value for name, value in direction.items()})
    return data


FILLED = {"functions": "Care homes", "budget": "£500k", "text": "Do it.", "review_date": f"{NEXT_YEAR}-06-01"}


def test_one_control_asks_who_the_direction_goes_to(cast):
    page = officer_client(cast).get(f"/plan-changes/{f.start(cast).pk}/reports/new/").content.decode()
    assert page.count('name="direction_to"') == 4
    assert "recipients" not in page and "Direction required to" not in page
    values = [page.index(f'name="direction_to" value="{v}"') for v in ("none", "health_board", "council", "both")]
    assert values == sorted(values)  # none, the health board (NHS), the council, both
    # without JavaScript every direction field shows, with a hint; the script hides them
    assert 'data-reveal-control="direction_to"' in page and 'id="direction-fields" data-reveal-block' in page
    assert "Fill in the direction below only if" in page and 'name="dir-0-functions"' in page
    assert "iia/reveal" in page


def test_a_chosen_direction_needs_its_fields_and_goes_where_the_control_says(cast):
    plan_change = f.start(cast)
    client = officer_client(cast)
    url = f"/plan-changes/{plan_change.pk}/reports/new/"
    response = client.post(url, report_data("health_board"))
    assert response.status_code == 200
    assert "Record the direction: its functions, budget, text and review date." in response.content.decode()
    response = client.post(url, report_data("health_board", functions="Care homes"))
    page = response.content.decode()
    assert response.status_code == 200 and "Enter the direction&#x27;s budget." in page
    assert client.post(url, report_data("health_board", **FILLED)).status_code == 302
    report = Report.objects.get()
    assert report.direction_to == "health_board"
    assert [d.recipients for d in report.directions.all()] == ["health_board"]


def test_no_direction_ignores_what_was_typed_and_clears_saved_directions(cast):
    plan_change = f.start(cast)
    client = officer_client(cast)
    url = f"/plan-changes/{plan_change.pk}/reports/new/"
    # typed, then "No direction required" chosen: nothing of it is checked or kept
    response = client.post(url, report_data("none", functions="Half typed", review_date="not a date"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.direction_to == "none" and not report.directions.exists()
    assert client.post(f"/reports/{report.pk}/edit/", report_data("both", **FILLED)).status_code == 302
    assert [d.recipients for d in report.directions.all()] == ["both"]
    assert client.post(f"/reports/{report.pk}/edit/", report_data("none", **FILLED)).status_code == 302
    report.refresh_from_db()
    assert report.direction_to == "none" and not report.directions.exists()


def test_the_service_ignores_directions_with_none_and_sets_their_recipients(cast):
    plan_change = f.start(cast)
    direction = services.DirectionInput(functions="F", budget="B", text="T",
                                        review_date=datetime.date(NEXT_YEAR, 1, 1), recipients="council")
    fields = dict(title="T", report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R")
    report = services.report_create(plan_change=plan_change, by=cast.officer, committee=committee(),
                                    direction_to="none", directions=[direction], **fields)
    assert not report.directions.exists()
    report = services.report_create(plan_change=plan_change, by=cast.officer, committee=committee(),
                                    direction_to="both", directions=[direction], **fields)
    assert [d.recipients for d in report.directions.all()] == ["both"]


def test_a_strange_direction_value_is_an_error_not_a_500(cast):
    plan_change = f.start(cast)
    client = officer_client(cast)
    for value in ("nhs", "x" * 5000, ""):
        response = client.post(f"/plan-changes/{plan_change.pk}/reports/new/", report_data(value, **FILLED))
        assert response.status_code == 200, value[:10]
        assert "There is a problem" in response.content.decode()
    assert not Report.objects.exists()


def test_another_boards_officer_cannot_open_the_form(cast, borders):
    plan_change = f.start(cast)
    client = Client()
    client.force_login(borders.officer)
    assert client.get(f"/plan-changes/{plan_change.pk}/reports/new/").status_code == 404
    assert client.post(f"/plan-changes/{plan_change.pk}/reports/new/", report_data("none")).status_code == 404


def test_each_directions_error_shows_beside_its_field_and_in_the_summary(cast):
    plan_change = f.start(cast)
    url = f"/plan-changes/{plan_change.pk}/reports/new/"
    client = officer_client(cast)
    page = client.post(url, report_data("council", **{**FILLED, "review_date": "2001-01-01"})).content.decode()
    assert '<a href="#id_dir-0-review_date">Direction 1: The direction&#x27;s review date must be after today.</a>' in page
    assert re.search(r'<input[^>]*name="dir-0-review_date"[^>]*aria-invalid="true"', page)
    # a choice no longer on the list (another officer varied it meanwhile): in the summary too
    page = client.post(url, report_data("council", **{**FILLED, "effect": "varies", "earlier": "999999"})).content.decode()
    assert "There is a problem" in page and '<a href="#id_dir-0-earlier">Direction 1: ' in page
    assert not Report.objects.exists()
