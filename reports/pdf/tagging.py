"""Tagged PDF from reportlab: the structure tree (PDF/UA-1) and PDF/A-2a metadata.

reportlab writes no tags. While a document is built, tagged flowables wrap what they
draw in marked content (``/P <</MCID n>> BDC ... EMC``) and record which structure
element owns each marked-content id; page furniture, table rules and backgrounds are
marked as artifacts. After the build, ``finalize`` writes the structure tree, the
parent tree, per-page /StructParents and /Tabs, MarkInfo, the XMP metadata (pdfaid 2A,
pdfuaid 1, with its extension schema), an sRGB output intent, and an invisible
signature field inside a /Form element for pyHanko to fill.
"""

import datetime
import functools
import io
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

SIGNATURE_FIELD = "IIASignature"


@dataclass(eq=False)
class Node:
    """A structure element: its role, parent, kids (nodes or (page, mcid) pairs) and attributes."""

    role: str
    parent: "Node | None" = None
    kids: list = field(default_factory=list)
    attrs: dict | None = None
    title: str | None = None
    alt: str | None = None  # a Figure's text alternative

    def add(self, child: "Node") -> "Node":
        child.parent = self
        self.kids.append(child)
        return child


class Structure:
    """Records, while reportlab draws, which element owns each marked-content id."""

    def __init__(self):
        self.root = Node("Document")
        self.pages: dict[int, list[Node]] = {}

    def _attach(self, node: Node) -> None:
        top = node
        while top.parent is not None:
            top = top.parent
        if top is not self.root:
            self.root.add(top)

    def begin(self, canvas, node: Node) -> None:
        self._attach(node)
        page = canvas.getPageNumber() - 1
        owners = self.pages.setdefault(page, [])
        mcid = len(owners)
        owners.append(node)
        node.kids.append((page, mcid))
        canvas.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canvas) -> None:
        canvas.addLiteral("EMC")

    @staticmethod
    def artifact(canvas, pagination: bool = False) -> None:
        canvas.addLiteral("/Artifact <</Type /Pagination>> BDC" if pagination else "/Artifact BMC")


def structure_of(canvas) -> Structure | None:
    """The structure being recorded for the document this canvas draws, if any."""
    return getattr(getattr(canvas, "_doctemplate", None), "structure", None)


# --- tables ------------------------------------------------------------------------

@dataclass(eq=False)
class RowTags:
    row: Node
    cells: list[Node]


def table_tags(n_rows: int, n_cols: int, *, header: bool, row_headers: bool) -> tuple[Node, list[RowTags]]:
    """A Table element with THead/TBody, rows and cells (TH with a Scope, or TD)."""
    table = Node("Table")
    rows = []
    head = table.add(Node("THead")) if header else None
    body = table.add(Node("TBody"))
    for r in range(n_rows):
        is_head = header and r == 0
        tr = (head if is_head else body).add(Node("TR"))
        cells = []
        for c in range(n_cols):
            if is_head:
                cells.append(tr.add(Node("TH", attrs={"Scope": "Column"})))
            elif row_headers and c == 0:
                cells.append(tr.add(Node("TH", attrs={"Scope": "Row"})))
            else:
                cells.append(tr.add(Node("TD")))
        rows.append(RowTags(tr, cells))
    return table, rows


def table_render_callback(table, event, *args):
    """Table(renderCB=...): cells become their TH/TD elements; rules, backgrounds and
    header rows repeated on later pages become artifacts."""
    structure = structure_of(table.canv)
    if structure is None:
        return
    canvas = table.canv
    if event in ("startBG", "startLines"):
        Structure.artifact(canvas)
    elif event in ("endBG", "endLines", "endCell"):
        Structure.end(canvas)
    elif event == "startCell":
        row, col = args[0], args[1]
        tags = table._iia_rows[row] if row < len(table._iia_rows) else None
        if tags is None:
            Structure.artifact(canvas)
        else:
            structure.begin(canvas, tags.cells[col])


# --- after the build -----------------------------------------------------------------

@dataclass
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str = "iia"
    producer: str = "iia (reportlab, pikepdf)"
    lang: str = "en-GB"


