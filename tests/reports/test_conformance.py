"""Every document is a tagged PDF that passes PDF/UA-1 and PDF/A-2a in the validators
from PyPI (page-validation's ``validate_pdf`` and ``pdfua``), before and after signing,
made from the demo data and from a hostile-text assessment."""

import datetime
import io

import page
import pdfua
import pikepdf
import pytest

from reports import services
from reports.models import AgendaItem, Meeting, SignedDocument
from reports.pdf.agenda import AgendaPdf
from reports.pdf.report import ReportPdf
from tests import factories as f

from .helpers import signed_off
from .test_pdf import HOSTILE

pytestmark = pytest.mark.django_db


def assert_conforms(data: bytes, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    for profile in ("ua1", "2a"):
        report = page.validate_pdf(str(path), profile=profile)
        assert report.is_compliant, f"{name} {profile}: " + "; ".join(
            f"{failure.rule_id} {failure.message}" for failure in report.failures)
    findings = pdfua.validate(str(path)).findings
    assert not findings, f"{name} pdfua: {findings}"


def structure_roles(data: bytes) -> list[str]:
    pdf = pikepdf.open(io.BytesIO(data))
    roles = []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            roles.append(str(element.S)[1:])
        kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids)

    walk(pdf.Root.StructTreeRoot)
    return roles


def test_signed_assessments_conform_before_and_after_signing(cast, committed, tmp_path):
    long_answer = " ".join(f"word{i}" for i in range(3000))
    for name, overrides in (("plain", None), ("hostile", {**HOSTILE, "PC.SEXUAL_ORIENTATION": ({"positive"}, long_answer)})):
        assessment = committed(signed_off, cast, overrides,
                               justifications=None) if overrides is None else committed(_hostile_signed_off, cast, overrides)
        document = SignedDocument.objects.get(assessment=assessment)
        unsigned, _pages = services.render(document)
        assert_conforms(unsigned, tmp_path, f"{name}-unsigned")
        assert_conforms(bytes(document.pdf), tmp_path, f"{name}-signed")
        assert services.document_verify(bytes(document.pdf)).genuine


def _hostile_signed_off(cast, overrides):
    from assessments.models import Row

    plan_change = f.screen(cast, f.start(cast, "Café & <Bar> — ☃ project"))
    f.complete_parts(cast, plan_change, overrides)
    assessment = f.current(plan_change)
    negative = [code for code, (ratings, _) in overrides.items() if "negative" in ratings]
    justifications = {Row.objects.get(section__template=assessment.template, code=c).pk: "Proportionate & fair <ok>."
                      for c in negative}
    f.complete_actions(cast, plan_change, justifications=justifications)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def test_the_structure_a_screen_reader_navigates(cast, committed):
    assessment = committed(signed_off, cast)
    data = bytes(SignedDocument.objects.get(assessment=assessment).pdf)
    roles = structure_roles(data)
    assert roles[0] == "Document"
    for role in ("H1", "H2", "H3", "P", "Table", "THead", "TBody", "TR", "TH", "TD", "Form"):
        assert role in roles, role
    assert roles.count("H1") == 1
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == "en-GB" and pdf.Root.MarkInfo.Marked
    assert pdf.Root.ViewerPreferences.DisplayDocTitle
    for page_obj in pdf.pages:
        assert page_obj.obj.Tabs == pikepdf.Name.S and "/StructParents" in page_obj.obj
    widget = pdf.pages[0].obj.Annots[0]
    assert widget.FT == pikepdf.Name.Sig and "Digital signature" in str(widget.TU)
    first_page = pdf.pages[0].obj.Contents.read_bytes() if not isinstance(pdf.pages[0].obj.Contents, pikepdf.Array) \
        else b"".join(c.read_bytes() for c in pdf.pages[0].obj.Contents)
    assert b"/Artifact <</Type /Pagination>> BDC" in first_page and b"/Artifact BMC" in first_page
    assert b"/TH <</MCID" in first_page and b"/H1 <</MCID" in first_page


def test_screening_records_reports_and_agendas_conform(cast, committed, tmp_path):
    screened = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    record = SignedDocument.objects.get(screening__plan_change=screened)
    assert_conforms(bytes(record.pdf), tmp_path, "screening-record")
    meeting = services.meeting_create(committee=_committee(), by=cast.clerk, date=datetime.date(2031, 3, 5),
                                      venue="Council Chamber")
    report = services.report_create(
        plan_change=screened, by=cast.officer, committee=_committee(), title="Annual report & accounts <2030>",
        report_by="Chief Officer", decision_sought="note", purpose="To note it.",
        recommendations="Note the report.\nNote the accounts.", direction_to="none")
    services.report_submit(report=report, by=cast.officer)
    services.agenda_add_report(meeting=meeting, report=report, by=cast.clerk)
    buffer = io.BytesIO()
    ReportPdf(report, meeting=meeting, policy_implications=services.policy_implications(report)).render(buffer)
    assert_conforms(buffer.getvalue(), tmp_path, "report")
    assert "L" in structure_roles(buffer.getvalue()) and "LBody" in structure_roles(buffer.getvalue())
    buffer = io.BytesIO()
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("report"))
    AgendaPdf(Meeting.objects.get(pk=meeting.pk), items, item_pages={items[-1].pk: 3}, clerk_name="Jo Clerk").render(buffer)
    assert_conforms(buffer.getvalue(), tmp_path, "agenda")


def _committee():
    from reports.models import Committee

    return Committee.objects.get(board__slug="dundee", kind="ijb")


def test_the_demo_documents_conform(committed, tmp_path):
    from fixtures import demo

    committed(demo.load)
    documents = SignedDocument.objects.filter(status="ready")
    assert documents.count() >= 3
    for document in documents:
        assert_conforms(bytes(document.pdf), tmp_path, document.verification_code)
