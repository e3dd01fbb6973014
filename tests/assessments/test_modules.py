"""The modules a screening opens (issue 20 item 3): the Island Communities Impact
Assessment, the Children's Rights and Wellbeing Impact Assessment, the SEA pre-screening,
and "already assessed" (the earlier assessment the screening relies on, checked by the lead)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from assessments import services
from assessments.catalogue import active_template, parallel_part_codes, template_section
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import earlier_label
from assessments.models import AuditEvent, Board, Template
from assessments.validation import RatingInput
from tests import factories as f
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.selectors import task_url

ICIA_YES = "Yes: the effect on island communities is significantly different"
ICIA_NO = "No: the board explains why (published under s.8(4))"
S84 = "No island in Dundee City is inhabited: no island community is affected."


def part_tasks(plan_change) -> set[str]:
    return {task.data["part"] for task in active_tasks(plan_change, IIAFlow.complete_part)}


def test_every_boards_form_has_the_modules_each_opened_by_its_screening_question(db):
    for board in Board.objects.all():
        template = active_template(board)
        opened = {code: (template_section(template, code).opened_by, template_section(template, code).opened_by_answers)
                  for code in ("icia", "crwia", "sea")}
        assert opened == {"icia": ("island_communities", ["yes"]), "crwia": ("children", ["yes"]),
                          "sea": ("sea_qualifying", ["yes", "unsure"])}
        codes = set(template.screening_questions.values_list("code", flat=True))
        assert {"island_communities", "children", "sea_qualifying", "already_assessed"} <= codes


@pytest.mark.parametrize("said, opened", [
    ({}, []),
    ({"island_communities": "yes"}, ["icia"]),
    ({"children": "yes"}, ["crwia"]),
    ({"sea_qualifying": "unsure"}, ["sea"]),
    ({"sea_qualifying": "yes", "children": "yes", "island_communities": "yes"}, ["icia", "crwia", "sea"]),
])
def test_a_module_opens_only_when_the_screening_answer_says_so(cast, said, opened):
    plan_change = f.screen(cast, f.start(cast), **said)
    assessment = f.current(plan_change)
    assert assessment.modules == opened
    assert part_tasks(plan_change) == {"equality", "fairness", "environment", "risk", "evidence", *opened}
    assert set(parallel_part_codes(assessment)) == part_tasks(plan_change)
    event = AuditEvent.objects.get(assessment=assessment, action="assessment.open")
    assert ("modules the screening opened" in event.message) == bool(opened)


def test_a_module_is_required_for_submission_only_when_opened(cast):
    closed = f.screen(cast, f.start(cast, "No islands"))
    f.complete_parts(cast, closed)
    f.complete_actions(cast, closed)
    assert services.assessment_errors(f.current(closed)) == {}

    opened = f.screen(cast, f.start(cast, "Islands"), island_communities="yes")
    icia = next(t for t in active_tasks(opened, IIAFlow.complete_part) if t.data["part"] == "icia")
    for task in active_tasks(opened, IIAFlow.complete_part):
        if task != icia:
            code = task.data["part"]
            inputs = (dict(evidence="Data.", consultation="People.") if code == "evidence" else
                      dict(zip(("ratings", "answers"),
                               f.section_inputs(f.current(opened).template.sections.get(code=code)), strict=True)))
            f.workflow_actions.part_save(task=task, by=cast.officer, complete=True, claim=True, **inputs)
    f.complete_actions(cast, opened)
    errors = services.assessment_errors(f.current(opened))
    assert list(errors) == ["icia"]
    assert active_task(opened, IIAFlow.submit) is None  # the join waits for the module


def _icia_answers(assessment, **by_code):
    section = template_section(assessment.template, "icia")
    return {q.pk: by_code.get(q.code, "") for q in section.questions.all()}, section


def test_an_icia_not_prepared_needs_the_s84_explanation_and_one_prepared_needs_the_effect(cast):
    plan_change = f.screen(cast, f.start(cast), island_communities="yes")
    assessment = f.current(plan_change)
    answers, section = _icia_answers(assessment, icia_decision=ICIA_NO)
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="icia", by=cast.officer, ratings={},
                              answers=answers, complete=True)
    reason = section.questions.get(code="icia_not_prepared_reason")
    assert list(error.value.errors) == [f"q{reason.pk}"]

    answers, _ = _icia_answers(assessment, icia_decision=ICIA_YES)
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="icia", by=cast.officer, ratings={},
                              answers=answers, complete=True)
    assert {section.questions.get(pk=int(key[1:])).code for key in error.value.errors} == {
        "icia_effect", "icia_mitigation"}

    answers, _ = _icia_answers(assessment, icia_decision=ICIA_NO, icia_not_prepared_reason=S84)
    services.section_save(assessment=assessment, section_code="icia", by=cast.officer, ratings={},
                          answers=answers, complete=True)
    assert assessment.answers.get(question=reason).value == S84


TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("date, link, wrong", [
    ("2027-02-30", "", "sea_notice_date"),
    ("99999999999999999999", "", "sea_notice_date"),
    (TOMORROW, "", "sea_notice_date"),  # the day the notice went: not a day to come
    ("0001-01-01", "", "sea_notice_date"),
    ("", "javascript:alert(1)", "sea_environmental_report"),
    ("", "x" * 5000, "sea_environmental_report"),
])
def test_the_sea_date_and_link_are_checked_even_in_a_draft(cast, date, link, wrong):
    plan_change = f.screen(cast, f.start(cast), sea_qualifying="yes")
    assessment = f.current(plan_change)
    section = template_section(assessment.template, "sea")
    given = {"sea_notice_date": date, "sea_environmental_report": link}
    answers = {q.pk: given.get(q.code, "") for q in section.questions.all()}
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="sea", by=cast.officer, ratings={}, answers=answers)
    assert [section.questions.get(pk=int(key[1:])).code for key in error.value.errors] == [wrong]


def test_the_notice_date_is_a_day_that_has_passed_today_included(cast):
    plan_change = f.screen(cast, f.start(cast), sea_qualifying="yes")
    assessment = f.current(plan_change)
    section = template_section(assessment.template, "sea")
    notice = section.questions.get(code="sea_notice_date")
    assert notice.kind == "past_date"
    today = timezone.localdate().isoformat()
    answers = {q.pk: {"sea_notice_date": today}.get(q.code, "") for q in section.questions.all()}
    services.section_save(assessment=assessment, section_code="sea", by=cast.officer, ratings={}, answers=answers)
    assert assessment.answers.get(question=notice).value == today
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="sea", by=cast.officer, ratings={},
                              answers=answers | {notice.pk: TOMORROW})
    assert error.value.errors[f"q{notice.pk}"] == [
        "“Date the notice went to the Consultation Authorities”: give the day it was done: it cannot be after today."]
    assert assessment.answers.get(question=notice).value == today  # nothing saved


def test_the_sea_pre_screening_needs_the_notice_date_and_a_required_sea_the_report_link(cast):
    plan_change = f.screen(cast, f.start(cast), sea_qualifying="yes")
    assessment = f.current(plan_change)
    section = template_section(assessment.template, "sea")
    choice = section.questions.get(code="sea_prescreening")

    def missing(chosen):
        answers = {q.pk: "" for q in section.questions.all()} | {choice.pk: chosen}
        with pytest.raises(RuleViolation) as error:
            services.section_save(assessment=assessment, section_code="sea", by=cast.officer, ratings={},
                                  answers=answers, complete=True)
        return {section.questions.get(pk=int(key[1:])).code for key in error.value.errors}

    assert missing(choice.choices[0]) == {"sea_notice_date"}
    assert missing(choice.choices[2]) == {"sea_environmental_report"}


def test_a_module_the_screening_did_not_open_cannot_be_saved(cast):
    """As an attacker: posting a module part that was not opened (the service refuses it,
    whatever route the request took)."""
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    section = template_section(assessment.template, "crwia")
    ratings = {row.pk: RatingInput({"negative"}, "Forged.") for row in section.rows.all()}
    with pytest.raises(NotAllowed):
        services.section_save(assessment=assessment, section_code="crwia", by=cast.officer, ratings=ratings,
                              answers={}, complete=False)
    assert not assessment.ratings.filter(row__section=section).exists()
    assert not assessment.parts.filter(part="crwia").exists()


def test_the_module_page_asks_the_children_rows_and_questions(cast, client):
    plan_change = f.screen(cast, f.start(cast), children="yes")
    task = next(t for t in active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == "crwia")
    client.force_login(cast.officer)
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Children&#x27;s Rights and Wellbeing Impact Assessment" in page
    assert "Young carers" in page and "Children in affected households" in page
    assert "Which UNCRC rights are engaged" in page


def test_a_new_version_keeps_the_modules_its_screening_opened(cast):
    plan_change = f.screen(cast, f.start(cast), children="yes")
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    signed = f.sign_off(cast, plan_change)
    new = services.assessment_new_version(assessment=signed, by=cast.officer, reason="Budget changed.")
    assert new.modules == ["crwia"]
    assert new.parts.filter(part="crwia").exists()


# --- the signed document -----------------------------------------------------------------

def test_the_signed_pdf_and_its_html_version_show_the_modules(cast, committed, client):
    from reports.models import SignedDocument
    from tests.reports.helpers import text_of

    def signed():
        plan_change = f.screen(cast, f.start(cast), island_communities="yes", children="yes")
        f.complete_parts(cast, plan_change)
        f.complete_actions(cast, plan_change)
        f.submit(cast, plan_change)
        f.approve(cast, plan_change)
        return f.sign_off(cast, plan_change)

    assessment = committed(signed)
    document = SignedDocument.objects.get(assessment=assessment)
    text = " ".join(text_of(bytes(document.pdf)).split())
    assert "Island Communities Impact Assessment" in text
    assert "Children's Rights and Wellbeing Impact Assessment" in text and "Young carers" in text
    assert "Strategic Environmental Assessment pre-screening" not in text  # not opened
    client.force_login(cast.officer)  # not yet published: members of the board only
    html = client.get(f"/documents/{document.verification_code}/").content.decode()
    assert "Island Communities Impact Assessment" in html and "Young carers" in html
    assert "Strategic Environmental Assessment pre-screening" not in html


# --- "already assessed" ------------------------------------------------------------------

def _signed(cast):
    from tests.reports.helpers import signed_off

    return signed_off(cast)


def _screening_task(cast, plan_change):
    return active_task(plan_change, IIAFlow.screening)


def test_already_assessed_links_an_earlier_assessment_of_the_board_and_the_lead_checks_it(cast):
    earlier = _signed(cast)
    plan_change = f.start(cast, "Same again")
    f.screen(cast, plan_change, already_assessed="yes", relies_on=earlier)
    screening = plan_change.screenings.get()
    assert screening.relies_on == earlier
    assert screening.relies_on_checked_by == cast.lead and screening.relies_on_checked_at is not None
    event = AuditEvent.objects.get(screening=screening, action="screening.concur")
    assert f"Checked the earlier assessment {earlier.reference}" in event.message


def test_already_assessed_needs_the_earlier_assessment_named(cast):
    plan_change = f.start(cast)
    with pytest.raises(RuleViolation) as error:
        f.workflow_actions.screening_save(task=_screening_task(cast, plan_change), by=cast.officer,
                                          answers=f.answers(already_assessed="yes"), complete=True, claim=True)
    assert "relies_on" in error.value.errors


@pytest.mark.parametrize("forged", ["another board's", "not signed off", "missing", "20 digits", "text"])
def test_a_forged_or_another_boards_assessment_cannot_be_linked(cast, borders, forged):
    """As an attacker: the id of another board's assessment, of one not signed off, of
    none at all, or garbage, gets the same refusal and nothing is saved."""
    ids = {
        "another board's": lambda: _signed(borders).pk,
        "not signed off": lambda: f.current(f.to_submitted(cast, "Still in review")).pk,
        "missing": lambda: 99_999_999,
        "20 digits": lambda: "9" * 20,
        "text": lambda: "1 OR 1=1",
    }
    given = ids[forged]()
    plan_change = f.start(cast)
    with pytest.raises(RuleViolation) as error:
        f.workflow_actions.screening_save(task=_screening_task(cast, plan_change), by=cast.officer,
                                          answers=f.answers(already_assessed="yes"), relies_on_id=given,
                                          complete=False, claim=True)
    assert error.value.errors == {"relies_on": ["Choose an earlier signed-off assessment of this board from the list."]}
    assert plan_change.screenings.get().relies_on is None


def test_the_lead_must_confirm_the_check_to_decide_and_may_return_without_it(cast):
    earlier = _signed(cast)
    plan_change = f.start(cast, "Same again")
    f.workflow_actions.screening_save(task=_screening_task(cast, plan_change), by=cast.officer,
                                      answers=f.answers(already_assessed="yes"), relies_on_id=earlier.pk,
                                      complete=True, claim=True)
    review = active_task(plan_change, IIAFlow.review_screening)
    with pytest.raises(RuleViolation) as error:
        f.workflow_actions.screening_review(task=review, by=cast.lead, decision="concur", claim=True)
    assert "relies_on_checked" in error.value.errors
    screening = plan_change.screenings.get()
    assert screening.state == "submitted" and screening.relies_on_checked_by is None
    f.workflow_actions.screening_review(task=active_task(plan_change, IIAFlow.review_screening), by=cast.lead,
                                        decision="return", comments="Is it really the same?", claim=True)
    screening.refresh_from_db()
    assert screening.state == "returned" and screening.relies_on_checked_by is None


def test_a_no_to_already_assessed_drops_the_link(cast):
    earlier = _signed(cast)
    plan_change = f.start(cast)
    f.workflow_actions.screening_save(task=_screening_task(cast, plan_change), by=cast.officer,
                                      answers=f.answers(already_assessed="no"), relies_on_id=earlier.pk,
                                      complete=False, claim=True)
    assert plan_change.screenings.get().relies_on is None


# --- the data migration ------------------------------------------------------------------

def test_a_form_in_use_gets_the_modules_on_a_new_version_and_stays_as_it_was(cast):
    migration = importlib.import_module("assessments.migrations.0013_screening_modules")
    dundee = Template.objects.get(code="dundee-ijb-v1")
    dundee.sections.filter(opened_by__gt="").delete()  # as it was before the migration
    plan_change = f.screen(cast, f.start(cast), children="yes")  # the form is now in use
    assert f.current(plan_change).modules == []  # that form had no module to open
    before = sorted(dundee.sections.values_list("code", flat=True))
    migration.add_modules(apps, None)
    dundee.refresh_from_db()
    assert sorted(dundee.sections.values_list("code", flat=True)) == before and not dundee.is_active
    copy = Template.objects.get(board=dundee.board, is_active=True)
    assert copy.code == "dundee-ijb-v2" and copy.version == 2
    assert {"icia", "crwia", "sea"} <= set(copy.sections.values_list("code", flat=True))
    assert copy.screening_questions.count() == dundee.screening_questions.count()
    migration.add_modules(apps, None)  # again: nothing more
    assert Template.objects.filter(board=dundee.board).count() == 2


# --- over HTTP ---------------------------------------------------------------------------

def test_the_screening_page_offers_only_the_boards_signed_assessments_and_refuses_a_forged_one(cast, borders):
    from tests.workflows.http import claim_and_open, client_for, screening_post

    ours, theirs = _signed(cast), _signed(borders)
    plan_change = f.start(cast, "Same again")
    client = client_for(cast.officer)
    url = claim_and_open(client, plan_change, IIAFlow.screening)
    page = client.get(url).content.decode()
    assert f'value="{ours.pk}"' in page and f'value="{theirs.pk}"' not in page
    signed_on = timezone.localdate(ours.signed_off_at)
    assert f"(signed off {signed_on.day} {signed_on:%B %Y})" in page  # the product's one date format
    for forged in (theirs.pk, "9" * 20, "<script>"):
        data = screening_post(f.FULL_ANSWERS | {"already_assessed": "yes"}) | {"relies_on": forged}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Choose the earlier assessment it relies on from the list." in response.content.decode()
        assert plan_change.screenings.get().relies_on is None
    response = client.post(url, screening_post(f.FULL_ANSWERS | {"already_assessed": "yes"}) | {"relies_on": ours.pk})
    assert response.status_code == 302
    assert plan_change.screenings.get().relies_on == ours


def test_the_leads_review_page_shows_the_earlier_assessment_and_asks_for_the_check(cast):
    from tests.workflows.http import claim_and_open, client_for

    earlier = _signed(cast)
    plan_change = f.start(cast, "Same again")
    f.workflow_actions.screening_save(task=_screening_task(cast, plan_change), by=cast.officer,
                                      answers=f.answers(already_assessed="yes"), relies_on_id=earlier.pk,
                                      complete=True, claim=True)
    client = client_for(cast.lead)
    url = claim_and_open(client, plan_change, IIAFlow.review_screening)
    page = client.get(url).content.decode()
    assert f"/plan-changes/{earlier.plan_change_id}/" in page and "not yet checked by an equality lead" in page
    assert 'name="relies_on_checked"' in page
    response = client.post(url, {"decision": "concur", "comments": ""})
    assert response.status_code == 200 and "Confirm you checked the earlier assessment" in response.content.decode()
    response = client.post(url, {"decision": "concur", "comments": "", "relies_on_checked": "on"})
    assert response.status_code == 302
    screening = plan_change.screenings.get()
    assert screening.state == "screened_in" and screening.relies_on_checked_by == cast.lead


@pytest.mark.parametrize("date", ["2027-02-30", "9" * 20, "x" * 300])
def test_a_wrong_sea_date_over_http_is_an_error_beside_the_field(cast, date):
    from tests.workflows.http import client_for, section_post

    plan_change = f.screen(cast, f.start(cast), sea_qualifying="yes")
    task = next(t for t in active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == "sea")
    section = template_section(f.current(plan_change).template, "sea")
    data = section_post(section)
    notice = section.questions.get(code="sea_notice_date")
    data[f"q{notice.pk}"] = date
    data[f"q{section.questions.get(code='sea_environmental_report').pk}"] = ""
    response = client_for(cast.officer).post(task_url(task, "execute"), data)
    assert response.status_code == 200
    assert "as a real date" in response.content.decode()
    assert not f.current(plan_change).answers.filter(question=notice).exists()


def test_the_register_entry_publishes_the_s84_explanation(cast, committed, client):
    from reports.models import SignedDocument
    from reports.selectors import published_answers

    def signed():
        plan_change = f.screen(cast, f.start(cast), island_communities="yes")
        assessment = f.current(plan_change)
        section = template_section(assessment.template, "icia")
        answers = {q.pk: {"icia_decision": ICIA_NO, "icia_not_prepared_reason": S84}.get(q.code, "")
                   for q in section.questions.all()}
        task = next(t for t in active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == "icia")
        f.workflow_actions.part_save(task=task, by=cast.officer, complete=True, claim=True, ratings={},
                                     answers=answers)
        f.complete_parts(cast, plan_change)
        f.complete_actions(cast, plan_change)
        f.submit(cast, plan_change)
        f.approve(cast, plan_change)
        return f.sign_off(cast, plan_change)

    assessment = committed(signed)
    document = SignedDocument.objects.get(assessment=assessment)
    reason = "Why no Island Communities Impact Assessment is prepared (s.8(4) explanation, published)"
    assert published_answers([document]) == {assessment.pk: [(reason, S84)]}
    from tests.reports.helpers import text_of

    assert S84 in " ".join(text_of(bytes(document.pdf)).split())

    from reports import services as reporting
    from tests.reports.test_meetings import meeting, report_for

    m = meeting(cast)
    reporting.agenda_add_report(meeting=m, report=report_for(cast, assessment.plan_change), by=cast.clerk)
    committed(reporting.meeting_publish, meeting=m, by=cast.clerk)
    page = client.get("/register/dundee/").content.decode()
    assert "s.8(4) explanation, published" in page and "No island in Dundee City is inhabited" in page


def test_an_earlier_assessment_is_named_with_its_local_sign_off_date_in_words(cast):
    earlier = _signed(cast)
    # 23:30 UTC on 30 June is 00:30 on 1 July in Scotland (British Summer Time)
    earlier.signed_off_at = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert earlier_label(earlier) == f"{earlier.reference}: {earlier.plan_change.title} (signed off 1 July 2026)"
