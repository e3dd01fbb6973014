"""Tagged PDF from reportlab: the structure tree (PDF/UA-1) and PDF/A-2a metadata.

reportlab writes no tags. While a document is built, tagged flowables wrap what they
draw in marked content (``/P <</MCID n>> BDC ... EMC``) and record which structure
element owns each marked-content id; page furniture, table rules and backgrounds are
marked as artifacts. Before reportlab saves, ``finalize`` adds the structure tree, the
parent tree, per-page /StructParents and /Tabs, MarkInfo, the XMP metadata (pdfaid 2A,
pdfuaid 1, with its extension schema), an sRGB output intent, and an invisible
signature field inside a /Form element for pyHanko to fill, all written into
reportlab's own output (one revision, no second pass over the file).
"""

import datetime
import functools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from PIL import ImageCms
from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFInfo, PDFObject, PDFObjectReference, PDFPage

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
    actual: str | None = None  # the text as typed, where it is drawn in another order (right to left)

    def add(self, child: "Node") -> "Node":
        child.parent = self
        self.kids.append(child)
        return child


@dataclass(eq=False)
class LinkAnnotation:
    """A link's annotation (a kid of its Link element, as an object reference): where it is
    on its page, where it leads, and its description for assistive technology."""

    page: int
    rect: tuple[float, float, float, float]
    uri: str
    contents: str
    owner: Node
    number: int = 0  # its object number, given in ``finalize``


class Structure:
    """Records, while reportlab draws, which element owns each marked-content id."""

    def __init__(self):
        self.root = Node("Document")
        self.pages: dict[int, list[Node]] = {}
        self.links: list[LinkAnnotation] = []

    def link(self, canvas, node: Node, rect: tuple[float, float, float, float], uri: str, contents: str) -> None:
        """A link annotation over ``rect`` (page space) on the current page, owned by the
        Link element ``node`` (which also owns the link's text)."""
        annotation = LinkAnnotation(canvas.getPageNumber() - 1, rect, uri, contents, node)
        node.kids.append(annotation)
        self.links.append(annotation)

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
    return getattr(canvas, "structure", None)  # layout.DocumentCanvas


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


# --- after the build -----------------------------------------------------------------

@dataclass
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str = "iia"
    producer: str = "iia (reportlab)"
    lang: str = "en-GB"


