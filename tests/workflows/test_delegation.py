"""Delegation: a colleague with the same role on the same board does the delegator's tasks
for a period, under every rule that applies to them; made and ended with an audit event."""

import datetime

import pytest
from django.utils import timezone

from assessments import rules, services
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AssessmentState, AuditEvent, Delegation, Role
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.selectors import describe, inbox, queue, task_url

from .http import client_for, section_post

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def fresh(user):
    """The user as a new request would see them (roles and delegations are cached per object)."""
    return type(user).objects.get(pk=user.pk)


def delegate(delegator, to, role=Role.OFFICER, starts_on=None, ends_on=None, board="dundee"):
    return services.delegation_create(delegator=delegator, delegate=to, board=f.board(board), role=role,
                                      starts_on=starts_on or TODAY(), ends_on=ends_on or TODAY() + 14 * DAY)


def errors_of(**kwargs):
    with pytest.raises(RuleViolation) as refused:
        delegate(**kwargs)
    assert not Delegation.objects.exists()
    assert not AuditEvent.objects.filter(action="delegation.create").exists()
    return refused.value.errors


# --- making and ending a delegation ---------------------------------------------------------

def test_a_delegation_is_made_and_audited(cast):
    made = delegate(cast.officer, cast.officer2)
    assert made.is_active() and made.status == "Active"
    event = AuditEvent.objects.get(action="delegation.create")
    assert event.actor == cast.officer and event.board_id == made.board_id
    assert event.data == {"delegation": made.pk, "delegate": cast.officer2.pk, "role": "officer",
                          "starts_on": TODAY().isoformat(), "ends_on": (TODAY() + 14 * DAY).isoformat()}
    assert cast.officer2.get_full_name() in event.message


def test_not_to_yourself(cast):
    assert "yourself" in errors_of(delegator=cast.officer, to=cast.officer)["delegate"][0]


def test_not_to_someone_of_another_board(cast, borders):
    message = errors_of(delegator=cast.officer, to=borders.officer)["delegate"][0]
    assert "same role on the same board" in message


def test_not_to_someone_with_another_role(cast):
    message = errors_of(delegator=cast.officer, to=cast.lead)["delegate"][0]
    assert "is not an officer on Dundee IJB" in message


def test_not_a_role_the_delegator_does_not_hold(cast):
    assert "role" in errors_of(delegator=cast.officer, to=cast.lead, role=Role.EQUALITY_LEAD)


def test_the_end_is_not_before_the_start_and_the_start_not_in_the_past(cast):
    assert "end date" in errors_of(delegator=cast.officer, to=cast.officer2, starts_on=TODAY() + 5 * DAY,
                                   ends_on=TODAY() + 4 * DAY)["ends_on"][0]
    assert "past" in errors_of(delegator=cast.officer, to=cast.officer2, starts_on=TODAY() - DAY)["starts_on"][0]


def test_no_two_delegations_of_the_same_tasks_overlap(cast):
    third = f.user(Role.OFFICER)
    delegate(cast.officer, cast.officer2, starts_on=TODAY() + 10 * DAY, ends_on=TODAY() + 20 * DAY)
    with pytest.raises(RuleViolation) as refused:
        delegate(cast.officer, third, starts_on=TODAY() + 20 * DAY, ends_on=TODAY() + 30 * DAY)
    assert "already delegate these tasks" in refused.value.errors["starts_on"][0]
    delegate(cast.officer, third, starts_on=TODAY() + 21 * DAY, ends_on=TODAY() + 30 * DAY)  # the day after: fine
    assert Delegation.objects.count() == 2


def test_not_to_a_colleague_who_is_away_too(cast):
    third = f.user(Role.OFFICER)
    delegate(cast.officer2, third)
    with pytest.raises(RuleViolation) as refused:
        delegate(cast.officer, cast.officer2)
    assert "has delegated their own officer tasks" in refused.value.errors["delegate"][0]


def test_the_delegator_ends_it_early_audited_and_nobody_else_can(cast):
    made = delegate(cast.officer, cast.officer2)
    with pytest.raises(NotAllowed):
        services.delegation_end(delegation=made, by=cast.officer2)
    services.delegation_end(delegation=made, by=cast.officer)
    made.refresh_from_db()
    assert made.ended_at is not None and made.ended_by == cast.officer and made.status == "Ended early"
    assert AuditEvent.objects.get(action="delegation.end").actor == cast.officer
    with pytest.raises(RuleViolation, match="already ended"):
        services.delegation_end(delegation=made, by=cast.officer)


