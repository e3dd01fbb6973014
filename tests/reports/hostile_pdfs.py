"""Small files that cost a PDF library a great deal: what an anonymous visitor can upload
to the public check page. Written byte by byte, so no library tidies them on the way."""

import zlib


def _pdf(objects: list[bytes], *, info: int | None = None) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalogue) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_entry = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info_entry, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    data = zlib.compress(content, 9) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), flate, extra) + data + b"\nendstream"


def xobject_bomb(*, depth: int = 2, fan_out: int = 19, leaf_operators: int = 120_000, compress: bool = False) -> bytes:
    """One page that draws form XObject X{depth}; each X{i} draws X{i-1} ``fan_out`` times
    and X0 shows ``leaf_operators`` short strings: leaf_operators x fan_out**depth text
    operators to interpret. The defaults: a 2 MB file, 43 million operators (740 MB)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    leaf = b"BT /F1 12 Tf 72 720 Td " + b"(Lorem ipsum) Tj " * leaf_operators + b"ET"
    # objects: 1 catalogue, 2 pages, 3 page, 4 content, 5 font, 6.. X0..X{depth}
    first = 6
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /X%d %d 0 R >> >> >>" % (depth, first + depth),
               _stream(b"/X%d Do" % depth, compress=compress), font]
    for level in range(depth + 1):
        if level == 0:
            content, resources = leaf, b"/Resources << /Font << /F1 5 0 R >> >>"
        else:
            content = b"/X%d Do\n" % (level - 1) * fan_out
            resources = b"/Resources << /XObject << /X%d %d 0 R >> >>" % (level - 1, first + level - 1)
        objects.append(_stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + resources,
                               compress=compress))
    return _pdf(objects)


def nested_dictionaries(*, size: int = 1_800_000, depth: int = 50) -> bytes:
    """About ``size`` bytes of dictionaries nested ``depth`` deep, each level naming its key
    twice, as the document information dictionary: a reader recurses through all of it to
    read the metadata, and warns of every repeated key (about 70,000 warnings per MB)."""
    nest = b"<< /A 1 /A " * depth + b"1" + b" >>" * depth
    count = max(1, size // len(nest))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
               b"<< /Title (Nested) " + b" ".join(b"/K%d %s" % (i, nest) for i in range(count)) + b" >>"]
    return _pdf(objects, info=4)
