"""Turns concurrency conflicts into a 409 page instead of a server error."""

import logging

from django.db import OperationalError
from django.shortcuts import render
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from viewflow.fsm import TransitionNotAllowed as FlowTransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed

from .exceptions import Conflict

logger = logging.getLogger("iia.conflicts")

CONFLICTS = (Conflict, ConcurrentTransition, TransitionNotAllowed, FlowTransitionNotAllowed, FlowLockFailed)


def is_lock_timeout(error: Exception) -> bool:
    text = str(error).lower()
    return "lock timeout" in text or "could not obtain lock" in text or "database is locked" in text


class ConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, CONFLICTS) or (
            isinstance(exception, OperationalError) and is_lock_timeout(exception)
        ):
            logger.info("conflict on %s: %s", request.path, exception)
            message = str(exception) if isinstance(exception, Conflict) else ""
            return render(
                request,
                "conflict.html",
                {"message": message, "next_url": getattr(exception, "next_url", "")},
                status=409,
            )
        return None
