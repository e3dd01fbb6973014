"""Claiming a task from the queue and releasing it back."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from .. import actions, selectors
from ..selectors import task_url


class ClaimTaskView(View):
    def get(self, request, **kwargs):
        task = request.activation.task
        return render(request, "workflows/task_claim.html",
                      {"task": task, "task_title": selectors.task_title(task), "plan_change": request.process.plan_change})

    def post(self, request, **kwargs):
        task = actions.task_claim(task=request.activation.task, by=request.user)
        messages.success(request, f"You have claimed this task: {selectors.task_title(task)}.")
        return redirect(task_url(task, "execute"))


class ReleaseTaskView(View):
    def get(self, request, **kwargs):
        task = request.activation.task
        return render(request, "workflows/task_release.html",
                      {"task": task, "task_title": selectors.task_title(task), "plan_change": request.process.plan_change})

    def post(self, request, **kwargs):
        task = actions.task_release(task=request.activation.task, by=request.user)
        messages.success(request, f"Back in the queue: {selectors.task_title(task)}.")
        return redirect(reverse("inbox"))
