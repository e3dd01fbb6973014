"""The agenda pack a clerk sends, and what every signed document carries on each page:
pages numbered in the pack, an agenda that says where each item starts, a cover worth its
page, one tagged PDF that conforms like the single documents, a real link to the HTML
version on every page, the form named in words, columns wide enough for their words and
headings kept with what follows them."""

import io
import re

import pikepdf
import pytest
from django.test import Client
from pypdf import PdfReader
from reportlab.platypus import Spacer

from reports import services
from reports.models import AgendaPack, SignedDocument
from reports.pdf import pack
from reports.pdf.common import CELL_FONT_SIZE, CELL_PADDING, column_widths, table
from reports.pdf.flowables import Heading
from reports.pdf.fonts import SANS, register
from reports.pdf.layout import CONTENT_WIDTH, DocumentTemplate
from tests import factories as f

from .helpers import signed_off, text_of
from .test_conformance import assert_conforms
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db

HEADINGS = ("/H1", "/H2", "/H3")


def published_pack(cast, committed):
    """A published meeting with a report on a signed assessment and one on a screened-out
    plan change (its record as the appendix): (meeting, pack, signed assessment)."""
    signed = committed(signed_off, cast)
    screened_out = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    m = meeting(cast)
    services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)
    services.agenda_add_report(meeting=m, report=report_for(cast, screened_out, decision_sought="note"), by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    return m, AgendaPack.objects.get(meeting=m), signed


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def elements(element) -> list:
    """Every structure element under ``element`` (itself included), in tree order."""
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            continue
        found.append(node)
        kids = node.get("/K")
        stack.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array) else [kids])
    return found


def parent_tree(pdf: pikepdf.Pdf) -> dict:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_every_page_of_the_pack_is_numbered_in_the_pack(cast, committed):
    _m, pack, _signed = published_pack(cast, committed)
    texts = page_texts(bytes(pack.pdf))
    assert len(texts) == pack.pages > 5
    for number, text in enumerate(texts, 1):
        assert re.findall(r"Pack page (\d+) of (\d+)", text) == [(str(number), str(pack.pages))], number
        assert re.search(r"\bPage \d+ of \d+", text), f"page {number} lost its document's own numbering"


def test_the_agenda_and_the_cover_say_on_which_pack_page_each_report_starts(cast, committed):
    m, pack, signed = published_pack(cast, committed)
    texts = page_texts(bytes(pack.pdf))
    cover, agenda = texts[0], texts[1]
    items = list(m.items.filter(report__isnull=False).select_related("report"))
    assert len(items) == 2
    for item in items:
        start = pack.item_pages[str(item.pk)]
        assert f"{item.report.number} by the Chief Officer Pack page {start}" in agenda
        assert f"Report No {item.report.number}, starts on pack page {start}" in cover
        assert f"REPORT NO {item.report.number}" in texts[start - 1] and f"Pack page {start} of" in texts[start - 1]
        assert "Page 1 of" in texts[start - 1]  # where the report's own numbering starts
    # the cover: the board, the meeting, what the pack holds, who to ask, other formats
    for words in (m.committee.board.name, f"{m.date:%A %-d %B %Y}", "10:00", "Council Chamber",
                  "6 items of business, 2 of them reports", f"{pack.pages} pages", cast.clerk.get_full_name(),
                  "another format", "http://testserver/register/dundee/"):
        assert words in cover, words
    assert PdfReader(io.BytesIO(bytes(pack.pdf))).pages[1].extract_text().count("Pack page") == 3


