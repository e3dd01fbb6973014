"""The IIA workflow. Nodes name people and steps; the services in ``assessments`` do the work."""

from viewflow import this
from viewflow.workflow import flow, lock

from assessments import rules
from assessments.catalogue import parallel_part_codes
from assessments.models import Role
from reports import services as documents

from . import selectors, views
from .models import IIAProcess
from .nodes import End, Function, Join, PartsSplit, StartHandle, Switch, TaskNode


def _screening_reviewable(user, task) -> bool:
    screening = selectors.process_screening(task.process.coerced)
    return screening is not None and rules.can_review_screening(user, screening)


def _approvable(user, task) -> bool:
    assessment = selectors.process_assessment(task.process.coerced)
    return assessment is not None and rules.can_approve(user, assessment)


def _signable(user, task) -> bool:
    assessment = selectors.process_assessment(task.process.coerced)
    return assessment is not None and rules.can_sign_off(user, assessment)


class IIAFlow(flow.Flow):
    """Integrated Impact Assessment

    Pre-screening and its review by an equality lead; for a full IIA, each part of
    the assessment as its own task in any order, then mitigating actions, submission,
    equality-lead review with rework loops, and senior sign-off.
    """

    process_class = IIAProcess
    # Viewflow defaults to no lock at all; every step here locks the process row.
    lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1)

    start = StartHandle(this.start_process).Next(this.screening)

    screening = (
        TaskNode(views.ScreeningTaskView.as_view(), role=Role.OFFICER, title="Complete the pre-screening")
        .Assign(this.author)
        .Next(this.review_screening)
    )
    review_screening = TaskNode(
        views.ScreeningReviewTaskView.as_view(),
        role=Role.EQUALITY_LEAD,
        guard=_screening_reviewable,
        title="Review the screening",
    ).Next(this.screening_decided)
    screening_decided = (
        Switch()
        .Case(this.screening, this.screening_returned)
        .Case(this.screening_record, this.is_screened_out)
        .Default(this.parts)
    )
    # The signed screening record is produced after this step commits, outside the lock.
    screening_record = Function(this.request_screening_record).Next(this.screened_out)
    screened_out = End()

    start_version = StartHandle(this.start_new_version).Next(this.parts)

    parts = PartsSplit(this.complete_part, this.parts_to_do)
    complete_part = (
        TaskNode(views.PartTaskView.as_view(), role=Role.OFFICER, title="Complete a part of the IIA")
        .Assign(this.author)
        .Next(this.parts_done)
    )
    parts_done = Join().Next(this.actions)
    actions = (
        TaskNode(views.ActionsTaskView.as_view(), role=Role.OFFICER, title="Record mitigating actions")
        .Assign(this.author)
        .Next(this.submit)
    )
    submit = (
        TaskNode(views.SubmitTaskView.as_view(), role=Role.OFFICER, title="Submit the IIA for review")
        .Assign(this.author)
        .Next(this.review)
    )
    review = TaskNode(
        views.ReviewTaskView.as_view(), role=Role.EQUALITY_LEAD, guard=_approvable, title="Review the IIA"
    ).Next(this.review_decided)
    review_decided = (
        Switch()
        .Case(this.sign_off, this.is_approved)
        .Case(this.parts, this.has_parts_to_rework)
        .Default(this.actions)
    )
    sign_off = TaskNode(
        views.SignOffTaskView.as_view(), role=Role.SENIOR_OFFICER, guard=_signable, title="Sign off the IIA"
    ).Next(this.sign_off_decided)
    sign_off_decided = (
        Switch()
        .Case(this.signed_document, this.is_signed_off)
        .Case(this.parts, this.has_parts_to_rework)
        .Default(this.actions)
    )
    # The signed PDF is rendered after the sign-off commits, outside the lock.
    signed_document = Function(this.request_signed_document).Next(this.signed_off)
    signed_off = End()

    # --- start handlers -------------------------------------------------------
    def start_process(self, activation, *, plan_change):
        activation.process.plan_change = plan_change
        activation.process.board_id = plan_change.board_id
        return activation.process

    def start_new_version(self, activation, *, assessment):
        """Tasks for a version just opened by ``services.assessment_new_version``."""
        activation.process.plan_change = assessment.plan_change
        activation.process.board_id = assessment.plan_change.board_id
        return activation.process

    # --- documents ---------------------------------------------------------------
    def request_screening_record(self, activation):
        documents.document_request_for_screening(screening=selectors.process_screening(activation.process))

    def request_signed_document(self, activation):
        documents.document_request_for_assessment(assessment=selectors.process_assessment(activation.process))

    # --- assignment and routing ----------------------------------------------
    def author(self, activation):
        """Tasks of the officer go to the author of the current version (or of the plan change).
        Kept on the process object for the step: the parts split asks once per part, and a
        process's current version keeps its author (a new version runs in a new process)."""
        process = activation.process
        if getattr(process, "_iia_author", None) is None:
            assessment = selectors.process_assessment(process)
            process._iia_author = assessment.author if assessment else process.plan_change.created_by
        return process._iia_author

    def _screening(self, activation):
        """The process's screening, read once per activation: a switch asks each of its
        cases with the same activation, after the step's service has saved."""
        if getattr(activation, "_iia_screening", None) is None:
            activation._iia_screening = selectors.process_screening(activation.process)
        return activation._iia_screening

    def _assessment(self, activation):
        """The process's current version, read once per activation (as ``_screening``)."""
        if getattr(activation, "_iia_assessment", None) is None:
            activation._iia_assessment = selectors.process_assessment(activation.process)
        return activation._iia_assessment

    def screening_returned(self, activation):
        return self._screening(activation).state == "returned"

    def is_screened_out(self, activation):
        return self._screening(activation).state == "screened_out"

    def parts_to_do(self, activation):
        assessment = self._assessment(activation)
        if getattr(activation.process, "_iia_author", None) is None:  # the part tasks go to its author
            activation.process._iia_author = assessment.author
        parallel = parallel_part_codes(assessment.template)
        if assessment.rework_parts:
            return [code for code in parallel if code in assessment.rework_parts]
        return parallel

    def has_parts_to_rework(self, activation):
        assessment = self._assessment(activation)
        return assessment.state == "returned" and bool(self.parts_to_do(activation)) and any(
            code in assessment.rework_parts for code in parallel_part_codes(assessment.template)
        )

    def is_approved(self, activation):
        return self._assessment(activation).state == "approved"

    def is_signed_off(self, activation):
        return self._assessment(activation).state == "signed_off"
