"""Evidence files: upload, publish or withhold, remove; the board's evidence library and its
citations (docs/evidence.md, docs/adr/0025-evidence-files.md).

A file is checked (its name, size and type from its content) and hashed before any lock is
taken: that reads the upload from disk a chunk at a time. Then, in one transaction, the
record it is attached to is locked, the rule checked, the file written to storage (streamed
from the temporary upload, never read whole into memory), the row and the audit event
written. A failure after the storage write deletes what was written."""

import hashlib
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from .. import rules
from ..evidence_types import Refused, clean_name, detect
from ..exceptions import NotAllowed, RuleViolation
from ..models import (
    Assessment,
    AssessmentState,
    Board,
    EvidenceCitation,
    EvidenceFile,
    EvidencePart,
    EvidenceSource,
    MitigatingAction,
)
from ..models.evidence import ASSESSMENT_PARTS
from ..text import clean_text
from .assessment import _audit, _locked
from .audit import actor_name, audit_record

CHUNK = 64 * 1024
REASON_MAX_CHARS = 1000
NOT_ATTACHABLE = "Only an officer of the board can attach files to an assessment being written."
SIGNED = "The assessment is signed off: its files are fixed with the signed record."


def _checked(upload, published: bool, withheld_reason: str) -> tuple[str, str, str, str]:
    """The cleaned name, the type found in the content, the SHA-256 and the withheld reason;
    ``RuleViolation`` naming the field otherwise."""
    limit = settings.IIA_EVIDENCE_MAX_BYTES
    try:
        name = clean_name(getattr(upload, "name", ""))
        if not upload.size:
            raise Refused("The file is empty.")
        if upload.size > limit:
            raise Refused(f"The file is {size_text(upload.size, up=True)}: upload files of {size_text(limit)} or less.")
        upload.open("rb")
        kind = detect(upload.file if hasattr(upload, "file") else upload, name)
    except Refused as refused:
        raise RuleViolation({"file": [str(refused)]}) from refused
    reason = clean_text(withheld_reason or "")
    if not published and not reason:
        raise RuleViolation({"withheld_reason": ["Say why the file is withheld from the public."]})
    if len(reason) > REASON_MAX_CHARS:
        raise RuleViolation({"withheld_reason": [f"Keep the reason to {REASON_MAX_CHARS} characters or fewer."]})
    # the upload handler hashes while the upload streams to disk; any other file is hashed here
    sha256 = getattr(upload, "sha256", None) or _sha256(upload)
    return name, kind.content_type, sha256, "" if published else reason


def size_text(size: int, *, up: bool = False) -> str:
    """A size as a person reads it (MB, kB or bytes, to one decimal place); ``up`` rounds up,
    so that a file one byte over a limit never reads as the limit."""
    for unit, bytes_in in (("MB", 1048576), ("kB", 1024)):
        if size >= bytes_in:
            value = size / bytes_in
            value = math.ceil(value * 10) / 10 if up else round(value, 1)
            return f"{value:g} {unit}"
    return f"{size} bytes"


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store(record: EvidenceFile, upload, extension: str) -> EvidenceFile:
    """Write the file to storage and the row to the database; the written file is deleted
    again if the row is not (the caller's transaction then rolls back)."""
    upload.seek(0)
    # the storage labels the object with the type read from the content, not the one the browser sent
    upload.content_type = record.content_type
    record.file.save(f"upload.{extension}", upload, save=False)
    try:
        record.save()
    except BaseException:
        record.file.storage.delete(record.file.name)
        raise
    return record


def _extension(content_type: str) -> str:
    from ..evidence_types import BY_CONTENT_TYPE

    return BY_CONTENT_TYPE[content_type].extensions[0].lstrip(".")


