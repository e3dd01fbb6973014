"""Every URL the resolver knows x {GET, POST} x every persona: the status each must get,
checked in (role_matrix.json). A URL without an entry fails the test.

Regenerate after a deliberate change with IIA_WRITE_ROLE_MATRIX=1, then read the diff.
"""

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from .world import PERSONAS, World

pytestmark = pytest.mark.django_db
EXPECTED = Path(__file__).with_name("role_matrix.json")


def urls():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    namespace + (f"{pattern.namespace}:" if pattern.namespace else ""),
                )
            elif pattern.name:
                yield namespace + pattern.name, prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def test_role_matrix(committed, capsys):
    world = World(committed)
    client = Client(raise_request_exception=False)
    actual, server_errors = {}, []
    for name, route in urls():
        path = reverse(name, kwargs=world.kwargs(name, route))
        cells = {}
        for persona in PERSONAS:
            row = []
            for method in ("get", "post"):
                client.logout()  # a fresh session per cell: a logout cell must not leak into the next
                if world.people[persona] is not None:
                    client.force_login(world.people[persona])
                with transaction.atomic():  # every cell starts from the same world
                    response = getattr(client, method)(path)
                    transaction.set_rollback(True)
                row.append(response.status_code)
                if response.status_code >= 500:
                    server_errors.append(f"{method.upper()} {path} as {persona}")
            cells[persona] = row
        actual[name] = cells
    if os.environ.get("IIA_WRITE_ROLE_MATRIX"):
        EXPECTED.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    missing = sorted(set(actual) - set(expected))
    stale = sorted(set(expected) - set(actual))
    differences = [
        f"{name} {persona}: expected {expected[name][persona]}, got {cells[persona]}"
        for name, cells in actual.items()
        if name in expected
        for persona in PERSONAS
        if expected[name].get(persona) != cells[persona]
    ]
    counts = Counter(code for cells in actual.values() for row in cells.values() for code in row)
    with capsys.disabled():
        print(
            f"\nA1 role matrix: {len(actual)} URLs x 2 methods x {len(PERSONAS)} personas = "
            f"{len(actual) * 2 * len(PERSONAS)} cells; statuses {dict(sorted(counts.items()))}; "
            f"{len(differences)} differences, {len(server_errors)} server errors"
        )
    assert not server_errors, server_errors
    assert not missing, f"URLs with no expected statuses (add them to {EXPECTED.name}): {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"
    assert not differences, "\n".join(differences)


def test_no_persona_outside_the_board_or_without_a_role_reaches_board_data():
    """The rules the checked-in matrix must keep, whatever is regenerated."""
    expected = json.loads(EXPECTED.read_text())
    for name, cells in expected.items():
        if name.startswith("admin:"):
            if name in ("admin:login", "admin:logout"):
                continue  # the admin's own sign-in page; signing in there needs is_staff
            for persona in ("anonymous", "officer", "contributor", "lead", "other_lead", "senior", "clerk"):
                assert all(code in (302, 403, 404, 405) for code in cells[persona]), (name, persona)
            continue
        public = name in ("login", "logout", "verify", "meeting_pack", "accessibility", "api:schema", "api:docs") or (
            name.startswith(("register_", "api:register-")))
        if not public:
            # the API answers 401 (with WWW-Authenticate: Token) where the pages redirect to the sign-in page
            assert all(code in (302, 401, 403, 404, 405) for code in cells["anonymous"]), (name, cells["anonymous"])
            assert all(
                code in (302, 403, 404, 405)
                or re.match("^(home|inbox|queue|plan_list|meeting_list|delegation_list|api:[a-z-]+-list|api:task-(inbox|queue))$",
                            name)
                for code in cells["other_lead"]
            ), (name, cells["other_lead"])
        if name.startswith("iia:") and name.endswith((":execute", ":assign")):
            assert cells["superuser"][0] in (403, 404), (name, "a superuser has no role on the board")
