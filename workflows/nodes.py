"""Viewflow nodes with the product's rules: board scoping, roles, no self-review, and
conflicts reported as a 409 page rather than a 403 or a server error."""

from collections.abc import Callable
from functools import cached_property, update_wrapper

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from viewflow import viewprop
from viewflow.fsm import TransitionNotAllowed
from viewflow.this_object import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes import switch
from viewflow.workflow.nodes.split import SplitActivation

from assessments import rules
from assessments.exceptions import NotAllowed

from . import actions, selectors
from .exceptions import Conflict
from .models import ACTIVE_STATUSES
from .views.claim import ClaimTaskView, ReleaseTaskView

Guard = Callable[[object, object], bool]


def _task_for(node, process_pk: int, task_pk: int):
    task = get_object_or_404(node.flow_class.task_class.objects.select_related("process__iiaprocess"), pk=task_pk)
    if task.process_id != process_pk or task.flow_task != node:
        raise Http404("No such task.")
    return task


def wrap_task_view(node: "TaskNode", view, permission, *, start: bool):
    """Run ``view`` with ``request.activation`` set, for a task of the user's board that is
    still open and that ``permission`` lets the user open.

    A POST is checked here first, then again under the flow lock by the action the view
    calls (``workflows.actions``): two people completing the same task at once are
    serialised there, and the second sees the task already done (a 409).
    """

    def wrapped(request, process_pk: int, task_pk: int, **kwargs):
        task = _task_for(node, process_pk, task_pk)
        process = task.process.coerced
        if not rules.is_member(request.user, process.board_id):
            raise Http404("No such task.")
        if task.status not in ACTIVE_STATUSES and request.method != "POST":
            messages.info(request, "That task has already been completed.")
            return redirect(reverse("plan_change_detail", args=[process.plan_change_id]))
        if request.method == "POST":
            try:  # the answers the action gives again under the lock
                actions.refuse(task, request.user, permission)
            except NotAllowed as error:
                raise PermissionDenied("You cannot work on this task.") from error
        elif not permission(request.user, task):
            raise PermissionDenied("You cannot work on this task.")
        request.activation = node.activation_class(task)
        request.process = process
        if start and request.method != "POST":
            request.activation.start(request)
        try:
            return view(request, process_pk=process_pk, task_pk=task_pk, **kwargs)
        except TransitionNotAllowed as error:
            raise Conflict(next_url="") from error

    update_wrapper(wrapped, view)
    return wrapped


class TaskNode(flow.View):
    """A human task done by a holder of ``role`` on the process's board.

    ``guard(user, task)`` adds a rule of its own, e.g. "not the author" for reviews. A guard
    may refuse only the user's own work (``rules.plan_changes_involving``): the queue is
    counted on that understanding (``selectors.queue_count``), without reading it.
    Viewflow's cancel, undo, revive and detail views are switched off: the product's
    own pages show a task's history.
    """

    detail_view_class = None
    index_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None

    def __init__(self, view, *, role: str, guard: Guard | None = None, title: str = "", **kwargs):
        super().__init__(view, **kwargs)
        self.role = role
        self.guard = guard
        if title:
            self.task_title = title

    def role_allows(self, user, board_id: int) -> bool:
        """The first half of the node's rule: the user holds its role on the board (known
        without reading the task, so lists can sift candidates before reading them whole)."""
        return rules.has_role(user, board_id, self.role)

    def _allowed(self, user, task) -> bool:
        if not self.role_allows(user, task.process.coerced.board_id):
            return False
        return self.guard is None or self.guard(user, task)

    def can_assign(self, user, task):
        return task.owner_id is None and user.is_authenticated and self._allowed(user, task)

    def _holds(self, user, task) -> bool:
        """The task is the user's, or its owner delegated this role on this board to the user
        (an active ``Delegation``): the one place delegation enters the permissions."""
        return rules.acts_for(user, task.owner_id, task.process.coerced.board_id, self.role)

    def can_execute(self, user, task):
        # the task's rules are checked for the person acting: a delegate never approves their own work
        return self._holds(user, task) and self._allowed(user, task)

    def can_unassign(self, user, task):
        return task.owner_id is not None and self._holds(user, task)

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            wrap_task_view(self, self.view, self.can_execute, start=True),
            name="execute",
        )

    @viewprop
    def assign_view(self):
        return ClaimTaskView.as_view()

    @property
    def assign_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/assign/",
            wrap_task_view(self, self.assign_view, self.can_assign, start=False),
            name="assign",
        )

    @viewprop
    def unassign_view(self):
        return ReleaseTaskView.as_view()

    @property
    def unassign_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/unassign/",
            wrap_task_view(self, self.unassign_view, self.can_unassign, start=False),
            name="unassign",
        )


class NoViews:
    """Viewflow gives gateways, functions and ends their own detail, undo, revive and
    cancel pages, guarded by its global permissions (a superuser passes everywhere).
    Every change here goes through the services instead, so none of them is exposed."""

    index_view_class = None
    detail_view_class = None
    undo_view_class = None
    revive_view_class = None
    cancel_view_class = None


class StartHandle(NoViews, flow.StartHandle):
    pass


class ReadsRecords:
    """A gateway's activation reads the process's current screening and assessment when
    first asked, after the step's service has saved, and keeps them for itself: a switch
    asks each of its cases in turn, a split which parts are left."""

    @cached_property
    def screening(self):
        return selectors.process_screening(self.process)

    @cached_property
    def assessment(self):
        return selectors.process_assessment(self.process)


class SwitchActivation(ReadsRecords, switch.SwitchActivation):
    pass


class Switch(NoViews, flow.Switch):
    activation_class = SwitchActivation


class Join(NoViews, flow.Join):
    pass


class Function(NoViews, flow.Function):
    pass


class End(NoViews, flow.End):
    pass


class PartsSplitActivation(ReadsRecords, SplitActivation):
    """Creates one task of the part node per part still to do, each with ``{"part": code}``,
    and one task of the ``also`` node (the mitigating actions) beside them."""

    @Activation.status.super()
    def activate(self):
        node = self.flow_task
        for code in node._parts_source(self):
            self.next_tasks.append((node._part_node, {"part": code}))
        if node._also is not None:
            self.next_tasks.append((node._also, None))
        if not self.next_tasks:
            raise FlowRuntimeError(f"{node.name}: no part to do")


class PartsSplit(NoViews, flow.Split):
    """A parallel split into one task per part of the assessment, and one of ``also`` (a
    step done alongside the parts, every run), done in any order; their join waits for all.

    Viewflow 2.4's ``Split`` makes one task per branch; the parts come from the
    board's template (data, not code), so their number is known only at run time.
    """

    activation_class = PartsSplitActivation

    def __init__(self, part_node, parts_source, *, also=None, **kwargs):
        super().__init__(**kwargs)
        self._part_node = part_node
        self._parts_source = parts_source
        self._also = also

    def _resolve(self, instance):
        super()._resolve(instance)
        self._part_node = this.resolve(instance, self._part_node)
        self._parts_source = this.resolve(instance, self._parts_source)
        self._also = this.resolve(instance, self._also) if self._also is not None else None
        self._activate_next = [(self._part_node, None, None)]
        if self._also is not None:
            self._activate_next.append((self._also, None, None))
