"""An agenda pack as one tagged PDF (PDF/UA-1, PDF/A-2a) made of the tagged PDFs in it.

Each document (the cover and agenda, every report, every appendix) keeps its structure
tree: its Document element becomes a Part of the pack's Document, its parent tree entries
and its pages' /StructParents (and its annotations' /StructParent) are renumbered after
those of the documents before it, and its RoleMap joins the pack's. A signed appendix is
a copy: its signature field and the Form element that holds it stay with the signed
original. Every page is numbered in the pack ("Pack page 3 of 40", a pagination artifact
at the foot of the page, beside the document's own "Page 1 of 6"), and the pack gets the
metadata the standards ask for (XMP matched by the Info dictionary, an sRGB output
intent, MarkInfo, /Lang, the title shown)."""

import datetime
import io
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .fonts import SANS_BOLD, register
from .layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from .signing import ambiguous_stream_end
from .styles import MUTED
from .tagging import Metadata, info_date, srgb_profile, xmp_packet

STAMP_Y = MARGIN - 2 * mm  # the footer's line, as layout draws it
STAMP_NAME = Name("/IIAPackPage")


def pack_page_label(number: int, total: int) -> str:
    """What a page of the pack says of its place in it."""
    return f"Pack page {number} of {total}"


@dataclass
class PackWriter:
    """Documents appended one after the other into one tagged PDF."""

    pdf: pikepdf.Pdf = field(default_factory=pikepdf.new)
    parts: list = field(default_factory=list)
    nums: list = field(default_factory=list)
    next_key: int = 0
    role_map: dict = field(default_factory=dict)

    def append(self, data: bytes, *, title: str, copy: bool = False) -> int:
        """Copy every page of ``data``, and its structure as a Part titled ``title``, to the
        end of the pack; return the index of its first page. ``copy``: a signed document's
        copy, whose signature field is left behind."""
        at = len(self.pdf.pages)
        with pikepdf.open(io.BytesIO(data)) as source:
            dropped = _drop_signature_fields(source) if copy else set()
            offset = self.next_key
            for page in source.pages:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annotation in page.obj.get("/Annots", ()):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
            self.pdf.pages.extend(source.pages)  # first: the structure's /Pg then point at the copies
            tree = source.Root.get("/StructTreeRoot")
            if tree is not None:
                self._copy_structure(source, tree, offset, dropped, title)
        return at

    def _copy_structure(self, source: pikepdf.Pdf, tree, offset: int, dropped: set, title: str) -> None:
        document = tree.K[0] if isinstance(tree.K, Array) else tree.K
        del document["/P"]  # would copy the source's tree root (and everything again)
        document.K = Array([kid for kid in document.K if not _holds(kid, dropped)]) \
            if isinstance(document.K, Array) else document.K
        entries = [(key, value) for key, value in _number_tree(tree.ParentTree)
                   if not (isinstance(value, Dictionary) and _holds(value, dropped))]
        # one copy of the parent tree brings every element with it (through their /P and /K)
        copied = self.pdf.copy_foreign(source.make_indirect(Dictionary(Nums=Array(
            [x for key, value in entries for x in (key, value)]))))
        nums = copied.Nums
        for i in range(0, len(nums), 2):
            self.nums += [int(nums[i]) + offset, nums[i + 1]]
        last = max((key for key, _value in entries), default=-1)
        self.next_key = offset + max(int(tree.get("/ParentTreeNextKey", 0)), last + 1)
        part = self.pdf.copy_foreign(document)
        part.S = Name.Part
        part.T = pikepdf.String(title)
        self.parts.append(part)
        for role, standard in dict(tree.get("/RoleMap", {})).items():
            self.role_map[role] = Name(str(standard))

    def finish(self, meta: Metadata, outline: list) -> bytes:
        """Number the pages, write the structure tree, the outline and the metadata; the bytes."""
        stamp(self.pdf)
        pdf = self.pdf
        tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree_root,
                                                Lang=pikepdf.String(meta.lang), K=Array(self.parts)))
        for part in self.parts:
            part.P = document
        tree_root.K = document
        tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(self.nums)))
        tree_root.ParentTreeNextKey = self.next_key
        if self.role_map:
            tree_root.RoleMap = Dictionary(self.role_map)
        pdf.Root.StructTreeRoot = tree_root
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.Lang = pikepdf.String(meta.lang)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.PageMode = Name.UseOutlines
        with pdf.open_outline() as tree:
            tree.root.extend(outline)
        _metadata(pdf, meta)
        return _save(pdf)


