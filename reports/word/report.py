"""An IJB report as a Word document, in the numbered sections of the PDF (``pdf.report``)."""

from ..pdf.report import ROMAN, SECTIONS
from .common import WordDocument

DIRECTION_OPTIONS = (("none", "1. No direction required"), ("council", "2. The council"),
                     ("health_board", "3. The health board"), ("both", "4. The council and the health board"))


class ReportWord:
    """The report as it reads today (``notice``, its first line, says whether it is a draft
    or a copy of the published report)."""

    def __init__(self, report, *, meeting=None, policy_implications: str, notice: str):
        self.report = report
        self.meeting = meeting
        self.policy_implications = policy_implications
        self.notice = notice

    def render(self) -> bytes:
        r = self.report
        word = WordDocument(title=f"Report {r.number or '(unnumbered)'}: {r.title}", author=r.board.name,
                            subject=f"IJB report: {r.title}", keywords=f"IJB report {r.number or ''}".strip())
        word.paragraph(self.notice, bold=True)
        word.heading(r.title, 1)
        to = r.committee.name + (f" – {self.meeting.date:%-d %B %Y}" if self.meeting else "")
        word.facts([("Report to", to), ("Report on", r.title), ("Report by", r.report_by),
                    ("Report number", r.number or "To be allocated by the clerk")])
        body = {1: r.purpose, 3: r.financial_implications, 4: r.main_text, 6: r.risk_assessment,
                7: r.consultations, 9: r.background_papers}
        for number, heading in enumerate(SECTIONS, 1):
            word.heading(f"{number}.0 {heading.capitalize()}", 2)
            if number == 2:
                word.paragraph(f"It is recommended that the {r.committee.name}:")
                for i, text in enumerate(r.recommendation_list, 1):
                    word.paragraph(f"({ROMAN[i - 1] if i <= len(ROMAN) else i}) {text}", style="List Paragraph")
            elif number == 5:
                word.paragraph(self.policy_implications)
            elif number == 8:
                self._directions(word)
            else:
                word.paragraph(body[number] or "None.")
        return word.save()

    def _directions(self, word: WordDocument) -> None:
        r = self.report
        word.table(["Direction required to the council, the health board or both", "Selected"],
                   [[label, "Yes" if value == r.direction_to else "No"] for value, label in DIRECTION_OPTIONS])
        for i, d in enumerate(r.directions.all(), 1):
            word.heading(f"8.{i} Direction to {d.get_recipients_display()}", 3)
            word.facts([("Functions", d.functions), ("Budget", d.budget), ("Direction", d.text),
                        ("Varies or revokes", f"{d.effect_verb} direction {d.earlier.reference}" if d.earlier_id
                         else "None: a new direction"),
                        ("Review date", f"{d.review_date:%-d %B %Y}" if d.review_date else "")])
