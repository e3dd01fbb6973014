"""Reads of workflow state: the current records of a process, inboxes and queues."""

import datetime
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.apps import apps
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments import plan_change_list, rules
from assessments.catalogue import part_by_code
from assessments.links import id_url
from assessments.models import Assessment, Board, PlanChange, Screening

from . import due_dates
from .models import ACTIVE_STATUSES, IIAProcess


def process_screening(process: IIAProcess) -> Screening | None:
    if process.primed_records is not None:
        return process.primed_records[0]
    return (Screening.objects.filter(plan_change_id=process.plan_change_id).select_related("template")
            .order_by("-created_at", "-pk").first())


def process_assessment(process: IIAProcess) -> Assessment | None:
    if process.primed_records is not None:
        return process.primed_records[1]
    assessment = (
        Assessment.objects.filter(plan_change_id=process.plan_change_id)
        .select_related("plan_change", "template", "author")
        .order_by("-version")
        .first()
    )
    field = IIAProcess._meta.get_field("plan_change")
    if assessment is not None and isinstance(process, IIAProcess) and not field.is_cached(process):
        process.plan_change = assessment.plan_change  # read with it: the task pages name it
    return assessment


# the fields of the current screening and assessment a task list reads
PRIMED_SCREENING = ("pk", "plan_change_id", "template_id", "state", "submitted_by_id", "created_at")
PRIMED_ASSESSMENT = ("pk", "plan_change_id", "version", "state", "author_id", "template", "modules")


def tasks_primed(tasks) -> list[Task]:
    """The tasks, with the current screening and assessment of each one's process read for
    all of them at once (what task titles and the nodes' rules read), and their boards, so a
    list of tasks costs four queries however long it is. Kept on the process objects of this request."""
    tasks = list(tasks)
    processes = [task.process.coerced for task in tasks]
    processes = [process for process in processes if process.primed_records is None]  # primed already
    if not processes:
        return tasks
    field = IIAProcess._meta.get_field("plan_change")
    plan_changes = {process.plan_change_id: process.plan_change for process in processes if field.is_cached(process)}
    missing = {process.plan_change_id for process in processes} - plan_changes.keys()
    if missing:  # the task list was read without its plan changes: give each process its own
        plan_changes.update(PlanChange.objects.in_bulk(missing))
        for process in processes:
            if not field.is_cached(process):
                process.plan_change = plan_changes[process.plan_change_id]
    _attach_boards(processes, [process.plan_change for process in processes])
    screenings, assessments = {}, {}
    # only what the rules and titles read (the rest, e.g. a screening's answers, is fetched
    # only if asked for): the rows cost a list of 100 tasks half its time before
    for screening in (Screening.objects.filter(plan_change_id__in=plan_changes).only(*PRIMED_SCREENING)
                      .order_by("created_at", "pk")):
        screenings[screening.plan_change_id] = screening  # the newest wins
    for assessment in (Assessment.objects.filter(plan_change_id__in=plan_changes).select_related("template")
                       .only(*PRIMED_ASSESSMENT).prefetch_related("contributors").order_by("version")):
        assessments[assessment.plan_change_id] = assessment
    for record in (*screenings.values(), *assessments.values()):
        record.plan_change = plan_changes[record.plan_change_id]  # read with the tasks already
    for process in processes:
        process.primed_records = (screenings.get(process.plan_change_id), assessments.get(process.plan_change_id))
    return tasks


def _attach_boards(processes, plan_changes) -> None:
    """Give the processes and plan changes their boards, read in one small query: a task
    list does not join the board table twice (joining seven tables took the database longer
    to plan than to run: 12 of an officer's inbox's 14 ms)."""
    process_board = IIAProcess._meta.get_field("board")
    plan_change_board = PlanChange._meta.get_field("board")
    processes = [process for process in processes if not process_board.is_cached(process)]
    plan_changes = [plan_change for plan_change in plan_changes if not plan_change_board.is_cached(plan_change)]
    if not processes and not plan_changes:
        return
    boards = Board.objects.in_bulk({record.board_id for record in (*processes, *plan_changes)})
    for record in (*processes, *plan_changes):
        record.board = boards[record.board_id]


def _tasks() -> QuerySet[Task]:
    """Task lists: each task with its process, plan change and owner; ``tasks_primed`` adds
    the rest a list shows (the boards, the current screening and assessment)."""
    return Task.objects.select_related("process__iiaprocess__plan_change", "owner").order_by("created", "pk")


