"""Page furniture shared by every document: running header and footer, "Page X of Y"
in one pass, bookmarks, document metadata and the DRAFT watermark."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .flowables import KeepWithNext
from .fonts import SANS, SANS_BOLD, clean, register
from .styles import LINK, MUTED, RULE
from .tagging import Metadata, Node, Structure, finalize

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TOTAL_FORM = "iia-page-total"
HTML_LINK_ALT = "The accessible HTML version of this document"


class DocumentCanvas(Canvas):
    """reportlab's canvas (made by ``BaseDocTemplate.build`` through its ``canvasmaker``),
    carrying the structure its flowables record (``tagging.structure_of``) and finishing the
    document just before reportlab saves it."""

    def __init__(self, *args, template: "DocumentTemplate", **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.structure = template.structure

    def save(self):
        self.template.finish(self)
        super().save()


class DocumentTemplate(BaseDocTemplate):
    """A4 document with the product's header and footer on every page."""

    def __init__(self, fileobj, *, title: str, author: str, subject: str, keywords: str,
                 header_left: str, header_right: str, footer_code: str, draft: bool = False,
                 tagged: bool = True, signature_name: str | None = None, html_url: str = ""):
        register()
        self.target = fileobj
        self.structure = Structure() if tagged else None
        self.signature_name = signature_name
        self.metadata = Metadata(title=clean(title), author=clean(author), subject=clean(subject), keywords=keywords)
        super().__init__(
            io.BytesIO(), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 8 * mm,
            bottomMargin=MARGIN + 4 * mm, title=clean(title), author=clean(author), subject=clean(subject),
            keywords=keywords, creator="iia", producer="iia (reportlab)", lang="en-GB", displayDocTitle=1,
            initialFontName=SANS, initialFontSize=9.5, initialLeading=12.5, keepTogetherClass=KeepWithNext,
        )
        self.header_left = clean(header_left)
        self.header_right = clean(header_right)
        self.footer_code = footer_code
        self.html_url = html_url
        self.draft = draft
        self._bookmarks = 0
        self.page_count = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def build(self, flowables):
        """Build with reportlab (tagged: with the structure tree and the PDF/A and PDF/UA
        metadata, see ``finish``) and hand the bytes to the target."""
        super().build(flowables, canvasmaker=lambda *args, **kwargs: DocumentCanvas(*args, template=self, **kwargs))
        self.target.write(self.filename.getvalue())

    def _decorate(self, canvas, doc):
        self.page_count = doc.page
        if self.structure is not None:
            Structure.artifact(canvas, pagination=True)
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN + 2 * mm
        canvas.setFont(SANS_BOLD, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, top, self.header_left[:110])
        canvas.setFont(SANS, 8)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, self.header_right[:90])
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        bottom = MARGIN - 2 * mm
        canvas.line(MARGIN, bottom + 4 * mm, PAGE_WIDTH - MARGIN, bottom + 4 * mm)
        label = f"Page {doc.page} of "
        canvas.drawString(MARGIN, bottom, label)
        canvas.saveState()
        canvas.translate(MARGIN + canvas.stringWidth(label, SANS, 8), bottom)
        canvas.doForm(TOTAL_FORM)  # the total is written once the last page is known
        canvas.restoreState()
        if self.footer_code:
            canvas.drawRightString(PAGE_WIDTH - MARGIN, bottom, f"Verification code {self.footer_code}")
        if self.draft:
            canvas.setFont(SANS_BOLD, 96)
            canvas.setFillColorRGB(0.85, 0.1, 0.1, alpha=0.18)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -30, "DRAFT")
        canvas.restoreState()
        if self.structure is not None:
            Structure.end(canvas)
        if self.html_url:
            self._html_link(canvas, bottom - 3.6 * mm)

    def _html_link(self, canvas, y: float) -> None:
        """The accessible HTML version's address under the footer of every page, a link
        (an annotation, and a Link element that owns its text, described for screen readers)."""
        text = f"Accessible HTML version: {self.html_url}"
        width = canvas.stringWidth(text, SANS, 8)
        rect = (MARGIN, y - 2, MARGIN + width, y + 8)
        link = Node("Link", alt=HTML_LINK_ALT)
        if self.structure is not None:
            self.structure.begin(canvas, Node("P").add(link))
        canvas.saveState()
        canvas.setFont(SANS, 8)
        canvas.setFillColor(LINK)
        canvas.setStrokeColor(LINK)
        canvas.setLineWidth(0.4)
        canvas.drawString(MARGIN, y, text)
        canvas.line(MARGIN, y - 1, MARGIN + width, y - 1)
        canvas.restoreState()
        if self.structure is not None:
            Structure.end(canvas)
            self.structure.link(canvas, link, rect, self.html_url, HTML_LINK_ALT)
        else:
            canvas.linkURL(self.html_url, rect, thickness=0)

    def afterFlowable(self, flowable):
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self._bookmarks += 1
        key = f"h{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_text, key, level=level, closed=False)

    def finish(self, canvas) -> None:
        """One pass: every footer refers to a form holding the page total; it is written
        here, once the last page is known, just before the file is saved."""
        canvas.beginForm(TOTAL_FORM)
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(0, 0, str(self.page_count))
        canvas.endForm()
        if self.structure is not None:
            finalize(canvas, self.structure, self.metadata, signature_name=self.signature_name)