@functools.cache
def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp_packet(meta: Metadata, moment: datetime.datetime) -> bytes:
    """The XMP metadata of a document made at ``moment`` (UTC)."""
    return _xmp(meta, moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def info_date(moment: datetime.datetime) -> str:
    """``moment`` (UTC) as a date of the Info dictionary, matching ``xmp_packet``."""
    return moment.strftime("D:%Y%m%d%H%M%SZ")


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


def _text(value: str) -> str:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + value.encode("utf-16-be").hex() + ">"


class Raw(PDFObject):
    """An indirect object whose PDF text is written here (reportlab's object-by-object
    formatting is slow for hundreds of small dictionaries)."""

    __RefOnly__ = 1

    def __init__(self, data: bytes = b""):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def raw_stream(dictionary: str, content: bytes) -> bytes:
    return f"<<{dictionary}/Length {len(content)}>>\nstream\n".encode() + content + b"\nendstream"


class Info(PDFInfo):
    """The document information dictionary, matching the XMP metadata."""

    def __init__(self, meta: "Metadata", date: str):
        super().__init__()
        self.meta, self.date = meta, date
        self.title, self.author, self.subject, self.keywords = meta.title, meta.author, meta.subject, meta.keywords

    def format(self, document) -> bytes:
        m = self.meta
        return (f"<</Title{_text(m.title)}/Author{_text(m.author)}/Subject{_text(m.subject)}"
                f"/Keywords{_text(m.keywords)}/Creator{_text(m.creator)}/Producer{_text(m.producer)}"
                f"/CreationDate({self.date})/ModDate({self.date})>>").encode()


class Objects:
    """Indirect objects added to reportlab's document, and their object numbers."""

    def __init__(self, doc):
        self.doc = doc
        self.numbers = doc.idToObjectNumberAndVersion

    def add(self, obj: PDFObject) -> int:
        return self.numbers[self.doc.Reference(obj).name][0]

    def page_refs(self) -> list[str]:
        return [f"{self.numbers[page.__InternalName__][0]} 0 R" for page in self.doc.Pages.pages]


def finalize(canvas, structure: Structure, meta: Metadata, *, signature_name: str | None = None) -> None:
    """Before reportlab saves the document: write the structure tree and parent tree, the
    pages' /StructParents and /Tabs, MarkInfo, the XMP metadata (matched by the document
    information), the sRGB output intent and, with ``signature_name``, an invisible
    signature field named for screen readers inside a /Form element."""
    # reportlab 5.1.0 offers no public way to add indirect objects or catalog entries to
    # the document a canvas writes; the structure tree PDF/UA-1 needs is written into it
    # here, in one revision (docs/adr on tagging on top of reportlab).
    doc = canvas._doc
    objects = Objects(doc)
    pages = doc.Pages.pages
    page_refs = objects.page_refs()
    tree_root, parent_tree_object = Raw(), Raw()
    tree_number, parent_tree_number = objects.add(tree_root), objects.add(parent_tree_object)
    own: dict[int, int] = {}
    order = _number(structure.root, objects, own)
    next_key = len(pages)
    form = None
    if signature_name:
        form = _signature_field(doc, objects, page_refs, own[id(structure.root)], signature_name, next_key)
    link_keys = _link_annotations(doc, objects, page_refs, structure.links, next_key + (1 if form else 0))
    parent_tree = _write_elements(order, own, structure, page_refs, tree_number, meta.lang,
                                  extra_kids=f" {form} 0 R" if form else "")
    nums = " ".join(f"{page}[{' '.join(f'{n} 0 R' if n else 'null' for n in parent_tree[page])}]"
                    for page in sorted(parent_tree))
    if form:
        nums += f" {next_key} {form} 0 R"
        next_key += 1
    for key, link in link_keys:
        nums += f" {key} {own[id(link)]} 0 R"
        next_key += 1
    parent_tree_object.data = f"<</Nums[{nums}]>>".encode()
    tree_root.data = (f"<</Type/StructTreeRoot/K {own[id(structure.root)]} 0 R/ParentTree {parent_tree_number} 0 R"
                      f"/ParentTreeNextKey {next_key}>>").encode()
    for index, page in enumerate(pages):
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = "/S"
    _write_metadata(doc, objects, meta, tree_root)


def _number(root: Node, objects: Objects, own: dict[int, int]) -> list[tuple[Node, Raw, int]]:
    """An object for every element, parents before their kids; ``own`` maps id(node) to its number."""
    order: list[tuple[Node, Raw, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        raw = Raw()
        own[id(node)] = objects.add(raw)
        order.append((node, raw, own[id(node)]))
        stack.extend(reversed([kid for kid in node.kids if isinstance(kid, Node)]))
    return order


def _signature_field(doc, objects: Objects, page_refs: list[str], document_number: int, signature_name: str,
                     key: int) -> int:
    """An invisible signature widget on the first page inside a /Form element; returns the
    element's object number (its parent tree key is ``key``)."""
    widget, form = Raw(), Raw()
    widget_number, form_number = objects.add(widget), objects.add(form)
    widget.data = (f"<</Type/Annot/Subtype/Widget/FT/Sig/T({SIGNATURE_FIELD})/TU{_text(signature_name)}"
                   f"/Rect[0 0 0 0]/F 132/P {page_refs[0]}/StructParent {key}>>").encode()
    form.data = (f"<</Type/StructElem/S/Form/P {document_number} 0 R/Pg {page_refs[0]}/Alt{_text(signature_name)}"
                 f"/K[<</Type/OBJR/Obj {widget_number} 0 R/Pg {page_refs[0]}>>]>>").encode()
    first = doc.Pages.pages[0]
    first.Annots = [*(first.Annots or []), PDFObjectReference(widget.__InternalName__)]
    doc.Catalog.AcroForm = f"<</Fields[{widget_number} 0 R]/SigFlags 0>>"
    return form_number


def _link_annotations(doc, objects: Objects, page_refs: list[str], links: list[LinkAnnotation],
                      first_key: int) -> list[tuple[int, Node]]:
    """Each link's annotation on its page (printable, no border, its description in
    /Contents); returns the parent tree key of each and the Link element it belongs to."""
    keys = []
    for key, link in enumerate(links, first_key):
        raw = Raw()
        link.number = objects.add(raw)
        x1, y1, x2, y2 = (f"{v:.2f}" for v in link.rect)
        raw.data = (f"<</Type/Annot/Subtype/Link/Rect[{x1} {y1} {x2} {y2}]/Border[0 0 0]/F 4"
                    f"/Contents{_text(link.contents)}/A<</S/URI/URI{_ascii(link.uri)}>>/P {page_refs[link.page]}"
                    f"/StructParent {key}>>").encode()
        page = doc.Pages.pages[link.page]
        page.Annots = [*(page.Annots or []), PDFObjectReference(raw.__InternalName__)]
        keys.append((key, link.owner))
    return keys


def _ascii(value: str) -> str:
    """A PDF string of ASCII text (a URI)."""
    escaped = value.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def _write_elements(order, own: dict[int, int], structure: Structure, page_refs: list[str], tree_number: int,
                    lang: str, *, extra_kids: str) -> dict[int, list[int]]:
    """Each element's dictionary; returns the parent tree: per page, the owner of each MCID."""
    parent_tree: dict[int, list[int]] = {i: [0] * len(owners) for i, owners in structure.pages.items()}
    for node, raw, this in order:
        kids, first_page = [], None
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(f"{own[id(kid)]} 0 R")
                continue
            if isinstance(kid, LinkAnnotation):
                kids.append(f"<</Type/OBJR/Obj {kid.number} 0 R/Pg {page_refs[kid.page]}>>")
                continue
            page, mcid = kid
            if first_page is None:
                first_page = page
            # an MCID on the element's own page is a plain integer; others need an MCR
            kids.append(str(mcid) if page == first_page else f"<</Type/MCR/Pg {page_refs[page]}/MCID {mcid}>>")
            parent_tree[page][mcid] = this
        parent = tree_number if node.parent is None else own[id(node.parent)]
        body = [f"<</Type/StructElem/S/{node.role}/P {parent} 0 R/K[{' '.join(kids)}"]
        body.append(extra_kids + "]/Lang" + _text(lang) if node is structure.root else "]")
        if first_page is not None:
            body.append(f"/Pg {page_refs[first_page]}")
        if node.attrs:
            body.append("/A<</O/Table" + "".join(f"/{k}/{v}" for k, v in node.attrs.items()) + ">>")
        for key, value in (("T", node.title), ("Alt", node.alt), ("ActualText", node.actual)):
            if value:
                body.append(f"/{key}" + _text(value))
        body.append(">>")
        raw.data = "".join(body).encode()
    return parent_tree


def _write_metadata(doc, objects: Objects, meta: Metadata, tree_root: Raw) -> None:
    """The catalog's structure tree, MarkInfo, XMP and sRGB output intent, and the matching Info."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    icc = objects.add(Raw(raw_stream("/N 3", srgb_profile())))
    xmp = Raw(raw_stream("/Type/Metadata/Subtype/XML", xmp_packet(meta, now)))
    catalog = doc.Catalog
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    catalog.StructTreeRoot = PDFObjectReference(tree_root.__InternalName__)
    catalog.MarkInfo = "<</Marked true>>"
    objects.add(xmp)
    catalog.Metadata = PDFObjectReference(xmp.__InternalName__)
    catalog.OutputIntents = (f"[<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier(sRGB IEC61966-2.1)"
                             f"/Info(sRGB IEC61966-2.1)/DestOutputProfile {icc} 0 R>>]")
    doc.info = Info(meta, info_date(now))
