"""An assessment as a Word document, for partners who edit offline."""

from ..snapshots import explanation, sign_off_facts, summary_facts
from .common import WordDocument


class AssessmentWord:
    """One version of an assessment, from a snapshot (``snapshots.assessment_snapshot``):
    the signed document's stored snapshot for a signed one, so the copy says what was
    signed, or one taken now for a draft. The same content as the PDF, in its order.

    ``notice`` is the first line: that a signed one's copy is not the signed record and
    where that can be verified, or that a draft is a draft."""

    def __init__(self, snapshot: dict, *, notice: str):
        self.snapshot = snapshot
        self.notice = notice

    def render(self) -> bytes:
        snap = self.snapshot
        title = snap["plan_change"]["title"]
        word = WordDocument(
            title=f"Integrated Impact Assessment {snap['reference']}: {title}",
            author=snap["board"]["name"],
            subject=f"Integrated Impact Assessment of {title}, version {snap['version']}",
            keywords=f"Integrated Impact Assessment {snap['reference']}",
        )
        word.paragraph(self.notice, bold=True)
        self._summary(word)
        self._sections(word)
        self._closing(word)
        return word.save()

    def _summary(self, word: WordDocument) -> None:
        snap = self.snapshot
        word.heading(f"Integrated Impact Assessment: {snap['plan_change']['title']}", 1)
        word.facts(summary_facts(snap))
        word.heading("Impacts found, by section", 2)
        word.table(["Section", "Positive", "Negative", "Not known"],
                   [[s["title"], str(s["counts"]["positive"]), str(s["counts"]["negative"]),
                     str(s["counts"]["not_known"])] for s in snap["sections"]])

    def _sections(self, word: WordDocument) -> None:
        for s in self.snapshot["sections"]:
            word.heading(s["title"], 2)
            for group in s["groups"]:
                if group["title"]:
                    word.heading(group["title"], 3)
                word.table(["Row", "Rating", "Explanation"],
                           [[row["label"], row["rating"], explanation(row)] for row in group["rows"]])
            for answer in s["answers"]:
                word.heading(answer["question"], 3)
                word.paragraph(answer["answer"] or "Not answered.")

    def _closing(self, word: WordDocument) -> None:
        snap = self.snapshot
        word.heading("Evidence and consultation", 2)
        word.heading("Evidence", 3)
        word.paragraph(snap["evidence"] or "Not given.")
        word.heading("Consultation", 3)
        word.paragraph(snap["consultation"] or "Not given.")
        word.heading("Mitigating actions", 2)
        if snap["actions"]:
            word.table(["Action", "Kind", "Owner", "Due", "Linked rows"],
                       [[x["description"], x["kind"], x["owner"], x["due"], "; ".join(x["rows"]) or "General"]
                        for x in snap["actions"]])
        else:
            word.paragraph("No actions recorded.")
        word.heading("Review", 3)
        word.paragraph(f"This assessment will be reviewed by {snap['review_date'] or 'a date not yet set'}.")
        word.heading("Approval and sign-off", 2)
        word.facts(sign_off_facts(snap))
