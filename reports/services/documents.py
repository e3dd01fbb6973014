"""Issuing and verifying signed documents.

The workflow asks for a document inside the sign-off (or screening) transaction;
rendering and signing run after that transaction commits, outside any workflow lock
(``documents.enqueue``). A failure is recorded on the document and retried; the
sign-off itself is never undone by it.
"""

import hashlib
import io
import json
import logging
import re
import traceback
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import rules
from assessments.models import Assessment, Role, Screening
from assessments.selectors import job_title
from assessments.services import audit_record

from .. import snapshots
from ..models import AgendaPack, DocumentKind, DocumentStatus, SignedDocument
from ..pdf import probe, signing
from ..pdf.assessment import AssessmentPdf
from ..pdf.screening import ScreeningRecordPdf
from ..signals import document_requested

logger = logging.getLogger("iia.documents")

CODE_PATTERN = re.compile(rb"IIA-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def document_request_for_assessment(*, assessment: Assessment) -> SignedDocument:
    """Ask for the signed PDF of a signed-off assessment (idempotent); it is produced
    after the current transaction commits."""
    document, created = SignedDocument.objects.get_or_create(
        assessment=assessment,
        defaults={"kind": DocumentKind.ASSESSMENT, "board_id": assessment.plan_change.board_id},
    )
    if created:
        _after_commit(document)
    return document


def document_request_for_screening(*, screening: Screening) -> SignedDocument:
    """Ask for the signed screening record of a screened-out plan change (idempotent)."""
    document, created = SignedDocument.objects.get_or_create(
        screening=screening,
        defaults={"kind": DocumentKind.SCREENING_RECORD, "board_id": screening.plan_change.board_id},
    )
    if created:
        _after_commit(document)
    return document


def _after_commit(document: SignedDocument) -> None:
    transaction.on_commit(lambda: document_requested.send(sender=SignedDocument, document_id=document.pk))


def public_urls(code: str) -> tuple[str, str]:
    base = settings.IIA_SITE_URL
    return base + reverse("document_html", args=[code]), base + reverse("verify")


def _renderer(document: SignedDocument, snapshot: dict, *, snapshot_sha256: str = "", draft: bool = False):
    html_url, verify_url = public_urls(document.verification_code)
    kind = AssessmentPdf if document.kind == DocumentKind.ASSESSMENT else ScreeningRecordPdf
    return kind(snapshot, verification_code=document.verification_code, html_url=html_url, verify_url=verify_url,
                draft=draft, snapshot_sha256=snapshot_sha256)


def render(document: SignedDocument, *, draft: bool = False) -> tuple[bytes, int]:
    """The unsigned PDF of the document: from its stored snapshot once it has one (the
    same content as the signed PDF), otherwise from a snapshot of its record taken now."""
    if document.snapshot:
        return _render(document, json.loads(document.snapshot), snapshot_sha256=document.snapshot_sha256, draft=draft)
    return _render(document, snapshots.snapshot_of(document.assessment or document.screening), draft=draft)


def _render(document: SignedDocument, snapshot: dict, *, snapshot_sha256: str = "",
            draft: bool = False) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    pages = _renderer(document, snapshot, snapshot_sha256=snapshot_sha256, draft=draft).render(buffer)
    return buffer.getvalue(), pages


def _signatory(document: SignedDocument) -> tuple[str, str]:
    if document.kind == DocumentKind.ASSESSMENT:
        a = document.assessment
        return (a.signed_off_by.get_full_name() or a.signed_off_by.get_username()), a.signed_off_role
    s = document.screening
    reviewer = s.reviewed_by
    return (reviewer.get_full_name() or reviewer.get_username()), job_title(reviewer, s.plan_change.board_id,
                                                                               Role.EQUALITY_LEAD)


def document_issue(*, document_id: int) -> SignedDocument:
    """Render, sign and store the document once. Safe to call again: a stored document
    is returned unchanged."""
    document = SignedDocument.objects.select_related(
        "board", "assessment__plan_change__board", "assessment__template", "screening__plan_change__board",
    ).get(pk=document_id)
    if document.is_ready:
        return document
    try:
        name, role = _signatory(document)
        # what the PDF shows, taken once: the HTML version is rendered from the same snapshot
        snapshot = snapshots.snapshot_of(document.assessment or document.screening)
        content = snapshots.canonical(snapshot)
        content_sha256 = snapshots.digest(content)
        pdf, pages = _render(document, snapshot, snapshot_sha256=content_sha256)
        what = "assessment" if document.kind == DocumentKind.ASSESSMENT else "screening record"
        signed = signing.sign(
            pdf, board_slug=document.board.slug, reason=f"{what.capitalize()} signed off by {name}, {role}",
            location=document.board.name, signer_name=name,
        )
        stored = SignedDocument.objects.filter(pk=document.pk, sha256__isnull=True).update(
            pdf=signed, sha256=hashlib.sha256(signed).hexdigest(), size=len(signed), pages=pages,
            status=DocumentStatus.READY, signed_at=timezone.now(), signer_name=name, signer_role=role, last_error="",
            certificate=signing.certificate_der(document.board.slug), attempts=document.attempts + 1,
            snapshot=content, snapshot_sha256=content_sha256,
        )
        if not stored:
            logger.info("document %s was stored by another worker", document.pk)
    except Exception as error:
        SignedDocument.objects.filter(pk=document.pk, sha256__isnull=True).update(
            status=DocumentStatus.FAILED, attempts=document.attempts + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.error("document %s failed: %s", document.pk, traceback.format_exc())
        raise
    document.refresh_from_db()
    return document


class AlteredSnapshot(Exception):
    """A stored snapshot that fails its check: it is not what the document was signed with."""


def document_snapshot(document: SignedDocument) -> dict | None:
    """What the document's HTML version shows: its stored snapshot, checked (None when it
    has none). The snapshot must match its stored SHA-256 and, when it was taken at signing,
    the signed PDF must carry that SHA-256 in its keywords (the signature covers them);
    otherwise ``AlteredSnapshot``: altered data is never shown."""
    if not document.snapshot:
        return None
    if snapshots.digest(document.snapshot) != document.snapshot_sha256:
        raise AlteredSnapshot(f"The snapshot of {document.verification_code} does not match its SHA-256.")
    if document.snapshot_rebuilt_at is None and f"content SHA-256 {document.snapshot_sha256}".encode() not in bytes(
            document.pdf or b""):
        raise AlteredSnapshot(f"The signed PDF of {document.verification_code} does not carry its snapshot's SHA-256.")
    return json.loads(document.snapshot)


def _page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def document_snapshot_rebuild(*, document: SignedDocument) -> bool:
    """Give a document signed before snapshots were kept the snapshot its HTML version needs,
    if that can be done honestly: a snapshot of its record is taken now and kept only when
    the PDF rendered from it has exactly the signed PDF's text, page by page (so the form,
    the record and the wording have not changed since it was signed). It is marked as
    rebuilt (``snapshot_rebuilt_at``) and audited. False, and nothing stored, otherwise: the
    HTML version then offers the signed PDF only."""
    document = SignedDocument.objects.select_related(
        "board", "assessment__plan_change__board", "assessment__template", "screening__plan_change__board",
    ).get(pk=document.pk)
    if not document.is_ready or document.snapshot:
        return False
    record = document.assessment or document.screening
    snapshot = snapshots.snapshot_of(record)
    rendered, _pages = _render(document, snapshot)
    if _page_texts(rendered) != _page_texts(bytes(document.pdf)):
        logger.warning("document %s: its record no longer renders to the signed PDF's text; no snapshot rebuilt",
                       document.verification_code)
        return False
    content = snapshots.canonical(snapshot)
    with transaction.atomic():
        stored = SignedDocument.objects.filter(pk=document.pk, snapshot="").update(
            snapshot=content, snapshot_sha256=snapshots.digest(content), snapshot_rebuilt_at=timezone.now())
        if stored:
            audit_record(board=document.board_id, actor=None, action="document.snapshot_rebuild",
                         plan_change=record.plan_change, message=(
                             f"Rebuilt the accessible HTML version of the signed {document.get_kind_display().lower()} "
                             f"{document.verification_code} from the record; it renders to the signed PDF's text."),
                         data={"document": document.pk, "snapshot_sha256": snapshots.digest(content)})
    return bool(stored)


def preview(record: Assessment | Screening) -> bytes:
    """A draft preview, watermarked DRAFT, of a record that is not yet signed off."""
    if isinstance(record, Assessment):
        document = SignedDocument(kind=DocumentKind.ASSESSMENT, assessment=record, verification_code="DRAFT",
                                  board=record.plan_change.board)
    else:
        document = SignedDocument(kind=DocumentKind.SCREENING_RECORD, screening=record, verification_code="DRAFT",
                                  board=record.plan_change.board)
    return _render(document, snapshots.snapshot_of(record), draft=True)[0]


@dataclass
class Verification:
    """What the verification page says about a file or a code."""

    verdict: str  # "genuine", "altered", "unknown", "not_pdf", "pending", "unpublished", "pack"
    document: SignedDocument | None = None
    detail: str = ""
    checked_file: bool = False  # the bytes of a file were checked, not just a code
    pack: AgendaPack | None = None  # verdict "pack": a published agenda pack, as issued here

    @property
    def genuine(self) -> bool:
        return self.verdict == "genuine"


def _signature_intact(data: bytes, document: SignedDocument) -> tuple[bool, str]:
    """Check the embedded signature cryptographically, trusting the certificate the
    product signed with."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from ..pdf.signing import outside_event_loop

    reader = PdfFileReader(io.BytesIO(data))
    if not reader.embedded_signatures:
        return False, "The file carries no signature."
    cert = asn1_x509.Certificate.load(bytes(document.certificate))
    context = ValidationContext(trust_roots=[cert], allow_fetching=False)
    # pyHanko starts its own asyncio loop: on a worker thread when this one runs a loop
    status = outside_event_loop(lambda: validate_pdf_signature(reader.embedded_signatures[0], context))
    if not (status.intact and status.valid):
        return False, "The signature does not match the file's contents."
    if status.coverage.name != "ENTIRE_FILE":
        return False, "Content was added to the file after it was signed."
    return True, ""


def document_verify(data: bytes) -> Verification:
    """Is this file a genuine, unaltered signed document of this product?

    Whatever anyone uploads is answered in about a second at most: a file the product
    issued is recognised by its SHA-256 (its signature is then checked: the bytes are the
    product's own); for any other file the verification codes it claims are looked for in
    its raw bytes, then read from its metadata and first page by ``pdf.probe`` in a child
    process with hard limits. Nothing of an unknown file is parsed here."""
    if not data.startswith(b"%PDF-"):
        return Verification("not_pdf", detail="The file is not a PDF.")
    digest = hashlib.sha256(data).hexdigest()
    document = SignedDocument.objects.filter(sha256=digest).select_related("board").first()
    if document is not None:
        intact, detail = _signature_intact(data, document)
        if intact:
            return Verification("genuine", document, checked_file=True)
        return Verification("altered", document, detail, checked_file=True)
    pack = (AgendaPack.objects.filter(sha256=digest, meeting__published_at__isnull=False)
            .select_related("meeting__committee__board").defer("pdf").first())
    if pack is not None:  # not signed as a whole: its documents are, each with its own code
        return Verification("pack", checked_file=True, pack=pack)
    claimed = _claimed(match.group().decode() for match in CODE_PATTERN.finditer(data))
    if claimed is None:
        found = probe.claimed_codes(data)
        if found.stopped:
            logger.info("verify: reading an unknown file stopped (%s) after %d code(s)", found.stopped,
                        len(found.codes))
        claimed = _claimed(found.codes)
    if claimed is not None:
        return Verification("altered", claimed, "The file is not the one the board signed: it has been changed "
                                                "or saved again since.", checked_file=True)
    return Verification("unknown", detail=NOT_ISSUED_HERE)


NOT_ISSUED_HERE = "This file is not a document issued by a board here."


def _claimed(codes) -> SignedDocument | None:
    """The first document of this product among the codes a file claims (the first
    ``probe.MAX_CODES`` of them: a file may repeat codes without end)."""
    wanted = []
    for code in codes:
        if code not in wanted:
            wanted.append(code)
            if len(wanted) == probe.MAX_CODES:
                break
    found = {d.verification_code: d for d in
             SignedDocument.objects.filter(verification_code__in=wanted).select_related("board")} if wanted else {}
    return next((found[code] for code in wanted if code in found), None)


def normal_code(code: str) -> str:
    """A verification code as stored, from what a person typed or copied: any case, spaces,
    dashes of any kind or none, with or without the "IIA" prefix (IIA-F6XP-EAHW-UC6P)."""
    letters = re.sub(r"[^0-9A-Z]", "", code.upper())
    if len(letters) == 15 and letters.startswith("IIA"):
        letters = letters[3:]
    if len(letters) != 12:
        return code.strip().upper()  # not a code's shape: matches nothing, as typed
    return f"IIA-{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def document_by_code(code: str, *, user=None) -> Verification:
    """What a verification code identifies. Details of a document the board has not
    published are shown only to members of that board."""
    document = SignedDocument.objects.filter(verification_code=normal_code(code)).select_related("board").first()
    if document is None:
        return Verification("unknown", detail="No document has this verification code.")
    if not document.is_ready:
        return Verification("pending", document)
    if document.published_at is None and not (user is not None and rules.is_member(user, document.board_id)):
        return Verification("unpublished", document)
    return Verification("genuine", document)
