"""The services' errors as API answers: the same statuses as the pages."""

import re

from django.db import OperationalError
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler
from viewflow.fsm import TransitionNotAllowed as FlowTransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed

from assessments.exceptions import NotAllowed, RuleViolation, StaleEdit
from workflows.exceptions import Conflict
from workflows.middleware import is_lock_timeout

ACTION_FIELD = re.compile(r"^(action-\d+)-\w+$")
CONFLICTS = (Conflict, StaleEdit, ConcurrentTransition, TransitionNotAllowed, FlowTransitionNotAllowed, FlowLockFailed)


def field_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's errors keyed as DRF keys a serializer's (``non_field_errors`` for the whole);
    an action's errors (``action-<n>-<field>`` for the pages) under ``action-<n>``, as documented."""
    keyed: dict[str, list[str]] = {}
    for key, messages in errors.items():
        key = "non_field_errors" if key == "__all__" else ACTION_FIELD.sub(r"\1", key)
        keyed.setdefault(key, []).extend(messages)
    return keyed


def exception_handler(exc, context):
    """400 with field errors for a refused rule, 403 for a role or involvement that does
    not allow the action, 409 when the task or record changed under the caller."""
    if isinstance(exc, RuleViolation):
        return Response(field_errors(exc.errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, CONFLICTS) or (isinstance(exc, OperationalError) and is_lock_timeout(exc)):
        message = str(exc) if isinstance(exc, Conflict | StaleEdit) else ""
        return Response({"detail": message or "Someone else has just changed this. Nothing you sent was saved."},
                        status=status.HTTP_409_CONFLICT)
    return drf_handler(exc, context)
