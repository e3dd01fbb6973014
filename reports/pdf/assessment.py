"""The signed assessment document."""

from django.utils import timezone
from reportlab.platypus import Spacer

from assessments.models import Role
from assessments.selectors import assessment_summary, current_screening, job_title

from .common import date, facts, para, person, rating_words, table
from .flowables import Heading
from .layout import DocumentTemplate


class AssessmentPdf:
    """Renders one version of an assessment: summary first page, every section of the
    template version it was made with, evidence, actions, review date and sign-off."""

    def __init__(self, assessment, *, verification_code: str, html_url: str, verify_url: str, draft: bool = False):
        self.assessment = assessment
        self.code = verification_code
        self.html_url = html_url
        self.verify_url = verify_url
        self.draft = draft
        self.summary = None

    def load(self) -> "AssessmentPdf":
        """Read everything the document shows, in a fixed number of queries (rendering
        then reads nothing more)."""
        a = self.assessment
        pc = a.plan_change
        self.summary = assessment_summary(a).read()
        self.screening = current_screening(pc)
        self.approver_title = job_title(a.approved_by, pc.board_id, Role.EQUALITY_LEAD) if a.approved_by else ""
        for _related in (pc.board, pc.lead_officer, pc.director, a.signed_off_by, a.template):
            pass
        return self

    def render(self, fileobj) -> int:
        """Write the PDF to ``fileobj``; return the number of pages."""
        if self.summary is None:
            self.load()
        a = self.assessment
        pc = a.plan_change
        board = pc.board
        doc = DocumentTemplate(
            fileobj,
            title=f"Integrated Impact Assessment {a.reference}: {pc.title}",
            author=board.name,
            subject=f"Integrated Impact Assessment of {pc.title}, version {a.version}",
            keywords=f"IIA verification code {self.code}",
            header_left=f"{board.short_name} · Integrated Impact Assessment",
            header_right=f"{a.reference} · version {a.version}",
            footer_code=self.code,
            draft=self.draft,
            signature_name=None if self.draft else f"Digital signature of {board.name} on this assessment",
        )
        doc.build(self.story())
        return doc.page_count

    def story(self) -> list:
        a = self.assessment
        pc = a.plan_change
        summary = self.summary
        screening = self.screening
        story = [
            Heading("Integrated Impact Assessment", "title", 0),
            para(pc.title, "subtitle"),
        ]
        if self.draft:
            story.append(para("DRAFT preview: not signed off, not for publication.", "label"))
        story += [
            facts([
                ("Reference", f"{a.reference} (version {a.version})"),
                ("Board", pc.board.name),
                ("Plan change", pc.title),
                ("Type", pc.get_change_type_display() + (", revision of an existing policy or service"
                                                         if pc.is_revision else ", new")),
                ("Lead officer", person(pc.lead_officer)),
                ("Responsible director", person(pc.director)),
                ("Started", date(timezone.localtime(pc.created_at))),
                ("Submitted for review", date(a.submitted_at and timezone.localtime(a.submitted_at))),
                ("Approved", date(a.approved_at and timezone.localtime(a.approved_at))),
                ("Signed off", date(a.signed_off_at and timezone.localtime(a.signed_off_at))),
                ("Review date", date(a.review_date)),
                ("Screening outcome", self._screening_outcome(screening)),
                ("Risk level", a.get_risk_level_display() or "Not yet set"),
                ("Form", a.template.code),
            ]),
            Spacer(1, 8),
            Heading("Impacts found, by section", "h1", 1),
            table(["Section", "Positive", "Negative", "Not known"],
                  [[s.section.title, str(s.counts["positive"]), str(s.counts["negative"]), str(s.counts["not_known"])]
                   for s in summary["sections"]], [4, 1, 1, 1]),
        ]
        if self.draft:
            story.append(para("This draft has no verification code: only the signed document can be verified.", "small"))
        else:
            story += [
                para(f"An accessible HTML version of this document: {self.html_url}", "small"),
                para(f"Check this document is genuine and unaltered at {self.verify_url} with the verification code "
                     f"{self.code}.", "small"),
            ]
        for s in summary["sections"]:
            story.append(Heading(s.section.title, "h1", 0))
            for group, rows in s.groups:
                if group:
                    story.append(Heading(group, "h2", 1))
                story.append(table(
                    ["Row", "Rating", "Explanation"],
                    [[item.row.label, rating_words(item.rating), self._explanation(item.rating)] for item in rows],
                    [3, 2, 7],
                ))
            for question, value in s.answers:
                story.append(Heading(question.label, "h2", 1))
                story.append(para(value or "Not answered."))
        story += [
            Heading("Evidence and consultation", "h1", 0),
            Heading("Evidence", "h2", 1), para(a.evidence or "Not given."),
            Heading("Consultation", "h2", 1), para(a.consultation or "Not given."),
            Heading("Mitigating actions", "h1", 0),
        ]
        actions = summary["actions"]
        if actions:
            story.append(table(
                ["Action", "Kind", "Owner", "Due", "Linked rows"],
                [[x.description, x.get_kind_display(), x.owner, date(x.due_date),
                  "; ".join(r.label for r in x.rows.all()) or "General"] for x in actions],
                [5, 2, 2.2, 1.6, 3],
            ))
        else:
            story.append(para("No actions recorded."))
        story += [
            Heading("Review", "h2", 1),
            para(f"This assessment will be reviewed by {date(a.review_date) or 'a date not yet set'}."),
            Heading("Approval and sign-off", "h1", 0),
            facts(self._sign_off_facts()),
        ]
        return story

    @staticmethod
    def _screening_outcome(screening) -> str:
        if screening is None or not screening.outcome:
            return "Not recorded"
        reason = f": {screening.outcome_reason}" if screening.outcome_reason else ""
        return screening.get_outcome_display() + reason

    @staticmethod
    def _explanation(rating) -> str:
        if rating is None:
            return ""
        text = rating.explanation
        if rating.justification:
            text = f"{text}\nJustification: {rating.justification}" if text else f"Justification: {rating.justification}"
        return text

    def _sign_off_facts(self):
        a = self.assessment
        return [
            ("Equality lead approval", person(a.approved_by) or "Not yet approved"),
            ("Role", self.approver_title),
            ("Date", date(a.approved_at and timezone.localtime(a.approved_at))),
            ("Risk level", a.get_risk_level_display()),
            ("Comments", a.approval_comments),
            ("Senior officer sign-off", person(a.signed_off_by) or "Not yet signed off"),
            ("Role", a.signed_off_role),
            ("Date", date(a.signed_off_at and timezone.localtime(a.signed_off_at))),
            ("Declaration", a.sign_off_declaration or a.template.sign_off_declaration),
        ]