def test_the_pack_is_one_tagged_pdf_of_its_documents_structures_and_conforms(cast, committed, tmp_path):
    m, pack, signed = published_pack(cast, committed)
    data = bytes(pack.pdf)
    assert_conforms(data, tmp_path, "agenda-pack")
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "en-GB"
    document = pdf.Root.StructTreeRoot.K
    assert document.S == pikepdf.Name.Document
    parts = list(document.K)
    titles = [str(part.T) for part in parts]
    assert [part.S for part in parts] == [pikepdf.Name.Part] * 5
    assert titles[0].startswith("Agenda:") and titles[2].startswith("Appendix 1: Integrated Impact Assessment")
    assert titles[4].startswith("Appendix 1: Screening record")
    # each document's elements, all of them, under its part (a signed copy leaves its Form behind)
    assessment = pikepdf.open(io.BytesIO(bytes(SignedDocument.objects.get(assessment=signed).pdf)))
    source_roles = [str(e.S) for e in elements(assessment.Root.StructTreeRoot.K)]
    copied_roles = [str(e.S) for e in elements(parts[2])]
    assert copied_roles[1:] == [r for r in source_roles[1:] if r != "/Form"] and "/Form" in source_roles
    for role in ("/H1", "/Table", "/TH", "/TD", "/Link"):
        assert role in copied_roles
    assert "/L" in [str(e.S) for e in elements(parts[1])]  # the report's recommendations
    # each page's marked content points at elements of this file, on this page
    tree = parent_tree(pdf)
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    keys = [int(page.obj.StructParents) for page in pdf.pages]
    assert len(set(keys)) == len(keys) == pack.pages
    in_tree = {e.objgen for e in elements(document)}
    for n, key in enumerate(keys):
        owners = [e for e in tree[key] if isinstance(e, pikepdf.Dictionary)]
        assert owners and all(pages.get(e.Pg.objgen) is not None for e in owners), n
        assert all(e.objgen in in_tree for e in owners), n  # the elements of the tree, not copies of them
    for part in parts:
        assert all("/Pg" not in e or e.Pg.objgen in pages for e in elements(part))
    # no signature field is copied; the links to the HTML version are
    annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", ())]
    assert annotations and all(a.Subtype == pikepdf.Name.Link for a in annotations)
    assert "/AcroForm" not in pdf.Root


def test_a_pack_whose_compressed_stream_would_end_in_cr_is_written_so_that_none_does():
    """qpdf's Flate ends with the content's Adler-32: about one stream in 256 ends in CR,
    before qpdf's LF and "endstream", which PDF/A validators read as CR LF and so count
    one byte short. A pack with such a stream is written again without qpdf compressing."""
    def pack_with(content: bytes) -> pikepdf.Pdf:
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.pages[0].contents_add(pdf.make_stream(content))
        return pdf

    def plain(pdf) -> bytes:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
        return out.getvalue()

    content = next(c for c in (f"q {n} w Q\n".encode() for n in range(5000)) if b"\r\nendstream" in plain(pack_with(c)))
    written = pack._save(pack_with(content))
    assert b"\r\nendstream" not in written
    reread = pikepdf.open(io.BytesIO(written))
    assert content in [o.read_bytes() for o in reread.objects if isinstance(o, pikepdf.Stream)]


def test_a_link_to_the_html_version_on_every_page_of_a_signed_document(cast, committed):
    assessment = committed(signed_off, cast)
    document = SignedDocument.objects.get(assessment=assessment)
    screened = committed(lambda: f.screen(cast, f.start(cast, "Annual report"), full=False))
    record = SignedDocument.objects.get(screening__plan_change=screened)
    for signed in (document, record):
        url = f"http://testserver/documents/{signed.verification_code}/"
        pdf = pikepdf.open(io.BytesIO(bytes(signed.pdf)))
        tree = parent_tree(pdf)
        assert len(pdf.pages) >= 1
        for n, page in enumerate(pdf.pages):
            links = [a for a in page.obj.get("/Annots", ()) if a.Subtype == pikepdf.Name.Link]
            assert len(links) == 1, n
            link = links[0]
            assert str(link.A.URI) == url and link.A.S == pikepdf.Name.URI and str(link.Contents)
            assert int(link.F) & 4  # printed (PDF/A)
            element = tree[int(link.StructParent)]
            assert element.S == pikepdf.Name.Link and str(element.Alt)
            kids = list(element.K)
            assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR
                       and k.Obj.objgen == link.objgen for k in kids)
            assert any(isinstance(k, int) for k in kids)  # the link's text is its content
            assert element.P.S == pikepdf.Name.P
        for text in page_texts(bytes(signed.pdf)):
            assert f"Accessible HTML version: {url}" in text


