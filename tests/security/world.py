"""A board with something at every stage, and the people who look at it, for the role matrix."""

import datetime

from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import EvidenceFile, EvidencePart, MitigatingAction
from assessments.services import evidence as evidence_services
from assessments.services.easy_read import easy_read_write
from reports import services as report_services
from reports.models import AgendaItem, Committee, Meeting, Report, SignedDocument
from tests import evidence_samples
from tests import factories as f
from tests.reports.helpers import signed_off
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow

from . import admin_world

PERSONAS = ("anonymous", "officer", "contributor", "lead", "other_lead", "senior", "clerk", "superuser")


class World:
    """Everything is on Dundee's board; ``other_lead`` is Scottish Borders' equality lead.
    ``admin_records`` adds what the admin's URLs need: a record of every registered model
    on both boards, draft forms, and the equality leads as staff (as ``load_demo`` makes them)."""

    def __init__(self, committed):
        dundee, borders = f.Cast(), f.Cast("scottish-borders")
        self.casts = {"dundee": dundee, "scottish-borders": borders}
        self.people = {
            "anonymous": None,
            "officer": dundee.officer,
            "contributor": dundee.officer2,
            "lead": dundee.lead,
            "other_lead": borders.lead,
            "senior": dundee.senior,
            "clerk": dundee.clerk,
            "superuser": f.user(None, is_superuser=True, is_staff=True),
        }
        self.plan = f.plan()
        draft = f.start(dundee, "Screening draft")
        submitted_screening = f.start(dundee, "Screening submitted")
        pass

        workflow_actions.screening_save(task=active_task(submitted_screening, IIAFlow.screening), by=dundee.officer,
                                        answers=f.answers(), complete=True, claim=True)
        parts = f.screen(dundee, f.start(dundee, "Parts in progress"))
        actions = f.screen(dundee, f.start(dundee, "Actions"))
        f.complete_parts(dundee, actions)
        submit = f.screen(dundee, f.start(dundee, "Submit"))
        f.complete_parts(dundee, submit)
        f.complete_actions(dundee, submit)
        self.submitted = f.to_submitted(dundee, "Submitted")
        f.current(self.submitted).contributors.add(dundee.officer2)
        approved = f.to_submitted(dundee, "Approved")
        f.current(approved).contributors.add(dundee.officer2)
        f.approve(dundee, approved)
        self.signed = committed(signed_off, dundee)
        # an action of the signed-off version, for its progress page (monitoring since signing)
        self.signed_action = MitigatingAction.objects.create(
            assessment=self.signed, description="Hold drop-in sessions in each locality.", owner="Locality manager",
            due_date=datetime.date.today() + datetime.timedelta(days=30))
        committee = Committee.objects.get(board__slug="dundee", kind="ijb")
        self.meeting = report_services.meeting_create(  # held yesterday: its decisions can be recorded
            committee=committee, by=dundee.clerk, date=datetime.date.today() - datetime.timedelta(days=1), venue="Chamber"
        )
        published = report_services.report_create(
            plan_change=self.signed.plan_change,
            by=dundee.officer,
            committee=committee,
            title="Published report",
            report_by="Chief Officer",
            decision_sought="agree",
            purpose="P",
            recommendations="R",
            direction_to="none",
        )
        report_services.report_submit(report=published, by=dundee.officer)
        report_services.agenda_add_report(meeting=self.meeting, report=published, by=dundee.clerk)
        committed(report_services.meeting_publish, meeting=self.meeting, by=dundee.clerk,
                  late_reason="Published after the meeting, for the tests.")
        self.published_report = Report.objects.get(pk=published.pk)
        self.draft_report = report_services.report_create(
            plan_change=self.submitted,
            by=dundee.officer,
            committee=committee,
            title="Draft report",
            report_by="Chief Officer",
            decision_sought="agree",
            purpose="P",
            recommendations="R",
            direction_to="none",
        )
        unpublished = committed(signed_off, dundee)
        self.unpublished_document = SignedDocument.objects.get(assessment=unpublished)
        decided = committed(signed_off, dundee)  # published by a decision under delegated authority
        self.delegated_decision = report_services.delegated_decision_record(
            document=SignedDocument.objects.get(assessment=decided), by=dundee.senior, authority="Scheme of delegation",
            decision="Agreed.", decided_on=timezone.localdate())
        self.item = AgendaItem.objects.get(meeting=self.meeting, report=published)
        self.meeting = Meeting.objects.get(pk=self.meeting.pk)
        self.tasks = {
            node.name: active_task(pc, node)
            for pc, node in (
                (draft, IIAFlow.screening),
                (submitted_screening, IIAFlow.review_screening),
                (parts, IIAFlow.complete_part),
                (actions, IIAFlow.actions),
                (submit, IIAFlow.submit),
                (self.submitted, IIAFlow.review),
                (approved, IIAFlow.sign_off),
            )
        }
        self.parts_assessment = f.current(parts)
        # other formats: the signed-off assessment (published above) has an Easy Read summary
        # and a request for it in large print, which only Dundee's equality leads handle
        self.published_document = SignedDocument.objects.get(assessment=self.signed)
        easy_read_write(assessment=self.signed, by=dundee.officer, text="We are changing a service. Read why.")
        self.format_request = report_services.format_request_create(
            document=self.published_document, address="192.0.2.1", format="large_print", email="reader@example.org")
        # evidence files: one attached to the assessment being written, a library entry it
        # cites, and a withheld file listed in the published signed document (put there as
        # the signed record had it: no service attaches a file once signed)
        self.evidence_file = evidence_services.evidence_file_upload(
            by=dundee.officer, upload=evidence_samples.upload("profile.pdf", evidence_samples.PDF),
            part=EvidencePart.EVIDENCE, assessment=self.parts_assessment)
        self.evidence_source = evidence_services.evidence_source_add(
            by=dundee.lead, board=f.board(), title="SIMD profile", url="https://simd.scot/")
        self.citation = evidence_services.evidence_cite(by=dundee.officer, assessment=self.parts_assessment,
                                                        source=self.evidence_source)
        withheld = EvidenceFile(board=f.board(), part=EvidencePart.CONSULTATION, assessment=self.signed,
                                name="names.csv", content_type="text/csv", size=len(evidence_samples.CSV),
                                sha256="0" * 64, uploaded_by_name="Officer", published=False,
                                withheld_reason="It names the people consulted.")
        withheld.file.save("names.csv", evidence_samples.upload("names.csv", evidence_samples.CSV))
        self.signed_file = withheld
        # planned, so it changes nobody's access today; the officer can end it. A month ahead,
        # not tomorrow: a run that crosses midnight must not find it started halfway through
        starts_on = timezone.localdate() + datetime.timedelta(days=30)
        self.delegation = assessment_services.delegation_create(
            delegator=dundee.officer, delegate=dundee.officer2, board=f.board(), role="officer",
            starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=7),
        )

    def cases(self, name: str, route: str) -> list[tuple[str, dict, dict | None]]:
        """The requests the matrix makes of a URL, each ``(key, path arguments, POST body)``:
        one, keyed by the URL's name; or, for an admin URL of a model that belongs to a board
        (once ``admin_records`` has run), one per board's record, keyed ``name@board``
        (``@dundee-draft``: a form not in use). An add URL's POST body names that board's
        board, template or section."""
        admin_cases = admin_world.cases(self, name, route) if getattr(self, "admin", None) else None
        return admin_cases or [(name, self.kwargs(name, route), None)]

    def admin_records(self, committed) -> None:
        admin_world.build(self, committed)

    def kwargs(self, name: str, route: str) -> dict:
        """Path arguments for a URL name."""
        if name.startswith("iia:"):
            node = name.split(":")[1]
            task = self.tasks[node]
            return {"process_pk": task.process_id, "task_pk": task.pk}
        if name.startswith("admin:"):
            return self._admin_kwargs(name, route)
        if name.startswith("api:"):
            return self._api_kwargs(name)
        values = {
            "plan_detail": {"pk": self.plan.pk},
            "plan_matrix_csv": {"pk": self.plan.pk},
            "plan_matrix_xlsx": {"pk": self.plan.pk},
            "plan_cumulative_pdf": {"pk": self.plan.pk},
            "board_dashboard": {"slug": "dundee"},
            "board_matrix_csv": {"slug": "dundee"},
            "board_matrix_xlsx": {"slug": "dundee"},
            "mainstreaming_report": {"slug": "dundee"},
            "mainstreaming_pdf": {"slug": "dundee"},
            "mainstreaming_csv": {"slug": "dundee"},
            "mainstreaming_xlsx": {"slug": "dundee"},
            "plan_change_detail": {"pk": self.submitted.pk},
            "plan_change_start_board": {"board_slug": "dundee"},
            "assessment_new_version": {"pk": self.signed.pk},
            "assessment_preview": {"pk": self.parts_assessment.pk},
            "assessment_docx": {"pk": self.parts_assessment.pk},
            "assessment_withdraw": {"pk": self.parts_assessment.pk},
            "assessment_review": {"pk": self.signed.pk},
            "action_progress": {"pk": self.signed_action.pk},
            "plan_change_comments": {"pk": self.submitted.pk},
            "delegation_end": {"pk": self.delegation.pk},
            "document_html": {"code": self.unpublished_document.verification_code},
            "document_pdf": {"code": self.unpublished_document.verification_code},
            "document_retry": {"code": self.unpublished_document.verification_code},
            "report_new": {"plan_change_pk": self.submitted.pk},
            "report_detail": {"pk": self.draft_report.pk},
            "report_edit": {"pk": self.draft_report.pk},
            "report_submit": {"pk": self.draft_report.pk},
            "report_pdf": {"pk": self.draft_report.pk},
            "report_docx": {"pk": self.draft_report.pk},
            "meeting_detail": {"pk": self.meeting.pk},
            "meeting_pack": {"pk": self.meeting.pk},
            "meeting_pack_status": {"pk": self.meeting.pk},
            "item_decide": {"pk": self.item.pk},
            "register_board": {"slug": "dundee"},
            "register_feed": {"slug": "dundee"},
            "register_json": {"slug": "dundee"},
            "register_csv": {"slug": "dundee"},
            "register_xlsx": {"slug": "dundee"},
            "register_meeting": {"slug": "dundee", "pk": self.meeting.pk},
            "register_report": {"slug": "dundee", "number": self.published_report.number},
            "delegated_decision_new": {"code": self.unpublished_document.verification_code},
            "register_delegated_decision": {"slug": "dundee", "pk": self.delegated_decision.pk},
            "register_directions": {"slug": "dundee"},
            "register_format_request": {"slug": "dundee", "code": self.published_document.verification_code},
            "register_format_request_sent": {"slug": "dundee"},
            "register_easy_read": {"slug": "dundee", "code": self.published_document.verification_code},
            "format_request_detail": {"pk": self.format_request.pk},
            "format_request_start": {"pk": self.format_request.pk},
            "format_request_done": {"pk": self.format_request.pk},
            "easy_read_edit": {"pk": self.signed.pk},
            "assessment_files": {"pk": self.parts_assessment.pk},
            "assessment_cite": {"pk": self.parts_assessment.pk},
            "action_progress_files": {"pk": self.signed_action.pk},
            "evidence_file_download": {"pk": self.evidence_file.pk},
            "evidence_file_remove": {"pk": self.evidence_file.pk},
            "evidence_file_publication": {"pk": self.evidence_file.pk},
            "citation_remove": {"pk": self.citation.pk},
            "evidence_library": {"slug": "dundee"},
            "evidence_source_retire": {"pk": self.evidence_source.pk},
            "document_file": {"code": self.published_document.verification_code, "pk": self.signed_file.pk},
            "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},  # the "does not work" page
            "two_factor_passkey_remove": {"pk": 1},  # nobody in the world has a passkey: nobody's to remove
        }
        return values.get(name, {})

    def _api_kwargs(self, name: str) -> dict:
        """The API's records and tasks: each task action on the task it completes."""
        tasks = {"task-screening": "screening", "task-actions": "actions", "task-part": "complete_part",
                 "task-screening-review": "review_screening", "task-submit": "submit", "task-sign-off": "sign_off"}
        if name.startswith("api:task-") and name not in ("api:task-inbox", "api:task-queue"):
            return {"pk": self.tasks[tasks.get(name[4:], "review")].pk}
        return {
            "api:board-detail": {"slug": "dundee"},
            "api:plan-change-detail": {"pk": self.submitted.pk},
            "api:assessment-detail": {"pk": self.parts_assessment.pk},
            "api:report-detail": {"pk": self.draft_report.pk},
            "api:meeting-detail": {"pk": self.meeting.pk},
            "api:register-documents": {"slug": "dundee"},
            "api:register-meetings": {"slug": "dundee"},
            "api:register-directions": {"slug": "dundee"},
        }.get(name, {})

    def _admin_kwargs(self, name: str, route: str) -> dict:
        from django.contrib import admin

        kwargs = {}
        if "<app_label>" in route:
            kwargs["app_label"] = "assessments"
        if "object_id" in route or "<id>" in route:
            model = next(
                (m for m in admin.site._registry if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")), None
            )
            obj = model._default_manager.order_by("pk").first() if model else None
            kwargs["id" if "<id>" in route else "object_id"] = str(obj.pk) if obj else "1"
        if "content_type_id" in route:
            from django.contrib.contenttypes.models import ContentType

            kwargs["content_type_id"] = ContentType.objects.get_for_model(Report).pk
            kwargs["object_id"] = str(self.published_report.pk)
        for param in ("uidb64", "token"):
            if f"<{param}>" in route or f":{param}>" in route:
                kwargs[param] = "x"
        return kwargs
