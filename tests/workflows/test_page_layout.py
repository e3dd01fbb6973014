"""Pages lead with what matters (issue 19): the plan change page opens with its state, next
step and documents, then the negative impacts with their mitigation; the sign-off page opens
with the same summary; long answers, ratings, history and chart figures fold away in
<details> (no script) but stay on the page; one date format; no internal codes."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Delegation, Role
from tests import factories as f
from workflows.engine import active_task
from workflows.flows import IIAFlow

from .http import client_for

pytestmark = pytest.mark.django_db

EXPLANATION = "Older carers travel further to the new centre."


def _with_a_mitigated_negative(cast, committed=None):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, EXPLANATION),
                                         "PC.DISABILITY": ({"negative"}, "Steps at the door.")})
    f.complete_actions(cast, plan_change, [f.mitigation(assessment, ["PC.AGE"])],
                       justifications={f.row(assessment, "PC.DISABILITY").pk: "The building is leased as it is."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return plan_change


def _folded(page: str) -> list[str]:
    """The text of every <details> block on the page."""
    return re.findall(r"<details[^>]*>(.*?)</details>", page, re.S)


def _outside_details(page: str) -> str:
    return re.sub(r"<details[^>]*>.*?</details>", "", page, flags=re.S)


def test_the_plan_change_page_leads_with_state_next_step_documents_then_negatives(cast, committed):
    plan_change = _with_a_mitigated_negative(cast)
    committed(lambda: f.sign_off(cast, plan_change))
    page = client_for(cast.officer).get(f"/plan-changes/{plan_change.pk}/").content.decode()

    order = ["Where it stands", "Next step", "Download the signed PDF", "Negative impacts and their mitigation",
             "About this plan change", "Integrated Impact Assessment, version 1", "Screening record", "History"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    assert "Review of version 1 by" in page  # the next step of a signed-off version

    # the summary: both negative rows, the mitigating action of one, the justification of the other
    negatives = page[page.index("Negative impacts and their mitigation"):page.index("About this plan change")]
    assert "Age" in negatives and "Disability" in negatives and "Do something." in negatives
    assert "The building is leased as it is." in negatives and "Service manager" in negatives

    # the ratings' explanations, the screening answers and the history are folded, and still there
    folded = "".join(_folded(page))
    assert EXPLANATION in folded and EXPLANATION not in _outside_details(page)
    assert "Screening answers" in folded and "History of this plan change" in folded
    assert "Data." in folded and "People." in folded  # evidence and consultation


def test_the_sign_off_page_opens_with_the_same_summary(cast):
    plan_change = _with_a_mitigated_negative(cast)
    task = active_task(plan_change, IIAFlow.sign_off)
    from workflows import actions
    from workflows.selectors import task_url

    actions.task_claim(task=task, by=cast.senior)
    page = client_for(cast.senior).get(task_url(task, "execute")).content.decode()
    negatives = page.index("Negative impacts and their mitigation")
    assert negatives < page.index("Integrated Impact Assessment, version 1") < page.index("Your decision")
    assert "Do something." in page[negatives:page.index("Integrated Impact Assessment, version 1")]
    assert EXPLANATION in "".join(_folded(page))
    assert page.index("Declaration") < page.index("Your decision")


def test_no_negative_row_is_said_plainly(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change)
    page = client_for(cast.officer).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "No row of version 1 is rated negative." in page


def test_chart_figures_fold_away_and_the_matrix_scrolls_in_a_labelled_region(cast):
    f.plan()
    _with_a_mitigated_negative(cast)
    page = client_for(cast.lead).get(reverse("board_dashboard", args=["dundee"])).content.decode()
    charts = re.findall(r'<figure class="chart-figure".*?</figure>', page, re.S)
    assert charts
    for chart in charts:
        assert re.search(r"<details[^>]*>\s*<summary>Show the figures as a table.*<table class=\"chart-data\">", chart, re.S)
    region = re.search(r'<div class="table-wrap matrix-wrap"([^>]*)>', page)
    assert region and 'role="region"' in region.group(1) and 'tabindex="0"' in region.group(1)
    assert 'aria-labelledby="matrix-caption"' in region.group(1)


def test_no_internal_form_code_on_the_pages(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    page = client_for(cast.officer).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert assessment.template.code not in page
    assert f"{assessment.template.title}, version {assessment.template.version}" in page


def test_dates_are_written_one_way(cast, committed):
    plan_change = _with_a_mitigated_negative(cast)
    committed(lambda: f.sign_off(cast, plan_change))
    page = client_for(cast.officer).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" in page  # "4 January 2027": signed off, history
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", page)
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", page)


def test_the_delegation_message_writes_its_dates_like_every_page(cast):
    start = timezone.localdate() + datetime.timedelta(days=3)
    end = start + datetime.timedelta(days=10)
    board = f.plan().board
    response = client_for(cast.officer).post(reverse("delegation_list"), {
        "role": f"{board.pk}:{Role.OFFICER}", "delegate": cast.officer2.pk,
        "starts_on": start.isoformat(), "ends_on": end.isoformat(), "reason": "Leave."}, follow=True)
    page = response.content.decode()
    assert Delegation.objects.count() == 1
    assert f"from {start.day} {start:%B %Y} to {end.day} {end:%B %Y}." in page
    assert f"{start:%d/%m/%Y}" not in page


def test_templates_use_the_one_date_format():
    """Every date a template writes goes through ``|date`` (DATE_FORMAT) or DATETIME_FORMAT:
    no "04/01/2027", no "4 Jan 2027"."""
    found = []
    for template in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        for match in re.finditer(r'\|date:"([^"]*)"', template.read_text()):
            if match.group(1) not in {"DATE_FORMAT", "DATETIME_FORMAT", "j F Y", "j F Y, H:i", "l j F Y", "Y", "c"}:
                found.append(f"{template.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert not found


def test_each_screening_question_is_written_once_and_its_error_is_short(cast):
    from assessments.catalogue import template_screening_questions

    from .http import claim_and_open, screening_post

    plan_change = f.start(cast)
    client = client_for(cast.officer)
    url = claim_and_open(client, plan_change, IIAFlow.screening)
    questions = list(template_screening_questions(plan_change.screenings.get().template))
    page = client.get(url).content.decode()
    assert "The product proposes" not in page and "Comment on:" not in page
    assert len(re.findall(r">Comment \(optional\):?</label>", page)) == len(questions)
    for number, question in enumerate(questions, start=1):
        assert page.count(escape(question.text)) == 1, question.text
        # the comment is inside the question's fieldset, whose legend is the question
        fieldset = re.search(rf'<fieldset[^>]*>\s*<legend><span class="question-number">{number}\.</span>.*?</fieldset>',
                             page, re.S)
        assert fieldset and f'name="c_{question.code}"' in fieldset.group(0)

    # submitted with nothing answered: each error names its question's number, not its text again
    page = client.post(url, screening_post({})).content.decode()
    assert "Choose an answer to question 1." in page and f"Choose an answer to question {len(questions)}." in page
    assert page.count(escape(questions[0].text)) == 1
    assert re.search(rf'<input[^>]*name="q_{questions[0].code}"[^>]*aria-invalid="true"', page)
