"""The rendered document: content, page furniture, structure, and hostile text."""

import io
import re

import pytest

from assessments.validation import RatingInput
from reports.pdf.assessment import AssessmentPdf
from reports.pdf.screening import ScreeningRecordPdf
from tests import factories as f

from .helpers import reader, text_of

pytestmark = pytest.mark.django_db


def render(assessment, code="IIA-TEST-CODE-AAAA", draft=False) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    pages = AssessmentPdf(assessment, verification_code=code, html_url="http://testserver/documents/x/",
                          verify_url="http://testserver/verify/", draft=draft).render(buffer)
    return buffer.getvalue(), pages


def test_every_page_has_header_and_footer_and_the_first_page_summarises(cast):
    plan_change = f.screen(cast, f.start(cast, "Evening equipment store"))
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Fewer evening buses."),
                                         "PC.RACE": ({"not_known"}, "No data.")})
    assessment = f.current(plan_change)
    pdf, pages = render(assessment)
    doc = reader(pdf)
    assert len(doc.pages) == pages >= 3
    for number, page in enumerate(doc.pages, 1):
        text = page.extract_text()
        assert "Dundee IJB · Integrated Impact Assessment" in text
        assert f"{assessment.reference} · version 1" in text
        assert re.search(rf"Page {number} of\s*{pages}\b", text)
        assert "Verification code IIA-TEST-CODE-AAAA" in text
    first = doc.pages[0].extract_text()
    for expected in ("Evening equipment store", "Lead officer", "Responsible director", "Screening outcome",
                     "Full IIA required", "Risk level", "Impacts found, by section"):
        assert expected in first
    # counts per section: Equality & Diversity has 0 positive, 1 negative, 1 not known
    assert re.search(r"Equality & Diversity\s*0\s*1\s*1", first)


def test_sections_outline_metadata_and_embedded_fonts(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change)
    pdf, _ = render(f.current(plan_change))
    doc = reader(pdf)
    outline = [item.title for item in doc.outline if not isinstance(item, list)]
    for title in ("Integrated Impact Assessment", "Equality & Diversity", "Fairness & Poverty", "Environment",
                  "Corporate Risk", "Evidence and consultation", "Mitigating actions", "Approval and sign-off"):
        assert title in outline
    assert doc.metadata.title.startswith("Integrated Impact Assessment")
    assert doc.metadata.author == "Dundee City Integration Joint Board"
    assert doc.metadata.subject
    assert doc.trailer["/Root"]["/Lang"] == "en-GB"
    fonts = set()
    for page in doc.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert fonts
    text = " ".join(text_of(pdf).split())
    for row in ("Age", "Disability", "Gender reassignment", "Marriage and civil partnership", "Pregnancy and maternity",
                "Race", "Religion or belief", "Sex", "Sexual orientation", "Strathmartine", "The Ferry",
                "Low income", "Fairer Scotland Duty: written assessment summary", "Strategic Environmental Assessment"):
        assert row in text


HOSTILE = {
    "PC.AGE": ({"negative"}, "Fish & chips < chips > peas & \"quotes\" <script>alert(1)</script> &amp; done"),
    "PC.DISABILITY": ({"negative"}, "A" * 300 + " then a word longer than any line: " + "x" * 900),
    "PC.RACE": ({"positive"}, "Zażółć gęślą jaźń; Ελληνικά; Русский текст; Ærøskøbing; façade; naïve"),
    "PC.RELIGION": ({"positive"}, "中文 日本語 한국어 and emoji 👍🏽 🎉 ❤"),
    "PC.SEX": ({"positive"}, "Line one\nLine two\n\nLine four\ttabbed\x00nul\x07bell"),
}


RTL_ANSWER = "مرحبا بالعالم עברית"
MIXED_ANSWER = "Clinic hours: مرحبا بالعالم 2024, room 12 (الغرفة)"
# RTL_ANSWER as drawn, left to right: the Hebrew word reversed, then the Arabic words in
# reverse order, each letter the presentation form of its place in its word
RTL_DRAWN = ("\u05ea\u05d9\u05e8\u05d1\u05e2 \ufee2\ufedf\ufe8e\ufecc\ufedf\ufe8e\ufe91 "
             "\ufe8e\ufe92\ufea3\ufeae\ufee3")


