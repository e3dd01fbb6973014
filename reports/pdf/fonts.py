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
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import rl_patches

SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC = "IIASans", "IIASans-Bold", "IIASans-Italic", "IIASans-BoldItalic"
SYMBOLS, CJK = "IIASymbols", "IIACJK"

PRIMARY_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
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
    """Register the fonts once per process; return each font's character coverage."""
    rl_patches.apply()
    coverage: dict[str, frozenset[int]] = {}
    for name, filename in PRIMARY_FILES.items():
        path = _find(filename)
        if path is None:
            raise FontMissing(f"{filename} not found: install Debian's fonts-dejavu-core (make fonts).")
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        if name == SANS:
            coverage[SANS] = frozenset(font.face.charToGlyph)
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
    for name, filename, index in FALLBACK_FILES:
        if name in coverage:
            continue
        path = _find(filename)
        if path is None:
            continue
        font = TTFont(name, str(path), subfontIndex=index)
        pdfmetrics.registerFont(font)
        addMapping(name, 0, 0, name)
        addMapping(name, 1, 0, name)
        addMapping(name, 0, 1, name)
        addMapping(name, 1, 1, name)
        coverage[name] = frozenset(font.face.charToGlyph) - coverage[SANS]
    return coverage


@functools.cache
def _primary_chars() -> frozenset[str]:
    return frozenset(chr(code) for code in register()[SANS]) | {"\n"}


def clean(text: str) -> str:
    """Remove control characters; keep every character of text."""
    return (text or "").translate(_STRIP).replace("\t", "    ")


def markup(text: str) -> str:
    """User text as safe Paragraph markup: escaped, line breaks kept, and characters the
    main font lacks wrapped in the fallback font that has them."""
    coverage = register()
    text = clean(text)
    primary = coverage[SANS]
    if _primary_chars().issuperset(text):
        return escape(text).replace("\n", "<br/>")
    fallbacks = [(name, chars) for name, chars in coverage.items() if name != SANS]
    out: list[str] = []
    run: list[str] = []
    run_font = None

    def flush():
        if not run:
            return
        chunk = escape("".join(run)).replace("\n", "<br/>")
        out.append(chunk if run_font is None else f'<font face="{run_font}">{chunk}</font>')
        run.clear()

    for ch in text:
        code = ord(ch)
        font = None
        if code not in primary and ch != "\n":
            font = next((name for name, chars in fallbacks if code in chars), None)
        if font != run_font:
            flush()
            run_font = font
        run.append(ch)
    flush()
    return "".join(out)
