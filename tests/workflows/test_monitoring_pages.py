"""The pages of monitoring after sign-off: an action's progress page (who may, and what a
hostile request gets), "monitoring since signing" on the plan change page and on the
published record, which stays as signed."""

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import ActionProgress, AuditEvent
from assessments.models.assessment import ActionStatus
from reports.models import SignedDocument
from tests.assessments.test_monitoring import record, signed_with_action
from tests.workflows.http import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(action):
    return f"/actions/{action.pk}/progress/"


def test_the_owner_records_done_from_the_page_and_the_plan_change_shows_it(cast):
    assessment, action = signed_with_action(cast)
    client = client_for(cast.officer)
    detail = client.get(f"/plan-changes/{assessment.plan_change_id}/").content.decode()
    assert "Monitoring since signing" in detail and url(action) in detail and "No progress recorded yet." in detail
    page = client.get(url(action)).content.decode()
    assert "Record progress" in page and 'name="done_on"' in page and 'name="evidence"' in page
    response = client.post(url(action), {"status": "done", "note": "Held in Lochee.", "evidence": "Sign-in sheets.",
                                         "done_on": TODAY().isoformat()})
    assert response.status_code == 302
    assert response.url == f"/plan-changes/{assessment.plan_change_id}/?version=1#monitoring"
    detail = client.get(response.url).content.decode()
    assert "Sign-in sheets." in detail and "Held in Lochee." in detail
    assert "Action: Not started → Done" in detail  # in the history, audited
    assert ActionProgress.objects.get().recorded_by == cast.officer


@pytest.mark.parametrize("body, message", [
    ({"status": "done", "evidence": "Sheets.", "done_on": "2099-01-01"}, "cannot be in the future"),
    ({"status": "done", "evidence": "Sheets.", "done_on": "2001-01-01"}, "before the assessment was signed off"),
    ({"status": "done", "evidence": "Sheets.", "done_on": "99999999999999999999-01-01"}, "as a real date"),
    ({"status": "done", "done_on": "today"}, "Give the evidence that the action was done."),
    ({"status": "dropped"}, "Say why the action was dropped."),
    ({"status": "in_progress", "note": "x" * 5001}, "at most 5000 characters"),
    ({"status": "99999999999999999999"}, "Choose status now from the list."),
    ({}, "Choose status now."),
])
def test_wrong_input_is_said_beside_its_field_and_nothing_is_recorded(cast, body, message):
    _assessment, action = signed_with_action(cast)
    if body.get("done_on") == "today":
        body = {**body, "done_on": TODAY().isoformat()}
    response = client_for(cast.lead).post(url(action), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not ActionProgress.objects.exists()


def test_another_board_gets_404_and_another_role_403(cast, borders):
    _assessment, action = signed_with_action(cast)
    for person in (borders.lead, borders.officer):
        assert client_for(person).get(url(action)).status_code == 404
        assert client_for(person).post(url(action), {"status": "done"}).status_code == 404
    for person in (cast.senior, cast.clerk, cast.officer2):
        assert client_for(person).get(url(action)).status_code == 403
        assert client_for(person).post(url(action), {"status": "in_progress", "note": "x"}).status_code == 403
    assert Client().get(url(action)).status_code == 302  # to the sign-in page
    assert client_for(cast.officer).get("/actions/99999999999999999999/progress/").status_code == 404
    assert not ActionProgress.objects.exists()


def test_a_superseded_version_shows_why_nothing_can_be_recorded(cast):
    from assessments import services
    from tests import factories as f

    v1, action = signed_with_action(cast)
    services.assessment_new_version(assessment=v1, by=cast.officer, reason="Budget.")
    f.complete_parts(cast, v1.plan_change)
    f.complete_actions(cast, v1.plan_change)
    f.submit(cast, v1.plan_change)
    f.approve(cast, v1.plan_change)
    f.sign_off(cast, v1.plan_change)
    page = client_for(cast.officer).get(url(action)).content.decode()
    assert "This version has been superseded" in page and 'name="status"' not in page
    response = client_for(cast.officer).post(url(action), {"status": "in_progress", "note": "Late."})
    assert response.status_code == 200 and "superseded" in response.content.decode()
    assert not ActionProgress.objects.exists()


def test_the_published_record_keeps_what_was_signed_and_shows_monitoring_apart(cast, committed):
    assessment, action = committed(signed_with_action, cast)
    document = SignedDocument.objects.get(assessment=assessment)
    SignedDocument.objects.filter(pk=document.pk).update(published_at=timezone.now())
    before = Client().get(f"/documents/{document.verification_code}/").content.decode()
    pdf_before = bytes(SignedDocument.objects.get(pk=document.pk).pdf)
    article_before = before[before.index("<article>"):before.index("</article>")]
    assert "Monitoring since signing" in before and "not part of the signed assessment" in before
    record(action, cast.officer, status=ActionStatus.DONE, note="Held in Lochee.", evidence="Sign-in sheets.",
           done_on=TODAY())
    after = Client().get(f"/documents/{document.verification_code}/").content.decode()
    assert after[after.index("<article>"):after.index("</article>")] == article_before  # as signed
    monitoring = after[after.index('id="monitoring"'):]
    assert "Sign-in sheets." in monitoring and "Done" in monitoring
    assert cast.officer.get_full_name() not in monitoring  # who recorded it is not published
    register = Client().get("/register/dundee/").content.decode()
    assert f"/documents/{document.verification_code}/#monitoring" in register  # the register entry links to it
    refreshed = SignedDocument.objects.get(pk=document.pk)
    assert bytes(refreshed.pdf) == pdf_before and refreshed.snapshot_sha256 == document.snapshot_sha256


def test_the_history_shows_every_update(cast):
    assessment, action = signed_with_action(cast)
    record(action, cast.officer, note="Booked the rooms.")
    record(action, cast.lead, status=ActionStatus.DROPPED, note="", reason="The service was kept.")
    page = client_for(cast.lead).get(url(action)).content.decode()
    assert "Booked the rooms." in page and "The service was kept." in page
    assert "In progress → Dropped" in page
    assert AuditEvent.objects.filter(action="action.progress").count() == 2
