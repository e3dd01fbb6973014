"""Word copies for partners who edit offline: an assessment's version (a draft from the
record, a signed one from what was signed) and an IJB report, for the board's members only,
whatever their text holds."""

import io
import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from assessments.models import Assessment, ImpactRating, SectionAnswer
from reports import services
from reports.models import Committee, DocumentStatus, Report, SignedDocument
from reports.word.common import WordDocument, clean
from tests import factories as f

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _negative_with_action(cast, title="Evening service review"):
    """Parts and actions done: a negative rating mitigated, a positive one."""
    plan_change = f.screen(cast, f.start(cast, title))
    assessment = f.complete_parts(cast, plan_change, {
        "PC.AGE": ({"negative"}, "Older people lose the evening service."),
        "PC.SEX": ({"positive"}, "More women's health clinics."),
    })
    f.complete_actions(cast, plan_change, actions=[f.mitigation(assessment, ["PC.AGE"])])
    return plan_change


def _signed(cast):
    plan_change = _negative_with_action(cast)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def _get(user, name, pk):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def _opened(response) -> Document:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return Document(io.BytesIO(response.content))


def _text(doc: Document) -> str:
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _report(cast, plan_change, **fields):
    committee = Committee.objects.get(board__slug=cast.board_slug, kind="ijb")
    given = {"title": "Evening service changes", "report_by": "Chief Officer", "decision_sought": "agree",
             "purpose": "To agree the evening service changes.", "recommendations": "Agree the changes\nNote the IIA",
             "main_text": "The service moves.\n\nIt saves money.", "direction_to": "none", **fields}
    return services.report_create(plan_change=plan_change, by=cast.officer, committee=committee, **given)


def test_a_drafts_copy_holds_its_answers_ratings_and_actions_and_says_it_is_a_draft(cast):
    assessment = f.current(_negative_with_action(cast))
    doc = _opened(_get(cast.officer, "assessment_docx", assessment.pk))
    first = doc.paragraphs[0].text
    assert first.startswith("DRAFT: version 1 of ") and "not been signed off" in first
    text = _text(doc)
    for expected in ("Older people lose the evening service.", "More women's health clinics.", "Negative",
                     "Positive", "No impact", "An answer.", "Do something.", "Service manager", "Data.", "People."):
        assert expected in text, expected
    # navigable: the title and sections in Word's heading styles; tables with a header row
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", f"Integrated Impact Assessment: {assessment.plan_change.title}")
    assert ("Heading 2", "Mitigating actions") in headings
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in doc.tables)
    actions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Action")
    assert [c.text for c in actions.rows[1].cells][:3] == ["Do something.", "Mitigating action", "Service manager"]
    props = doc.core_properties
    assert props.language == "en-GB" and props.title.startswith("Integrated Impact Assessment")
    assert props.author == "Dundee City Integration Joint Board"
    assert props.created.date() == timezone.now().date()
    assert (round(doc.sections[0].page_width.mm), round(doc.sections[0].page_height.mm)) == (210, 297)  # A4


def test_a_signed_versions_copy_is_of_what_was_signed_and_says_it_is_not_the_record(cast, committed, settings):
    assessment = committed(_signed, cast)
    document = SignedDocument.objects.get(assessment=assessment)
    assert document.status == DocumentStatus.READY and document.snapshot
    # the record changes after signing: the copy still says what was signed
    SectionAnswer.objects.filter(assessment=assessment).update(value="Changed after signing.")
    ImpactRating.objects.filter(assessment=assessment, explanation__startswith="Older").update(
        explanation="Rewritten after signing.")
    response = _get(cast.clerk, "assessment_docx", assessment.pk)
    doc = _opened(response)
    first = doc.paragraphs[0].text
    assert first.startswith("This Word copy is not the signed record.")
    assert document.verification_code in first and f"{settings.IIA_SITE_URL}/verify/" in first
    assert doc.paragraphs[0].runs[0].bold
    text = _text(doc)
    assert "Older people lose the evening service." in text and "An answer." in text
    assert "Changed after signing." not in text and "Rewritten after signing." not in text
    assert "Senior officer sign-off" in text and json.loads(document.snapshot)["sign_off"]["by"] in text
    assert "DRAFT" not in response["Content-Disposition"]


def test_the_plan_change_page_offers_the_copy_of_the_version_shown(cast, committed):
    assessment = committed(_signed, cast)
    client = Client()
    client.force_login(cast.lead)
    page = client.get(reverse("plan_change_detail", args=[assessment.plan_change_id])).content.decode()
    assert f'href="{reverse("assessment_docx", args=[assessment.pk])}"' in page
    assert "Download as Word (.docx)" in page


def test_a_signed_version_with_no_checked_snapshot_gets_no_copy(cast, committed, caplog):
    assessment = committed(_signed, cast)
    SignedDocument.objects.filter(assessment=assessment).update(status=DocumentStatus.PENDING)
    response = _get(cast.officer, "assessment_docx", assessment.pk)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"still being prepared" in response.content
    # an altered snapshot is never copied (nor the live record in its place)
    SignedDocument.objects.filter(assessment=assessment).update(status=DocumentStatus.READY,
                                                                 snapshot_sha256="0" * 64)
    response = _get(cast.officer, "assessment_docx", assessment.pk)
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert "no Word copy" in caplog.text


