"""The services enforce every rule, whatever page or script calls them."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from assessments import rules, services
from assessments.exceptions import NotAllowed, RuleViolation, StaleEdit
from assessments.models import Assessment, AssessmentState, AuditEvent, Outcome, Role
from assessments.models.assessment import ActionKind
from assessments.models.audit import AuditTampering
from assessments.validation import RatingInput
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_screening_proposes_no_iia_when_the_report_asks_nothing():
    outcome, reason = services.screening_propose(f.answers(asks_agreement="no"))
    assert outcome == Outcome.NO_IIA
    assert "does not ask the IJB to agree" in reason


def test_screening_proposes_no_iia_for_an_update_that_affects_nobody():
    outcome, _ = services.screening_propose(f.answers(information_only="yes", affects_people="no"))
    assert outcome == Outcome.NO_IIA


def test_screening_proposes_full_iia_with_reasons():
    outcome, reason = services.screening_propose(f.answers())
    assert outcome == Outcome.FULL_IIA
    assert "it asks the IJB to agree something" in reason
    assert "Fairer Scotland Duty" in reason


def test_screening_submit_requires_every_answer(cast):
    plan_change = f.start(cast)
    screening = plan_change.screenings.get()
    partial = f.answers()
    del partial["children"]
    with pytest.raises(RuleViolation) as error:
        services.screening_submit(screening=screening, by=cast.officer, answers=partial)
    assert "q_children" in error.value.errors
    screening.refresh_from_db()
    assert screening.state == "draft"


def test_only_officers_of_the_board_start_plan_changes(cast, borders):
    p = f.plan()
    with pytest.raises(NotAllowed):
        services.plan_change_create(board=p.board, plan=p, by=cast.lead, title="x", description="y",
                                    change_type="other", is_revision=False, lead_officer=cast.officer,
                                    director=cast.senior)
    with pytest.raises(NotAllowed):
        services.plan_change_create(board=p.board, plan=p, by=borders.officer, title="x", description="y",
                                    change_type="other", is_revision=False, lead_officer=cast.officer,
                                    director=cast.senior)


def test_screening_review_rules(cast):
    plan_change = f.start(cast)
    screening = plan_change.screenings.get()
    services.screening_submit(screening=screening, by=cast.officer, answers=f.answers())
    with pytest.raises(NotAllowed):  # the author cannot review, even holding the role
        f.add_role(cast.officer, Role.EQUALITY_LEAD)
        services.screening_review(screening=screening, by=cast.officer, decision="concur")
    with pytest.raises(RuleViolation) as error:
        services.screening_review(screening=screening, by=cast.lead, decision="override")
    assert "comments" in error.value.errors
    screening = services.screening_review(screening=screening, by=cast.lead, decision="override", comments="Informs only.")
    assert screening.state == "screened_out"
    assert screening.outcome == Outcome.NO_IIA
    assert not plan_change.assessments.exists()  # a screened-out record never becomes an assessment


def test_concurring_with_full_iia_opens_version_one(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = plan_change.assessments.get()
    assert assessment.version == 1
    assert assessment.state == AssessmentState.IN_PROGRESS
    assert assessment.template.code == "dundee-ijb-v1"


def _section(assessment, code):
    return assessment.template.sections.prefetch_related("rows", "questions").get(code=code)


def test_completing_a_section_needs_every_row_rated_and_explained(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    section = _section(assessment, "equality")
    ratings, answers = f.section_inputs(section)
    age = f.row(assessment, "PC.AGE")
    ratings[age.pk] = RatingInput(set(), "")
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                              answers=answers, complete=True)
    assert f"r{age.pk}" in error.value.errors
    ratings[age.pk] = RatingInput({"negative"}, "")
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                              answers=answers, complete=True)
    assert "Explain" in error.value.errors[f"x{age.pk}"][0]  # beside the explanation box
    # a draft saves whatever is there
    services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                          answers=answers, complete=False)
    assert assessment.ratings.get(row=age).negative


def test_positive_and_negative_may_both_apply_but_no_impact_stands_alone(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    section = _section(assessment, "equality")
    ratings, answers = f.section_inputs(section)
    age = f.row(assessment, "PC.AGE")
    ratings[age.pk] = RatingInput({"positive", "negative"}, "Both.")
    services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                          answers=answers, complete=True)
    ratings[age.pk] = RatingInput({"positive", "no_impact"}, "Both.")
    with pytest.raises(RuleViolation):
        services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                              answers=answers, complete=True)


def test_not_applicable_only_where_the_template_allows_it(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    section = _section(assessment, "equality")
    ratings, answers = f.section_inputs(section)
    marriage, age = f.row(assessment, "PC.MARRIAGE"), f.row(assessment, "PC.AGE")
    ratings[marriage.pk] = RatingInput({"not_applicable"}, "Not a workforce matter.")
    services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                          answers=answers, complete=True)
    ratings[age.pk] = RatingInput({"not_applicable"}, "No.")
    with pytest.raises(RuleViolation) as error:
        services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                              answers=answers, complete=True)
    assert f"r{age.pk}" in error.value.errors


def test_negative_needs_mitigation_or_justification_and_not_known_needs_evidence_action(cast):
    plan_change = f.screen(cast, f.start(cast))
    overrides = {"PC.AGE": ({"negative"}, "Older people lose out."), "PC.RACE": ({"not_known"}, "No data.")}
    f.complete_parts(cast, plan_change, overrides)
    assessment = f.current(plan_change)
    age, race = f.row(assessment, "PC.AGE"), f.row(assessment, "PC.RACE")
    review = datetime.date.today() + datetime.timedelta(days=200)
    with pytest.raises(RuleViolation) as error:
        services.actions_save(assessment=assessment, by=cast.officer, actions=[], justifications={},
                              review_date=review, complete=True)
    assert f"j{age.pk}" in error.value.errors and f"e{race.pk}" in error.value.errors
    # a justification covers the negative row; a mitigation would not cover "not known"
    with pytest.raises(RuleViolation) as error:
        services.actions_save(assessment=assessment, by=cast.officer, actions=[f.mitigation(assessment, ["PC.RACE"])],
                              justifications={age.pk: "Proportionate to the saving."}, review_date=review, complete=True)
    assert list(error.value.errors) == [f"e{race.pk}"]
    services.actions_save(
        assessment=assessment, by=cast.officer,
        actions=[f.mitigation(assessment, ["PC.RACE"], kind=ActionKind.EVIDENCE)],
        justifications={age.pk: "Proportionate to the saving."}, review_date=review, complete=True,
    )
    assert assessment.actions.count() == 1


@pytest.mark.parametrize("when, problem", [
    (lambda today: today, "The review date must be after today."),
    (lambda today: today - datetime.timedelta(days=400), "The review date must be after today."),
    (lambda today: today + datetime.timedelta(days=3 * 366 + 1), "The review date must be within three years"),
    (lambda today: datetime.date.max, "The review date must be within three years"),
])
def test_review_date_must_be_after_today_and_within_three_years(cast, when, problem):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change)
    assessment = f.current(plan_change)
    today = timezone.localdate()
    review_date = when(today)
    with pytest.raises(RuleViolation) as error:
        services.actions_save(assessment=assessment, by=cast.officer, actions=[], justifications={},
                              review_date=review_date, complete=True)
    assert error.value.errors["review_date"][0].startswith(problem)
    # the last day of the three years is taken, and kept
    last = today + datetime.timedelta(days=3 * 366)
    services.actions_save(assessment=assessment, by=cast.officer, actions=[], justifications={},
                          review_date=last, complete=True)
    assessment.refresh_from_db()
    assert assessment.review_date == last


def test_an_unrated_row_blocks_submission(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    assessment = f.current(plan_change)
    assessment.ratings.filter(row__code="PC.SEX").delete()  # as if the row were never rated
    with pytest.raises(RuleViolation) as error:
        services.assessment_submit(assessment=assessment, by=cast.officer)
    assert "equality" in error.value.errors


def test_submission_requires_every_part_complete(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    with pytest.raises(RuleViolation) as error:
        services.assessment_submit(assessment=assessment, by=cast.officer)
    assert set(error.value.errors) >= {"equality", "fairness", "environment", "risk", "evidence", "actions"}


def test_nobody_approves_their_own_work_superusers_included(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    # the author, even as an equality lead and a superuser
    f.add_role(cast.officer, Role.EQUALITY_LEAD)
    cast.officer.is_superuser = True
    cast.officer.save()
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=assessment, by=cast.officer, risk_level="low")
    # a contributor who became an equality lead
    assessment.contributors.add(cast.officer2)
    f.add_role(cast.officer2, Role.EQUALITY_LEAD)
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=assessment, by=cast.officer2, risk_level="low")
    # a superuser with no role on the board
    admin = f.user(None, is_superuser=True, is_staff=True)
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=assessment, by=admin, risk_level="low")
    assert not rules.can_approve(admin, assessment)
    approved = services.assessment_approve(assessment=assessment, by=cast.lead, risk_level="low")
    assert approved.state == AssessmentState.APPROVED


def test_equality_lead_of_another_board_cannot_approve(cast, borders):
    plan_change = f.to_submitted(cast)
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=f.current(plan_change), by=borders.lead, risk_level="low")


def test_database_refuses_self_approval_behind_the_service(cast):
    plan_change = f.to_submitted(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=f.current(plan_change).pk).update(approved_by=cast.officer)


def test_approval_needs_a_risk_level(cast):
    plan_change = f.to_submitted(cast)
    with pytest.raises(RuleViolation) as error:
        services.assessment_approve(assessment=f.current(plan_change), by=cast.lead, risk_level="")
    assert "risk_level" in error.value.errors


def test_sign_off_by_a_senior_officer_who_took_no_part(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    assessment = f.current(plan_change)
    with pytest.raises(NotAllowed):
        services.assessment_sign_off(assessment=assessment, by=cast.lead)
    f.add_role(cast.officer, Role.SENIOR_OFFICER)
    with pytest.raises(NotAllowed):
        services.assessment_sign_off(assessment=assessment, by=cast.officer)
    signed = services.assessment_sign_off(assessment=assessment, by=cast.senior)
    assert signed.state == AssessmentState.SIGNED_OFF
    assert signed.signed_off_role == "Chief Officer"
    assert signed.sign_off_declaration


def test_signed_off_assessment_is_locked(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    assessment = f.sign_off(cast, plan_change)
    with pytest.raises(TransitionNotAllowed):
        services.evidence_save(assessment=assessment, by=cast.officer, evidence="new", consultation="new")
    section = _section(assessment, "risk")
    ratings, answers = f.section_inputs(section)
    with pytest.raises(TransitionNotAllowed):
        services.section_save(assessment=assessment, section_code="risk", by=cast.officer2, ratings=ratings,
                              answers=answers)
    with pytest.raises(NotAllowed):
        services.assessment_return(assessment=assessment, by=cast.lead, comments="Too late.", parts=["actions"])
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED_OFF and assessment.evidence == "Data."


def test_a_new_version_copies_answers_and_supersedes_on_sign_off(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Older people.")})
    assessment = f.current(plan_change)
    f.complete_actions(cast, plan_change, justifications={f.row(assessment, "PC.AGE").pk: "Proportionate."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    v1 = f.sign_off(cast, plan_change)
    with pytest.raises(RuleViolation):
        services.assessment_new_version(assessment=v1, by=cast.officer2, reason="")
    v2 = services.assessment_new_version(assessment=v1, by=cast.officer2, reason="The scope grew.")
    assert v2.version == 2 and v2.supersedes_id == v1.pk and v2.state == AssessmentState.IN_PROGRESS
    assert v2.ratings.get(row__code="PC.AGE").negative
    assert v2.ratings.get(row__code="PC.AGE").justification == "Proportionate."
    with pytest.raises(RuleViolation):  # only one open version at a time
        services.assessment_new_version(assessment=v1, by=cast.officer2, reason="Again.")
    v1.refresh_from_db()
    assert v1.state == AssessmentState.SIGNED_OFF  # still in force until v2 is signed off


def test_returning_needs_comments_and_reopens_the_chosen_parts(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    with pytest.raises(RuleViolation):
        services.assessment_return(assessment=assessment, by=cast.lead, comments=" ", parts=["equality"])
    returned = services.assessment_return(assessment=assessment, by=cast.lead, comments="More evidence.",
                                          parts=["equality"])
    assert returned.state == AssessmentState.RETURNED
    assert returned.rework_parts == ["equality", "actions"]
    statuses = dict(returned.parts.values_list("part", "status"))
    assert statuses["equality"] == "draft" and statuses["actions"] == "draft" and statuses["fairness"] == "complete"


def test_a_stale_save_is_refused_not_silently_overwritten(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    services.evidence_save(assessment=assessment, by=cast.officer, evidence="A", consultation="B", expected_revision=0)
    with pytest.raises(StaleEdit):
        services.evidence_save(assessment=assessment, by=cast.officer2, evidence="C", consultation="D",
                               expected_revision=0)
    assessment.refresh_from_db()
    assert assessment.evidence == "A"


def test_every_transition_writes_one_audit_event_and_refusals_write_none(cast):
    before = AuditEvent.objects.count()
    plan_change = f.to_submitted(cast)
    events = list(AuditEvent.objects.filter(plan_change=plan_change).values_list("action", "from_state", "to_state"))
    assert ("assessment.submit", "in_progress", "submitted") in events
    assert ("screening.concur", "submitted", "screened_in") in events
    count = AuditEvent.objects.count()
    assert count > before
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=f.current(plan_change), by=cast.officer, risk_level="low")
    assert AuditEvent.objects.count() == count


def test_audit_events_cannot_be_changed_or_deleted(cast):
    f.start(cast)
    event = AuditEvent.objects.first()
    with pytest.raises(AuditTampering):
        event.save()
    with pytest.raises(AuditTampering):
        event.delete()
    with pytest.raises(AuditTampering):
        AuditEvent.objects.all().update(message="x")
    with pytest.raises(AuditTampering):
        AuditEvent.objects.all().delete()


def test_control_characters_are_dropped_before_storing(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = services.evidence_save(assessment=f.current(plan_change), by=cast.officer,
                                        evidence="Data\x00 with NUL\r\nand CRLF\x07", consultation="ok")
    assessment.refresh_from_db()
    assert assessment.evidence == "Data with NUL\nand CRLF"