def evidence_file_upload(*, by, upload, part: str, assessment: Assessment | None = None,
                         action: MitigatingAction | None = None, published: bool = True,
                         withheld_reason: str = "") -> EvidenceFile:
    """Attach an uploaded file to an assessment's evidence or consultation (an officer, while
    it is being written) or to a mitigating action's progress (whoever records progress on
    it, once signed off). The file's type is read from its content; its name is cleaned."""
    if part in ASSESSMENT_PARTS:
        if assessment is None or action is not None:
            raise ValueError("An assessment's file names the assessment alone.")
    elif part == EvidencePart.PROGRESS:
        if action is None or assessment is not None:
            raise ValueError("A progress file names the action alone.")
    else:
        raise ValueError(f"Files are attached to evidence, consultation or progress, not {part!r}.")
    name, content_type, sha256, reason = _checked(upload, published, withheld_reason)
    with transaction.atomic():
        if action is not None:
            target = _locked(action.assessment)
            action = MitigatingAction.objects.get(pk=action.pk, assessment=target)
            if not rules.can_record_progress(by, target):
                raise NotAllowed("Only those who record progress on the assessment's actions can attach files to it.")
        else:
            target = _locked(assessment)
            if target.is_locked:
                raise NotAllowed(SIGNED)
            if not rules.can_attach_evidence(by, target):
                raise NotAllowed(NOT_ATTACHABLE)
        record = _store(EvidenceFile(
            board_id=target.plan_change.board_id, part=part, assessment=None if action else target, action=action,
            name=name, content_type=content_type, size=upload.size, sha256=sha256, uploaded_by=by,
            uploaded_by_name=actor_name(by), published=published, withheld_reason=reason,
        ), upload, _extension(content_type))
        where = f"the progress of action “{action}”" if action else EvidencePart(part).label.lower()
        _audit(target, by, "evidence.upload", f"Attached “{name}” to {where}"
               f"{'' if published else ' (withheld: ' + reason + ')'}.",
               data={"evidence_file": record.pk, "name": name, "sha256": sha256, "size": record.size,
                     "part": part, "action": action.pk if action else None, "published": published})
    return record


def _locked_file(evidence_file: EvidenceFile) -> EvidenceFile:
    return EvidenceFile.objects.select_for_update().get(pk=evidence_file.pk)


def evidence_file_remove(*, by, evidence_file: EvidenceFile) -> None:
    """Remove a file from an assessment being written (an officer). A file of a signed
    assessment, a progress file (progress is append-only) and a library file (retired with
    its entry) are never removed. The stored file is deleted after the commit."""
    if evidence_file.part not in ASSESSMENT_PARTS:
        raise NotAllowed("Files recorded with progress or in the library are kept; they are not removed.")
    with transaction.atomic():
        assessment = _locked(evidence_file.assessment)
        evidence_file = _locked_file(evidence_file)
        if assessment.is_locked or assessment.state == AssessmentState.WITHDRAWN:
            raise NotAllowed(SIGNED)
        if not rules.can_attach_evidence(by, assessment):
            raise NotAllowed(NOT_ATTACHABLE)
        key, storage = evidence_file.file.name, evidence_file.file.storage
        _audit(assessment, by, "evidence.remove", f"Removed “{evidence_file.name}”.",
               data={"evidence_file": evidence_file.pk, "name": evidence_file.name, "sha256": evidence_file.sha256})
        evidence_file.delete()
        transaction.on_commit(lambda: storage.delete(key))


def evidence_file_publication(*, by, evidence_file: EvidenceFile, published: bool, reason: str = "") -> EvidenceFile:
    """Publish an assessment's file with it, or withhold it from the public with a reason
    (shown on the public page in its place): officers and equality leads, until sign-off."""
    reason = clean_text(reason or "")
    if not published and not reason:
        raise RuleViolation({"withheld_reason": ["Say why the file is withheld from the public."]})
    if len(reason) > REASON_MAX_CHARS:
        raise RuleViolation({"withheld_reason": [f"Keep the reason to {REASON_MAX_CHARS} characters or fewer."]})
    if evidence_file.part not in ASSESSMENT_PARTS:
        raise NotAllowed("Only the files of an assessment's evidence and consultation are published with it.")
    with transaction.atomic():
        assessment = _locked(evidence_file.assessment)
        evidence_file = _locked_file(evidence_file)
        if not rules.can_set_evidence_publication(by, assessment):
            if assessment.state not in (AssessmentState.IN_PROGRESS, AssessmentState.SUBMITTED,
                                        AssessmentState.RETURNED, AssessmentState.APPROVED):
                raise NotAllowed(SIGNED)
            raise NotAllowed("Only the board's officers and equality leads can publish or withhold its files.")
        evidence_file.published = published
        evidence_file.withheld_reason = "" if published else reason
        evidence_file.save(update_fields=["published", "withheld_reason"])
        _audit(assessment, by, "evidence.publication",
               f"“{evidence_file.name}” will be published with the assessment." if published
               else f"“{evidence_file.name}” is withheld from the public: {reason}",
               data={"evidence_file": evidence_file.pk, "published": published, "reason": evidence_file.withheld_reason})
    return evidence_file


