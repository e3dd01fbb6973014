"""Withdrawing an assessment: the plan change is not going ahead."""

import pytest
from django_fsm import TransitionNotAllowed
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AssessmentState, AuditEvent
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.models import IIAProcess

from .http import client_for

pytestmark = pytest.mark.django_db

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def test_withdrawing_mid_parts_closes_every_open_task_and_the_process(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    process = IIAProcess.objects.get(plan_change=plan_change)
    assert Task.objects.filter(process=process, status__in=OPEN).count() > 1
    workflow_actions.assessment_withdraw(assessment=assessment, by=cast.officer, reason="The service redesign was dropped.")
    assessment.refresh_from_db()
    process.refresh_from_db()
    assert assessment.state == AssessmentState.WITHDRAWN
    assert process.status == PROCESS.CANCELED
    assert not Task.objects.filter(process=process, status__in=OPEN).exists()
    event = AuditEvent.objects.get(assessment=assessment, action="assessment.withdraw")
    assert (event.actor, event.from_state, event.to_state) == (cast.officer, "in_progress", "withdrawn")
    assert "dropped" in event.message


def test_an_equality_lead_can_withdraw_a_submitted_assessment_but_not_a_signed_off_one(cast):
    submitted = f.to_submitted(cast)
    workflow_actions.assessment_withdraw(assessment=f.current(submitted), by=cast.lead, reason="Board no longer asked to decide.")
    assert f.current(submitted).state == AssessmentState.WITHDRAWN
    signed = f.to_submitted(cast, "Signed")
    f.approve(cast, signed)
    f.sign_off(cast, signed)
    with pytest.raises(TransitionNotAllowed):
        workflow_actions.assessment_withdraw(assessment=f.current(signed), by=cast.lead, reason="Too late.")
    assert f.current(signed).state == AssessmentState.SIGNED_OFF
    assert not AuditEvent.objects.filter(assessment=f.current(signed), action="assessment.withdraw").exists()


def test_withdraw_needs_a_reason_and_the_right_person(cast, borders):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    for person in (cast.senior, cast.clerk, cast.officer2, borders.lead):
        with pytest.raises(NotAllowed):
            workflow_actions.assessment_withdraw(assessment=assessment, by=person, reason="Not mine to withdraw.")
    with pytest.raises(RuleViolation):
        workflow_actions.assessment_withdraw(assessment=assessment, by=cast.officer, reason="  \u202e ")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.IN_PROGRESS
    assert Task.objects.filter(process__iiaprocess__plan_change=plan_change, status__in=OPEN).exists()


def test_withdraw_from_the_plan_change_page(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    officer = client_for(cast.officer)
    page = officer.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Withdraw the assessment" in page
    assert "Withdraw the assessment" not in client_for(cast.senior).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert client_for(cast.senior).post(f"/assessments/{assessment.pk}/withdraw/", {"reason": "x"}).status_code == 403
    response = officer.post(f"/assessments/{assessment.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 200 and "Say why the assessment is withdrawn." in response.content.decode()
    assert f.current(plan_change).state == AssessmentState.IN_PROGRESS
    response = officer.post(f"/assessments/{assessment.pk}/withdraw/", {"reason": "Not going ahead."}, follow=True)
    assert "withdrawn" in response.content.decode()
    assert f.current(plan_change).state == AssessmentState.WITHDRAWN
    assert "Your tasks" not in officer.get("/tasks/inbox/").content.decode() or not Task.objects.filter(
        process__iiaprocess__plan_change=plan_change, status__in=OPEN).exists()


def test_after_a_new_version_is_withdrawn_another_can_be_started(cast, committed):
    """Withdrawing a new version leaves the signed-off one in force, and a later new version
    of it can still be started (it used to fail: each version could supersede only once)."""
    from assessments import services

    v1 = committed(lambda: f.sign_off(cast, _approved(cast)))
    v2 = services.assessment_new_version(assessment=v1, by=cast.officer, reason="The scope grew.")
    workflow_actions.assessment_withdraw(assessment=v2, by=cast.officer, reason="Dropped that idea.")
    response = client_for(cast.officer).post(f"/assessments/{v1.pk}/new-version/", {"reason": "A smaller change."})
    assert response.status_code == 302
    v3 = f.current(v1.plan_change)
    assert v3.version == 3 and v3.supersedes_id == v1.pk and v3.state == AssessmentState.IN_PROGRESS
    v1.refresh_from_db()
    assert v1.state == AssessmentState.SIGNED_OFF


def _approved(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    return plan_change
