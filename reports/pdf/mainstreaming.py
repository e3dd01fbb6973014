"""The mainstreaming report: a board's mainstreaming evidence for a period, each figure
with its definition (``reports.mainstreaming``), tagged like every document and signed in
the board's name by ``services.mainstreaming_report_pdf``."""

from ..mainstreaming import MainstreamingFigures
from .common import facts, para, table
from .flowables import Heading
from .layout import DocumentTemplate


class MainstreamingReportPdf:
    def __init__(self, figures: MainstreamingFigures, *, produced_by: str, produced_at: str):
        self.figures = figures
        self.produced_by = produced_by
        self.produced_at = produced_at

    def render(self, fileobj) -> int:
        f = self.figures
        doc = DocumentTemplate(
            fileobj, title=f"Mainstreaming evidence, {f.period}: {f.board.name}", author=f.board.name,
            subject="Mainstreaming and equality outcomes evidence (SSI 2012/162 regs 3 and 4)",
            keywords="mainstreaming, equality outcomes, IIA",
            header_left=f"{f.board.short_name} · Mainstreaming evidence", header_right=f.period, footer_code="",
            signature_name=f"Digital signature of {f.board.name} on this mainstreaming report",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        f = self.figures
        story = [
            Heading("Mainstreaming evidence", "title", 0),
            para(f"{f.board.name}, {f.period}", "subtitle"),
            para("The figures a board's mainstreaming report and equality outcomes progress report need every two "
                 "years (Equality Act 2010 (Specific Duties) (Scotland) Regulations 2012, regulations 3 and 4), "
                 "counted from the board's impact assessment records. Each figure is defined beside it."),
            facts([
                ("Board", f.board.name),
                ("Period", f"{f.period} (both days included, UK time)"),
                ("Produced", self.produced_at),
                ("Produced by", self.produced_by),
                ("Results to be published within", f"{f.board.results_publication_days} days of sign-off "
                                                   "(set by the board)"),
            ]),
        ]
        for group in f.groups:
            story += [Heading(group.title, "h1", 1),
                      table(["Figure", "Number", "What it counts"],
                            [[x.label, str(x.value), x.definition] for x in group.figures], [26, 10, 64])]
        for title, rows, words in (
            ("Negative impacts by protected characteristic", f.characteristics,
             "The nine protected characteristics of the Equality Act 2010 (s.4)."),
            ("Negative impacts by Fairer Scotland dimension", f.dimensions,
             "The five dimensions of socio-economic disadvantage of the Fairer Scotland Duty (Equality Act 2010 "
             "s.1)."),
        ):
            story += [Heading(title, "h1", 1), para(f"{words} {rows[0].definition if rows else ''}"),
                      table(["Row", "Plan changes"], [[x.label, str(x.value)] for x in rows], [70, 30])]
        story.append(para(f"Counted at {self.produced_at} from the records held for {f.board.name}. The signature "
                          "validates against the board's signing certificate.", "small"))
        return story
