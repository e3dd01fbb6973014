"""A review records, for each row the assessment rated negative, the actual impact against
the predicted one with its evidence; "withdrawn" is an outcome that ends the monitoring."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assessments import services
from assessments.exceptions import RuleViolation
from assessments.models import AssessmentReview, AssessmentState, AuditEvent, ReviewedImpact, ReviewOutcome
from tests import factories as f
from tests.workflows.http import client_for
from workflows import reminders

from .test_monitoring import impacts_for, record, signed_with_action

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEXT_YEAR = datetime.timedelta(days=365)


def test_confirming_records_the_actual_impact_of_each_negative_row(cast):
    assessment, _action = signed_with_action(cast)
    age, race = (f.row(assessment, code) for code in ("PC.AGE", "PC.RACE"))
    review = services.assessment_review_confirm(
        assessment=assessment, by=cast.lead, note="Checked the service data.", next_review_date=TODAY() + NEXT_YEAR,
        impacts={age.pk: services.ImpactInput("better", "Only 3 complaints against 12 expected."),
                 race.pk: services.ImpactInput("worse", "Interpreter bookings failed twice a week.")})
    found = {i.row.code: i for i in review.impacts.all()}
    assert set(found) == {"PC.AGE", "PC.RACE"}
    assert found["PC.AGE"].actual == "better" and found["PC.AGE"].predicted == (
        "Negative: Older people lose the evening service.")
    assert found["PC.RACE"].get_actual_display() == "Worse than predicted"
    event = AuditEvent.objects.get(action="assessment.review_confirm")
    assert "Age: better than predicted" in event.message and "worse than predicted" in event.message


@pytest.mark.parametrize("impacts, field", [
    ({}, "actual"),  # nothing given
    ("missing evidence", "evidence"),
    ("wrong actual", "actual"),
    ("huge evidence", "evidence"),
])
def test_each_negative_row_needs_an_actual_impact_and_evidence(cast, impacts, field):
    assessment, _action = signed_with_action(cast)
    age = f.row(assessment, "PC.AGE")
    given = impacts_for(assessment)
    if impacts == "missing evidence":
        given[age.pk] = services.ImpactInput("better", "  ")
    elif impacts == "wrong actual":
        given[age.pk] = services.ImpactInput("much better", "Figures.")
    elif impacts == "huge evidence":
        given[age.pk] = services.ImpactInput("better", "x" * 5001)
    else:
        given = impacts
    with pytest.raises(RuleViolation) as refused:
        services.assessment_review_confirm(assessment=assessment, by=cast.lead, note="Checked.",
                                           next_review_date=TODAY() + NEXT_YEAR, impacts=given)
    assert f"impact-{age.pk}-{field}" in refused.value.errors
    assert not AssessmentReview.objects.exists() and not ReviewedImpact.objects.exists()


def test_an_impact_of_a_row_not_rated_negative_is_refused(cast):
    assessment, _action = signed_with_action(cast)
    given = {**impacts_for(assessment), f.row(assessment, "PC.SEX").pk: services.ImpactInput("better", "x")}
    with pytest.raises(RuleViolation, match="rows rated negative only"):
        services.assessment_review_confirm(assessment=assessment, by=cast.lead, note="Checked.",
                                           next_review_date=TODAY() + NEXT_YEAR, impacts=given)


def test_withdrawn_at_review_ends_monitoring_reminders_and_the_review_itself(cast):
    for person in (cast.officer, cast.lead):
        person.email = f"{person.username}@example.org"
        person.save()
    assessment, action = signed_with_action(cast, due_in_days=5)
    review = services.assessment_review_withdraw(assessment=assessment, by=cast.officer,
                                                 note="The board closed the evening service in June.",
                                                 impacts=impacts_for(assessment, "worse"))
    assessment.refresh_from_db()
    assert review.outcome == ReviewOutcome.WITHDRAWN and review.next_review_date is None
    assert assessment.state == AssessmentState.WITHDRAWN and review.impacts.count() == 2
    event = AuditEvent.objects.get(action="assessment.review_withdraw")
    assert (event.from_state, event.to_state) == ("signed_off", "withdrawn")
    later = TODAY() + datetime.timedelta(days=30)
    counts = reminders.reminders_send(today=later, dry_run=True)
    assert counts["action_overdue"] == 0 and counts["review_due"] == 0
    with pytest.raises(RuleViolation, match="Only a signed-off assessment"):
        services.assessment_review_confirm(assessment=assessment, by=cast.lead, note="Again.",
                                           next_review_date=later, impacts=impacts_for(assessment))
    with pytest.raises(RuleViolation):
        record(action, cast.officer)
    assert not mail.outbox


def test_withdrawn_needs_a_note(cast):
    assessment, _action = signed_with_action(cast)
    with pytest.raises(RuleViolation) as refused:
        services.assessment_review_withdraw(assessment=assessment, by=cast.lead, note=" ",
                                            impacts=impacts_for(assessment))
    assert "note" in refused.value.errors
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED_OFF


def test_the_review_page_records_impacts_and_shows_them_on_the_plan_change(cast):
    assessment, _action = signed_with_action(cast)
    age, race = (f.row(assessment, code) for code in ("PC.AGE", "PC.RACE"))
    client = client_for(cast.officer)
    page = client.get(f"/assessments/{assessment.pk}/review/").content.decode()
    assert "Actual impact on “Age”" in page and "Predicted: Negative: Older people lose the evening service." in page
    response = client.post(f"/assessments/{assessment.pk}/review/", {
        "outcome": "confirmed", "note": "Checked.", "next_review_date": (TODAY() + NEXT_YEAR).isoformat(),
        f"impact-{age.pk}-actual": "better", f"impact-{age.pk}-evidence": "Fewer complaints.",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Choose the actual impact on “Race”." in page
    assert "Give the evidence of the actual impact on “Race”." in page
    assert not AssessmentReview.objects.exists()
    response = client.post(f"/assessments/{assessment.pk}/review/", {
        "outcome": "withdrawn", "note": "The service closed.",
        f"impact-{age.pk}-actual": "better", f"impact-{age.pk}-evidence": "Fewer complaints.",
        f"impact-{race.pk}-actual": "worse", f"impact-{race.pk}-evidence": "Interpreters missed.",
    })
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "Withdrawn: the policy or service no longer applies" in detail
    assert "Better than predicted" in detail and "Worse than predicted" in detail and "Interpreters missed." in detail


def test_the_review_page_refuses_an_unknown_outcome_and_hostile_input(cast):
    assessment, _action = signed_with_action(cast)
    client = client_for(cast.lead)
    for body in ({"outcome": "deleted", "note": "x"},
                 {"outcome": "confirmed", "note": "x", "next_review_date": "99999999999999999999-01-01"},
                 {"outcome": "confirmed", "note": "x" * 6000, "next_review_date": "2030-01-01"},
                 {"outcome": "confirmed", "note": "x", "next_review_date": "2030-01-01",
                  "impact-99999999999999999999-actual": "better"}):
        response = client.post(f"/assessments/{assessment.pk}/review/", body)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not AssessmentReview.objects.exists()