# --- what a delegate may do -----------------------------------------------------------------

def test_an_active_delegate_sees_and_does_the_delegators_tasks(cast):
    plan_change = f.screen(cast, f.start(cast))
    tasks = active_tasks(plan_change, IIAFlow.complete_part)
    assert tasks and all(t.owner_id == cast.officer.pk for t in tasks)
    assert not any(t in tasks for t in inbox(fresh(cast.officer2)))
    delegate(cast.officer, cast.officer2)
    officer2 = fresh(cast.officer2)
    mine = [t for t in inbox(officer2) if t.process.iiaprocess.plan_change_id == plan_change.pk]
    # the parts and, beside them, the mitigating actions
    assert {t.pk for t in mine} == {t.pk for t in tasks} | {active_task(plan_change, IIAFlow.actions).pk}
    view = describe(mine[0], officer2)
    assert view.action == "Open" and view.for_whom == cast.officer.get_full_name()
    client = client_for(cast.officer2)
    page = client.get("/tasks/inbox/").content.decode()
    assert f"For {cast.officer.get_full_name()} (delegated to you)" in page
    task = next(t for t in tasks if t.data["part"] != "evidence")
    section = f.current(plan_change).template.sections.get(code=task.data["part"])
    assert client.get(task_url(task, "execute")).status_code == 200
    response = client.post(task_url(task, "execute"), section_post(section))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "DONE"
    assessment = f.current(plan_change)
    assert assessment.contributors.filter(pk=cast.officer2.pk).exists()  # so they will never approve it
    assert AuditEvent.objects.filter(assessment=assessment, action="assessment.section_complete",
                                     actor=cast.officer2).exists()


def test_an_expired_planned_or_ended_delegation_gives_no_access(cast):
    plan_change = f.screen(cast, f.start(cast))
    task = active_task(plan_change, IIAFlow.complete_part)
    expired = Delegation.objects.create(board=f.board(), role=Role.OFFICER, delegator=cast.officer,
                                        delegate=cast.officer2, starts_on=TODAY() - 10 * DAY, ends_on=TODAY() - DAY)
    planned = delegate(cast.officer, cast.officer2, starts_on=TODAY() + DAY, ends_on=TODAY() + 5 * DAY)
    ended = delegate(cast.officer, cast.officer2, starts_on=TODAY(), ends_on=TODAY())
    services.delegation_end(delegation=ended, by=cast.officer)
    assert not expired.is_active() and not planned.is_active()
    officer2 = fresh(cast.officer2)
    assert not inbox(officer2).filter(pk=task.pk).exists()
    assert not rules.acts_for(officer2, cast.officer.pk, f.board(), Role.OFFICER)
    assert client_for(cast.officer2).get(task_url(task, "execute")).status_code == 403
    with pytest.raises(NotAllowed):
        workflow_actions.part_save(task=task, by=officer2, claim=True)


def test_a_delegation_covers_its_role_and_board_only(cast, borders):
    both = f.add_role(f.user(Role.OFFICER), Role.EQUALITY_LEAD)
    other = f.add_role(f.user(Role.OFFICER), Role.EQUALITY_LEAD)
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    workflow_actions.task_claim(task=review, by=fresh(both))
    services.delegation_create(delegator=both, delegate=other, board=f.board(), role=Role.OFFICER,
                               starts_on=TODAY(), ends_on=TODAY() + DAY)
    other = fresh(other)
    assert not inbox(other).filter(pk=review.pk).exists()  # a review is an equality lead's task
    assert client_for(other).get(task_url(review, "execute")).status_code == 403
    assert not rules.acts_for(other, both.pk, f.board("scottish-borders"), Role.OFFICER)


def test_a_delegation_is_not_passed_on(cast):
    third = f.user(Role.OFFICER)
    plan_change = f.screen(cast, f.start(cast))
    delegate(cast.officer, cast.officer2)
    delegate(cast.officer2, third)
    task = active_task(plan_change, IIAFlow.complete_part)
    assert not inbox(fresh(third)).filter(pk=task.pk).exists()
    assert client_for(third).get(task_url(task, "execute")).status_code == 403


