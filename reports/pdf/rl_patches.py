"""Two corrections to reportlab 5.1.0 (pinned in requirements/base.txt), applied once
when the fonts are registered, each because a standard needs it; no other part of
reportlab is patched.

PDF/A-2 (ISO 19005-2, 6.1.7.1): streams end with the end of line it requires before
"endstream" (``stream_format``, replacing ``pdfdoc.PDFStream.format``);
``test_streams_never_end_in_a_carriage_return_before_endstream`` fails without it.

PDF/UA-1 (ISO 14289-1, 7.21.7) and PDF/A-2a: every glyph maps to Unicode
(``make_to_unicode_cmap``, replacing ``ttfonts.makeToUnicodeCMap``);
``test_text_beyond_the_basic_plane_copies_as_itself`` fails without it. reportlab 5.1.0's
ToUnicode CMap writes characters beyond the Basic Multilingual Plane
(emoji, some CJK) as odd-length hex such as ``<1F44D>``, which readers reject, so the
text is lost to copy, search and screen readers; and it maps the reserved codes
0x00-0x1F to U+0000. This writes UTF-16BE (surrogate pairs where needed) and leaves
the unused reserved codes out. reportlab is pinned; ``tests/reports/test_pdf.py``
fails if a new version changes what this relies on.
"""

import unicodedata
import zlib

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, ttfonts


def _utf16_hex(code_point: int) -> str:
    return code_point_to_utf16(code_point).hex().upper()


def code_point_to_utf16(code_point: int) -> bytes:
    """The text a glyph stands for, in UTF-16BE: its character, or for an Arabic
    presentation form (the shaped letters ``rtl`` draws) the letter or letters it is a
    form of, as a reader should copy, search and speak them."""
    char = chr(code_point)
    if 0xFB50 <= code_point <= 0xFDFF or 0xFE70 <= code_point <= 0xFEFC:
        char = unicodedata.normalize("NFKC", char)
    return char.encode("utf-16-be")


def make_to_unicode_cmap(fontname: str, subset) -> str:
    entries = [(i, v) for i, v in enumerate(subset) if v]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        block = entries[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def stream_format(self, document) -> bytes:
    """reportlab's PDFStream.format, writing the end of line that PDF/A requires before
    "endstream". A compressed stream whose last byte is CR would then read as ending in
    CR LF, one byte short of /Length: zlib data ends with the Adler-32 of the content, so
    about one stream in 256 does. Such a stream gets a trailing newline (a no-op in
    content streams and CMaps) before it is compressed again; a font program, whose
    bytes must not change, is stored uncompressed instead."""
    dictionary = pdfdoc.PDFDictionary(self.dictionary.dict.copy())
    content = self.content
    if content is None:
        raise ValueError("stream content not set")
    if isinstance(content, str):
        content = content.encode("utf8")
    filters = self.filters if self.filters is not None else document.defaultStreamFilters
    if filters is not None and "Filter" not in dictionary.dict:
        raw = content
        for f in reversed(list(filters)):
            content = f.encode(content)
        names = [pdfdoc.PDFName(f.pdfname) for f in filters]
        if content.endswith(b"\r") and names == [pdfdoc.PDFName("FlateDecode")]:
            if "Length1" in dictionary.dict or "Subtype" in dictionary.dict:
                content, names = raw, []
            else:
                for padding in (b"\n", b" \n", b"  \n", b"   \n"):
                    content = zlib.compress(raw + padding)
                    if not content.endswith(b"\r"):
                        break
        if names:
            dictionary["Filter"] = pdfdoc.PDFArray(names)
    content = document.encrypt.encode(content)
    dictionary["Length"] = len(content)
    return pdfdoc.format(dictionary, document) + b"\nstream\n" + content + b"\nendstream\n"


def apply() -> None:
    rl_config.useA85 = 0  # page streams: Flate only (ASCII85 makes them a quarter larger)
    pdfdoc.PDFStream.format = stream_format
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
