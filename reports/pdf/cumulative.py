"""The "plan cumulative impact" document: the dashboard's charts and, per section of the
form, which plan changes rate each row negative, positive or not known. The full cell by
cell matrix is in the CSV and XLSX exports; an A4 page cannot hold dozens of columns."""

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.platypus import Flowable, KeepTogether, Spacer

from assessments.cumulative import Chart, Matrix

from .common import date, para, table
from .flowables import Heading
from .fonts import SANS, SANS_BOLD
from .layout import CONTENT_WIDTH, DocumentTemplate
from .styles import INK
from .tagging import Node, Structure, structure_of

BAR = "#1d4f91"


class ChartFlowable(Flowable):
    """A bar chart drawn with reportlab graphics, tagged as a Figure whose text
    alternative gives every figure."""

    def __init__(self, chart: Chart):
        super().__init__()
        self.chart = chart
        self.drawing = _drawing(chart)
        figures = "; ".join(f"{label}: {value}" for label, value in chart.bars) or "nothing to show"
        self.node = Node("Figure", alt=f"{chart.title}. {chart.description} {figures}.")

    def wrap(self, avail_width, avail_height):
        return self.drawing.width, self.drawing.height

    def draw(self):
        structure = structure_of(self.canv)
        if structure is not None:
            structure.begin(self.canv, self.node)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        if structure is not None:
            Structure.end(self.canv)


def _drawing(chart: Chart) -> Drawing:
    bar_height, gap, label_width = 13, 5, 170
    width = CONTENT_WIDTH
    height = max(1, len(chart.bars)) * (bar_height + gap) + gap
    drawing = Drawing(width, height)
    peak = max((value for _label, value in chart.bars), default=0) or 1
    room = width - label_width - 40
    for i, (label, value) in enumerate(chart.bars):
        y = height - (i + 1) * (bar_height + gap)
        label = label if len(label) <= 38 else label[:37] + "…"
        drawing.add(String(label_width - 6, y + 3.5, label, fontName=SANS, fontSize=8.5, fillColor=INK,
                           textAnchor="end"))
        length = room * value / peak
        if length:
            drawing.add(Rect(label_width, y, length, bar_height, fillColor=BAR, strokeColor=None))
        drawing.add(String(label_width + length + 4, y + 3.5, str(value), fontName=SANS_BOLD, fontSize=8.5,
                           fillColor=INK))
    return drawing


class CumulativeImpactPdf:
    def __init__(self, *, board, title: str, matrix: Matrix, charts: list[Chart], filters: str, today):
        self.board = board
        self.title = title
        self.matrix = matrix
        self.charts = charts
        self.filters = filters
        self.today = today

    def render(self, fileobj) -> int:
        doc = DocumentTemplate(
            fileobj, title=f"Cumulative impact: {self.title}", author=self.board.name,
            subject="Cumulative impact of the plan changes", keywords="cumulative impact, IIA",
            header_left=f"{self.board.short_name} · Cumulative impact", header_right=date(self.today),
            footer_code="",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        m = self.matrix
        story = [
            Heading(f"Cumulative impact: {self.title}", "title", 0),
            para(f"{self.board.name}. Produced {date(self.today)}. {self.filters}", "subtitle"),
            para(f"{len(m.columns)} plan change{'s' if len(m.columns) != 1 else ''} with a full IIA; "
                 f"{m.without_assessment} without one (screened out or not yet screened). "
                 f"{len(m.flagged_rows)} row{'s' if len(m.flagged_rows) != 1 else ''} rated negative by "
                 f"{m.flag_at} or more changes at once."),
        ]
        story.append(Heading("Charts", "h1", 1))
        for chart in self.charts:
            story += [KeepTogether([Heading(chart.title, "h2", 2), para(chart.description, "small"),
                                    ChartFlowable(chart)]), Spacer(1, 6)]
        story.append(Heading("Plan changes", "h1", 1))
        story.append(table(
            ["Reference", "Plan change", "Version and state", "Negative ratings"],
            [[c.plan_change.reference, c.plan_change.title, f"v{c.assessment.version}, "
              f"{c.assessment.get_state_display()}", str(n)] for c, n in zip(m.columns, m.column_negatives, strict=True)]
            or [["–", "No assessment matches.", "", ""]],
            [14, 50, 22, 14],
        ))
        for section in m.sections:
            story.append(Heading(section.title, "h1", 1))
            rows = []
            for row in section.rows:
                def refs(kind, row=row):
                    return ", ".join(c.plan_change.reference for c, cell in zip(m.columns, row.cells, strict=True)
                                     if kind in cell.ratings) or "–"
                label = row.label + (f" (FLAGGED: negative in {row.totals['negative']})" if row.flagged else "")
                rows.append([label, refs("negative"), refs("positive"), refs("not_known")])
            story.append(table(["Row", "Negative in", "Positive in", "Not known in"], rows, [31, 23, 23, 23]))
        return story