def test_right_to_left_text_is_shaped_and_drawn_in_visual_order():
    from reports.pdf.flowables import bidi_wrapped
    from reports.pdf.fonts import SANS

    def lines(text, width=400):
        return [(line.text, line.drawn, line.right) for line in bidi_wrapped(text, width, SANS, 9.5)]

    assert lines(RTL_ANSWER) == [(RTL_ANSWER, RTL_DRAWN, True)]  # a right-to-left paragraph, aligned right
    # in an English paragraph, the Arabic phrase reads right to left with the digits after
    # it (to its left); the bracketed Arabic word keeps its brackets around it
    assert lines(MIXED_ANSWER) == [(MIXED_ANSWER, "Clinic hours: 2024 \ufee2\ufedf\ufe8e\ufecc\ufedf\ufe8e\ufe91 "
                                                  "\ufe8e\ufe92\ufea3\ufeae\ufee3, room 12 "
                                                  "(\ufe94\ufed3\ufeae\ufed0\ufedf\ufe8d)", False)]
    assert lines("לא (סוגריים) בסוף.")[0][1] == ".ףוסב (םיירגוס) אל"  # brackets mirrored
    assert lines("a (ש) ב")[0][1] == "a (ש) ב"  # a bracket pair takes the direction around it
    assert lines("لا")[0][1] == "\ufefb"  # lam-alef is one ligature
    assert lines("مَرْحَبًا")[0][1].count("\u064e") == 2  # every mark kept
    assert [right for _text, _drawn, right in lines("Line one\nשורה שתיים\nthird")] == [False, True, False]
    words = " ".join(f"מילה{i}" for i in range(60))
    wrapped = lines(words, width=150)
    assert len(wrapped) > 3 and " ".join(text for text, _drawn, _right in wrapped) == words  # broken in typed order
    assert wrapped[0][0].startswith("מילה0 מילה1")


def test_a_presentation_form_copies_as_the_letters_it_is_a_form_of():
    from reports.pdf.rl_patches import make_to_unicode_cmap

    cmap = make_to_unicode_cmap("F", [0, 0x41, 0xFEFB, 0xFE91, 0x5D0])
    assert "<01> <0041>" in cmap and "<04> <05D0>" in cmap
    assert "<02> <06440627>" in cmap  # lam-alef: lam, alef
    assert "<03> <0628>" in cmap  # initial beh: beh


def test_text_beyond_the_basic_plane_copies_as_itself(cast):
    """PDF/UA-1 7.21.7: every glyph maps to Unicode. An emoji's ToUnicode entry is a
    UTF-16 surrogate pair (reportlab 5.1.0 writes odd-length hex that readers reject:
    ``rl_patches.make_to_unicode_cmap``)."""
    import pikepdf

    plan_change = f.screen(cast, f.start(cast, "Emoji answers"))
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"positive"}, "Thumbs up \U0001F44D and party \U0001F389.")})
    pdf, _pages = render(f.current(plan_change))
    document = pikepdf.open(io.BytesIO(pdf))
    cmaps = [font.ToUnicode.read_bytes() for page in document.pages for font in page.Resources.Font.values()
             if "/ToUnicode" in font]
    entries = [entry for cmap in cmaps for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S)
               for entry in re.findall(rb"<[0-9A-F]+> <([0-9A-F]+)>", block)]
    assert entries and all(len(entry) % 4 == 0 for entry in entries)
    assert b"D83DDC4D" in entries and b"D83CDF89" in entries
    text = text_of(pdf)
    assert "\U0001F44D" in text and "\U0001F389" in text


def test_hostile_text_is_escaped_and_laid_out_without_losing_any(cast):
    plan_change = f.screen(cast, f.start(cast, "Café & <Bar> project — ☃"))
    long_answer = " ".join(f"word{i}" for i in range(8500))  # about 50,000 characters
    assert len(long_answer) >= 50000
    overrides = dict(HOSTILE)
    overrides["PC.SEXUAL_ORIENTATION"] = ({"positive"}, long_answer)
    f.complete_parts(cast, plan_change, overrides)
    assessment = f.current(plan_change)
    pdf, pages = render(assessment)
    assert pages > 10  # the 50,000-character explanation flows over many pages
    text = text_of(pdf)
    # what each page repeats (header, footer, a table's header row) may fall inside a long
    # word that runs on to the next page
    furniture = (r"Dundee IJB · Integrated Impact Assessment|\S+ · version \d+|Page \d+ of \d+|"
                 r"Verification code \S+|Accessible HTML version: \S+|Row Rating Explanation")
    squashed = re.sub(r"\s+", "", re.sub(furniture, "", " ".join(text.split())))
    assert "Fish & chips < chips > peas" in text and "<script>alert(1)</script>" in text and "&amp; done" in text
    assert "x" * 900 in squashed and "A" * 300 in squashed
    for fragment in ("Zażółć gęślą jaźń", "Ελληνικά", "Русский текст", "Ærøskøbing", "façade", "naïve",
                     "中文", "日本語", "한국어", "👍", "🎉", "Café & <Bar> project"):
        assert fragment in text, fragment
    assert "Line one" in text and "Line four" in text and "nulbell" in squashed
    assert "word8499" in text and "word4250" in text
    assert squashed.count("word") >= 8500


def test_a_screened_out_record_is_its_own_short_document(cast):
    plan_change = f.screen(cast, f.start(cast, "Annual report"), full=False)
    screening = plan_change.screenings.get()
    buffer = io.BytesIO()
    pages = ScreeningRecordPdf(screening, verification_code="IIA-SCRN-CODE-AAAA", html_url="h",
                               verify_url="v").render(buffer)
    text = text_of(buffer.getvalue())
    assert pages <= 2
    assert "Screening record" in text and "It is not an impact assessment" in text
    assert "No IIA required" in text and "Integrated Impact Assessment:" not in text
    assert reader(buffer.getvalue()).metadata.title.startswith("Screening record")


