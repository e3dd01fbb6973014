"""Reviews of signed-off assessments: confirm unchanged (recorded, audited, shown) or start
a new version from the review; who may review, and when."""

import datetime

import pytest
from django.utils import timezone

from assessments import services
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AssessmentReview, AssessmentState, AuditEvent, ReviewOutcome, Role
from tests import factories as f
from tests.reports.helpers import signed_off
from tests.workflows.http import client_for
from workflows.engine import active_tasks
from workflows.flows import IIAFlow
from workflows.selectors import inbox

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEXT_YEAR = datetime.timedelta(days=365)


def confirm(assessment, by, note="Checked the service data and the complaints log: nothing has changed.",
            next_review_date=None):
    return services.assessment_review_confirm(
        assessment=assessment, by=by, note=note, next_review_date=next_review_date or TODAY() + NEXT_YEAR)


def test_the_author_confirms_unchanged_recorded_with_who_when_note_and_next_date(cast):
    assessment = signed_off(cast)
    before = assessment.review_date
    review = confirm(assessment, cast.officer, next_review_date=TODAY() + datetime.timedelta(days=200))
    review.refresh_from_db()
    assessment.refresh_from_db()
    assert review.outcome == ReviewOutcome.CONFIRMED
    assert review.reviewed_by == cast.officer
    assert abs((timezone.now() - review.reviewed_at).total_seconds()) < 60
    assert review.note.startswith("Checked the service data")
    assert review.previous_review_date == before
    assert review.next_review_date == assessment.review_date == TODAY() + datetime.timedelta(days=200)
    assert assessment.state == AssessmentState.SIGNED_OFF  # still the version in force
    event = AuditEvent.objects.filter(assessment=assessment, action="assessment.review_confirm").get()
    assert event.actor == cast.officer
    assert event.data["review"] == review.pk
    assert event.data["next_review_date"] == assessment.review_date.isoformat()
    assert "confirmed unchanged" in event.message


def test_an_equality_lead_of_the_board_may_review(cast):
    assessment = signed_off(cast)
    review = confirm(assessment, cast.lead)
    assert review.reviewed_by == cast.lead


@pytest.mark.parametrize("who", ["officer2", "senior", "clerk"])
def test_nobody_else_of_the_board_may_review(cast, who):
    assessment = signed_off(cast)
    with pytest.raises(NotAllowed):
        confirm(assessment, getattr(cast, who))
    assert not AssessmentReview.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assessment.review").exists()


def test_an_equality_lead_of_another_board_may_not_review(cast, borders):
    assessment = signed_off(cast)
    with pytest.raises(NotAllowed):
        confirm(assessment, borders.lead)
    response = client_for(borders.lead).get(f"/assessments/{assessment.pk}/review/")
    assert response.status_code == 404


