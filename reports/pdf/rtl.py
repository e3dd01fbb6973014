"""Right-to-left text (Arabic, Hebrew, and the other right-to-left scripts): drawn so it
reads right, kept as typed for copy, search and screen readers.

A PDF holds glyphs in the order they are drawn, left to right on the page, and reportlab
draws a string's characters in the order it is given them: text typed right to left
would be drawn reversed, and Arabic letters unjoined. Text with a right-to-left
character is instead

1. broken into lines in the order it was typed, each paragraph (a line of the input)
   taking its direction from its first strong character (UAX #9, P2 and P3);
2. shaped: each Arabic letter becomes the presentation form of its place in the word
   (arabic-reshaper), the lam-alef ligatures included, so the letters join; a form the
   fonts lack stays the plain letter;
3. reordered line by line into the order it is drawn: python-bidi's Rust
   implementation of the Unicode Bidirectional Algorithm resolves each character's
   embedding level (bracket pairs and isolates included); the line is then reordered by
   those levels and brackets facing the other way mirrored (UAX #9, L1, L2 and L4, which
   it leaves out), a right-to-left paragraph's lines aligned right.

What a reader copies, searches or hears: each glyph's ToUnicode entry names the letter
it is a form of, not the presentation form (``rl_patches``), so extractors that put
right-to-left text back in typed order, as they do for the PDFs of word processors and
browsers (pypdf and poppler among them), return the letters as typed; and the
structure element holding such text carries it as typed in /ActualText (ISO 32000-1,
14.9.4), for screen readers that read the structure. Not as marked content around the
drawn glyphs: poppler (pdftotext, Evince and Okular's copy) lays such an /ActualText out
left to right over the glyphs and then reverses it, right-to-left, a second time.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import arabic_reshaper
from bidi import get_base_level, get_display
from bidi.mirror import MIRRORED
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts

# Characters of right-to-left scripts (Hebrew to the Arabic Extended blocks, their
# presentation forms, and the right-to-left historic scripts beyond the BMP) and the
# marks and controls that start right-to-left text.
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067"
                 "\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Directional marks and controls: they steer the reordering, and are not drawn.
CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def has_rtl(text: str) -> bool:
    return not text.isascii() and RTL.search(text) is not None


@dataclass(frozen=True)
class Line:
    """One line of text: as typed, and as drawn."""

    text: str  # as typed
    drawn: str  # shaped, in drawing order
    right: bool  # its paragraph reads right to left: aligned right


@functools.cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    # harakat kept (every character of the answer is drawn); the word ligatures (Allah
    # among them) left to the letters, which every Arabic font has
    return arabic_reshaper.ArabicReshaper({"delete_harakat": False, "shift_harakat_position": False,
                                           "ARABIC LIGATURE ALLAH": False})


@functools.cache
def _missing_forms() -> dict[int, str]:
    """Arabic presentation forms no font here has, each mapped to its plain letter(s)."""
    covered = set().union(*fonts.register().values())
    forms = [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)]
    return {code: unicodedata.normalize("NFKC", chr(code)) for code in forms
            if code not in covered and unicodedata.name(chr(code), "").startswith("ARABIC")}


def shape(text: str) -> str:
    """Arabic letters as the presentation forms of their places in words, in typed order."""
    return _reshaper().reshape(text).translate(_missing_forms())


def right_to_left(paragraph: str) -> bool:
    """The direction of a paragraph: that of its first strong character (left to right
    when it has none)."""
    return get_base_level(paragraph) == 1


LEVELS = re.compile(r"levels: \[(.*?)\]", re.S)
LEVEL = re.compile(r"Level\(\s*(\d+)")
# reset to the paragraph's level at the end of a line (L1)
TRAILING = {"WS", "FSI", "LRI", "RLI", "PDI", "BN", "LRE", "RLE", "LRO", "RLO", "PDF"}


def levels(line: str, right: bool) -> list[int]:
    """Each character's embedding level (UAX #9 up to I2). python-bidi gives them when
    asked for its debug output, one a byte of the line's UTF-8."""
    found = LEVELS.search(get_display(line, base_dir="R" if right else "L", debug=True))
    by_byte = [int(level) for level in LEVEL.findall(found.group(1))]
    result, offset = [], 0
    for ch in line:
        result.append(by_byte[offset])
        offset += len(ch.encode())
    return result


def drawn(line: str, right: bool) -> str:
    """A line shaped and put in drawing order (UAX #9, L1, L2 and L4), without the
    directional controls."""
    line = shape(line)
    found = levels(line, right)
    base = 1 if right else 0
    end = len(line)
    while end and unicodedata.bidirectional(line[end - 1]) in TRAILING:  # L1
        end -= 1
        found[end] = base
    order = list(range(len(line)))
    top = max(found, default=0)
    lowest_odd = min((level for level in found if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2: reverse each run at this level or above
        start = None
        for position in range(len(order) + 1):
            inside = position < len(order) and found[order[position]] >= level
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                order[start:position] = order[start:position][::-1]
                start = None
    return "".join(MIRRORED.get(line[i], line[i]) if found[i] % 2 else line[i]  # L4
                   for i in order).translate(CONTROLS)


def shaped_width(text: str, font: str, size: float) -> float:
    """The width of the text once shaped, each run in the font that draws it."""
    return sum(stringWidth(chunk, run_font or font, size) for run_font, chunk in fonts.runs(shape(text)))


def draw_lines(canvas, lines, *, x: float, y: float, width: float, font: str, size: float, leading: float,
               ink: str) -> None:
    """Lines as one text object, the first baseline at ``y``: each line at ``x`` or, in a
    right-to-left paragraph, ending at ``x + width``. ``ink`` is the fill colour's "r g b"."""
    canvas.addLiteral(f"q {ink} rg")
    text = canvas.beginText()
    for number, line in enumerate(lines):
        if not line.drawn:
            continue
        pieces = fonts.runs(line.drawn)
        left = x
        if line.right:
            left += width - sum(stringWidth(chunk, run_font or font, size) for run_font, chunk in pieces)
        text.setTextOrigin(left, y - number * leading)
        for run_font, chunk in pieces:
            text.setFont(run_font or font, size)
            text.textOut(chunk)
    canvas.drawText(text)
    canvas.addLiteral("Q")
