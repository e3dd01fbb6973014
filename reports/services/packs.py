"""Building a meeting's agenda pack: cover and agenda (with the page each item starts
on in the pack), then every report followed by its signed assessment or screening
record as Appendix 1, with a bookmark per item. Runs in the background, with progress."""

import hashlib
import io
import logging
import traceback

import pikepdf
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Role

from ..models import AgendaPack, ItemKind, Meeting, SignedDocument
from ..pdf.agenda import AgendaPdf, Contact
from ..pdf.fonts import clean
from ..pdf.pack import PackWriter
from ..pdf.report import ReportPdf
from ..pdf.tagging import Metadata
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


def _contact(meeting: Meeting) -> Contact:
    """The clerk of the meeting's board (the first, if there are several) and the register."""
    clerk = (get_user_model().objects.filter(memberships__board_id=meeting.board_id, memberships__role=Role.CLERK)
             .order_by("pk").first())
    name = (clerk.get_full_name() or clerk.get_username()) if clerk else "The clerk"
    email = clerk.email if clerk else ""
    register = settings.IIA_SITE_URL + reverse("register_board", args=[meeting.committee.board.slug])
    return Contact(clerk=name, email=email, register_url=register)


def _render_reports(pack: AgendaPack, meeting: Meeting, report_items: list) -> list[tuple]:
    """Every report on the agenda, with its appendix: (item, report PDF, appendix PDF, document)."""
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
    return parts


def _render_front(meeting: Meeting, items: list, parts: list[tuple]) -> tuple[bytes, dict[int, int]]:
    """The cover and agenda, with the page each item starts on in the pack. The agenda's
    own length decides where the items start, so it is rendered until that settles."""
    contact = _contact(meeting)
    sizes = [(_pages(report) + (_pages(appendix) if appendix else 0)) for _, report, appendix, _ in parts]
    front_pages, front = 0, b""
    for _ in range(4):
        start, item_pages = front_pages + 1, {}
        for (item, *_rest), size in zip(parts, sizes, strict=True):
            item_pages[item.pk] = start
            start += size
        buffer = io.BytesIO()
        pages = AgendaPdf(meeting, items, item_pages=item_pages, contact=contact,
                          pack_pages=front_pages + sum(sizes)).render(buffer)
        front = buffer.getvalue()
        if pages == front_pages:
            break
        front_pages = pages
    return front, item_pages


def _assemble(meeting: Meeting, front: bytes, parts: list[tuple]) -> tuple[bytes, int]:
    """One tagged PDF with a bookmark per item (and its appendix), every page numbered in
    the pack: (bytes, pages)."""
    pack = PackWriter()
    outline = [pikepdf.OutlineItem("Cover and agenda", pack.append(front, title=f"Agenda: {meeting.title}"))]
    for item, report, appendix, document in parts:
        title = f"Item {item.position}: {item.report.number} {item.title}"
        entry = pikepdf.OutlineItem(title, pack.append(report, title=title))
        if appendix:
            # the appendix is a copy: its signature (and field) stay with the signed original
            label = f"Appendix 1: {document.get_kind_display()}"
            entry.children.append(pikepdf.OutlineItem(label, pack.append(appendix, title=f"{label}, {item.title}",
                                                                         copy=True)))
        outline.append(entry)
    board = meeting.committee.board
    data = pack.finish(Metadata(
        title=clean(f"Agenda pack: {meeting.title}"), author=clean(board.name),
        subject=clean(f"Agenda, reports and impact assessments for {meeting.title}"),
        keywords="agenda pack"), outline)
    return data, len(pack.pdf.pages)


def pack_build(*, meeting_id: int) -> AgendaPack:
    """Build the meeting's agenda pack (pending, failed or even ready: a build is
    idempotent). A failure is kept on the pack, logged and raised for the retry."""
    pack = AgendaPack.objects.select_related("meeting__committee__board").get(meeting_id=meeting_id)
    meeting = pack.meeting
    pack.start()
    pack.attempts, pack.progress, pack.progress_message = pack.attempts + 1, 1, "Starting"
    pack.save(update_fields=["status", "attempts", "progress", "progress_message"])
    try:
        items = list(meeting.items.select_related("report__committee", "report__board", "report__plan_change")
                     .order_by("position", "pk"))
        parts = _render_reports(pack, meeting, [item for item in items if item.kind == ItemKind.REPORT])
        front, item_pages = _render_front(meeting, items, parts)
        _progress(pack, 90, "Assembling the pack")
        data, pages = _assemble(meeting, front, parts)
        pack.finish()
        pack.progress, pack.progress_message, pack.pdf = 100, "Ready", data
        pack.sha256, pack.size, pack.pages = hashlib.sha256(data).hexdigest(), len(data), pages
        pack.item_pages = {str(k): v for k, v in item_pages.items()}
        pack.built_at, pack.last_error = timezone.now(), ""
        pack.save(update_fields=["status", "progress", "progress_message", "pdf", "sha256", "size", "pages",
                                 "item_pages", "built_at", "last_error"])
    except Exception as error:
        pack.fail()
        pack.last_error = f"{type(error).__name__}: {error}"[:2000]
        pack.progress_message = "Failed; it will be retried"
        pack.save(update_fields=["status", "last_error", "progress_message"])
        logger.error("agenda pack of meeting %s failed: %s", meeting_id, traceback.format_exc())
        raise
    pack.refresh_from_db()
    return pack
