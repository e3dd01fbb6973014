"""Issue 20 item 6 (s.41 of the Public Bodies (Joint Working) (Scotland) Act 2014): a locality
row rated negative says which locality planning group was consulted, and when; the summary,
the signed PDF and its HTML version show it."""

import datetime

import pytest
from django.test import Client

from assessments import services
from assessments.exceptions import RuleViolation
from assessments.models import ImpactRating, LocalityPlanningGroup, Row
from assessments.validation import RatingInput
from reports.models import SignedDocument
from tests import factories as f
from tests.reports.helpers import signed_off, text_of
from tests.workflows.http import assign_url, execute_url, part_tasks, section_post
from workflows.flows import IIAFlow

pytestmark = pytest.mark.django_db

LOCALITY = "GEO.LCPP2"  # Lochee
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture
def fairness(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    return plan_change, assessment, assessment.template.sections.get(code="fairness")


def lochee_group(board="dundee"):
    return LocalityPlanningGroup.objects.get(board__slug=board, locality__code="LCPP2")


def save(cast, assessment, section, *, rating=None, row_code=LOCALITY, complete=True):
    ratings, answers = f.section_inputs(section)
    row = f.row(assessment, row_code)
    ratings[row.pk] = rating or RatingInput({"negative"}, "Fewer visits in Lochee.")
    services.section_save(assessment=assessment, section_code="fairness", by=cast.officer, ratings=ratings,
                          answers=answers, complete=complete)
    return row


def errors_of(cast, assessment, section, rating, row_code=LOCALITY) -> tuple[dict, int]:
    row = f.row(assessment, row_code)
    with pytest.raises(RuleViolation) as raised:
        save(cast, assessment, section, rating=rating, row_code=row_code)
    return raised.value.errors, row.pk


def test_the_locality_rows_are_the_rows_with_a_locality_and_each_locality_has_its_group(cast, fairness):
    _, assessment, section = fairness
    localities = [row for row in section.rows.all() if row.locality_id]
    assert [row.code for row in localities] == [f"GEO.LCPP{i}" for i in range(1, 9)]
    assert lochee_group().name == "Lochee Local Community Planning Partnership"
    assert LocalityPlanningGroup.objects.filter(board__slug="scottish-borders").count() == 5


def test_a_negative_locality_row_asks_for_the_group_consulted(cast, fairness):
    _, assessment, section = fairness
    errors, pk = errors_of(cast, assessment, section, RatingInput({"negative"}, "Fewer visits.", None, YESTERDAY))
    assert errors == {f"g{pk}": ["“Lochee” is rated negative: choose the locality planning group that was consulted."]}


def test_a_negative_locality_row_asks_for_the_date_of_the_consultation(cast, fairness):
    _, assessment, section = fairness
    errors, pk = errors_of(cast, assessment, section, RatingInput({"negative"}, "Fewer visits.", lochee_group().pk))
    assert errors == {f"d{pk}": ["“Lochee” is rated negative: give the date the locality planning group was consulted."]}


def test_the_consultation_is_not_dated_in_the_future(cast, fairness):
    _, assessment, section = fairness
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    errors, pk = errors_of(cast, assessment, section,
                           RatingInput({"positive", "negative"}, "Both.", lochee_group().pk, tomorrow))
    assert errors == {f"d{pk}": ["The locality planning group on “Lochee” cannot have been consulted in the future: "
                                 "give the date it was consulted."]}


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(2014, 3, 31)])
def test_the_consultation_is_not_dated_before_the_act(cast, fairness, day):
    _, assessment, section = fairness
    errors, pk = errors_of(cast, assessment, section, RatingInput({"negative"}, "Fewer visits.", lochee_group().pk, day))
    assert errors == {f"d{pk}": ["The locality planning group on “Lochee” cannot have been consulted before "
                                 "1 April 2014, when the 2014 Act made localities: check the year."]}
    row = save(cast, assessment, section,  # the day of the Act is accepted
               rating=RatingInput({"negative"}, "Fewer visits.", lochee_group().pk, datetime.date(2014, 4, 1)))
    assert ImpactRating.objects.get(assessment=assessment, row=row).consulted_on == datetime.date(2014, 4, 1)