def task_nodes() -> list:
    """The flow's human tasks (each a ``TaskNode`` with a role). The flow is found through the
    app registry (``WorkflowsConfig.ready``): its nodes are built from the task pages, which read
    through these selectors, so this module does not import it."""
    flow_class = apps.get_app_config("workflows").flow_class
    return [node for node in flow_class.instance.nodes() if hasattr(node, "role_allows")]


def _delegated(user) -> Q:
    """Tasks of the people who delegated a role on a board to the user (active today): of
    that role's nodes, on that board only."""
    found = Q(pk__in=[])
    for (board_id, role), delegators in rules.delegations_to(user).items():
        nodes = [node for node in task_nodes() if node.role == role]
        found |= Q(owner_id__in=delegators, process__iiaprocess__board_id=board_id, flow_task__in=nodes)
    return found


def inbox(user) -> QuerySet[Task]:
    """Tasks assigned to the user, and the tasks of anyone who delegated theirs to the user,
    on the user's boards."""
    return _tasks().filter(
        Q(owner=user) | _delegated(user),
        status__in=[STATUS.ASSIGNED, STATUS.STARTED],
        process__iiaprocess__board_id__in=rules.board_ids(user),
    )


def _unclaimed(user) -> QuerySet[Task]:
    """Unclaimed tasks on the user's boards, oldest first, of nodes whose role the user holds
    there: the queue's candidates. The role is sifted by the database, so an officer's queue
    does not read every review waiting for a lead (the candidates grew with the table)."""
    return _tasks().filter(_claimable_nodes(user), status=STATUS.NEW, owner__isnull=True)


def _claimable_nodes(user) -> Q:
    """On each of the user's boards, the nodes whose role the user holds there. Every human
    node is a ``TaskNode`` with a role; the other nodes' tasks never wait to be claimed."""
    found = Q(pk__in=[])
    for board_id, streams in groupby(_claimable_streams(user), key=itemgetter(0)):
        found |= Q(process__iiaprocess__board_id=board_id, flow_task__in=[node for _, node in streams])
    return found


def queue_count(user, up_to: int | None = None) -> int:
    """How many tasks the user's queue holds, exactly, without reading them all: the
    candidates counted by the database, less those the nodes' own rules refuse. Those rules
    refuse only the user's own work, so only the candidates of plan changes the user took
    part in are read (their number grows with the user's work, not with the table).
    With ``up_to``, counting stops past it: more than ``up_to`` gives ``up_to + 1``."""
    candidates = _unclaimed(user).order_by()
    count = (candidates[:up_to + 1] if up_to is not None else candidates).count()
    involved = rules.plan_changes_involving(user) if count else None
    if not involved:
        return count
    own = candidates.filter(process__iiaprocess__plan_change_id__in=involved)
    refused = sum(1 for task in tasks_primed(own) if not task.flow_task.can_assign(user, task))
    if refused and up_to is not None:  # count again, as far past the page as there are refusals
        count = candidates[:up_to + 1 + refused].count()
    return count - refused


def queue(user) -> list[Task]:
    """Unclaimed tasks the user could claim: their role on the task's board, and the
    task's own rule (an equality lead never sees a review of their own work), soonest due
    first, then oldest. The whole
    queue read at once: the definition ``queue_page`` and ``queue_count`` are tested
    against; pages and the API read a page at a time."""
    tasks = [task for task in tasks_primed(_unclaimed(user)) if task.flow_task.can_assign(user, task)]
    policies = due_dates.policies_for({task.process.coerced.board_id for task in tasks})
    return sorted(tasks, key=_due_order(policies))


# The inbox and the queue show this many tasks a page, and have at most this many pages:
# a number past it is answered like any page past the end (a 404), without a query.
TASKS_PER_PAGE = 50
LAST_PAGE = 100_000


@dataclass
class TaskPage:
    """One page of a task list: its tasks, whether there are pages after it, and the due
    dates of their boards (``due_dates.policies_for``), read to order them."""

    tasks: list
    number: int
    has_next: bool
    policies: dict | None = None


def inbox_page(user, number: int = 1, per_page: int | None = None) -> TaskPage:
    """One page of the inbox (``TASKS_PER_PAGE`` tasks, or ``per_page``): soonest due first,
    then oldest (``_soonest_due``)."""
    per_page = per_page or TASKS_PER_PAGE
    number = max(1, number)
    start = (number - 1) * per_page
    tasks = inbox(user)
    if number > 1 and not tasks[start:start + 1].exists():  # fewer tasks than the pages before
        return TaskPage([], number, False)
    streams = set(tasks.order_by().values_list("process__iiaprocess__board_id", "flow_task").distinct())
    found, policies = _soonest_due(tasks, streams, number * per_page + 1)
    return TaskPage(found[start:start + per_page], number, len(found) > number * per_page, policies)