# --- the board's evidence library ----------------------------------------------------------------

def _web_address(url: str) -> bool:
    """A link a library entry may hold: a whole http(s) address of 500 characters at most."""
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return False
    return len(url) <= 500


def evidence_source_add(*, by, board: Board, title: str, description: str = "", url: str = "",
                        upload=None) -> EvidenceSource:
    """Add a file or a link to the board's evidence library: its equality leads."""
    title, description, url = clean_text(title or ""), clean_text(description or ""), (url or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Give the entry a title."]
    elif len(title) > 200:
        errors["title"] = ["Keep the title to 200 characters or fewer."]
    if len(description) > 2000:
        errors["description"] = ["Keep the description to 2,000 characters or fewer."]
    if bool(url) == bool(upload):
        errors["url"] = ["Give a link or a file, not both." if url else "Give a link or a file."]
    elif url and not _web_address(url):
        errors["url"] = ["Give a whole web address starting https:// (or http://), for example "
                         "https://simd.scot/."]
    if errors:
        raise RuleViolation(errors)
    checked = _checked(upload, True, "") if upload else None
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        if not rules.can_manage_evidence_library(by, board):
            raise NotAllowed("Only the board's equality leads manage its evidence library.")
        record = None
        if checked:
            name, content_type, sha256, _ = checked
            record = _store(EvidenceFile(
                board=board, part=EvidencePart.LIBRARY, name=name, content_type=content_type, size=upload.size,
                sha256=sha256, uploaded_by=by, uploaded_by_name=actor_name(by)), upload, _extension(content_type))
        source = EvidenceSource.objects.create(board=board, title=title, description=description, url=url,
                                               file=record, added_by=by)
        audit_record(board=board, actor=by, action="evidence.library_add",
                     message=f"Added “{title}” to the evidence library.",
                     data={"evidence_source": source.pk, "url": url,
                           "sha256": record.sha256 if record else None})
    return source


def evidence_source_retire(*, by, source: EvidenceSource) -> EvidenceSource:
    """Offer the entry to no new citation; citations already made keep it."""
    with transaction.atomic():
        source = EvidenceSource.objects.select_for_update().get(pk=source.pk)
        if not rules.can_manage_evidence_library(by, source.board_id):
            raise NotAllowed("Only the board's equality leads manage its evidence library.")
        if source.retired_at is None:
            source.retired_at = timezone.now()
            source.save(update_fields=["retired_at"])
            audit_record(board=source.board_id, actor=by, action="evidence.library_retire",
                         message=f"Retired “{source.title}” from the evidence library.",
                         data={"evidence_source": source.pk})
    return source


def evidence_cite(*, by, assessment: Assessment, source: EvidenceSource) -> EvidenceCitation:
    """Cite an entry of the board's library from an assessment being written (never another
    board's entry, never a retired one)."""
    with transaction.atomic():
        assessment = _locked(assessment)
        if not rules.can_cite_evidence(by, assessment):
            raise NotAllowed(NOT_ATTACHABLE)
        source = EvidenceSource.objects.filter(pk=source.pk, board_id=assessment.plan_change.board_id).first()
        if source is None or source.retired_at is not None:
            raise RuleViolation({"source": ["Choose an entry of this board's evidence library."]})
        if assessment.citations.filter(source=source).exists():
            raise RuleViolation({"source": ["The assessment already cites this entry."]})
        citation = EvidenceCitation.objects.create(assessment=assessment, source=source, cited_by=by)
        _audit(assessment, by, "evidence.cite", f"Cited “{source.title}” from the evidence library.",
               data={"evidence_source": source.pk})
    return citation


def evidence_uncite(*, by, citation: EvidenceCitation) -> None:
    """Withdraw a citation from an assessment being written."""
    with transaction.atomic():
        assessment = _locked(citation.assessment)
        if not rules.can_cite_evidence(by, assessment):
            raise NotAllowed(NOT_ATTACHABLE)
        citation = EvidenceCitation.objects.select_related("source").get(pk=citation.pk, assessment=assessment)
        _audit(assessment, by, "evidence.uncite", f"No longer cites “{citation.source.title}”.",
               data={"evidence_source": citation.source_id})
        citation.delete()
