"""TrueType fonts, embedded in every document, with per-character fallback.

DejaVu Sans carries Latin, Greek, Cyrillic and many symbols; Symbola carries emoji
(monochrome) and WenQuanYi Zen Hei carries Chinese, Japanese and Korean. User text is
split into runs so each character is drawn with the first font that has it.
"""

import functools
import os
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from fontTools.ttLib import TTFont
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from . import rl_patches

SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC = "IIASans", "IIASans-Bold", "IIASans-Italic", "IIASans-BoldItalic"
SYMBOLS, CJK = "IIASymbols", "IIACJK"

# The documents use no italics: the italic names map to the upright faces, which spares
# loading two more fonts (about 8 MiB) in every process.
PRIMARY_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
}
FALLBACK_FILES = [(SYMBOLS, "Symbola_hint.ttf", 0), (SYMBOLS, "Symbola.ttf", 0), (CJK, "wqy-zenhei.ttc", 0)]

# C0 controls other than tab and newline, and the surrogate range, are not text.
_STRIP = {c: None for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: None}


class FontMissing(RuntimeError):
    pass


def _search_dirs() -> list[Path]:
    dirs = [Path(d) for d in getattr(settings, "IIA_FONT_DIRS", [])]
    return dirs + [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts")]


def _find(filename: str) -> Path | None:
    for base in _search_dirs():
        if not base.exists():
            continue
        direct = base / filename
        if direct.exists():
            return direct
        for root, _dirs, files in os.walk(base):
            if filename in files:
                return Path(root) / filename
    return None


@functools.cache
def register() -> dict[str, frozenset[int]]:
    """Register the main fonts once per process; return each font's character coverage.

    The fallback fonts (Symbola about 7 MiB, WenQuanYi Zen Hei about 34 MiB once parsed by
    reportlab) are only read for their character maps here, and loaded when some text
    first needs them (``ensure_registered``)."""
    rl_patches.apply()
    coverage: dict[str, frozenset[int]] = {}
    for name, filename in PRIMARY_FILES.items():
        path = _find(filename)
        if path is None:
            raise FontMissing(f"{filename} not found: install Debian's fonts-dejavu-core (make fonts).")
        font = ReportlabFont(name, str(path))
        pdfmetrics.registerFont(font)
        if name == SANS:
            coverage[SANS] = frozenset(font.face.charToGlyph)
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    for name, filename, index in FALLBACK_FILES:
        if name in coverage:
            continue
        path = _find(filename)
        if path is None:
            continue
        _fallback_paths[name] = (path, index)
        coverage[name] = frozenset(cmap_codepoints(path, index)) - coverage[SANS]
    return coverage


_fallback_paths: dict[str, tuple[Path, int]] = {}


@functools.cache
def ensure_registered(name: str) -> None:
    """Load a fallback font into reportlab the first time some text needs it."""
    path, index = _fallback_paths[name]
    pdfmetrics.registerFont(ReportlabFont(name, str(path), subfontIndex=index))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def cmap_codepoints(path: Path, index: int = 0) -> set[int]:
    """The characters a TrueType font (or one font of a collection) maps to a real glyph,
    read with fontTools from its cmap table alone (the font is opened lazily: the glyphs
    are not parsed)."""
    with TTFont(path, fontNumber=index, lazy=True) as font:
        missing = font.getGlyphOrder()[0]
        codepoints = {code for code, glyph in (font.getBestCmap() or {}).items() if glyph != missing}
    codepoints.discard(0xA0)  # reportlab draws a no-break space as a space
    return codepoints


@functools.cache
def _primary_chars() -> frozenset[str]:
    return frozenset(chr(code) for code in register()[SANS]) | {"\n"}


def clean(text: str) -> str:
    """Remove control characters; keep every character of text."""
    return (text or "").translate(_STRIP).replace("\t", "    ")


def runs(text: str) -> list[tuple[str | None, str]]:
    """Text split into runs of characters drawn with one font: None for the main font,
    else the fallback font that has them (loaded on first use)."""
    coverage = register()
    primary = coverage[SANS]
    fallbacks = [(name, chars) for name, chars in coverage.items() if name != SANS]
    out: list[tuple[str | None, str]] = []
    run: list[str] = []
    run_font = None
    for ch in text:
        code = ord(ch)
        font = None
        if code not in primary and ch != "\n":
            font = next((name for name, chars in fallbacks if code in chars), None)
        if font != run_font and run:
            out.append((run_font, "".join(run)))
            run.clear()
        run_font = font
        run.append(ch)
    if run:
        out.append((run_font, "".join(run)))
    for font, _chunk in out:
        if font is not None:
            ensure_registered(font)
    return out


def markup(text: str) -> str:
    """User text as safe Paragraph markup: escaped, line breaks kept, and characters the
    main font lacks wrapped in the fallback font that has them."""
    text = clean(text)
    if _primary_chars().issuperset(text):
        return escape(text).replace("\n", "<br/>")
    out = []
    for font, chunk in runs(text):
        chunk = escape(chunk).replace("\n", "<br/>")
        out.append(chunk if font is None else f'<font face="{font}">{chunk}</font>')
    return "".join(out)
