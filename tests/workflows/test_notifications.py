"""Emails tell the next people in the workflow, only once the change has committed."""

import pytest
from django.core import mail
from django.db import transaction

from tests import factories as f
from workflows import actions as workflow_actions

pytestmark = pytest.mark.django_db


def _with_email(cast):
    for person in (cast.officer, cast.officer2, cast.lead, cast.senior, cast.clerk):
        person.email = f"{person.username}@example.org"
        person.save()
    return cast


def test_each_step_tells_the_people_who_act_next_and_nobody_about_their_own_action(committed):
    cast = _with_email(f.Cast())
    other_lead = f.user("equality_lead")
    other_lead.email = "other.lead@example.org"
    other_lead.save()
    plan_change = committed(f.to_submitted, cast)
    submitted = [m for m in mail.outbox if m.subject.startswith("IIA to review")]
    assert sorted(m.to[0] for m in submitted) == sorted([cast.lead.email, other_lead.email])
    assert plan_change.title in submitted[0].subject and f"/plan-changes/{plan_change.pk}/" in submitted[0].body
    mail.outbox.clear()
    committed(f.approve, cast, plan_change)
    assert [(m.subject.split(":")[0], m.to) for m in mail.outbox] == [("IIA to sign off", [cast.senior.email])]
    mail.outbox.clear()
    committed(f.sign_off, cast, plan_change)
    signed = [m for m in mail.outbox if m.subject.startswith("IIA signed off")]
    assert [m.to for m in signed] == [[cast.officer.email]]


def test_a_returned_assessment_tells_the_author_and_contributors(committed):
    cast = _with_email(f.Cast())
    plan_change = committed(f.to_submitted, cast)
    f.current(plan_change).contributors.add(cast.officer2)
    mail.outbox.clear()
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    committed(workflow_actions.assessment_return, task=active_task(plan_change, IIAFlow.review), by=cast.lead,
              comments="More on carers.", parts=["equality"], claim=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.officer.email, cast.officer2.email])
    assert all("returned" in m.subject for m in mail.outbox)


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    cast = _with_email(f.Cast())
    plan_change = f.screen(cast, f.start(cast))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                workflow_actions.assessment_withdraw(assessment=f.current(plan_change), by=cast.lead, reason="Not going ahead.")
                raise RuntimeError("the request failed after the transition")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert f.current(plan_change).state == "in_progress"
    with django_capture_on_commit_callbacks(execute=True):
        workflow_actions.assessment_withdraw(assessment=f.current(plan_change), by=cast.lead, reason="Not going ahead.")
    assert [m.to for m in mail.outbox] == [[cast.officer.email]]


# --- tasks assigned and put in a queue --------------------------------------------------


def _subjects():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def _submit_screening(cast, plan_change):
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    screening = plan_change.screenings.get()
    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    return screening


def _review_screening(cast, plan_change, decision, comments=""):
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    workflow_actions.screening_review(task=active_task(plan_change, IIAFlow.review_screening), by=cast.lead, decision=decision,
                                      comments=comments, claim=True)


def test_starting_tells_nobody_and_a_screening_to_review_tells_the_leads_who_could_claim_it(committed):
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    f.add_role(cast.officer, "equality_lead")  # the author may not review their own screening
    plan_change = committed(f.start, cast)
    assert mail.outbox == []  # the screening task is the starter's own
    committed(_submit_screening, cast, plan_change)
    task = active_task(plan_change, IIAFlow.review_screening)
    assert _subjects() == [(cast.lead.email, f"Task to claim: Review the screening — {plan_change.title}")]
    body = mail.outbox[0].body
    assert f"http://testserver/workflow/{task.process_id}/review_screening/{task.pk}/assign/" in body
    assert plan_change.reference in body
    mail.outbox.clear()

    committed(workflow_actions.task_claim, task=task, by=cast.lead)
    assert mail.outbox == []  # a claim is the claimer's own action


def test_a_full_iia_outcome_sends_the_author_one_email_listing_every_part(committed):
    from workflows.engine import active_task, active_tasks
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    plan_change = committed(f.start, cast)
    committed(_submit_screening, cast, plan_change)
    mail.outbox.clear()
    committed(_review_screening, cast, plan_change, "concur")
    parts = active_tasks(plan_change, IIAFlow.complete_part)
    actions = active_task(plan_change, IIAFlow.actions)  # recorded alongside the parts
    assert len(parts) > 1
    (message,) = mail.outbox
    assert message.to == [cast.officer.email]
    assert message.subject == f"{len(parts) + 1} tasks assigned to you: {plan_change.title}"
    for task in parts:
        assert f"/workflow/{task.process_id}/complete_part/{task.pk}/execute/" in message.body
    assert f"/workflow/{actions.process_id}/actions/{actions.pk}/execute/" in message.body


