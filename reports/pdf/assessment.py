"""The signed assessment document."""

from reportlab.platypus import Spacer

from ..snapshots import assessment_snapshot, explanation, sign_off_facts, summary_facts
from .common import facts, keywords, para, table
from .flowables import Heading
from .layout import DocumentTemplate


class AssessmentPdf:
    """Renders one version of an assessment from its snapshot (``snapshots.assessment_snapshot``):
    summary first page, every section of the template version it was made with, evidence,
    actions, review date and sign-off.

    ``source`` is the snapshot, or the assessment (its snapshot is then taken by ``load``).
    ``snapshot_sha256``, for a signed document, is written into the PDF's keywords so the
    signature covers the snapshot the HTML version is rendered from."""

    def __init__(self, source, *, verification_code: str, html_url: str, verify_url: str, draft: bool = False,
                 snapshot_sha256: str = ""):
        self.assessment = None if isinstance(source, dict) else source
        self.snapshot = source if isinstance(source, dict) else None
        self.code = verification_code
        self.html_url = html_url
        self.verify_url = verify_url
        self.draft = draft
        self.snapshot_sha256 = snapshot_sha256

    def load(self) -> "AssessmentPdf":
        """Take the snapshot, in a fixed number of queries (rendering then reads nothing)."""
        if self.snapshot is None:
            self.snapshot = assessment_snapshot(self.assessment)
        return self

    def render(self, fileobj) -> int:
        """Write the PDF to ``fileobj``; return the number of pages."""
        self.load()
        snap = self.snapshot
        pc = snap["plan_change"]
        board = snap["board"]
        doc = DocumentTemplate(
            fileobj,
            title=f"Integrated Impact Assessment {snap['reference']}: {pc['title']}",
            author=board["name"],
            subject=f"Integrated Impact Assessment of {pc['title']}, version {snap['version']}",
            keywords=keywords(self.code, self.snapshot_sha256),
            header_left=f"{board['short_name']} · Integrated Impact Assessment",
            header_right=f"{snap['reference']} · version {snap['version']}",
            footer_code=self.code,
            draft=self.draft,
            html_url="" if self.draft else self.html_url,
            signature_name=None if self.draft else f"Digital signature of {board['name']} on this assessment",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        """The whole document: summary, the sections, then evidence, actions and sign-off."""
        return [*self._summary(), *self._sections(), *self._closing()]

    def _summary(self) -> list:
        snap = self.snapshot
        story = [
            Heading("Integrated Impact Assessment", "title", 0),
            para(snap["plan_change"]["title"], "subtitle"),
        ]
        if self.draft:
            story.append(para("DRAFT preview: not signed off, not for publication.", "label"))
        story += [
            facts(summary_facts(snap)),
            Spacer(1, 8),
            Heading("Impacts found, by section", "h1", 1),
            table(["Section", "Positive", "Negative", "Not known"],
                  [[s["title"], str(s["counts"]["positive"]), str(s["counts"]["negative"]),
                    str(s["counts"]["not_known"])] for s in snap["sections"]], [4, 1, 1, 1]),
        ]
        if self.draft:
            story.append(para("This draft has no verification code: only the signed document can be verified.", "small"))
        else:
            story += [
                para(f"An accessible HTML version of this document: {self.html_url}", "small"),
                para(f"Check this document is genuine and unaltered at {self.verify_url} with the verification code "
                     f"{self.code}.", "small"),
            ]
        return story

    def _sections(self) -> list:
        story = []
        for s in self.snapshot["sections"]:
            story.append(Heading(s["title"], "h1", 0))
            for group in s["groups"]:
                if group["title"]:
                    story.append(Heading(group["title"], "h2", 1))
                story.append(table(
                    ["Row", "Rating", "Explanation"],
                    [[row["label"], row["rating"], explanation(row)] for row in group["rows"]],
                    [3, 2, 7],
                ))
            for answer in s["answers"]:
                story.append(Heading(answer["question"], "h2", 1))
                story.append(para(answer["answer"] or "Not answered."))
        return story

    def _files(self) -> list:
        """The files attached and the library entries cited, each file with its SHA-256 (a
        reader checks a copy against it); a withheld file is named with the reason."""
        snap = self.snapshot
        story = []
        if snap.get("files"):
            story += [Heading("Files", "h2", 1), table(
                ["File", "Part", "Size", "SHA-256", "Publication"],
                [[f["name"], f["part"], f["size"], f["sha256"],
                  "Published" if f["published"] else f"Withheld: {f['withheld_reason']}"] for f in snap["files"]],
                [3.2, 1.6, 1.2, 4.2, 2.4],
            )]
        if snap.get("citations"):
            story += [Heading("Evidence library entries cited", "h2", 1), table(
                ["Entry", "Link or file"],
                [[c["title"] + (f": {c['description']}" if c["description"] else ""),
                  c["url"] or f"{c['file']['name']} ({c['file']['size']}), SHA-256 {c['file']['sha256']}"]
                 for c in snap["citations"]],
                [5, 7],
            )]
        return story

    def _closing(self) -> list:
        snap = self.snapshot
        story = [
            Heading("Evidence and consultation", "h1", 0),
            Heading("Evidence", "h2", 1), para(snap["evidence"] or "Not given."),
            Heading("Consultation", "h2", 1), para(snap["consultation"] or "Not given."),
            *self._files(),
            Heading("Mitigating actions", "h1", 0),
        ]
        actions = snap["actions"]
        if actions:
            story.append(table(
                ["Action", "Kind", "Owner", "Due", "Linked rows"],
                [[x["description"], x["kind"], x["owner"], x["due"], "; ".join(x["rows"]) or "General"]
                 for x in actions],
                [5, 2, 2.2, 1.6, 3],
            ))
        else:
            story.append(para("No actions recorded."))
        story += [
            Heading("Review", "h2", 1),
            para(f"This assessment will be reviewed by {snap['review_date'] or 'a date not yet set'}."),
            Heading("Approval and sign-off", "h1", 0),
            facts(sign_off_facts(snap)),
        ]
        return story