def _save(pdf: pikepdf.Pdf) -> bytes:
    """The pack's bytes, in object streams where that leaves every stream's end plain.

    qpdf compresses the object streams, the cross-reference stream and the pack's own new
    streams; when compressed bytes end in CR, before qpdf's LF and "endstream", validators
    read CR LF as the end of line and count the stream one byte short (PDF/A-2 rejects it;
    about one pack in five has such a stream among its dozens). Such a pack is written
    again without object streams and without compressing the new streams (a third larger),
    so qpdf compresses nothing itself and the streams end as reportlab wrote them."""
    for options in ({"object_stream_mode": pikepdf.ObjectStreamMode.generate},
                    {"object_stream_mode": pikepdf.ObjectStreamMode.disable, "compress_streams": False}):
        out = io.BytesIO()
        pdf.save(out, min_version="1.7", **options)
        if not ambiguous_stream_end(out.getvalue()):
            return out.getvalue()
    raise RuntimeError("Could not write an agenda pack whose streams end unambiguously.")


def _drop_signature_fields(source: pikepdf.Pdf) -> set:
    """Take the signature widgets off the pages; the ids of the objects left behind."""
    dropped = set()
    for page in source.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get("/FT") != Name.Sig]
        dropped |= {a.objgen for a in annotations if a.get("/FT") == Name.Sig}
        if kept:
            page.obj.Annots = Array(kept)
        else:
            del page.obj["/Annots"]
    return dropped


def _holds(element, dropped: set) -> bool:
    """A structure element holding a dropped object (the Form element of a signature)."""
    if not dropped or not isinstance(element, Dictionary):
        return False
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and kid.Obj.objgen in dropped:
            return True
    return False


def _number_tree(node):
    """The (key, value) pairs of a number tree."""
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


def _stamps(total: int) -> bytes:
    """One page per page of the pack, with its "Pack page N of M" and nothing else."""
    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    for number in range(1, total + 1):
        canvas.setFont(SANS_BOLD, 8)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(PAGE_WIDTH / 2, STAMP_Y, pack_page_label(number, total))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def stamp(pdf: pikepdf.Pdf) -> None:
    """"Pack page N of M" at the foot of every page, centred on the footer's line (the
    document's own "Page 1 of 6" is at its left), as a pagination artifact."""
    total = len(pdf.pages)
    with pikepdf.open(io.BytesIO(_stamps(total))) as stamps:
        for page, stamp_page in zip(pdf.pages, stamps.pages, strict=True):
            form = pdf.copy_foreign(stamp_page.as_form_xobject())
            name = page.add_resource(form, Name.XObject, STAMP_NAME, replace_existing=True)
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(
                b"\nQ /Artifact <</Type /Pagination>> BDC q " + name.unparse() + b" Do Q EMC\n"))


def _metadata(pdf: pikepdf.Pdf, meta: Metadata) -> None:
    """XMP (PDF/A-2a, PDF/UA-1), the matching Info dictionary and the sRGB output intent."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    pdf.Root.Metadata = pdf.make_stream(xmp_packet(meta, now), Type=Name.Metadata, Subtype=Name.XML)
    info = pdf.make_indirect(Dictionary(
        Title=pikepdf.String(meta.title), Author=pikepdf.String(meta.author), Subject=pikepdf.String(meta.subject),
        Keywords=pikepdf.String(meta.keywords), Creator=pikepdf.String(meta.creator),
        Producer=pikepdf.String(meta.producer), CreationDate=pikepdf.String(info_date(now)),
        ModDate=pikepdf.String(info_date(now))))
    pdf.trailer.Info = info
    profile = pdf.make_stream(srgb_profile(), N=3)
    pdf.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=profile)])
