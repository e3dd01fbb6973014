"""Word copies of assessments and IJB reports, for partners who edit offline.

A copy is never a record. A signed assessment's copy is written from the snapshot stored
with its signed PDF (checked as the HTML version checks it), never from the live record, so
it says what was signed; its first line says it is not the signed record and where the
signed PDF can be verified. A draft's copy is written from the record as it is now, and its
first line says it is a draft."""

from dataclasses import dataclass

from assessments.models import Assessment

from .. import snapshots
from ..models import ReportStatus, SignedDocument
from ..word.assessment import AssessmentWord
from ..word.report import ReportWord
from .documents import document_snapshot, public_urls
from .reports import policy_implications

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class WordCopy:
    content: bytes
    filename: str


class NoSignedContent(Exception):
    """A signed assessment whose signed document has no content to copy yet: still being
    prepared (``reason`` "pending") or signed before snapshots were kept ("no_snapshot")."""

    def __init__(self, document: SignedDocument, reason: str):
        super().__init__(reason)
        self.document = document
        self.reason = reason


def assessment_word(*, assessment: Assessment) -> WordCopy:
    """The Word copy of one version of an assessment: of what was signed once it has a
    signed document (``NoSignedContent`` while that has no checked snapshot;
    ``AlteredSnapshot`` if its snapshot fails its check), otherwise of the draft as it is."""
    document = SignedDocument.objects.filter(assessment=assessment).first()
    if document is None:
        snap = snapshots.assessment_snapshot(assessment)
        notice = (f"DRAFT: version {assessment.version} of {assessment.plan_change.reference} is "
                  f"{assessment.get_state_display().lower()} and has not been signed off. "
                  f"This Word copy is not a signed record.")
        return WordCopy(AssessmentWord(snap, notice=notice).render(), f"{assessment.reference}-DRAFT.docx")
    if not document.is_ready:
        raise NoSignedContent(document, "pending")
    snap = document_snapshot(document)
    if snap is None:
        raise NoSignedContent(document, "no_snapshot")
    _html_url, verify_url = public_urls(document.verification_code)
    notice = (f"This Word copy is not the signed record. The signed record is the signed PDF of "
              f"{snap['plan_change']['reference']}, version {snap['version']}, verification code {document.verification_code}: "
              f"check it is genuine at {verify_url}")
    return WordCopy(AssessmentWord(snap, notice=notice).render(), f"{assessment.reference}-copy.docx")


def report_word(*, report) -> WordCopy:
    """The Word copy of an IJB report as it reads today, with its Policy Implications."""
    item = report.items.select_related("meeting__committee").order_by("-meeting__date").first()
    meeting = item.meeting if item else None
    if report.status in (ReportStatus.PUBLISHED, ReportStatus.DECIDED):
        where = f" published with the agenda of {meeting.title}" if meeting else " published with its agenda"
        notice = f"This Word copy is not the published report: the report of record is report {report.number}{where}."
        name = f"{report.number}-copy.docx"
    else:
        notice = (f"DRAFT: this report is {report.get_status_display().lower()} and has not been published. "
                  f"This Word copy is not the published report.")
        name = f"{report.number or 'report'}-DRAFT.docx"
    content = ReportWord(report, meeting=meeting, policy_implications=policy_implications(report),
                         notice=notice).render()
    return WordCopy(content, name)
