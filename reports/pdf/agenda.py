"""The cover and agenda of an agenda pack, with the page each item starts on."""

from django.utils.timezone import localdate
from reportlab.platypus import PageBreak, Spacer

from .common import para, table
from .flowables import Heading
from .layout import DocumentTemplate


class AgendaPdf:
    def __init__(self, meeting, items, *, item_pages: dict[int, int], clerk_name: str):
        self.meeting = meeting
        self.items = items
        self.item_pages = item_pages
        self.clerk_name = clerk_name

    def render(self, fileobj) -> int:
        m = self.meeting
        doc = DocumentTemplate(
            fileobj, title=f"Agenda: {m.title}", author=m.committee.board.name, subject=f"Agenda pack of {m.title}",
            keywords="agenda", header_left=f"{m.committee.board.short_name} · Agenda",
            header_right=f"{m.date:%-d %B %Y}", footer_code="",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        m = self.meeting
        story = [
            Heading(m.committee.name, "title", 0),
            para(f"To: all members of the {m.committee.name}", "subtitle"),
            para(f"You are asked to attend the meeting to be held on {m.date:%A %-d %B %Y} at {m.time:%H:%M}. "
                 f"{m.where}."),
            para(f"Agenda published on {(localdate(m.published_at) if m.published_at else m.agenda_publication_date):%-d %B %Y}. "
                 "Apologies to the clerk."),
            *([para(f"This agenda was published later than the committee's publication period. Why: {m.late_reason}")]
              if m.late_reason else []),
            Spacer(1, 6),
            para(f"{self.clerk_name}, Clerk", "label"),
            PageBreak(),
            Heading("Agenda", "h1", 0),
        ]
        rows = []
        for item in self.items:
            detail = item.title
            if item.report_id:
                report = item.report
                detail = f"{item.title}\nReport No {report.number} by the {report.report_by}"
                if item.late_reason:
                    detail += f"\nJoined the published agenda late: {item.late_reason}"
            page = self.item_pages.get(item.pk)
            rows.append([str(item.position), detail, f"Page {page}" if page else ""])
        story.append(table(["Item", "Business", "Page in pack"], rows, [1, 8, 2]))
        return story
