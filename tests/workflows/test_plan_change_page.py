"""The plan change page keeps its assessment summary until the plan change's next audited change."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.services.assessment import RatingInput
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(client, plan_change) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/plan-changes/{plan_change.pk}/")
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html, len(queries.captured_queries)


def _save_draft(cast, assessment, explanation: str) -> None:
    section = assessment.template.sections.order_by("order").first()
    ratings, given = f.section_inputs(section)
    first = section.rows.order_by("order").first()
    ratings[first.pk] = RatingInput({"negative"}, explanation)
    services.section_save(assessment=assessment, section_code=section.code, by=cast.officer, ratings=ratings,
                          answers=given)


def test_a_second_view_does_not_read_the_summary_again_and_a_change_shows_at_once():
    cast = f.Cast()
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    _save_draft(cast, assessment, "Fewer <beds> in Coldside.")
    client = Client()
    client.force_login(cast.officer)

    first, read = _page(client, plan_change)
    assert "Fewer &lt;beds&gt; in Coldside." in first and "Saved a draft of" in first
    again, read_again = _page(client, plan_change)
    # the ratings, answers, part progress and actions are not read again (nor the actions'
    # rows, when there are actions)
    assert read_again == read - 4
    assert again == first

    # an audited change (a draft saved through the service) shows on the next view
    _save_draft(cast, assessment, "More beds in Lochee.")
    after, _ = _page(client, plan_change)
    assert "More beds in Lochee." in after and "Fewer &lt;beds&gt;" not in after

    # an edit of the form bumps its revision: the next view shows the new label
    row = assessment.template.sections.order_by("order").first().rows.order_by("order").first()
    row.label = "Renamed row for the test"
    row.save()
    assert "Renamed row for the test" in _page(client, plan_change)[0]


def test_each_version_keeps_its_own_summary():
    """The page of an older version shows that version's ratings, not the newest's kept ones."""
    cast = f.Cast()
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Version one says so.")})
    f.complete_actions(cast, plan_change, justifications={f.row(f.current(plan_change), "PC.AGE").pk: "Needed."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    first = f.sign_off(cast, plan_change)
    second = services.assessment_new_version(assessment=first, by=cast.officer, reason="New data.")
    _save_draft(cast, second, "Version two says otherwise.")
    client = Client()
    client.force_login(cast.officer)
    newest, _ = _page(client, plan_change)
    assert "Version two says otherwise." in newest
    response = client.get(f"/plan-changes/{plan_change.pk}/?version=1")
    older = response.content.decode()
    assert "Version one says so." in older and "Version two says otherwise." not in older
