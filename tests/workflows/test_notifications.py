"""Emails tell the next people in the workflow, only once the change has committed."""

import pytest
from django.core import mail
from django.db import transaction

from tests import factories as f
from workflows import engine

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
    assessment = f.current(plan_change)
    from assessments import services
    from workflows.engine import active_task, run_task
    from workflows.flows import IIAFlow

    committed(run_task, active_task(plan_change, IIAFlow.review), cast.lead, lambda: services.assessment_return(
        assessment=assessment, by=cast.lead, comments="More on carers.", parts=["equality"]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.officer.email, cast.officer2.email])
    assert all("returned" in m.subject for m in mail.outbox)


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    cast = _with_email(f.Cast())
    plan_change = f.screen(cast, f.start(cast))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                engine.withdraw(f.current(plan_change), cast.lead, "Not going ahead.")
                raise RuntimeError("the request failed after the transition")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert f.current(plan_change).state == "in_progress"
    with django_capture_on_commit_callbacks(execute=True):
        engine.withdraw(f.current(plan_change), cast.lead, "Not going ahead.")
    assert [m.to for m in mail.outbox] == [[cast.officer.email]]
