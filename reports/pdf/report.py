"""An IJB report, in the numbered-section layout of Dundee's committee reports."""

from reportlab.platypus import Spacer

from .common import facts, para, table
from .flowables import Heading, bullet_list
from .layout import DocumentTemplate

SECTIONS = ("PURPOSE OF REPORT", "RECOMMENDATIONS", "FINANCIAL IMPLICATIONS", "MAIN TEXT", "POLICY IMPLICATIONS",
            "RISK ASSESSMENT", "CONSULTATIONS", "DIRECTIONS", "BACKGROUND PAPERS")
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


class ReportPdf:
    def __init__(self, report, *, meeting=None, policy_implications: str, appendix_note: str = "", draft: bool = False):
        self.draft = draft
        self.report = report
        self.meeting = meeting
        self.policy_implications = policy_implications
        self.appendix_note = appendix_note

    def render(self, fileobj) -> int:
        r = self.report
        doc = DocumentTemplate(
            fileobj, title=f"Report {r.number or '(unnumbered)'}: {r.title}", author=r.board.name,
            subject=f"IJB report: {r.title}", keywords=f"IJB report {r.number or ''}",
            header_left=f"{r.board.short_name} · IJB report", header_right=r.number or "Report number to follow",
            footer_code="", draft=self.draft,
        )
        doc.build(self.story())
        return doc.page_count

    def _numbered(self, number: int, text: str) -> list:
        paragraphs = [p for p in (text or "").split("\n\n") if p.strip()] or ["None."]
        return [para(f"{number}.{i} {p.strip()}") for i, p in enumerate(paragraphs, 1)]

    def story(self) -> list:
        r = self.report
        m = self.meeting
        to = f"{r.committee.name.upper()}" + (f" – {m.date:%-d %B %Y}" if m else "")
        story = [
            Heading(r.title, "title", 0),
            facts([("REPORT TO", to), ("REPORT ON", r.title), ("REPORT BY", r.report_by.upper()),
                   ("REPORT NO", r.number or "To be allocated by the clerk")]),
            Spacer(1, 6),
        ]
        body = {
            1: r.purpose, 3: r.financial_implications, 4: r.main_text, 6: r.risk_assessment,
            7: r.consultations, 9: r.background_papers,
        }
        for number, heading in enumerate(SECTIONS, 1):
            story.append(Heading(f"{number}.0 {heading}", "h1", 1))
            if number == 2:
                story.append(para(f"It is recommended that the {r.committee.name}:"))
                story += bullet_list([f"({ROMAN[i - 1] if i <= len(ROMAN) else i}) {text}"
                                      for i, text in enumerate(r.recommendation_list, 1)])
            elif number == 5:
                story.append(para(f"5.1 {self.policy_implications}"))
            elif number == 8:
                story += self._directions()
            else:
                story += self._numbered(number, body[number])
        if self.appendix_note:
            story.append(para(self.appendix_note, "small"))
        return story

    def _directions(self) -> list:
        r = self.report
        options = [("none", "1. No direction required"), ("council", "2. The council"),
                   ("health_board", "3. The health board"), ("both", "4. The council and the health board")]
        rows = [[label, "Yes" if value == r.direction_to else "No"] for value, label in options]
        out = [table(["Direction required to the council, the health board or both", "Selected"], rows, [6, 1])]
        for i, d in enumerate(r.directions.all(), 1):
            out += [
                Heading(f"8.{i} Direction to {d.get_recipients_display()}", "h2", 2),
                facts([("Functions", d.functions), ("Budget", d.budget), ("Direction", d.text),
                       ("Varies or revokes", f"{d.effect_verb} direction {d.earlier.reference}" if d.earlier_id
                                             else "None: a new direction"), ("Review date", f"{d.review_date:%-d %B %Y}")]),
            ]
        return out
