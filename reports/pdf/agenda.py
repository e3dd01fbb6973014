"""The cover and agenda of an agenda pack, with the page of the pack each item starts on."""

from dataclasses import dataclass

from django.utils.timezone import localdate
from reportlab.platypus import PageBreak, Spacer

from .common import facts, para, table
from .flowables import Heading, bullet_list
from .layout import DocumentTemplate


@dataclass(frozen=True)
class Contact:
    """Who answers for the pack: the clerk's name and email address (if known), and where
    the public register of the board's documents is."""

    clerk: str
    email: str
    register_url: str


class AgendaPdf:
    def __init__(self, meeting, items, *, item_pages: dict[int, int], contact: Contact, pack_pages: int = 0):
        self.meeting = meeting
        self.items = items
        self.item_pages = item_pages
        self.contact = contact
        self.pack_pages = pack_pages

    def render(self, fileobj) -> int:
        m = self.meeting
        doc = DocumentTemplate(
            fileobj, title=f"Agenda: {m.title}", author=m.committee.board.name, subject=f"Agenda pack of {m.title}",
            keywords="agenda", header_left=f"{m.committee.board.short_name} · Agenda",
            header_right=f"{m.date:%-d %B %Y}", footer_code="",
        )
        doc.build(self.cover() + [PageBreak()] + self.agenda())
        return doc.page_count

    def _published(self) -> str:
        m = self.meeting
        day = localdate(m.published_at) if m.published_at else m.agenda_publication_date
        return f"{day:%-d %B %Y}"

    def cover(self) -> list:
        """Page 1: the meeting, where and when, what the pack holds, who to ask, and how
        to get it in another format."""
        m = self.meeting
        c = self.contact
        reports = [item for item in self.items if item.report_id]
        asked = sum(1 for item in reports if item.report.decision_sought == "agree")
        clerk = f"{c.clerk}, Clerk" + (f" ({c.email})" if c.email else "")
        holds = (f"{len(self.items)} items of business, {len(reports)} of them reports "
                 f"({asked} asking the board to agree something, {len(reports) - asked} for noting), each report "
                 "followed by its signed impact assessment or screening record as Appendix 1")
        story = [
            Heading(m.committee.name, "title", 0),
            para(f"Agenda pack for the meeting on {m.date:%A %-d %B %Y} at {m.time:%H:%M}", "subtitle"),
            facts([
                ("Board", m.committee.board.name),
                ("Committee", m.committee.name),
                ("Date", f"{m.date:%A %-d %B %Y}"),
                ("Time", f"{m.time:%H:%M}"),
                ("Place", m.where),
                ("Agenda published", self._published()),
                ("This pack", holds + (f"; {self.pack_pages} pages" if self.pack_pages else "")),
                ("Clerk", clerk),
            ]),
            Spacer(1, 6),
            para(f"To all members of the {m.committee.name}: you are asked to attend the meeting. "
                 "Please send apologies to the clerk."),
        ]
        if m.late_reason:
            story.append(para(f"This agenda was published later than the committee's publication period. "
                              f"Why: {m.late_reason}"))
        if reports:
            story += [Heading("Reports in this pack", "h1", 1), *bullet_list([
                f"Item {item.position}: {item.report.title} (Report No {item.report.number}"
                + (f", starts on pack page {self.item_pages[item.pk]}" if item.pk in self.item_pages else "") + ")"
                for item in reports])]
        ask = f"the clerk, {c.clerk}, at {c.email}" if c.email else f"the clerk, {c.clerk}"
        story += [
            Heading("Other formats", "h1", 1),
            para(f"To have this pack in another format, such as large print, easy read, audio, braille or "
                 f"another language, ask {ask}."),
            para("Every signed impact assessment and screening record in this pack is also published on its own, "
                 f"with an accessible HTML version, on the board's public register: {c.register_url}"),
        ]
        return story

    def agenda(self) -> list:
        """Page 2 on: the agenda, each report with the pack page it starts on."""
        rows = []
        for item in self.items:
            detail = item.title
            if item.report_id:
                report = item.report
                detail = f"{item.title}\nReport No {report.number} by the {report.report_by}"
                if item.late_reason:
                    detail += f"\nJoined the published agenda late: {item.late_reason}"
            page = self.item_pages.get(item.pk)
            rows.append([str(item.position), detail, f"Pack page {page}" if page else ""])
        return [Heading("Agenda", "h1", 0), table(["Item", "Business", "Starts on"], rows, [1, 8, 2])]