def test_every_member_of_the_board_may_download_and_no_one_else(cast, borders):
    assessment = f.current(_negative_with_action(cast))
    report = _report(cast, assessment.plan_change)
    for person in (cast.officer, cast.officer2, cast.lead, cast.senior, cast.clerk):
        for name, pk in (("assessment_docx", assessment.pk), ("report_docx", report.pk)):
            assert _get(person, name, pk).status_code == 200, (person, name)
    for person in (borders.officer, borders.lead, borders.senior, borders.clerk, f.user()):
        for name, pk in (("assessment_docx", assessment.pk), ("report_docx", report.pk)):
            response = _get(person, name, pk)
            assert response.status_code == 404 and response["Content-Type"].startswith("text/html"), (person, name)
    for name, pk in (("assessment_docx", assessment.pk), ("report_docx", report.pk)):
        response = _get(None, name, pk)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_hostile_text_is_cleaned_not_a_server_error(cast):
    assessment = f.current(_negative_with_action(cast))
    # as stored (PostgreSQL holds no NUL, nor any database a lone surrogate: see the next test)
    nasty = "Bell\x07 vt\x0b form\x0c feed\x1b esc \ufffe\uffff end"
    long_text = ("A long paragraph of evidence. " * 8000).strip()  # 240,000 characters
    rtl = "الخدمة المسائية تنتقل إلى المركز (Centre) في 2027"
    Assessment.objects.filter(pk=assessment.pk).update(evidence=nasty + "\n\n" + long_text, consultation=rtl)
    ImpactRating.objects.filter(assessment=assessment, explanation__startswith="Older").update(explanation=nasty)
    type(assessment.plan_change).objects.filter(pk=assessment.plan_change_id).update(title="Title\x01\x02 here")
    started = time.perf_counter()
    doc = _opened(_get(cast.officer, "assessment_docx", assessment.pk))
    assert time.perf_counter() - started < 10
    text = _text(doc)
    assert "Bell vt form feed esc  end" in text and long_text in text
    assert not any(ch in text for ch in "\x07\x0b\x0c\x1b\x01\x02\ufffe\uffff")
    assert doc.core_properties.title.endswith("Title here")
    # right-to-left text is laid out right to left
    paragraph = next(p for p in doc.paragraphs if p.text == rtl)
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    assert paragraph.runs[0]._r.rPr.find(qn("w:rtl")) is not None
    left_to_right = next(p for p in doc.paragraphs if p.text == "Data." or p.text.startswith("Bell"))
    assert left_to_right._p.pPr is None or left_to_right._p.pPr.find(qn("w:bidi")) is None


def test_what_xml_cannot_hold_is_dropped_and_the_rest_kept():
    assert clean("a\x00b\x08c\x1fd\ud800e\udfff\ufffe\uffff f\tg\nh\ri") == "abcde f\tg\nh\ri"
    assert clean(None) == "" and clean(12) == "12"
    word = WordDocument(title="T\x00itle", author="A")
    word.paragraph("null\x00 and surrogate\ud83d here")
    word.table(["H\x01"], [["c\x02ell"]])
    doc = Document(io.BytesIO(word.save()))
    assert doc.core_properties.title == "Title"
    assert _text(doc).split("\n")[:1] == ["null and surrogate here"] and "cell" in _text(doc)


def test_a_reports_copy_holds_its_sections_and_says_whether_it_is_a_draft(cast, committed):
    assessment = committed(_signed, cast)
    report = _report(cast, assessment.plan_change, purpose="Purpose\x0b with a vertical tab.")
    doc = _opened(_get(cast.officer, "report_docx", report.pk))
    first = doc.paragraphs[0].text
    assert first.startswith("DRAFT: this report is draft") and "not the published report" in first
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Evening service changes", "1.0 Purpose of report", "2.0 Recommendations"]
    assert "9.0 Background papers" in headings
    text = _text(doc)
    for expected in ("Purpose with a vertical tab.", "(i) Agree the changes", "(ii) Note the IIA", "The service moves.",
                     "It saves money.", services.policy_implications(report), "No direction required"):
        assert expected in text, expected
    Report.objects.filter(pk=report.pk).update(status="published", number="DIJB99-2027")
    response = _get(cast.clerk, "report_docx", report.pk)
    first = _opened(response).paragraphs[0].text
    assert first.startswith("This Word copy is not the published report") and "DIJB99-2027" in first
    assert 'filename="DIJB99-2027-copy.docx"' in response["Content-Disposition"]


def test_the_report_page_offers_the_copy(cast):
    report = _report(cast, f.current(_negative_with_action(cast)).plan_change)
    client = Client()
    client.force_login(cast.clerk)
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert f'href="{reverse("report_docx", args=[report.pk])}"' in page