def test_a_delegate_who_authored_the_assessment_cannot_approve_it(cast):
    """An officer who is also an equality lead wrote the assessment; the equality lead who
    claimed its review delegates to them. They see the task but can only release it."""
    author = f.add_role(f.user(Role.OFFICER), Role.EQUALITY_LEAD)
    cast.officer = author  # the factories drive the flow as cast.officer
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    assert assessment.author == author
    review = active_task(plan_change, IIAFlow.review)
    assert review not in queue(fresh(author))
    workflow_actions.task_claim(task=review, by=cast.lead)
    services.delegation_create(delegator=cast.lead, delegate=author, board=f.board(), role=Role.EQUALITY_LEAD,
                               starts_on=TODAY(), ends_on=TODAY() + 7 * DAY)
    author = fresh(author)
    listed = inbox(author).get(pk=review.pk)
    view = describe(listed, author)
    assert view.action == "Release" and "took part" in view.note
    client = client_for(author)
    assert client.get(task_url(review, "execute")).status_code == 403
    assert client.post(task_url(review, "execute"), {"decision": "approve", "risk_level": "low"}).status_code == 403
    with pytest.raises(NotAllowed):
        workflow_actions.assessment_approve(task=review, by=author, risk_level="low", claim=True)
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=assessment, by=author, risk_level="low")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    # releasing it is allowed: another equality lead can then take it
    assert client.post(task_url(review, "unassign")).status_code == 302
    review.refresh_from_db()
    assert review.owner_id is None
    lead2 = f.user(Role.EQUALITY_LEAD)
    assert review in queue(lead2)


def test_a_delegate_who_contributed_cannot_sign_off(cast):
    contributor = f.add_role(f.user(Role.OFFICER), Role.SENIOR_OFFICER)
    plan_change = f.to_submitted(cast)
    f.current(plan_change).contributors.add(contributor)
    f.approve(cast, plan_change)
    task = active_task(plan_change, IIAFlow.sign_off)
    workflow_actions.task_claim(task=task, by=cast.senior)
    services.delegation_create(delegator=cast.senior, delegate=contributor, board=f.board(),
                               role=Role.SENIOR_OFFICER, starts_on=TODAY(), ends_on=TODAY() + DAY)
    assert client_for(contributor).get(task_url(task, "execute")).status_code == 403
    # a senior officer who took no part signs off as the delegate
    stand_in = f.user(Role.SENIOR_OFFICER)
    services.delegation_end(delegation=Delegation.objects.get(delegate=contributor), by=cast.senior)
    services.delegation_create(delegator=cast.senior, delegate=stand_in, board=f.board(),
                               role=Role.SENIOR_OFFICER, starts_on=TODAY(), ends_on=TODAY() + DAY)
    client = client_for(stand_in)
    assert client.get(task_url(task, "execute")).status_code == 200
    assert client.post(task_url(task, "execute"), {"decision": "sign_off"}).status_code == 302
    assessment = f.current(plan_change)
    assert assessment.state == AssessmentState.SIGNED_OFF and assessment.signed_off_by == stand_in


# --- the delegations page ---------------------------------------------------------------------

def test_the_page_makes_lists_and_ends_delegations(cast):
    client = client_for(cast.officer)
    board = f.board()
    page = client.get("/delegations/").content.decode()
    assert "Delegate your tasks" in page and cast.officer2.get_full_name() in page
    response = client.post("/delegations/", {"role": f"{board.pk}:officer", "delegate": cast.officer.pk,
                                             "starts_on": TODAY().isoformat(), "ends_on": TODAY().isoformat()})
    assert response.status_code == 200  # not in the list: only colleagues can be chosen
    assert "There is a problem" in response.content.decode()
    response = client.post("/delegations/", {"role": f"{board.pk}:officer", "delegate": cast.officer2.pk,
                                             "starts_on": (TODAY() + 3 * DAY).isoformat(),
                                             "ends_on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    response = client.post("/delegations/", {"role": f"{board.pk}:officer", "delegate": cast.officer2.pk,
                                             "starts_on": TODAY().isoformat(),
                                             "ends_on": (TODAY() + 3 * DAY).isoformat(), "reason": "Leave"})
    assert response.status_code == 302
    made = Delegation.objects.get()
    page = client.get("/delegations/").content.decode()
    assert "Active" in page and f"/delegations/{made.pk}/end/" in page
    assert cast.officer.get_full_name() in client_for(cast.officer2).get("/delegations/").content.decode()
    assert client_for(cast.officer2).post(f"/delegations/{made.pk}/end/").status_code == 404
    assert client.post(f"/delegations/{made.pk}/end/").status_code == 302
    made.refresh_from_db()
    assert made.ended_at is not None


def test_a_clerk_has_nothing_to_delegate(cast):
    client = client_for(cast.clerk)
    assert "nothing to delegate" in client.get("/delegations/").content.decode()
    assert client.post("/delegations/", {}).status_code == 403
