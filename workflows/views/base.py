"""Shared behaviour of task pages: context, finishing the task, errors beside fields."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from assessments.catalogue import ACTIONS_PART
from assessments.exceptions import NotAllowed
from assessments.models import SCREENING_PART

from .. import selectors
from ..selectors import task_url
from .casework import comment_panel


class TaskPage(View):
    """A page about the task in ``request.activation`` (set by ``TaskNode``); its POST calls
    the step's action in ``workflows.actions``."""

    template_name = ""

    @property
    def activation(self):
        return self.request.activation

    @property
    def task(self):
        return self.request.activation.task

    @property
    def process(self):
        return self.request.process

    @property
    def plan_change(self):
        return self.process.plan_change

    def base_context(self, **extra):
        task = self.activation.task
        return {
            "task": task,
            # a part's title names the part of the assessment the page has read, when it has
            "task_title": selectors.task_title(task, extra.get("assessment")),
            "plan_change": self.plan_change,
            "release_url": task_url(task, "unassign"),
            # the panel takes the version or screening the page has read, instead of reading them again
            "comment_panel": self.comment_panel(task, extra.get("assessment"), extra.get("screening")),
            **extra,
        }

    def comment_panel(self, task, assessment=None, screening=None):
        """The comments on what this task is about: its part, the screening, or (for the
        submit, review and sign-off) every part."""
        node = task.flow_task.name
        part = (task.data or {}).get("part") or {"screening": SCREENING_PART, "review_screening": SCREENING_PART,
                                                  "actions": ACTIONS_PART.code}.get(node)
        return comment_panel(self.request.user, self.plan_change, part=part, here=self.request.path,
                             assessment=assessment, screening=screening)

    def render(self, context, status=200):
        return render(self.request, self.template_name, self.base_context(**context), status=status)

    def stay(self, message: str):
        """After a draft save: back to the same task, so the officer can carry on."""
        messages.success(self.request, message)
        return redirect(self.request.path)

    def finish(self, message: str):
        """After the action completed the task (the flow moved on): back to the inbox."""
        messages.success(self.request, message)
        return redirect(reverse("inbox"))

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