def test_a_returned_screening_tells_its_author_with_the_comments(committed):
    cast = _with_email(f.Cast())
    plan_change = committed(f.start, cast)
    committed(_submit_screening, cast, plan_change)
    mail.outbox.clear()
    committed(_review_screening, cast, plan_change, "return", "Say more about carers.")
    (message,) = mail.outbox
    assert message.to == [cast.officer.email]
    assert message.subject == f"Pre-screening returned for changes: {plan_change.title}"
    assert "Say more about carers." in message.body and "/screening/" in message.body


def test_a_return_sends_one_email_per_person_with_the_rework_tasks_in_the_authors(committed):
    from workflows.engine import active_task, active_tasks
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    plan_change = committed(f.to_submitted, cast)
    f.current(plan_change).contributors.add(cast.officer2)
    mail.outbox.clear()
    committed(workflow_actions.assessment_return, task=active_task(plan_change, IIAFlow.review), by=cast.lead,
              comments="More on carers.", parts=["equality"], claim=True)
    assert [to for to, _ in _subjects()] == sorted([cast.officer.email, cast.officer2.email])
    mine = next(m for m in mail.outbox if m.to == [cast.officer.email])
    (part,) = active_tasks(plan_change, IIAFlow.complete_part)
    assert mine.subject.startswith("IIA returned for changes")
    assert "Your tasks on it:" in mine.body and f"/complete_part/{part.pk}/execute/" in mine.body
    theirs = next(m for m in mail.outbox if m.to == [cast.officer2.email])
    assert "Your tasks" not in theirs.body.replace("Your tasks are in your inbox.", "")


def test_a_submission_tells_each_lead_once_with_the_claim_link(committed):
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    plan_change = committed(f.to_submitted, cast)
    to_lead = [m for m in mail.outbox if m.to == [cast.lead.email]]
    review = active_task(plan_change, IIAFlow.review)
    latest = to_lead[-1]
    assert latest.subject.startswith("IIA to review")
    assert f"/review/{review.pk}/assign/" in latest.body
    assert not any(m.subject.startswith("Task to claim: Review the IIA") for m in mail.outbox)


def test_a_released_task_tells_the_other_officers_and_a_colleague_finishing_the_last_part_tells_the_author(committed):
    from workflows.engine import active_task, active_tasks
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    plan_change = committed(f.screen, cast, committed(f.start, cast))
    mail.outbox.clear()
    task = active_tasks(plan_change, IIAFlow.complete_part)[0]
    committed(workflow_actions.task_release, task=task, by=cast.officer)
    assert [m.to[0] for m in mail.outbox] == [cast.officer2.email]  # not the officer who released it
    assert mail.outbox[0].subject.startswith("Task to claim: Complete “")
    mail.outbox.clear()
    assert active_task(plan_change, IIAFlow.actions).owner_id == cast.officer.pk
    committed(f.complete_actions, cast, plan_change)
    assert mail.outbox == []  # the parts are still to do: no new task yet
    committed(f.complete_parts, cast, plan_change, by=cast.officer2)  # officer2 claims and does every part
    submit = active_task(plan_change, IIAFlow.submit)
    assert submit.owner_id == cast.officer.pk
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        (cast.officer.email, f"Task assigned to you: {plan_change.title}")]
    assert f"/submit/{submit.pk}/execute/" in mail.outbox[0].body


def test_inactive_people_and_people_without_email_hear_nothing_of_their_tasks(committed):
    cast = _with_email(f.Cast())
    cast.lead.email = ""
    cast.lead.save()
    plan_change = committed(f.start, cast)
    committed(_submit_screening, cast, plan_change)
    assert mail.outbox == []


def test_events_rolled_back_with_their_savepoint_are_not_sent(committed):
    from workflows.engine import active_task
    from workflows.flows import IIAFlow

    cast = _with_email(f.Cast())
    plan_change = committed(f.start, cast)

    def fail_then_succeed():
        try:
            with transaction.atomic():
                _submit_screening(cast, plan_change)  # would tell the lead
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
        _submit_screening(cast, plan_change)

    committed(fail_then_succeed)
    task = active_task(plan_change, IIAFlow.review_screening)
    (message,) = mail.outbox
    assert message.to == [cast.lead.email]
    assert message.body.count("/review_screening/") == 1 and f"/{task.pk}/assign/" in message.body


def test_a_new_version_tells_its_author_only_when_someone_else_opened_it(committed):
    from assessments import services

    cast = _with_email(f.Cast())
    signed = []
    for title in ("First change", "Second change"):
        plan_change = committed(f.to_submitted, cast, title)
        committed(f.approve, cast, plan_change)
        signed.append(committed(f.sign_off, cast, plan_change))
    mail.outbox.clear()
    committed(services.assessment_new_version, assessment=signed[0], by=cast.officer, reason="New figures.")
    assert mail.outbox == []  # the officer opened it and is its author
    committed(services.assessment_new_version, assessment=signed[1], by=cast.clerk, reason="Agreed as amended.",
              board_decision=True)
    (message,) = mail.outbox
    assert message.to == [cast.officer.email]  # the lead officer, author of the new version
    assert message.subject == "IIA version 2 open for you: Second change"
    assert "Agreed as amended." in message.body and "Your tasks on it:" in message.body
