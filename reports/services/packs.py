"""Building a meeting's agenda pack: cover and agenda (with the page each item starts
on in the pack), then every report followed by its signed assessment or screening
record as Appendix 1, with a bookmark per item. Runs in the background, with progress."""

import hashlib
import io
import logging
import traceback

import pikepdf
from django.utils import timezone

from assessments.models import Role

from ..models import AgendaPack, ItemKind, Meeting, PackStatus, SignedDocument
from ..pdf.agenda import AgendaPdf
from ..pdf.report import ReportPdf
from .reports import policy_implications, report_appendix

logger = logging.getLogger("iia.packs")


def _progress(pack: AgendaPack, percent: int, message: str) -> None:
    AgendaPack.objects.filter(pk=pack.pk).update(progress=percent, progress_message=message[:200])


def appendix_document(report) -> SignedDocument | None:
    """The report's appendix, once its signed PDF is ready."""
    document = report_appendix(report)
    return document if document is not None and document.is_ready else None


def _pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _append(pack: pikepdf.Pdf, data: bytes, *, drop_annotations: bool = False) -> int:
    """Copy every page of ``data`` to the end of the pack; return the first one's index.
    The copies leave their structure trees behind: the pack is a compilation of copies
    (each document, tagged and signed, is published on its own)."""
    at = len(pack.pages)
    with pikepdf.open(io.BytesIO(data)) as source:
        for page in source.pages:
            for key in ("/StructParents", "/Tabs") + (("/Annots",) if drop_annotations else ()):
                if key in page.obj:
                    del page.obj[key]
        pack.pages.extend(source.pages)
    return at


def _clerk_name(meeting: Meeting) -> str:
    from django.contrib.auth import get_user_model

    clerk = (get_user_model().objects.filter(memberships__board_id=meeting.board_id, memberships__role=Role.CLERK)
             .order_by("pk").first())
    return (clerk.get_full_name() or clerk.get_username()) if clerk else "The clerk"


def pack_build(*, meeting_id: int) -> AgendaPack:
    pack = AgendaPack.objects.select_related("meeting__committee__board").get(meeting_id=meeting_id)
    meeting = pack.meeting
    AgendaPack.objects.filter(pk=pack.pk).update(status=PackStatus.BUILDING, attempts=pack.attempts + 1,
                                                 progress=1, progress_message="Starting")
    try:
        items = list(meeting.items.select_related("report__committee", "report__board", "report__plan_change")
                     .order_by("position", "pk"))
        report_items = [item for item in items if item.kind == ItemKind.REPORT]
        steps = len(report_items) + 2
        parts = []
        for n, item in enumerate(report_items, 1):
            document = appendix_document(item.report)
            appendix = bytes(document.pdf) if document else None
            note = (f"Appendix 1: the signed {document.get_kind_display().lower()}, verification code "
                    f"{document.verification_code}." if document else "")
            buffer = io.BytesIO()
            ReportPdf(item.report, meeting=meeting, appendix_note=note,
                      policy_implications=policy_implications(item.report, "Appendix 1")).render(buffer)
            parts.append((item, buffer.getvalue(), appendix, document))
            _progress(pack, int(85 * n / steps), f"Rendered item {item.position}: report {item.report.number}")

        clerk = _clerk_name(meeting)
        sizes = [(_pages(report) + (_pages(appendix) if appendix else 0)) for _, report, appendix, _ in parts]
        front_pages, front = 0, b""
        for _ in range(4):  # the agenda's own length decides where the items start
            start, item_pages = front_pages + 1, {}
            for (item, *_rest), size in zip(parts, sizes, strict=True):
                item_pages[item.pk] = start
                start += size
            buffer = io.BytesIO()
            pages = AgendaPdf(meeting, items, item_pages=item_pages, clerk_name=clerk).render(buffer)
            front = buffer.getvalue()
            if pages == front_pages:
                break
            front_pages = pages
        _progress(pack, 90, "Assembling the pack")

        merged = pikepdf.new()
        outline = [pikepdf.OutlineItem("Cover and agenda", _append(merged, front))]
        for item, report, appendix, document in parts:
            entry = pikepdf.OutlineItem(f"Item {item.position}: {item.report.number} {item.title}",
                                        _append(merged, report))
            if appendix:
                # the appendix is a copy: its signature (and field) stay with the signed original
                entry.children.append(pikepdf.OutlineItem(f"Appendix 1: {document.get_kind_display()}",
                                                          _append(merged, appendix, drop_annotations=True)))
            outline.append(entry)
        with merged.open_outline() as tree:
            tree.root.extend(outline)
        merged.docinfo["/Title"] = f"Agenda pack: {meeting.title}"
        merged.docinfo["/Author"] = meeting.committee.board.name
        merged.docinfo["/Subject"] = f"Agenda, reports and impact assessments for {meeting.title}"
        merged.Root.Lang = pikepdf.String("en-GB")
        merged.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        merged.Root.PageMode = pikepdf.Name.UseOutlines
        out = io.BytesIO()
        merged.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        data = out.getvalue()
        pages = len(merged.pages)
        AgendaPack.objects.filter(pk=pack.pk).update(
            status=PackStatus.READY, progress=100, progress_message="Ready", pdf=data,
            sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
            item_pages={str(k): v for k, v in item_pages.items()}, built_at=timezone.now(), last_error="",
        )
    except Exception as error:
        AgendaPack.objects.filter(pk=pack.pk).update(status=PackStatus.FAILED,
                                                     last_error=f"{type(error).__name__}: {error}"[:2000],
                                                     progress_message="Failed; it will be retried")
        logger.error("agenda pack of meeting %s failed: %s", meeting_id, traceback.format_exc())
        raise
    pack.refresh_from_db()
    return pack
