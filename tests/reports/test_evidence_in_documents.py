"""Evidence files in the signed record: the PDF and its HTML version list each file with its
size and SHA-256; a withheld one is named with its reason and refused to the public; a
published one downloads from the public page once the document is published."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import EvidencePart, EvidenceSource
from assessments.services import evidence as ev
from reports import services
from reports.models import SignedDocument
from tests import evidence_samples as s
from tests import factories as f
from tests.reports.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(cast, committed):
    def make():
        plan_change = f.screen(cast, f.start(cast))
        assessment = f.complete_parts(cast, plan_change)
        shown = ev.evidence_file_upload(by=cast.officer, upload=s.upload("SIMD profile.pdf", s.PDF),
                                        part=EvidencePart.EVIDENCE, assessment=assessment)
        hidden = ev.evidence_file_upload(by=cast.officer, upload=s.upload("Who we met.csv", s.CSV),
                                         part=EvidencePart.CONSULTATION, assessment=assessment, published=False,
                                         withheld_reason="It names the carers consulted.")
        profile = ev.evidence_source_add(by=cast.lead, board=plan_change.board, title="Locality profiles 2026",
                                         upload=s.upload("profiles.odt", s.odt()))
        ev.evidence_cite(by=cast.officer, assessment=assessment, source=profile)
        f.complete_actions(cast, plan_change)
        f.submit(cast, plan_change)
        f.approve(cast, plan_change)
        f.sign_off(cast, plan_change)
        return shown, hidden

    shown, hidden = committed(make)
    return SignedDocument.objects.get(assessment_id=shown.assessment_id), shown, hidden


def test_the_signed_pdf_lists_each_file_with_its_hash(signed):
    document, shown, hidden = signed
    text = "".join(text_of(bytes(document.pdf)).split())
    for record in (shown, hidden):
        assert "".join(record.name.split()) in text and record.sha256 in text
    assert "Withheld:ItnamesthecarersconsultED".lower() in text.lower()
    assert "Localityprofiles2026" in text and EvidenceSource.objects.get().file.sha256 in text
    snap = services.document_snapshot(document)
    assert {x["sha256"]: x["published"] for x in snap["files"]} == {shown.sha256: True, hidden.sha256: False}


def test_the_public_page_lists_both_and_serves_only_the_published_one(client, signed, borders):
    document, shown, hidden = signed
    page_url = reverse("document_html", args=[document.verification_code])
    shown_url = reverse("document_file", args=[document.verification_code, shown.pk])
    hidden_url = reverse("document_file", args=[document.verification_code, hidden.pk])
    # not yet published: the public is sent to sign in, another board's staff know nothing of it
    assert client.get(shown_url).status_code == 302
    client.force_login(borders.officer)
    assert client.get(shown_url).status_code == 404
    client.logout()
    SignedDocument.objects.filter(pk=document.pk).update(published_at=timezone.now())
    page = client.get(page_url).content.decode()
    assert shown.sha256 in page and hidden.sha256 in page and "It names the carers consulted." in page
    assert shown_url in page and hidden_url not in page
    response = client.get(shown_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == s.PDF
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
    assert client.get(hidden_url).status_code == 403
    cited = EvidenceSource.objects.get().file
    assert client.get(reverse("document_file", args=[document.verification_code, cited.pk])).status_code == 200
    # a file of another assessment is not reached through this document's code
    assert client.get(reverse("document_file", args=[document.verification_code, hidden.pk + 1000])).status_code == 404


def test_the_boards_members_download_a_withheld_file_from_the_document(client, signed, cast):
    document, _, hidden = signed
    client.force_login(cast.clerk)
    response = client.get(reverse("document_file", args=[document.verification_code, hidden.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == s.CSV
