"""The Easy Read summary written on an assessment and published beside its signed PDF
(docs/adr/0020-easy-read-summaries-and-other-formats.md): written by the board's officers
or equality leads, never changed silently once published (each wording is kept, and a
change after publication is shown as one, with the earlier wording)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from assessments import services as assessment_services
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent, EasyReadSummary
from assessments.models.easy_read import EasyReadTampering
from assessments.services.easy_read import easy_read_write
from reports import services
from reports.models import SignedDocument
from tests import factories as f

from .helpers import signed_off
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db

FIRST = "We are changing how day care works.\nSome people will travel further."
SECOND = "We are changing how day care works.\nWe will pay for transport."


@pytest.fixture
def assessment(cast, committed):
    return committed(signed_off, cast)


def publish(assessment, when=None) -> SignedDocument:
    SignedDocument.objects.filter(assessment=assessment).update(published_at=when or timezone.now())
    return SignedDocument.objects.get(assessment=assessment)


def public_url(document) -> str:
    return f"/register/{document.board.slug}/documents/{document.verification_code}/easy-read/"


def test_the_officer_writes_it_and_it_is_shown_on_the_register_entry_beside_the_signed_pdf(assessment, cast):
    client = Client()
    client.force_login(cast.officer)
    assert "/easy-read/" in client.get(f"/plan-changes/{assessment.plan_change_id}/").content.decode()
    assert client.get(f"/assessments/{assessment.pk}/easy-read/").status_code == 200
    assert client.post(f"/assessments/{assessment.pk}/easy-read/", {"text": FIRST}).status_code == 302
    document = publish(assessment)
    register = Client().get("/register/dundee/").content.decode()
    row = register[register.index(document.verification_code):]
    assert public_url(document) in row[:1500] and "Easy Read" in row[:1500]
    page = Client().get(public_url(document)).content.decode()
    assert "Some people will travel further." in page and f"/documents/{document.verification_code}/pdf/" in page
    assert "Changed after" not in page
    event = AuditEvent.objects.get(action="assessment.easy_read")
    assert event.actor == cast.officer and event.message == "Wrote the Easy Read summary."


def test_a_change_after_publication_is_shown_as_one_with_the_earlier_wording(assessment, cast):
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    EasyReadSummary.objects.filter(assessment=assessment).update(
        written_at=timezone.now() - datetime.timedelta(days=2))
    document = publish(assessment, timezone.now() - datetime.timedelta(days=1))
    easy_read_write(assessment=assessment, by=cast.lead, text=SECOND)
    page = Client().get(public_url(document)).content.decode()
    assert "We will pay for transport." in page
    assert "Changed after the assessment was published" in page and "Some people will travel further." in page
    assert list(AuditEvent.objects.filter(action="assessment.easy_read").values_list("message", flat=True)) == [
        "Wrote the Easy Read summary.", "Changed the Easy Read summary."]
    assert EasyReadSummary.objects.filter(assessment=assessment).count() == 2


def test_a_wording_written_before_publication_and_replaced_before_it_is_not_shown_as_a_change(assessment, cast):
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    easy_read_write(assessment=assessment, by=cast.officer, text=SECOND)
    document = publish(assessment, timezone.now() + datetime.timedelta(seconds=1))
    page = Client().get(public_url(document)).content.decode()
    assert "We will pay for transport." in page and "Some people will travel further." not in page


def test_a_written_wording_is_never_changed_or_deleted(assessment, cast):
    summary = easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    summary.text = "Quietly changed"
    with pytest.raises(EasyReadTampering):
        summary.save()
    with pytest.raises(EasyReadTampering):
        summary.delete()


def test_empty_too_long_or_unchanged_wordings_are_refused(assessment, cast):
    client = Client()
    client.force_login(cast.officer)
    empty = client.post(f"/assessments/{assessment.pk}/easy-read/", {"text": "   "})
    assert empty.status_code == 400 and "Write the Easy Read summary." in empty.content.decode()
    long = client.post(f"/assessments/{assessment.pk}/easy-read/", {"text": "x" * 5001})
    assert long.status_code == 400 and "at most 5000 characters" in long.content.decode()
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    with pytest.raises(RuleViolation):
        easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    markup = "<b>bold</b>"
    easy_read_write(assessment=assessment, by=cast.officer, text=markup)
    page = Client().get(public_url(publish(assessment))).content.decode()
    assert markup not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_other_boards_and_other_roles_cannot_write_it(assessment, cast, borders):
    for person in (borders.officer, borders.lead, cast.clerk, cast.senior):
        client = Client()
        client.force_login(person)
        assert client.get(f"/assessments/{assessment.pk}/easy-read/").status_code == 404, person
        assert client.post(f"/assessments/{assessment.pk}/easy-read/", {"text": FIRST}).status_code == 404, person
        with pytest.raises(NotAllowed):
            easy_read_write(assessment=assessment, by=person, text=FIRST)
    assert not EasyReadSummary.objects.exists()


def test_none_for_a_withdrawn_assessment_nor_shown_before_publication(cast, committed):
    plan_change = committed(lambda: f.to_submitted(cast))
    assessment = f.current(plan_change)
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)  # while it is being written
    assessment_services.assessment_withdraw(assessment=assessment, by=cast.lead, reason="Not going ahead.")
    assessment.refresh_from_db()
    with pytest.raises(NotAllowed):
        easy_read_write(assessment=assessment, by=cast.officer, text=SECOND)


def test_not_published_means_no_public_page(assessment, cast):
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    document = SignedDocument.objects.get(assessment=assessment)
    assert Client().get(public_url(document)).status_code == 404
    assert Client().get(public_url(publish(assessment))).status_code == 200


def test_the_report_page_shows_the_summary_beside_the_appendix(cast, committed):
    """The register's page of a report published with an agenda shows its appendix's Easy
    Read summary and offers the appendix in another format."""
    assessment = committed(signed_off, cast)
    easy_read_write(assessment=assessment, by=cast.officer, text=FIRST)
    m = meeting(cast)
    report = report_for(cast, assessment.plan_change)
    services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    report.refresh_from_db()
    page = Client().get(f"/register/dundee/reports/{report.number}/").content.decode()
    code = report.appendix.verification_code
    assert "Easy Read summary" in page and "Some people will travel further." in page
    assert f"/register/dundee/documents/{code}/other-format/" in page
