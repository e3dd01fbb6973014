"""Every URL the resolver knows x {GET, POST} x every persona: the status each must get,
checked in (role_matrix.json). A URL without an entry fails the test.

An admin URL of a model that belongs to a board is asked once per board's record
(``name@dundee``, ``name@scottish-borders``, and ``@…-draft`` for a form not in use), and
its add form is POSTed with a body naming that board's board, template or section
(``tests/security/admin_world.py``); the equality leads are staff, as ``load_demo`` makes them.

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
    world.admin_records(committed)
    client = Client(raise_request_exception=False)
    actual, server_errors = {}, []
    for name, route in urls():
        for key, kwargs, body in world.cases(name, route):
            path = reverse(name, kwargs=kwargs)
            cells = {}
            for persona in PERSONAS:
                row = []
                for method in ("get", "post"):
                    client.logout()  # a fresh session per cell: a logout cell must not leak into the next
                    if world.people[persona] is not None:
                        client.force_login(world.people[persona])
                    with transaction.atomic():  # every cell starts from the same world
                        response = client.get(path) if method == "get" else client.post(path, body or {})
                        transaction.set_rollback(True)
                    row.append(response.status_code)
                    if response.status_code >= 500:
                        server_errors.append(f"{method.upper()} {path} as {persona}")
                cells[persona] = row
            actual[key] = cells
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
            f"\nA1 role matrix: {len(urls())} URLs as {len(actual)} requests (an admin URL of a model of a board: "
            f"one per board's record) x 2 methods x {len(PERSONAS)} personas = "
            f"{len(actual) * 2 * len(PERSONAS)} cells; statuses {dict(sorted(counts.items()))}; "
            f"{len(differences)} differences, {len(server_errors)} server errors"
        )
    assert not server_errors, server_errors
    assert not missing, f"URLs with no expected statuses (add them to {EXPECTED.name}): {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"
    assert not differences, "\n".join(differences)


# The equality leads are staff (as load_demo makes them) and edit their board's form; what
# they may open in the admin that belongs to no board:
LEAD_BOARDS = {"lead": "dundee", "other_lead": "scottish-borders"}
LEAD_ADMIN_PAGES = {"admin:index", "admin:app_list", "admin:jsi18n", "admin:password_change",
                    "admin:password_change_done", "admin:assessments_template_changelist",
                    "admin:assessments_section_changelist", "admin:assessments_row_changelist",
                    "admin:workflows_duedatepolicy_changelist"}
FORM_IN_USE_URLS = re.compile(r"^admin:assessments_((section|row)_add|(template|section|row)_change)$")  # @dundee: in use


def check_admin_cells(key: str, cells: dict) -> None:
    """An admin URL (``name@board`` for a record of a board, see ``World.cases``): nobody
    but staff gets in; a lead never opens another board's record, and a POST of an add form
    naming another board's record never succeeds (302); nothing is added to or changed in
    a form in use (``@dundee``, ``@scottish-borders``; drafts are ``@…-draft``), by anyone."""
    name, _, board = key.partition("@")
    if name in ("admin:login", "admin:logout"):
        return  # the admin's own sign-in page; signing in there needs is_staff
    for persona in ("anonymous", "officer", "contributor", "senior", "clerk"):
        assert all(code in (302, 403, 404, 405) for code in cells[persona]), (key, persona)
    for persona, own in LEAD_BOARDS.items():
        get, post = cells[persona]
        if not board:
            assert name in LEAD_ADMIN_PAGES or {get, post} <= {302, 403, 404, 405}, (key, persona)
        elif not board.startswith(own) and name.endswith("_add"):
            assert post != 302, (key, persona, "an add naming another board's record succeeded")
        elif not board.startswith(own):
            assert get in (302, 403, 404) and post in (302, 403, 404, 405), (key, persona)
    if FORM_IN_USE_URLS.match(name) and board in LEAD_BOARDS.values():  # a form in use
        for persona in ("lead", "other_lead", "superuser"):  # the staff: a 302 of theirs is a saved form
            post = cells[persona][1]
            assert post != 302 if name.endswith("_add") else post in (302, 403), (key, persona, "a form in use changed")


def test_no_persona_outside_the_board_or_without_a_role_reaches_board_data():
    """The rules the checked-in matrix must keep, whatever is regenerated."""
    expected = json.loads(EXPECTED.read_text())
    for name, cells in expected.items():
        if name.startswith("admin:"):
            check_admin_cells(name, cells)
            continue
        public = name in ("login", "logout", "verify", "meeting_pack", "accessibility", "statutory_duties",
                          "api:schema", "api:docs") or (
            name.startswith(("register_", "api:register-", "password_reset")))
        if not public:
            # the API answers 401 (with WWW-Authenticate: Token) where the pages redirect to the sign-in page
            assert all(code in (302, 401, 403, 404, 405) for code in cells["anonymous"]), (name, cells["anonymous"])
            assert all(
                code in (302, 403, 404, 405)
                or re.match("^(home|inbox|queue|plan_list|plan_change_list(_csv)?|meeting_list|delegation_list"
                         "|format_request_list|password_change(_done)?|two_factor_(set_up|verify|backup_codes)"
                         "|otp_webauthn:credential-registration-(begin|complete)"  # adding a passkey to one's own account
                         "|api:[a-z-]+-list|api:task-(inbox|queue))$",
                            name)
                for code in cells["other_lead"]
            ), (name, cells["other_lead"])
        if name.startswith("iia:") and name.endswith((":execute", ":assign")):
            assert cells["superuser"][0] in (403, 404), (name, "a superuser has no role on the board")