def queue_page(user, number: int = 1) -> TaskPage:
    """One page of the queue, soonest due first, then oldest. The database sifts the
    candidates by role (``_unclaimed``); the rest of a task's rule (an equality lead never
    reviews their own work) is the node's own, checked on the tasks read."""
    number = max(1, number)
    start = (number - 1) * TASKS_PER_PAGE
    candidates = _unclaimed(user)
    if number > 1 and not candidates[start:start + 1].exists():  # fewer candidates than the pages before
        return TaskPage([], number, False)
    wanted = number * TASKS_PER_PAGE + 1
    found, policies = _soonest_due(candidates, _claimable_streams(user), wanted,
                                   allowed=lambda task: task.flow_task.can_assign(user, task))
    return TaskPage(found[start:start + TASKS_PER_PAGE], number, len(found) == wanted, policies)


def _soonest_due(candidates: QuerySet[Task], streams, wanted: int, allowed=None) -> tuple[list[Task], dict]:
    """The first ``wanted`` of ``candidates`` that ``allowed`` keeps (all, without it),
    soonest due first, then oldest, and the boards' due dates.

    A task is due its board's working days for its kind after the day it was made, so
    within one board and kind (a stream) the oldest task is the soonest due. Only the
    oldest few of each stream are read, in one query, and merged here: every task before
    the last one read of a stream that may hold more is in its place. Only when ``allowed``
    refuses so many that too few are in their place are more read."""
    per_stream = wanted + (QUEUE_SLACK if allowed else 0)
    while True:
        read = list(_tasks().filter(_oldest_of_each(candidates, streams, per_stream)))
        policies = due_dates.policies_for({task.process.coerced.board_id for task in read})
        key = _due_order(policies)
        read.sort(key=key)
        last = {}  # each stream's last task read
        for task in read:
            last[task.process.coerced.board_id, task.flow_task] = task
        counts = Counter((task.process.coerced.board_id, task.flow_task) for task in read)
        more = [key(task) for stream, task in last.items() if counts[stream] == per_stream]
        bound = min(more, default=None)
        placed = [task for task in read if bound is None or key(task) <= bound]
        if allowed is not None:
            placed = [task for task in tasks_primed(placed) if allowed(task)]
        if len(placed) >= wanted or bound is None:
            return placed[:wanted], policies
        per_stream *= 2


def _oldest_of_each(candidates: QuerySet[Task], streams, count: int) -> Q:
    """The oldest ``count`` candidates of each (board, node) stream."""
    found = Q(pk__in=[])
    for board_id, node in streams:
        oldest = candidates.filter(process__iiaprocess__board_id=board_id, flow_task=node).order_by("created", "pk")
        found |= Q(pk__in=oldest.values("pk")[:count])
    return found


def _due_order(policies):
    """The order of task lists, as a sort key: soonest due, tasks without a due date last,
    then oldest."""
    def key(task):
        due = due_dates.task_due_date(task, policies[task.process.coerced.board_id])
        return due is None, due or datetime.date.max, task.created, task.pk
    return key


def _claimable_streams(user) -> list[tuple[int, object]]:
    """The (board, node) pairs of the user's queue: the nodes whose role the user holds on each board."""
    nodes = task_nodes()
    return [(board_id, node) for board_id in sorted(rules.board_ids(user))
            for node in nodes if node.role_allows(user, board_id)]


# tasks read beyond what the queue's page lacks, for those a task's own rule refuses
QUEUE_SLACK = 8




def open_tasks(plan_change: PlanChange, screening: Screening | None, assessment: Assessment | None) -> list[Task]:
    """The plan change's open tasks, oldest first. The caller has read the plan change with
    its current screening and version: each task's process is primed with them, so the
    nodes' rules ask nothing more of the database for them."""
    tasks = list(
        Task.objects.filter(process__iiaprocess__plan_change_id=plan_change.pk, status__in=ACTIVE_STATUSES)
        .select_related("owner", "process__iiaprocess")
        .order_by("created", "pk")
    )
    for task in tasks:
        process = task.process.coerced
        process.plan_change = plan_change
        process.primed_records = (screening, assessment)
    return tasks