def test_a_draft_is_watermarked(cast):
    plan_change = f.screen(cast, f.start(cast))
    pdf, _ = render(f.current(plan_change), code="DRAFT", draft=True)
    text = text_of(pdf)
    assert "DRAFT" in text and "not signed off" in text


def test_the_rating_is_in_words(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    section = assessment.template.sections.get(code="equality")
    ratings, answers = f.section_inputs(section)
    ratings[f.row(assessment, "PC.AGE").pk] = RatingInput({"positive", "negative"}, "Both ways.")
    from assessments import services

    services.section_save(assessment=assessment, section_code="equality", by=cast.officer, ratings=ratings,
                          answers=answers)
    text = " ".join(text_of(render(assessment)[0]).split())
    assert "Positive and Negative" in text and "No impact" in text


def test_streams_never_end_in_a_carriage_return_before_endstream():
    """A compressed stream ending in CR would read as CR LF before "endstream", one byte
    short of /Length (PDF/A rejects it): content gets a trailing newline, a font program
    is stored uncompressed."""
    import zlib

    from reportlab.pdfbase import pdfdoc

    from reports.pdf import rl_patches

    rl_patches.apply()
    content = next(c for c in (f"BT ({i}) Tj ET".encode() for i in range(5000)) if zlib.compress(c).endswith(b"\r"))
    document = pdfdoc.PDFDocument()
    page = pdfdoc.PDFStream(content=content, filters=[pdfdoc.PDFZCompress])
    out = page.format(document)
    assert b"\r\nendstream" not in out and out.endswith(b"\nendstream\n")
    data = out[out.index(b"stream\n") + 7:-len(b"\nendstream\n")]
    assert zlib.decompress(data).rstrip() == content and f"/Length {len(data)}".encode() in out

    font = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Length1": len(content)}), content=content, filters=[pdfdoc.PDFZCompress])
    out = font.format(document)
    assert b"/Filter" not in out and out.endswith(b"stream\n" + content + b"\nendstream\n")


def test_rendering_reads_nothing_once_the_document_is_loaded(cast, django_assert_num_queries):
    plan_change = f.screen(cast, f.start(cast, "Evening equipment store"))
    f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Fewer evening buses.")})
    document = AssessmentPdf(f.current(plan_change), verification_code="IIA-TEST-CODE-AAAA",
                             html_url="http://testserver/documents/x/", verify_url="http://testserver/verify/").load()
    with django_assert_num_queries(0):
        pages = document.render(io.BytesIO())
    assert pages >= 2


def test_a_row_longer_than_a_page_is_one_cell_element_over_several_pages(cast):
    """A table row split across pages keeps one TD element (its content marked on each
    page); the header row repeated on later pages is an artifact, not more TH cells."""
    import pikepdf

    from reports.pdf.common import table
    from reports.pdf.layout import DocumentTemplate

    long_text = " ".join(f"word{i}" for i in range(4000))
    buffer = io.BytesIO()
    doc = DocumentTemplate(buffer, title="t", author="a", subject="s", keywords="k", header_left="l",
                           header_right="r", footer_code="")
    doc.build([table(["Row", "Rating", "Explanation"], [["Age", "Negative", long_text], ["Sex", "Positive", "Short."]],
                     [3, 2, 7])])
    data = buffer.getvalue()
    assert doc.page_count >= 3
    pdf = pikepdf.open(io.BytesIO(data))
    cells = []

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        cells.append(element)
        for kid in element.K if isinstance(element.K, pikepdf.Array) else []:
            walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    headers = [c for c in cells if c.S == pikepdf.Name.TH and c.A.Scope == pikepdf.Name.Column]
    assert len(headers) == 3  # once, although the header row is drawn on every page
    data_cells = [c for c in cells if c.S == pikepdf.Name.TD]
    explanation = data_cells[1]  # row 1: Rating, Explanation
    pages = {c.Pg.objgen for c in explanation.K if isinstance(c, pikepdf.Dictionary)} | {explanation.Pg.objgen}
    assert len(pages) == doc.page_count  # one element, marked on every page it runs over
    text = text_of(data)
    assert "word0" in text and "word3999" in text and "Short." in text
    assert text.count("Explanation") == doc.page_count  # the header repeated on each page


def test_font_coverage_is_read_from_the_cmap_table():
    from reports.pdf import fonts

    fonts.register()
    coverage = fonts.cmap_codepoints(fonts._find("DejaVuSans.ttf"))
    assert {ord("A"), ord("é"), ord("Ж"), 0x20AC} <= coverage  # Latin, Cyrillic, the euro sign
    assert 0xA0 not in coverage  # drawn as a space
    assert 0x4E2D not in coverage  # no CJK in DejaVu Sans: that comes from a fallback
