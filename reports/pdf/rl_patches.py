"""Corrections to reportlab's output, applied once when the fonts are registered.

reportlab 5.1's ToUnicode CMap writes characters beyond the Basic Multilingual Plane
(emoji, some CJK) as odd-length hex such as ``<1F44D>``, which readers reject, so the
text is lost to copy, search and screen readers; and it maps the reserved codes
0x00-0x1F to U+0000. This writes UTF-16BE (surrogate pairs where needed) and leaves
the unused reserved codes out. reportlab is pinned; ``tests/reports/test_pdf.py``
fails if a new version changes what this relies on.
"""

from reportlab.pdfbase import ttfonts


def _utf16_hex(code_point: int) -> str:
    return code_point_to_utf16(code_point).hex().upper()


def code_point_to_utf16(code_point: int) -> bytes:
    return chr(code_point).encode("utf-16-be")


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


_split_string = ttfonts.TTFont.splitString


def split_string(self, text, doc, encoding="utf-8"):
    """reportlab's splitString walks every character in Python. With ``asciiReadable``
    (reportlab's default) printable ASCII always has its own code in subset 0, so such
    text -- most of every document -- maps to itself without the walk."""
    if (isinstance(text, str) and text and text.isascii() and text.isprintable()
            and self._asciiReadable and doc in self.state):
        return [(0, text.encode("ascii"))]
    return _split_string(self, text, doc, encoding)


def apply() -> None:
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
    if ttfonts.TTFont.splitString is not split_string:
        ttfonts.TTFont.splitString = split_string
