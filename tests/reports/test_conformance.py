"""Every document is a tagged PDF that passes PDF/UA-1 and PDF/A-2a in the validators
from PyPI (page-validation's ``validate_pdf`` and ``pdfua``), before and after signing,
made from the demo data and from a hostile-text assessment, and stays within PDF 1.7 (the
base of both standards) after signing."""

import datetime
import io
import re

import page
import pdfua
import pikepdf
import pytest

from reports import services
from reports.models import AgendaItem, Meeting, SignedDocument
from reports.pdf.agenda import AgendaPdf, Contact
from reports.pdf.report import ReportPdf
from tests import factories as f

from .helpers import signed_off, text_of
from .test_pdf import HOSTILE, MIXED_ANSWER, RTL_ANSWER, RTL_DRAWN

pytestmark = pytest.mark.django_db


def assert_pdf_1_7(data: bytes, name: str) -> None:
    """The header, the catalog's /Version and every developer extension's base version are
    at most PDF 1.7: page-validation does not check the version a file declares."""
    assert re.match(rb"%PDF-1\.[0-7]\r?\n", data), f"{name}: header {data[:9]!r}"
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.get("/Version", "/1.7")) <= "/1.7", f"{name}: /Version {pdf.Root.Version}"
    for prefix, value in dict(pdf.Root.get("/Extensions", {})).items():
        for extension in value if isinstance(value, pikepdf.Array) else [value]:
            assert str(extension.BaseVersion) <= "/1.7", f"{name}: extension {prefix} of PDF {extension.BaseVersion}"


def assert_conforms(data: bytes, tmp_path, name: str) -> None:
    assert_pdf_1_7(data, name)
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
    AgendaPdf(Meeting.objects.get(pk=meeting.pk), items, item_pages={items[-1].pk: 3}, pack_pages=9,
             contact=Contact(clerk="Jo Clerk", email="clerk@example.org", register_url="http://testserver/register/dundee/")).render(buffer)
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


def actual_texts(data: bytes) -> list[str]:
    """The /ActualText of every structure element."""
    found = []

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary):
            return
        if "/ActualText" in element:
            found.append(str(element.ActualText))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    pdf = pikepdf.open(io.BytesIO(data))
    walk(pdf.Root.StructTreeRoot)
    return found


def outline(font, glyph: str) -> tuple:
    glyf = font["glyf"]
    coordinates, ends, _flags = glyf[glyph].getCoordinates(glyf)
    return tuple(map(tuple, coordinates)), tuple(ends)


def drawn_outlines(data: bytes) -> list[tuple]:
    """The outline of every glyph the pages draw with text operators, in drawing order
    (the embedded subsets have no glyph names: outlines say which glyph it is); glyphs
    without contours, such as spaces, left out."""
    from fontTools.ttLib import TTFont

    pdf = pikepdf.open(io.BytesIO(data))
    programs, drawn = {}, []
    for pdf_page in pdf.pages:
        font = None
        for operands, operator in pikepdf.parse_content_stream(pdf_page):
            if operator == pikepdf.Operator("Tf"):
                font = pdf_page.Resources.Font[operands[0]]
            elif operator in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ")):
                key = font.objgen
                if key not in programs:
                    program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
                    programs[key] = (program, program["cmap"].getcmap(1, 0).cmap)
                program, cmap = programs[key]
                strings = operands[0] if operator == pikepdf.Operator("TJ") else [operands[0]]
                for string in (s for s in strings if isinstance(s, pikepdf.String)):
                    drawn += [outline(program, cmap[code]) for code in bytes(string)]
    return [shape for shape in drawn if shape[0]]


def test_right_to_left_answers_read_in_typed_order_and_are_drawn_shaped(cast, committed, tmp_path):
    """An Arabic and Hebrew answer, and English with an Arabic phrase and digits: the
    signed PDF draws them right to left with the Arabic letters joined (presentation
    forms, in visual order), and gives them back as typed to text extraction and, in
    the structure, to screen readers; it stays PDF/UA-1 and PDF/A-2a."""
    from fontTools.ttLib import TTFont

    from reports.pdf import fonts

    assessment = committed(signed_off, cast, {"PC.AGE": ({"positive"}, RTL_ANSWER),
                                              "PC.RACE": ({"positive"}, MIXED_ANSWER)})
    data = bytes(SignedDocument.objects.get(assessment=assessment).pdf)
    text = " ".join(text_of(data).split())
    assert RTL_ANSWER in text  # pypdf puts right-to-left glyphs back in typed order
    assert "مرحبا بالعالم" in text and "الغرفة" in text
    assert RTL_ANSWER in actual_texts(data) and MIXED_ANSWER in actual_texts(data)
    dejavu = TTFont(str(fonts._find("DejaVuSans.ttf")))
    expected = [outline(dejavu, dejavu.getBestCmap()[ord(ch)]) for ch in RTL_DRAWN if ch != " "]
    drawn = drawn_outlines(data)
    assert any(drawn[i:i + len(expected)] == expected for i in range(len(drawn))), "not drawn shaped, right to left"
    assert_conforms(data, tmp_path, "rtl-signed")
    assert services.document_verify(data).genuine
