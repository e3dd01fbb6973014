"""Schemathesis against the API's own OpenAPI schema, through the Django WSGI app.

Every operation of the schema gets generated requests, valid and invalid (positive and
negative modes), sent with the token of a board member in a world with something at
every stage (tests/security/world.py). Half the requests that take an id use one that
exists on the member's board, so the real records, tasks and services are exercised,
not only 404s. Each request runs in a transaction rolled back afterwards, so every
example starts from the same world.

Checks: no server error; the status code, content type, headers and body each as the
schema documents them; invalid input refused. ``positive_data_acceptance`` is left out on
purpose: input valid by the schema is still refused (400) when a business rule says so
(approving needs a risk level, completing a section needs every row rated).

IIA_API_EXAMPLES (default 10) sets the examples per operation, mode and persona.
"""

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.models import Assessment, PlanChange
from iia.tokens import api_token_issue
from reports.models import Meeting, Report
from tests.security.world import World

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("IIA_API_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def same_connection():
    """Django closes the database connection after each request it serves through WSGI;
    here the requests run inside the test's transaction, so that must not happen (Django's
    own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_ids(world) -> dict[str, list]:
    """Ids that exist, by the collection a path parameter belongs to."""
    return {
        "tasks": [task.pk for task in world.tasks.values()],
        "plan-changes": list(PlanChange.objects.values_list("pk", flat=True)),
        "assessments": list(Assessment.objects.values_list("pk", flat=True)),
        "reports": list(Report.objects.values_list("pk", flat=True)),
        "meetings": list(Meeting.objects.values_list("pk", flat=True)),
        "boards": ["dundee", "scottish-borders"],
        "register": ["dundee", "scottish-borders"],
    }


def negatable(operation) -> bool:
    """Whether anything of the request can be made invalid: a typed parameter or a body.
    (A path id that is any string, with no body, has no invalid form.)"""
    return bool(operation.query) or operation.body is not None and len(operation.body) > 0 or any(
        (p.definition.get("schema") or {}).get("type") == "integer" for p in operation.path_parameters)


def strategy(operation, mode, ids, real=True):
    """The operation's generated cases; where the path names a record, half of them with
    one that exists."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if not names or not real:
        return generated
    collection = operation.path.split("/")[2]
    choices = ids.get(collection)
    if not choices:
        return generated
    real = st.sampled_from(choices).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={names[0]: value}))
    return st.one_of(generated, real)


def exercise(cases, headers, statuses, checks):
    """Send each generated case in its own rolled-back transaction and check the answer."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def run(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=checks, headers=headers)
            transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("persona", ["officer", "lead"])
def test_every_operation_conforms_to_the_schema(persona, committed, same_connection, capsys):
    began = time.monotonic()
    world = World(committed)
    built = time.monotonic() - began
    headers = {"Authorization": f"Token {api_token_issue(user=world.people[persona])}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    ids = real_ids(world)
    statuses: dict[int, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    started, negated = time.monotonic(), 0
    for operation in operations:
        exercise(strategy(operation, GenerationMode.POSITIVE, ids), headers, statuses, CHECKS)
        if not negatable(operation):
            continue
        exercise(strategy(operation, GenerationMode.NEGATIVE, ids, real=False), headers, statuses,
                 CHECKS + [negative_data_rejection])
        negated += 1
    with capsys.disabled():
        print(f"\nSchemathesis as {persona}: {len(operations)} operations (+{negated} negated) x {EXAMPLES} examples, "
              f"{sum(statuses.values())} requests in {time.monotonic() - started:.0f}s (world built in {built:.0f}s); "
              f"statuses {dict(sorted(statuses.items()))}")
    assert not any(code >= 500 for code in statuses)
    assert statuses.get(200, 0) > len(operations)  # real records were reached, not only errors
