"""The screening record: the short document of a plan change that needs no IIA."""

from django.utils import timezone

from assessments.models import Role
from assessments.selectors import job_title

from .common import date, facts, para, person, table
from .flowables import Heading
from .layout import DocumentTemplate


class ScreeningRecordPdf:
    def __init__(self, screening, *, verification_code: str, html_url: str, verify_url: str, draft: bool = False):
        self.screening = screening
        self.code = verification_code
        self.html_url = html_url
        self.verify_url = verify_url
        self.draft = draft

    def render(self, fileobj) -> int:
        s = self.screening
        pc = s.plan_change
        doc = DocumentTemplate(
            fileobj,
            title=f"Screening record {pc.reference}: {pc.title}",
            author=pc.board.name,
            subject=f"Pre-screening record of {pc.title}: {s.get_outcome_display() or 'in progress'}",
            keywords=f"IIA verification code {self.code}",
            header_left=f"{pc.board.short_name} · Screening record",
            header_right=f"{pc.reference} · screening record",
            footer_code=self.code,
            draft=self.draft,
            signature_name=None if self.draft else f"Digital signature of {pc.board.name} on this screening record",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        s = self.screening
        pc = s.plan_change
        story = [
            Heading("Screening record", "title", 0),
            para(pc.title, "subtitle"),
            para("This is the record of the pre-screening that decided whether an Integrated Impact Assessment "
                 "was needed. It is not an impact assessment.", "body"),
            facts([
                ("Reference", f"{pc.reference} screening record"),
                ("Board", pc.board.name),
                ("Plan change", pc.title),
                ("Lead officer", person(pc.lead_officer)),
                ("Responsible director", person(pc.director)),
                ("Outcome", s.get_outcome_display() or "Not yet decided"),
                ("Reason", s.outcome_reason),
                *([("Proposed by the product", f"{s.get_proposed_outcome_display()}: {s.proposed_reason}")]
                  if s.review_decision == "override" else []),
                ("Officer's explanation", s.officer_reason),
                ("Submitted by", f"{person(s.submitted_by)}, {date(s.submitted_at and timezone.localtime(s.submitted_at))}"),
                ("Reviewed by", f"{person(s.reviewed_by)}, {job_title(s.reviewed_by, pc.board_id, Role.EQUALITY_LEAD)}, "
                                f"{date(s.reviewed_at and timezone.localtime(s.reviewed_at))}" if s.reviewed_by else ""),
                ("Review decision", s.get_review_decision_display() + (f": {s.review_comments}" if s.review_comments else "")),
            ]),
            Heading("Screening answers", "h1", 0),
            table(["Question", "Answer", "Comment"],
                  [[q.text, answer, comment] for q, answer, comment in s.answer_rows()], [6, 1.4, 4]),
            para(f"An accessible HTML version of this record: {self.html_url}", "small"),
            para(f"Check this record is genuine and unaltered at {self.verify_url} with the verification code {self.code}.",
                 "small"),
        ]
        return story
