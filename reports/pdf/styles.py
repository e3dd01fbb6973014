"""Paragraph styles of every document, built once."""

import functools

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from .fonts import SANS, SANS_BOLD, register

INK = colors.HexColor("#0b0c0c")
MUTED = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
HEADER_FILL = colors.HexColor("#e8ecef")
LINK = colors.HexColor("#1d70b8")  # 5.2:1 on white


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register()
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=4,
                          splitLongWords=1)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                                    spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=SANS_BOLD, fontSize=18, leading=22, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=14, textColor=MUTED, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=body, fontName=SANS_BOLD, fontSize=14, leading=18, spaceBefore=10, keepWithNext=1,
                             spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=8, keepWithNext=1,
                             spaceAfter=4),
        "label": ParagraphStyle("label", parent=body, fontName=SANS_BOLD, spaceAfter=1),
    }
