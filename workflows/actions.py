"""One action per human step of the workflow: the only way a task is claimed, released,
worked on or completed, by the task pages, the REST API, the demo loader and the tests.

Each action takes the flow lock, reads the task again under it, checks the task's rule
for the person (a ``Conflict``, 409, when the task is done or someone else holds it;
``NotAllowed``, 403, when the person's role or involvement rules them out), calls the
service in ``assessments.services`` (which checks its own rule, transitions and audits)
and completes the task so the flow moves on. Everything happens in one transaction; the
service's emails and documents go out after it commits.

A caller that has read the step's screening or version (a task page, for its form) passes
it (``screening=``, ``assessment=``) instead of having it read again; it must be the task's.

``claim=True`` is for callers without a queue page (the demo loader, tests, benchmarks):
an unclaimed task is claimed for the person first, under the same lock.
"""

from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from assessments import services
from assessments.catalogue import EVIDENCE_PART
from assessments.exceptions import NotAllowed
from assessments.models import Assessment

from . import notifications, selectors, tasks
from .exceptions import Conflict
from .models import ACTIVE_STATUSES, IIAProcess

DONE = "This task has already been completed by someone else. Nothing you sent was saved."
TAKEN = "Someone else has claimed this task. Nothing you sent was saved."
HELD = "You already hold this task."
UNCLAIMED = "Claim this task before working on it."


def plan_change_url(task) -> str:
    return reverse("plan_change_detail", args=[task.process.coerced.plan_change_id])


def refuse(task, user, permitted) -> None:
    """Raise what a person is answered when ``permitted(user, task)`` says no: a ``Conflict``
    (409) when the task is done or someone else holds a task the user could otherwise take,
    ``NotAllowed`` (403) when the user's role or involvement rules them out."""
    if task.status not in ACTIVE_STATUSES:
        raise Conflict(DONE, next_url=plan_change_url(task))
    if permitted(user, task):
        return
    # A rule that reads the record's state may have seen a step completed after this task was
    # read (a page checks before taking the lock): the task, read again now, says which.
    if not Task.objects.filter(pk=task.pk, status__in=ACTIVE_STATUSES).exists():
        raise Conflict(DONE, next_url=plan_change_url(task))
    node = task.flow_task
    if task.owner_id and node._allowed(user, task):
        raise Conflict(HELD if task.owner_id == user.pk else TAKEN, next_url=plan_change_url(task))
    raise NotAllowed(f"{user} cannot do “{node.task_title}”.")


def check_work(task, user) -> None:
    """Whether the user may work on the task now: as ``refuse`` for ``can_execute``, and a
    409 to claim an unclaimed task first."""
    if task.status in ACTIVE_STATUSES and task.owner_id is None and task.flow_task._allowed(user, task):
        raise Conflict(UNCLAIMED, next_url=plan_change_url(task))
    refuse(task, user, task.flow_task.can_execute)


def _check_holder(task, user) -> None:
    """Under the lock, before a step's work: the task is open and the user holds it (or acts
    for its holder under a delegation), as ``check_work`` answers. The rest of the
    permission, the user's role and the step's rule (not their own work, the record's state),
    is the step's predicate in ``assessments.rules``, asked once by the service on the record
    it locks."""
    if task.status in ACTIVE_STATUSES and task.owner_id is None and task.flow_task._allowed(user, task):
        raise Conflict(UNCLAIMED, next_url=plan_change_url(task))
    refuse(task, user, task.flow_task._holds)


def _reload(task: Task) -> Task:
    """Read the task again under the lock, in place, with its process and the IIA process
    the rules and nodes look at (one query instead of three)."""
    task.refresh_from_db(from_queryset=Task.objects.select_related("process__iiaprocess"))
    return task


def _expect(task: Task, *nodes: str) -> None:
    if task.flow_task.name not in nodes:
        raise NotAllowed(f"This task is “{task.flow_task.task_title}”; this action does not complete it.")


# The flow lock opens the transaction; ``atomic(savepoint=False)`` below only asserts it is
# there (an error leaves through the lock's block, which rolls everything back).