@dataclass
class TaskView:
    """A task as lists show it. ``for_whom`` names the owner when the user holds the task
    under a delegation; ``note`` says why a delegate can only release it; ``due`` is the day
    the board's due dates give it (None: no due date), ``overdue`` whether that day is past."""

    task: Task
    title: str
    url: str
    action: str  # "Open", "Claim", "Release"
    for_whom: str = ""
    note: str = ""
    due: datetime.date | None = None
    overdue: bool = False

    @property
    def label(self) -> str:
        """The button's words: the task itself ("Complete “Age”"), or what is done to it
        ("Claim: Review the IIA")."""
        return self.title if self.action == "Open" else f"{self.action}: {self.title}"

    @property
    def plan_change(self):
        return self.task.process.coerced.plan_change

    @property
    def plan_change_url(self) -> str:
        return id_url("plan_change_detail", self.plan_change.pk)

    @property
    def waiting_since(self) -> str:
        """When the task was made, as "5 November 2026, 09:30" (local time): the product's one
        date format (``iia/formats``)."""
        return date_format(timezone.localtime(self.task.created), "DATETIME_FORMAT")


def task_title(task: Task, assessment: Assessment | None = None) -> str:
    """The task's title; a part's names the part (of ``assessment`` when the caller has it)."""
    part = (task.data or {}).get("part")
    if part:
        assessment = assessment or process_assessment(task.process.coerced)
        try:
            return f"Complete “{part_by_code(assessment.template, part).title}”"
        except KeyError:
            return "Complete a part of the IIA"
    return task.flow_task.task_title


def describe_all(tasks, user, policies: dict | None = None) -> list[TaskView]:
    """``describe`` for a list of tasks, with their due dates (from ``policies``, the boards'
    due dates, when the caller has read them), in a fixed number of queries."""
    tasks = tasks_primed(tasks)
    if policies is None:
        policies = due_dates.policies_for({task.process.coerced.board_id for task in tasks})
    today = timezone.localdate()
    views = []
    for task in tasks:
        view = describe(task, user)
        view.due = due_dates.task_due_date(task, policies[task.process.coerced.board_id])
        view.overdue = due_dates.is_overdue(view.due, today)
        views.append(view)
    return views


def describe(task: Task, user) -> TaskView:
    title = task_title(task)
    if task.owner_id is None:
        return TaskView(task, title, task_url(task, "assign"), "Claim")
    for_whom = "" if task.owner_id == user.pk else (task.owner.get_full_name() or task.owner.get_username())
    if task.flow_task.can_execute(user, task):
        return TaskView(task, title, task_url(task, "execute"), "Open", for_whom)
    return TaskView(task, title, task_url(task, "unassign"), "Release", for_whom,
                    "You took part in this assessment, so you cannot do this task: release it to the queue "
                    "for a colleague.")


def task_url(task: Task, name: str) -> str:
    """URL of one of a task's pages (``execute``, ``assign``, ``unassign``).

    Reversed by name rather than through viewflow's ``Node.reverse``, which only works
    once the URLconf has been built."""
    return id_url(f"iia:{task.flow_task.name}:{name}", task.process_id, task.pk)


PLAN_CHANGE_CSV_HEADER = [*plan_change_list.CSV_HEADER, "Next step", "Held by"]


def plan_change_csv_rows(user, filters: dict):
    """The list of plan changes as CSV rows, the header first: the list's columns
    (``assessments.plan_change_list``) and, as on the page, each one's next step and who
    holds it, read for 1,000 plan changes at a time."""
    yield PLAN_CHANGE_CSV_HEADER
    for chunk in plan_change_list.plan_change_csv_chunks(user, filters):
        steps = next_steps(pk for pk, _row in chunk)
        for pk, row in chunk:
            yield [*row, *steps.get(pk, ("", ""))]


def next_steps(plan_change_ids) -> dict[int, tuple[str, str]]:
    """Each plan change's next step and who holds it, ``(step, held by)``, from its open
    tasks, read for all of them in one query (the list of plan changes shows them)."""
    tasks = (Task.objects.filter(process__iiaprocess__plan_change_id__in=list(plan_change_ids),
                                 status__in=ACTIVE_STATUSES)
             .annotate(plan_change_id=F("process__iiaprocess__plan_change_id"))
             .select_related("owner").only("flow_task", "data", "owner", "created", "process_id")
             .order_by("created", "pk"))
    by_change: dict[int, list[Task]] = {}
    for task in tasks:
        by_change.setdefault(task.plan_change_id, []).append(task)
    steps = {}
    for pc_id, found in by_change.items():
        if len(found) > 1 and all((task.data or {}).get("part") for task in found):
            step = f"Complete {len(found)} parts of the IIA"
        elif (found[0].data or {}).get("part"):
            step = "Complete a part of the IIA"
        else:
            step = found[0].flow_task.task_title
        holders = dict.fromkeys(task.owner.get_full_name() or task.owner.get_username()
                                for task in found if task.owner_id)
        steps[pc_id] = (step, ", ".join(holders) or "Nobody yet: waiting in the queue")
    return steps