def test_confirm_unchanged_on_an_assessment_not_signed_off_is_refused(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    with pytest.raises(RuleViolation, match="Only a signed-off assessment"):
        confirm(assessment, cast.lead)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    assert not AssessmentReview.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.review_confirm").exists()


def test_confirm_is_refused_while_a_newer_version_is_open_and_on_a_superseded_version(cast):
    v1 = signed_off(cast)
    services.assessment_new_version(assessment=v1, by=cast.officer, reason="The budget changed.")
    with pytest.raises(RuleViolation, match="Version 2 is already open"):
        confirm(v1, cast.lead)
    # v2 signed off: v1 is superseded and can no longer be reviewed
    plan_change = v1.plan_change
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    v2 = f.sign_off(cast, plan_change)
    v1.refresh_from_db()
    assert v1.state == AssessmentState.SUPERSEDED
    with pytest.raises(RuleViolation, match="superseded"):
        confirm(v1, cast.lead)
    assert confirm(v2, cast.lead).assessment == v2


@pytest.mark.parametrize("note, days, field", [
    ("   ", 365, "note"),
    ("Checked.", 0, "next_review_date"),
    ("Checked.", -3, "next_review_date"),
    ("Checked.", 3 * 366 + 2, "next_review_date"),
])
def test_confirm_needs_a_note_and_a_next_review_date_within_three_years(cast, note, days, field):
    assessment = signed_off(cast)
    with pytest.raises(RuleViolation) as refused:
        confirm(assessment, cast.officer, note=note, next_review_date=TODAY() + datetime.timedelta(days=days))
    assert field in refused.value.errors
    assert not AssessmentReview.objects.exists()


def test_a_review_that_finds_changes_starts_a_new_version_that_supersedes_on_sign_off(cast):
    v1 = signed_off(cast)
    review = services.assessment_review_new_version(assessment=v1, by=cast.officer,
                                                    note="Eligibility criteria changed in April.")
    v2 = review.new_version
    assert review.outcome == ReviewOutcome.NEW_VERSION and review.reviewed_by == cast.officer
    assert v2.version == 2 and v2.supersedes == v1 and v2.state == AssessmentState.IN_PROGRESS
    assert v2.ratings.count() == v1.ratings.count() > 0  # answers copied for editing
    actions = set(AuditEvent.objects.filter(assessment=v1).values_list("action", flat=True))
    assert {"assessment.new_version", "assessment.review_new_version"} <= actions
    assert active_tasks(v1.plan_change, IIAFlow.complete_part)  # the new version's parts are waiting
    assert any(t.process.iiaprocess.plan_change_id == v1.plan_change_id for t in inbox(cast.officer))
    page = client_for(cast.officer).get(f"/plan-changes/{v1.plan_change_id}/?version=1").content.decode()
    assert "Update required: new version started (version 2)" in page  # the review names the version it opened
    assert cast.officer.get_full_name() in page
    f.complete_parts(cast, v1.plan_change)
    f.complete_actions(cast, v1.plan_change)
    f.submit(cast, v1.plan_change)
    f.approve(cast, v1.plan_change)
    f.sign_off(cast, v1.plan_change)
    v1.refresh_from_db()
    assert v1.state == AssessmentState.SUPERSEDED


def test_an_equality_lead_reviews_but_cannot_start_a_new_version(cast):
    v1 = signed_off(cast)
    with pytest.raises(NotAllowed):
        services.assessment_review_new_version(assessment=v1, by=cast.lead, note="Needs updating.")
    assert v1.plan_change.assessments.count() == 1
    response = client_for(cast.lead).post(f"/assessments/{v1.pk}/review/",
                                          {"outcome": "new_version", "note": "Needs updating."})
    assert response.status_code == 403
    assert v1.plan_change.assessments.count() == 1


def test_an_officer_acting_for_the_author_under_a_delegation_may_review(cast):
    assessment = signed_off(cast)
    services.delegation_create(delegator=cast.officer, delegate=cast.officer2, board=f.board(), role=Role.OFFICER,
                               starts_on=TODAY(), ends_on=TODAY() + datetime.timedelta(days=10))
    assert confirm(assessment, cast.officer2).reviewed_by == cast.officer2


def test_review_pages_confirm_and_show_the_outcome_on_the_plan_change(cast):
    assessment = signed_off(cast)
    client = client_for(cast.officer)
    detail = client.get(f"/plan-changes/{assessment.plan_change_id}/").content.decode()
    assert f"/assessments/{assessment.pk}/review/" in detail
    page = client.get(f"/assessments/{assessment.pk}/review/").content.decode()
    assert "Confirmed unchanged" in page and "Update required: start a new version" in page and "Withdrawn" in page
    response = client.post(f"/assessments/{assessment.pk}/review/",
                           {"outcome": "confirmed", "note": "", "next_review_date": "2000-01-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter your review note." in page
    assert not AssessmentReview.objects.exists()
    next_date = TODAY() + datetime.timedelta(days=300)
    response = client.post(f"/assessments/{assessment.pk}/review/", {
        "outcome": "confirmed", "note": "Numbers using the service unchanged.", "next_review_date": next_date.isoformat()})
    assert response.status_code == 302 and response.url == f"/plan-changes/{assessment.plan_change_id}/"
    detail = client.get(response.url).content.decode()
    assert "Confirmed unchanged" in detail and "Numbers using the service unchanged." in detail
    assert f"{next_date.day} {next_date:%B %Y}" in detail  # the new review date, on the assessment
    assert "Reviewed: confirmed unchanged" in detail  # and in the history


def test_review_page_for_a_version_in_progress_says_why_no_review(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    page = client_for(cast.lead).get(f"/assessments/{assessment.pk}/review/").content.decode()
    assert "Only a signed-off assessment in force can be reviewed" in page
    assert 'name="outcome"' not in page
    response = client_for(cast.lead).post(f"/assessments/{assessment.pk}/review/", {
        "outcome": "confirmed", "note": "Fine.", "next_review_date": (TODAY() + NEXT_YEAR).isoformat()})
    assert response.status_code == 200 and "Only a signed-off assessment" in response.content.decode()
    assert not AssessmentReview.objects.exists()


def test_starting_a_new_version_from_the_review_page(cast):
    v1 = signed_off(cast)
    response = client_for(cast.officer).post(f"/assessments/{v1.pk}/review/",
                                             {"outcome": "new_version", "note": "New eligibility rules."})
    assert response.status_code == 302
    review = AssessmentReview.objects.get(assessment=v1)
    assert review.outcome == ReviewOutcome.NEW_VERSION and review.new_version.version == 2