def _act(task: Task, by, nodes: tuple[str, ...], work: Callable[[], object], *, finish: bool, claim: bool,
         told: str = ""):
    """Under the flow lock: read the task again, check the person may work on it, do
    ``work`` and, if ``finish``, complete the task (a draft save does not). Once it commits,
    the people the change concerns are told: of ``told`` (an action on the assessment
    ``work`` returns, e.g. ``"assessment.approve"``) and of the tasks it created or handed on."""
    with task.flow_task.flow_class.lock(task.process_id), transaction.atomic(savepoint=False):
        _reload(task)
        _expect(task, *nodes)
        node = task.flow_task
        activation = node.activation_class(task)
        if claim and task.owner_id is None:
            if not node.can_assign(by, task):
                raise NotAllowed(f"{by} cannot claim {node.name}.")
            activation.assign(by)
        elif claim:
            if not node.can_execute(by, task):
                raise NotAllowed(f"{by} cannot do {node.name}.")
        else:
            _check_holder(task, by)
        if not finish:
            return work()
        before = notifications.waiting_tasks(task.process_id)
        activation.start(None)
        result = work()
        activation.execute()
        tasks.notify(actions=[(result.pk, told, by.pk)] if told else [],
                     tasks=notifications.task_events(before, notifications.waiting_tasks(task.process_id), by.pk))
        return result


def _screening(task: Task, given=None):
    """The screening the step works on: the one the caller has read (a task page reads it for
    its form), or read here. The service locks it and reads it again."""
    return _of_task(task, given) if given is not None else selectors.process_screening(task.process.coerced)


def _assessment(task: Task, given=None):
    """The version the step works on, as ``_screening``."""
    return _of_task(task, given) if given is not None else selectors.process_assessment(task.process.coerced)


def _of_task(task: Task, record):
    if record.plan_change_id != task.process.coerced.plan_change_id:
        raise NotAllowed("That record is not this task's.")
    return record


# --- the queue ----------------------------------------------------------------------------


def task_claim(*, task: Task, by) -> Task:
    """Claim an unassigned task; the task's own rule decides who may."""
    with task.flow_task.flow_class.lock(task.process_id), transaction.atomic():
        _reload(task)
        if task.status in ACTIVE_STATUSES and task.owner_id == by.pk:
            raise Conflict(HELD, next_url=plan_change_url(task))
        refuse(task, by, task.flow_task.can_assign)
        task.flow_task.activation_class(task).assign(by)
    return task


def task_release(*, task: Task, by) -> Task:
    """Give a task the person holds back to the queue."""
    with task.flow_task.flow_class.lock(task.process_id), transaction.atomic():
        _reload(task)
        refuse(task, by, task.flow_task.can_unassign)
        task.flow_task.activation_class(task).unassign()
        tasks.notify(tasks=[(task.pk, notifications.QUEUED, None, by.pk)])
    return task


# --- the steps ----------------------------------------------------------------------------


def screening_save(*, task: Task, by, answers, officer_reason: str = "", complete: bool = False, claim=False,
                   screening=None, relies_on_id=None):
    """Save the pre-screening as a draft, or (``complete``) submit it for review
    (``relies_on_id``: the earlier assessment an "already assessed" answer names)."""
    save = services.screening_submit if complete else services.screening_save
    return _act(task, by, ("screening",), lambda: save(
        screening=_screening(task, screening), by=by, answers=answers, officer_reason=officer_reason,
        relies_on_id=relies_on_id), finish=complete, claim=claim)


def screening_review(*, task: Task, by, decision: str, comments: str = "", claim=False, screening=None,
                     relies_on_checked: bool = False):
    """An equality lead's decision on the pre-screening: concur, override or return (and,
    for an "already assessed" screening, the check of the earlier assessment)."""
    return _act(task, by, ("review_screening",), lambda: services.screening_review(
        screening=_screening(task, screening), by=by, decision=decision, comments=comments,
        relies_on_checked=relies_on_checked), finish=True, claim=claim)


