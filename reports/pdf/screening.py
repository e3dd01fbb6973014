"""The screening record: the short document of a plan change that needs no IIA."""

from ..snapshots import screening_facts, screening_snapshot
from .common import facts, keywords, para, table
from .flowables import Heading
from .layout import DocumentTemplate


class ScreeningRecordPdf:
    """Renders a screening record from its snapshot (``snapshots.screening_snapshot``).
    ``source`` is the snapshot, or the screening (its snapshot is then taken by ``load``);
    ``snapshot_sha256`` as for ``AssessmentPdf``."""

    def __init__(self, source, *, verification_code: str, html_url: str, verify_url: str, draft: bool = False,
                 snapshot_sha256: str = ""):
        self.screening = None if isinstance(source, dict) else source
        self.snapshot = source if isinstance(source, dict) else None
        self.code = verification_code
        self.html_url = html_url
        self.verify_url = verify_url
        self.draft = draft
        self.snapshot_sha256 = snapshot_sha256

    def load(self) -> "ScreeningRecordPdf":
        if self.snapshot is None:
            self.snapshot = screening_snapshot(self.screening)
        return self

    def render(self, fileobj) -> int:
        self.load()
        snap = self.snapshot
        pc = snap["plan_change"]
        board = snap["board"]
        doc = DocumentTemplate(
            fileobj,
            title=f"Screening record {pc['reference']}: {pc['title']}",
            author=board["name"],
            subject=f"Pre-screening record of {pc['title']}: {snap['outcome'] or 'in progress'}",
            keywords=keywords(self.code, self.snapshot_sha256),
            header_left=f"{board['short_name']} · Screening record",
            header_right=f"{pc['reference']} · screening record",
            footer_code=self.code,
            draft=self.draft,
            html_url="" if self.draft else self.html_url,
            signature_name=None if self.draft else f"Digital signature of {board['name']} on this screening record",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        snap = self.snapshot
        pc = snap["plan_change"]
        story = [
            Heading("Screening record", "title", 0),
            para(pc["title"], "subtitle"),
            para("This is the record of the pre-screening that decided whether an Integrated Impact Assessment "
                 "was needed. It is not an impact assessment.", "body"),
            facts(screening_facts(snap)),
            Heading("Screening answers", "h1", 0),
            table(["Question", "Answer", "Comment"],
                  [[a["question"], a["answer"], a["comment"]] for a in snap["answers"]], [6, 1.4, 4]),
            para(f"An accessible HTML version of this record: {self.html_url}", "small"),
            para(f"Check this record is genuine and unaltered at {self.verify_url} with the verification code {self.code}.",
                 "small"),
        ]
        return story