def test_the_pdf_names_the_form_in_words_not_by_its_code(cast, committed):
    assessment = committed(signed_off, cast)
    document = SignedDocument.objects.get(assessment=assessment)
    text = " ".join(text_of(bytes(document.pdf)).split())
    assert "dundee-ijb-v1" not in text
    assert "Form Dundee IJB Integrated Impact Assessment, version 1" in text
    client = Client()
    client.force_login(cast.officer)
    response = client.get(f"/documents/{document.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "dundee-ijb-v1" not in page and "Dundee IJB Integrated Impact Assessment, version 1" in page


def test_columns_are_as_wide_as_their_words():
    register()
    header = ["Action", "Kind", "Owner", "Due", "Linked rows"]
    rows = [["Gather the data", "Evidence-gathering action", "Head of Health and Community Care", "5 April 2027", "Age"]]
    widths = column_widths(header, rows, [5, 2, 2.2, 1.6, 3])
    assert sum(widths) == pytest.approx(CONTENT_WIDTH)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert widths[1] - 2 * CELL_PADDING >= stringWidth("Evidence-gathering", SANS, CELL_FONT_SIZE)
    kind = table(header, rows, [5, 2, 2.2, 1.6, 3]).rows[1][1]
    assert kind.lines == ("Evidence-gathering", "action")
    # a word longer than a third of the page still breaks inside, and the others keep their room
    huge = column_widths(["A", "B"], [["x" * 900, "short words"]], [1, 1])
    assert huge[0] == pytest.approx(CONTENT_WIDTH / 2) and sum(huge) == pytest.approx(CONTENT_WIDTH)


def render(story) -> pikepdf.Pdf:
    buffer = io.BytesIO()
    DocumentTemplate(buffer, title="t", author="a", subject="s", keywords="k", header_left="l", header_right="r",
                     footer_code="").build(story)
    return pikepdf.open(io.BytesIO(buffer.getvalue()))


def last_on_each_page(pdf: pikepdf.Pdf) -> list[str]:
    tree = parent_tree(pdf)
    owners = [list(tree.get(int(page.obj.StructParents), [])) for page in pdf.pages]
    return [str(kids[-1].S) if kids else "" for kids in owners]


@pytest.mark.parametrize("room", range(10, 200, 6))
def test_a_heading_is_never_the_last_thing_on_a_page_nor_leaves_one_blank(room):
    """A heading with a long table after it, wherever it falls near the foot of a page: it
    stays with the table's first rows when they fit, or moves to the next page with them."""
    register()
    above = 706 - room  # the frame's height, less the room left under the spacer
    rows = [["row", "value " * 12]] * 60
    pdf = render([Spacer(1, above), Heading("Section", "h1", 0), table(["Row", "Value"], rows, [1, 3])])
    last = last_on_each_page(pdf)
    assert not any(role in HEADINGS for role in last[:-1]), last
    heading = next(e for e in elements(pdf.Root.StructTreeRoot.K) if e.S == pikepdf.Name.H2)
    on_first_page = heading.Pg.objgen == pdf.pages[0].objgen
    # the heading takes 34 pt (10 before, 18, 6 after), the table's header row and first row 31:
    # with room for them all it stays (reportlab's KeepTogether moved it, and left the room blank)
    if room >= 100:
        assert on_first_page, room
    elif room < 60:
        assert not on_first_page, room


def test_headings_stay_with_what_follows_in_a_long_assessment(cast, committed):
    long_answer = " ".join(f"word{i}" for i in range(1500))
    assessment = committed(signed_off, cast, {"PC.AGE": ({"positive"}, long_answer), "PC.SEX": ({"positive"}, long_answer)})
    pdf = pikepdf.open(io.BytesIO(bytes(SignedDocument.objects.get(assessment=assessment).pdf)))
    assert len(pdf.pages) > 3
    assert not any(role in HEADINGS for role in last_on_each_page(pdf)[:-1])


def test_checking_the_published_pack_says_what_it_is_and_how_to_check_its_documents(cast, committed):
    """The pack is not signed as a whole: uploaded to "Check a signed document" it is named as
    the published pack of its meeting, unchanged, not "Unknown" nor "Altered" (it carries its
    documents' codes); a changed copy is not recognised as the pack."""
    m, built, _ = published_pack(cast, committed)
    data = bytes(AgendaPack.objects.get(pk=built.pk).pdf)
    client = Client()
    page = client.post("/verify/", {"file": io.BytesIO(data)}).content.decode()
    assert "An agenda pack published here, unchanged" in page and m.title in page
    assert "Altered" not in page and "Unknown" not in page and built.sha256 in page
    changed = data + b"\n% saved again\n"
    assert "An agenda pack published here" not in client.post("/verify/", {"file": io.BytesIO(changed)}).content.decode()