def part_save(*, task: Task, by, complete: bool = False, expected_revision=None, claim=False, assessment=None,
              **inputs):
    """Save a part of the assessment (``inputs``: ``evidence`` and ``consultation`` for the
    evidence, ``ratings`` and ``answers`` for a section), completing it if ``complete``."""

    def work():
        common = dict(assessment=_assessment(task, assessment), by=by, complete=complete, expected_revision=expected_revision)
        code = task.data["part"]
        if code == EVIDENCE_PART.code:
            return services.evidence_save(**common, **inputs)
        return services.section_save(section_code=code, **common, **inputs)

    return _act(task, by, ("complete_part",), work, finish=complete, claim=claim)


def actions_save(*, task: Task, by, actions, justifications, review_date, complete: bool = False,
                 expected_revision=None, claim=False, assessment=None):
    """Save the mitigating actions and review date, completing them if ``complete``."""
    return _act(task, by, ("actions",), lambda: services.actions_save(
        assessment=_assessment(task, assessment), by=by, actions=actions, justifications=justifications,
        review_date=review_date, complete=complete, expected_revision=expected_revision),
        finish=complete, claim=claim)


def assessment_submit(*, task: Task, by, claim=False, assessment=None):
    """Submit the assessment for equality-lead review."""
    return _act(task, by, ("submit",), lambda: services.assessment_submit(
        assessment=_assessment(task, assessment), by=by), finish=True, claim=claim, told="assessment.submit")


def assessment_approve(*, task: Task, by, risk_level: str, comments: str = "", claim=False, assessment=None):
    """An equality lead approves the assessment with a risk level."""
    return _act(task, by, ("review",), lambda: services.assessment_approve(
        assessment=_assessment(task, assessment), by=by, risk_level=risk_level, comments=comments), finish=True, claim=claim,
        told="assessment.approve")


def assessment_return(*, task: Task, by, comments: str, parts, claim=False, assessment=None):
    """The equality lead (review) or senior officer (sign-off) returns it for changes."""
    return _act(task, by, ("review", "sign_off"), lambda: services.assessment_return(
        assessment=_assessment(task, assessment), by=by, comments=comments, parts=parts), finish=True, claim=claim,
        told="assessment.return")


def assessment_sign_off(*, task: Task, by, comments: str = "", claim=False, assessment=None):
    """A senior officer signs the assessment off."""
    return _act(task, by, ("sign_off",), lambda: services.assessment_sign_off(
        assessment=_assessment(task, assessment), by=by, comments=comments), finish=True, claim=claim,
        told="assessment.sign_off")


def assessment_withdraw(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Withdraw the assessment and end its workflow: its open tasks are cancelled and the
    process is marked cancelled, under the flow lock, in the transition's transaction.
    The tasks are cancelled by status, as viewflow's own process cancel does; a join still
    waiting for parts has no cancel transition of its own, so no per-node transition is used."""
    process = (
        IIAProcess.objects.filter(plan_change_id=assessment.plan_change_id, status=PROCESS.NEW).order_by("-pk").first()
    )
    with transaction.atomic():
        if process is None:
            assessment = services.assessment_withdraw(assessment=assessment, by=by, reason=reason)
        else:
            with process.flow_class.lock(process.pk):
                assessment = services.assessment_withdraw(assessment=assessment, by=by, reason=reason)
                finished = timezone.now()
                process.task_set.filter(status__in=ACTIVE_STATUSES).update(status=STATUS.CANCELED, finished=finished)
                IIAProcess.objects.filter(pk=process.pk).update(status=PROCESS.CANCELED, finished=finished)
        tasks.notify(actions=[(assessment.pk, "assessment.withdraw", by.pk)])
    return assessment


def assessment_new_version(*, assessment: Assessment, by, reason: str) -> Assessment:
    """An officer opens a new version of a signed-off assessment; its run of the flow
    starts in the same transaction (``receivers.start_new_version_tasks``)."""
    return services.assessment_new_version(assessment=assessment, by=by, reason=reason)
