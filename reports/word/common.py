"""A Word document built the accessible way: real heading styles (the navigation pane and a
screen reader's list of headings), tables whose first row is marked as their header row
(repeated on each page, announced as column headers), the title, author and language in
the document's properties and in its default text style, and right-to-left paragraphs
marked as such so Word lays them out and reads them right to left.

Text from users goes through ``clean`` first: XML 1.0 cannot hold most control
characters (a NUL, a form feed) nor the noncharacters U+FFFE and U+FFFF, and lxml refuses
them, so they are dropped rather than failing the whole export."""

import io
import re

from bidi import get_base_level
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

LANGUAGE = "en-GB"
# What XML 1.0 cannot hold (tab, line feed and carriage return are the only controls it
# allows), lone surrogates (not Unicode text) and the two noncharacters lxml refuses.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A paragraph break in typed text: a blank line (what the PDFs and pages treat as one too).
BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


def clean(text) -> str:
    """``text`` as a string XML can hold: what it cannot is dropped."""
    return NOT_XML.sub("", "" if text is None else str(text))


def paragraphs_of(text: str) -> list[str]:
    """Typed text as paragraphs: split at blank lines; a single line break stays a line
    break inside its paragraph."""
    return [p.strip("\r\n") for p in BLANK_LINE.split(clean(text).replace("\r\n", "\n")) if p.strip()]


class WordDocument:
    """One .docx being written: ``heading``, ``paragraph``, ``facts`` and ``table``
    append to it in order; ``save`` returns the bytes."""

    def __init__(self, *, title: str, author: str, subject: str = "", keywords: str = ""):
        self.doc = Document()
        props = self.doc.core_properties
        props.title = clean(title)[:255]
        props.author = clean(author)[:255]
        props.subject = clean(subject)[:255]
        props.keywords = clean(keywords)[:255]
        props.language = LANGUAGE
        props.last_modified_by = clean(author)[:255]
        props.comments = ""
        props.created = props.modified = timezone.now()  # the template's are of 2013
        section = self.doc.sections[0]  # A4 with 2.5 cm margins, not the template's US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
        self._set_language()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        self._style_ids: dict[str, str] = {}

    def _style(self, paragraph, name: str | None) -> None:
        """Give the paragraph a style by its id: python-docx looks a name up among every
        style (and for the default) on each call, which took two thirds of a long
        document's time."""
        if name is None:
            return
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        paragraph._p.style = self._style_ids[name]

    def _set_language(self) -> None:
        """The language of the text, in the default run properties every style inherits:
        Word takes the proofing language and a screen reader its voice from there."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            defaults.append(lang)
        lang.set(qn("w:val"), LANGUAGE)

    def heading(self, text: str, level: int) -> None:
        """A heading in Word's "Heading <level>" style (1 is the document's title)."""
        paragraph = self.doc.add_paragraph()
        self._style(paragraph, f"Heading {level}")
        self._fill(paragraph, clean(text) or "Untitled")

    def paragraph(self, text: str, *, bold_label: str = "", style: str | None = None, bold: bool = False) -> None:
        """Typed text: one Word paragraph per paragraph of it (``bold_label`` before the first)."""
        parts = paragraphs_of(text) or [""]
        for index, part in enumerate(parts):
            paragraph = self.doc.add_paragraph()
            self._style(paragraph, style)
            if bold_label and index == 0:
                run = paragraph.add_run(clean(bold_label) + " ")
                run.bold = True
            self._fill(paragraph, part, bold=bold, starts=not (bold_label and index == 0))

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        """Label and value pairs, one paragraph each, the label in bold."""
        for label, value in pairs:
            self.paragraph(value or "Not given.", bold_label=f"{label}:")

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """A table whose first row is its header row (repeated on each page)."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        if "Table Grid" not in self._style_ids:
            self._style_ids["Table Grid"] = self.doc.styles["Table Grid"].style_id
        table._tbl.tblStyle_val = self._style_ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table_rows = table.rows
        for cell, text in zip(table_rows[0].cells, header, strict=True):
            self._fill(cell.paragraphs[0], text, bold=True)
        _mark_header_row(table_rows[0])
        for row, values in zip(table_rows[1:], rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                parts = paragraphs_of(text) or [""]
                self._fill(cell.paragraphs[0], parts[0])
                for part in parts[1:]:
                    self._fill(cell.add_paragraph(), part)
        self.doc.add_paragraph()  # Word joins two tables that touch: keep each its own

    def _fill(self, paragraph, text: str, *, bold: bool = False, starts: bool = True) -> None:
        """Add ``text`` as a run; a paragraph it ``starts`` is right-to-left when the text's
        first strong character is (after a label, the label's direction stands)."""
        text = clean(text)
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if starts and not text.isascii() and get_base_level(text) == 1:
            _right_to_left(paragraph)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _mark_header_row(row) -> None:
    """``w:tblHeader``: the row is the table's header row, repeated on each page."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _right_to_left(paragraph) -> None:
    """A paragraph whose first strong character is right-to-left: laid out right to left
    (``w:bidi``), its runs marked as right-to-left text (``w:rtl``)."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        bidi = OxmlElement("w:bidi")
        # w:bidi comes before the justification and the run properties in CT_PPr's order
        ppr.insert_element_before(bidi, "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                                  "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    for run in paragraph.runs:
        run._r.get_or_add_rPr().get_or_add_rtl()
