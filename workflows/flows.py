"""The IIA workflow. Nodes name people and steps; the services in ``assessments`` do the work."""

from viewflow import this
from viewflow.workflow import flow, lock

from assessments import rules
from assessments.catalogue import parallel_part_codes
from assessments.models import AssessmentState, Role, ScreeningState
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
    the assessment and the mitigating actions as their own tasks in any order, then
    submission once all of them are complete, equality-lead review with rework loops,
    and senior sign-off.
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

    # The parts still to do and the mitigating actions, side by side: the join waits for
    # every one of them before the submission.
    parts = PartsSplit(this.complete_part, this.parts_to_do, also=this.actions)
    complete_part = (
        TaskNode(views.PartTaskView.as_view(), role=Role.OFFICER, title="Complete a part of the IIA")
        .Assign(this.author)
        .Next(this.parts_done)
    )
    actions = (
        TaskNode(views.ActionsTaskView.as_view(), role=Role.OFFICER, title="Record mitigating actions")
        .Assign(this.author)
        .Next(this.parts_done)
    )
    parts_done = Join().Next(this.submit)
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
        .Default(this.parts)
    )
    sign_off = TaskNode(
        views.ReviewTaskView.as_view(), role=Role.SENIOR_OFFICER, guard=_signable, title="Sign off the IIA"
    ).Next(this.sign_off_decided)
    sign_off_decided = (
        Switch()
        .Case(this.signed_document, this.is_signed_off)
        .Default(this.parts)
    )
    # The signed PDF is rendered after the sign-off commits, outside the lock.
    signed_document = Function(this.request_signed_document).Next(this.signed_off)
    signed_off = End()

    # --- start handlers -------------------------------------------------------
    def start_process(self, activation, *, plan_change):
        activation.process.plan_change = plan_change
        activation.process.board_id = plan_change.board_id
        activation.process.author_id = plan_change.created_by_id  # its screening's and first version's author
        return activation.process

    def start_new_version(self, activation, *, assessment):
        """Tasks for a version just opened by ``services.assessment_new_version``."""
        activation.process.plan_change = assessment.plan_change
        activation.process.board_id = assessment.plan_change.board_id
        activation.process.author_id = assessment.author_id
        return activation.process

    # --- documents ---------------------------------------------------------------
    def request_screening_record(self, activation):
        documents.document_request_for_screening(screening=selectors.process_screening(activation.process))

    def request_signed_document(self, activation):
        documents.document_request_for_assessment(assessment=selectors.process_assessment(activation.process))

    # --- assignment and routing ----------------------------------------------
    def author(self, activation):
        """Tasks of the officer go to the run's author (``IIAProcess.author``): read once for
        all the part tasks a split creates, which share the process."""
        return activation.process.author

    # The switches below route on what the step just decided: their activations read the
    # process's records once, after the step's service has saved (``nodes.ReadsRecords``).
    def _screening(self, activation):
        return activation.screening

    def _assessment(self, activation):
        return activation.assessment

    def screening_returned(self, activation):
        return self._screening(activation).state == ScreeningState.RETURNED

    def is_screened_out(self, activation):
        return self._screening(activation).state == ScreeningState.SCREENED_OUT

    def parts_to_do(self, activation):
        """The parts a run of the split opens: every part of a new version, or the parts a
        returned one reopened (none when only the actions were). The actions always open
        (``assessment_return`` always reopens them)."""
        assessment = self._assessment(activation)
        parallel = parallel_part_codes(assessment)
        if assessment.rework_parts:
            return [code for code in parallel if code in assessment.rework_parts]
        return parallel

    def is_approved(self, activation):
        return self._assessment(activation).state == AssessmentState.APPROVED

    def is_signed_off(self, activation):
        return self._assessment(activation).state == AssessmentState.SIGNED_OFF