def test_the_group_is_one_of_the_boards_own(cast, fairness):
    _, assessment, section = fairness
    borders_group = LocalityPlanningGroup.objects.filter(board__slug="scottish-borders").first()
    errors, pk = errors_of(cast, assessment, section, RatingInput({"negative"}, "Fewer visits.", borders_group.pk,
                                                                  YESTERDAY))
    assert errors == {f"g{pk}": ["Choose a locality planning group of this board."]}
    # a draft is checked for it too: another board's group is never stored
    with pytest.raises(RuleViolation):
        save(cast, assessment, section, rating=RatingInput({"negative"}, "x", borders_group.pk, YESTERDAY),
             complete=False)


def test_the_consultation_is_stored_only_where_it_is_asked_for(cast, fairness):
    _, assessment, section = fairness
    group = lochee_group()
    row = save(cast, assessment, section, rating=RatingInput({"negative"}, "Fewer visits.", group.pk, YESTERDAY))
    rating = ImpactRating.objects.get(assessment=assessment, row=row)
    assert (rating.consulted_group_id, rating.consulted_on) == (group.pk, YESTERDAY)
    # rated positive now: nothing asks for the consultation, and it is not kept
    save(cast, assessment, section, rating=RatingInput({"positive"}, "Better.", group.pk, YESTERDAY))
    rating.refresh_from_db()
    assert (rating.consulted_group_id, rating.consulted_on) == (None, None)
    # a row that is not a locality's, rated negative, asks for no consultation
    save(cast, assessment, section, rating=RatingInput({"negative"}, "Costs more."), row_code="SED.LOW_INCOME")


def test_the_summary_the_pdf_and_the_html_version_show_the_group_and_the_date(cast, committed):
    row = Row.objects.get(section__template__board__slug="dundee", section__template__is_active=True, code=LOCALITY)
    assessment = committed(signed_off, cast, {LOCALITY: ({"negative"}, "Fewer visits in Lochee.")},
                           {row.pk: "Proportionate to the saving."})
    rating = ImpactRating.objects.get(assessment=assessment, row__code=LOCALITY)
    shown = f"Lochee Local Community Planning Partnership, on {rating.consulted_on:%-d %B %Y}"
    client = Client()
    client.force_login(cast.officer)
    page = client.get(f"/plan-changes/{assessment.plan_change_id}/").content.decode()
    assert "Locality planning group consulted:</strong> " + shown in page
    document = SignedDocument.objects.get(assessment=assessment)
    assert "Locality planning group consulted: " + shown in " ".join(text_of(bytes(document.pdf)).split())
    html = client.get(f"/documents/{document.verification_code}/").content.decode()
    assert "Locality planning group consulted: " + shown in html


def test_the_task_page_asks_for_the_group_and_the_date_with_errors_beside_them(cast, fairness):
    plan_change, assessment, section = fairness
    client = Client()
    client.force_login(cast.officer)
    task = part_tasks(plan_change, IIAFlow.complete_part)["fairness"]
    if task.owner_id is None:
        assert client.post(assign_url(task)).status_code == 302
    url = execute_url(task)
    row = f.row(assessment, LOCALITY)
    page = client.get(url).content.decode()
    assert f'name="g{row.pk}"' in page and f'name="d{row.pk}"' in page and "Lochee Local Community Planning" in page
    data = section_post(section, {LOCALITY: (["negative"], "Fewer visits.")})
    for strange in ("99999999999999999999-01-01", "2027-02-30"):
        response = client.post(url, {**data, f"g{row.pk}": str(lochee_group().pk), f"d{row.pk}": strange})
        assert response.status_code == 200
        assert "Enter date the group was consulted on lochee as a real date" in response.content.decode()
    response = client.post(url, {**data, f"g{row.pk}": "99999999999999999999", f"d{row.pk}": YESTERDAY.isoformat()})
    assert response.status_code == 200
    assert "Choose locality planning group consulted on lochee from the list." in response.content.decode()
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200 and "choose the locality planning group that was consulted" in text
    assert "give the date the locality planning group was consulted" in text
    response = client.post(url, {**data, f"g{row.pk}": str(lochee_group().pk), f"d{row.pk}": YESTERDAY.isoformat()})
    assert response.status_code == 302
    stored = ImpactRating.objects.get(assessment=assessment, row=row)
    assert (stored.consulted_group, stored.consulted_on) == (lochee_group(), YESTERDAY)
