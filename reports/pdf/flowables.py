"""Fast flowables for text the main font can draw: lines are wrapped once with the
font's metrics and drawn without Paragraph's markup parser. Text with right-to-left
characters is laid out here too (``rtl``); other text that needs a fallback font goes
through reportlab's Paragraph (see ``text_flowable``)."""

import functools

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from . import rtl
from .fonts import SANS, clean, markup, register
from .styles import styles
from .tagging import Node, Structure, structure_of

# Heading styles and the structure roles they take (the title is the only H1).
HEADING_ROLES = {"title": "H1", "h1": "H2", "h2": "H3"}


def wrap_lines(text: str, width: float, font: str, size: float, measure=stringWidth) -> list[str]:
    """Break text into lines no wider than ``width`` (as ``measure`` finds it): at spaces,
    and inside words too long for a line. Explicit line breaks are kept."""
    if "\n" not in text and measure(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    space = measure(" ", font, size)
    for paragraph in text.split("\n"):
        line, line_width = [], 0.0
        for word in paragraph.split(" "):
            word_width = measure(word, font, size)
            if word_width > width:  # longer than a line: break inside the word
                if line:
                    lines.append(" ".join(line))
                chunk = ""
                for ch in word:
                    if chunk and measure(chunk + ch, font, size) > width:
                        lines.append(chunk)
                        chunk = ""
                    chunk += ch
                line, line_width = [chunk], measure(chunk, font, size)
                continue
            extra = word_width + (space if line else 0)
            if line and line_width + extra > width:
                lines.append(" ".join(line))
                line, line_width = [word], word_width
            else:
                line.append(word)
                line_width += extra
        lines.append(" ".join(line))
    return lines


@functools.lru_cache(maxsize=8192)
def wrapped(text: str, width: float, font: str, size: float) -> tuple[str, ...]:
    return tuple(wrap_lines(text, width, font, size))


@functools.lru_cache(maxsize=1024)
def bidi_wrapped(text: str, width: float, font: str, size: float) -> tuple[rtl.Line, ...]:
    """Text with right-to-left characters as lines: broken in typed order, each paragraph
    in its own direction, measured and drawn shaped (see ``rtl``)."""
    lines = []
    for paragraph in text.split("\n"):
        right = rtl.right_to_left(paragraph)
        lines += [rtl.Line(line, rtl.drawn(line, right), right)
                  for line in wrap_lines(paragraph, width, font, size, measure=rtl.shaped_width)]
    return tuple(lines)


@functools.cache
def _main_font_chars() -> frozenset[str]:
    return frozenset(chr(code) for code in register()[SANS]) | {"\n"}


def fits_main_font(text: str) -> bool:
    return _main_font_chars().issuperset(text)


class TextBlock(Flowable):
    """Lines of plain text in one font, or of text with right-to-left characters (which
    may use the fallback fonts); splits between lines across pages. Drawn as marked
    content of its structure element (one element even when split)."""

    def __init__(self, text: str, style, *, lines: tuple | None = None, node: Node | None = None):
        super().__init__()
        self.text = text
        self.style = style
        self.bidi = rtl.has_rtl(text)
        self.lines = lines
        self.node = node or Node("P")
        if self.bidi:
            self.node.actual = text
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self.height = 0

    def wrap(self, avail_width, avail_height):
        if self.lines is None:
            self.lines = (bidi_wrapped if self.bidi else wrapped)(self.text, avail_width, self.style.fontName,
                                                                   self.style.fontSize)
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []
        first = TextBlock(self.text, self.style, lines=self.lines[:fit], node=self.node)
        rest = TextBlock(self.text, self.style, lines=self.lines[fit:], node=self.node)
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def draw(self):
        structure = structure_of(self.canv)
        if structure is not None:
            structure.begin(self.canv, self.node)
        style = self.style
        if self.bidi:
            color = style.textColor
            rtl.draw_lines(self.canv, self.lines, x=0, y=self.height - style.fontSize, width=self.width,
                           font=style.fontName, size=style.fontSize, leading=style.leading,
                           ink=fp_str(color.red, color.green, color.blue))
        else:
            text = self.canv.beginText(0, self.height - style.fontSize)
            text.setFont(style.fontName, style.fontSize, style.leading)
            text.setFillColor(style.textColor)
            for line in self.lines:
                text.textLine(line)
            self.canv.drawText(text)
        if structure is not None:
            Structure.end(self.canv)


class TaggedParagraph(Paragraph):
    """reportlab's Paragraph (for text that needs the fallback fonts) as one element."""

    node: Node | None = None

    def draw(self):
        structure = structure_of(self.canv)
        if structure is not None and self.node is not None:
            structure.begin(self.canv, self.node)
            super().draw()
            Structure.end(self.canv)
        else:
            super().draw()

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        for part in parts:
            part.node = self.node
        return parts


def text_flowable(text: str, style_name: str = "body", node: Node | None = None):
    """User or catalogue text as a flowable: fast when the main font can draw it all."""
    text = clean(text)
    style = styles()[style_name]
    node = node or Node(HEADING_ROLES.get(style_name, "P"))
    if fits_main_font(text) or rtl.has_rtl(text):
        return TextBlock(text, style, node=node)
    paragraph = TaggedParagraph(markup(text), style)
    paragraph.node = node
    return paragraph


class Heading(TextBlock):
    """A heading (H1 for the title, H2, H3) that also becomes a PDF outline entry."""

    def __init__(self, text: str, style_name: str, level: int):
        super().__init__(clean(text), styles()[style_name], node=Node(HEADING_ROLES[style_name]))
        self.outline_text = clean(text)
        self.outline_level = level


def bullet_list(items: list[str], style_name: str = "body") -> list:
    """Items as a list (L > LI > LBody), each item's text as its own flowable."""
    container = Node("L")
    flowables = []
    for text in items:
        item = container.add(Node("LI"))
        flowables.append(text_flowable(text, style_name, node=item.add(Node("LBody"))))
    return flowables


class KeepWithNext(KeepTogether):
    """What reportlab groups for ``keepWithNext`` (a heading, or headings, and what follows
    them; ``DocumentTemplate.keepTogetherClass``): the heading stays on this page when the
    first part of what follows fits beside it, and moves to the next page with it
    otherwise, so a heading is never the last thing on a page. reportlab's own
    ``KeepTogether`` moves the heading whenever the whole of what follows does not fit,
    leaving most of a page blank before a long table."""

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        *leading, last = self._content
        if self._H <= aH or not leading:
            return super().split(aW, aH)
        used = sum(f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in leading)
        room = aH - used - last.getSpaceBefore()
        parts = last.splitOn(self.canv, aW, room) if room > 0 else []
        if len(parts) >= 2 and parts[0].wrapOn(self.canv, aW, room)[1] <= room:
            return [*leading, *parts]
        return super().split(aW, aH)
