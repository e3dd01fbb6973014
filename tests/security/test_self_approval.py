"""Nobody approves or signs off their own work, on any path, superusers included."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from assessments import services
from assessments.exceptions import NotAllowed
from assessments.models import Assessment, Role
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.selectors import task_url

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def test_the_author_cannot_approve_or_sign_off_on_any_path(cast, capsys):
    author = cast.officer
    for role in (Role.EQUALITY_LEAD, Role.SENIOR_OFFICER):
        f.add_role(author, role)
    author.is_superuser = author.is_staff = True
    author.save()
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    review = active_task(plan_change, IIAFlow.review)
    attempts = {}

    def refused(label, attempt):
        try:
            with transaction.atomic():
                outcome = attempt()
        except (NotAllowed, IntegrityError):
            outcome = "refused"
        attempts[label] = outcome

    refused("service approve", lambda: services.assessment_approve(assessment=assessment, by=author, risk_level="low"))
    refused("engine approve", lambda: workflow_actions.assessment_approve(
        task=review, by=author, risk_level="low", claim=True))
    client = _client(author)
    refused("task URL claim", lambda: client.post(task_url(review, "assign")).status_code)
    review.owner = author  # as if the task had been handed to them anyway
    review.status = "ASSIGNED"
    review.save()
    refused("task URL approve", lambda: client.post(task_url(review, "execute"),
                                                    {"decision": "approve", "risk_level": "low"}).status_code)
    refused("admin change", lambda: client.post(f"/admin/assessments/assessment/{assessment.pk}/change/",
                                                {"state": "approved", "approved_by": author.pk}).status_code)
    refused("database", lambda: Assessment.objects.filter(pk=assessment.pk).update(approved_by=author))
    review.owner, review.status = None, "NEW"
    review.save()
    f.approve(cast, plan_change)
    assessment.refresh_from_db()
    sign_off = active_task(plan_change, IIAFlow.sign_off)
    refused("service sign-off", lambda: services.assessment_sign_off(assessment=assessment, by=author))
    refused("task URL sign-off claim", lambda: client.post(task_url(sign_off, "assign")).status_code)
    refused("database sign-off", lambda: Assessment.objects.filter(pk=assessment.pk).update(signed_off_by=author))
    assessment.refresh_from_db()
    allowed = {label: outcome for label, outcome in attempts.items() if outcome not in ("refused", 403)}
    with capsys.disabled():
        print(f"\nA3 self-approval by a superuser author with lead and senior roles: {len(attempts)} paths tried "
              f"(service, engine, task URL, admin, database), {len(allowed)} allowed")
    assert not allowed, allowed
    assert assessment.approved_by == cast.lead and assessment.state == "approved"