@functools.cache
def _srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _xmp(meta: Metadata, created: str) -> bytes:
    e = escape
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(meta.lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>
   <pdf:Producer>{e(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{created}</xmp:ModifyDate>
   <xmp:MetadataDate>{created}</xmp:MetadataDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def finalize(data: bytes, structure: Structure, meta: Metadata, *, signature_name: str | None = None) -> bytes:
    """Write the structure tree and the PDF/A and PDF/UA metadata into reportlab's output;
    with ``signature_name``, add an invisible signature field named for screen readers."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = [page.obj for page in pdf.pages]
    parent_tree: dict[int, list] = {i: [None] * len(owners) for i, owners in structure.pages.items()}
    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    names: dict[str, Name] = {}

    def name(role: str) -> Name:
        if role not in names:
            names[role] = Name("/" + role)
        return names[role]

    def build(node: Node, parent) -> pikepdf.Object:
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=name(node.role), P=parent))
        kids = []
        first_page = None
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(build(kid, element))
                continue
            page, mcid = kid
            if first_page is None:
                first_page = page
            # an MCID on the element's own page is a plain integer; others need an MCR
            kids.append(mcid if page == first_page else Dictionary(Type=Name.MCR, Pg=pages[page], MCID=mcid))
            parent_tree[page][mcid] = element
        element.K = Array(kids)
        if first_page is not None:
            element.Pg = pages[first_page]
        if node.attrs:
            element.A = Dictionary({"/O": Name.Table, **{f"/{k}": name(v) for k, v in node.attrs.items()}})
        if node.title:
            element.T = String(node.title)
        if node.alt:
            element.Alt = String(node.alt)
        return element

    document = build(structure.root, tree_root)
    document.Lang = String(meta.lang)
    nums = Array()
    for page_index in sorted(parent_tree):
        nums.append(page_index)
        nums.append(Array(parent_tree[page_index]))
    next_key = len(pages)
    if signature_name:
        widget = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(SIGNATURE_FIELD), TU=String(signature_name),
            Rect=Array([0, 0, 0, 0]), F=132, P=pages[0], StructParent=next_key,
        ))
        pages[0].Annots = Array([*pages[0].get("/Annots", Array()), widget])
        form = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Form, P=document, Pg=pages[0],
                                            Alt=String(signature_name),
                                            K=Array([Dictionary(Type=Name.OBJR, Obj=widget, Pg=pages[0])])))
        document.K.append(form)
        nums.append(next_key)
        nums.append(form)
        next_key += 1
        pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), SigFlags=0)
    tree_root.K = document
    tree_root.ParentTree = Dictionary(Nums=nums)
    tree_root.ParentTreeNextKey = next_key
    for index, page in enumerate(pages):
        page.StructParents = index
        page.Tabs = Name.S
    pdf.Root.StructTreeRoot = tree_root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(meta.lang)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        Info=String("sRGB IEC61966-2.1"),
        DestOutputProfile=pdf.make_stream(_srgb_profile(), N=3),
    )])
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    pdf.docinfo = pdf.make_indirect(Dictionary(
        Title=String(meta.title), Author=String(meta.author), Subject=String(meta.subject),
        Keywords=String(meta.keywords), Creator=String(meta.creator), Producer=String(meta.producer),
        CreationDate=String(now.strftime("D:%Y%m%d%H%M%SZ")), ModDate=String(now.strftime("D:%Y%m%d%H%M%SZ")),
    ))
    pdf.Root.Metadata = pdf.make_stream(_xmp(meta, now.strftime("%Y-%m-%dT%H:%M:%SZ")), Type=Name.Metadata,
                                        Subtype=Name.XML)
    _unambiguous_stream_ends(pdf)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, fix_metadata_version=False)
    return out.getvalue()


def _unambiguous_stream_ends(pdf: pikepdf.Pdf) -> None:
    """A compressed stream whose last byte is CR, followed by the writer's LF and
    "endstream", reads as a CRLF end of line: validators then count one byte short of
    /Length. zlib data ends with the Adler-32 of the content, so about one stream in 256
    does. Such a stream gets a trailing newline (a no-op in content streams and CMaps)
    and is compressed again; a font program is stored uncompressed instead."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
            continue
        filters = obj.get("/Filter")
        names = [str(filters)] if isinstance(filters, pikepdf.Name) else [str(f) for f in filters or []]
        if names != ["/FlateDecode"] or "/DecodeParms" in obj:
            continue
        decoded = obj.read_bytes()
        if "/Length1" in obj or "/Subtype" in obj:  # font programs, images: bytes must not change
            obj.write(decoded)
            continue
        for padding in (b"\n", b" \n", b"  \n", b"   \n"):
            packed = zlib.compress(decoded + padding)
            if not packed.endswith(b"\r"):
                obj.write(packed, filter=Name.FlateDecode)
                break
