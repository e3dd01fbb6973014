"""Hostile input on every form and POST endpoint, every query string and every integer of
the API's JSON bodies: oversized text, control and bidi characters, NUL, wrong types,
repeated fields, numbers no column can hold. Each example is one request inside a
transaction that is rolled back afterwards, so every example starts from the same world.

The rule for forms: input made invalid on purpose (one field is always broken) gets a
page back, never a 5xx, and changes nothing in the database. Endpoints without fields
(submit, report submit, document retry) ignore the body: hostile fields change nothing
they would not have done anyway. A query string is never a 5xx and a GET writes nothing.
A JSON body with a hostile integer, or a hostile id in an API path, is never a 5xx.
"""

import datetime
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from assessments.forms import TEXT_LIMIT
from iia.tokens import api_token_issue
from workflows import actions as workflow_actions
from workflows.selectors import task_url

from .test_role_matrix import urls
from .world import PERSONAS, World

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]
EXAMPLES = int(os.environ.get("IIA_FUZZ_EXAMPLES", "300"))

# --- hostile values ---------------------------------------------------------------------

NASTY = ["", " ", "\x00", "a\x00b", "\u202eevil\u202c", "\u2066x\u2069", "\r\n", "\x1b[31m", "\ufeff", "\u200b",
         "[]", "{}", "null", "None", "-1", "0", "1e309", "NaN", "9" * 40, "2026-02-30", "31/13/2026", "true",
         "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\U0001f600" * 3]
text = st.text(max_size=300)
oversized = st.builds(lambda c, n: c * n, st.sampled_from(["x", "\u00e9", "\U0001f600", " "]),
                      st.integers(TEXT_LIMIT + 1, TEXT_LIMIT * 3))
value = st.one_of(st.sampled_from(NASTY), text, oversized, st.integers(-2**63, 2**63).map(str))
values = st.one_of(value, st.lists(value, min_size=2, max_size=4))  # a field sent several times
blank = st.sampled_from(["", " ", "\t\n", "\x00", "\u202e", "\u202e\u202c", "\x07\x08", "\r\n\r\n"])


def junk(excluding):
    """A value that is not blank and not one of ``excluding`` (an unknown choice, a bad
    number or date); blank can mean "not answered yet" in a draft."""
    return st.one_of(st.sampled_from(NASTY), text).filter(
        lambda v: v.strip() != "" and (v.strip() not in excluding or v != v.strip()))


def form(fields: dict, broken: dict):
    """Every known field hostile, some extra fields, and the broken ones definitely invalid."""
    return st.fixed_dictionaries(
        {name: values for name in fields},
        optional={f"extra_{i}": values for i in range(3)},
    ).flatmap(lambda data: st.fixed_dictionaries({k: st.just(v) for k, v in data.items()} | broken))


# --- what a request writes ---------------------------------------------------------------

IGNORED_TABLES = ("django_session", "axes_")  # the session and the login-attempt log are expected writes
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


class Writes:
    """Every INSERT, UPDATE or DELETE the request sends, but to the session and axes tables."""

    def __init__(self):
        self.tables = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and not match.group(2).startswith(IGNORED_TABLES):
            self.tables.append(match.group(2))
        return execute(sql, params, many, context)


@pytest.fixture
def world(committed):
    w = World(committed)
    workflow_actions.task_claim(task=w.tasks["review_screening"], by=w.people["lead"])
    workflow_actions.task_claim(task=w.tasks["review"], by=w.people["lead"])
    workflow_actions.task_claim(task=w.tasks["sign_off"], by=w.people["senior"])
    return w


def endpoints(w: World):
    """(name, persona, url, strategy, may_change) for every POST endpoint."""
    execute = {name: task_url(task, "execute") for name, task in w.tasks.items()}
    part = w.tasks["complete_part"].data["part"]
    section = w.parts_assessment.template.sections.filter(code=part).first()
    rows = [f"r{r.pk}" for r in section.rows.all()] + [f"x{r.pk}" for r in section.rows.all()] if section else []
    screening_questions = list(w.parts_assessment.template.screening_questions.all())
    questions = [f"q_{q.code}" for q in screening_questions]
    first_choices = {str(c[0]) for c in screening_questions[0].choices}
    report_fields = ["committee", "title", "report_by", "decision_sought", "purpose", "recommendations",
                     "financial_implications", "main_text", "risk_assessment", "consultations", "direction_to",
                     "background_papers", "directions-TOTAL_FORMS", "directions-INITIAL_FORMS",
                     "dir-TOTAL_FORMS", "dir-INITIAL_FORMS", "dir-0-functions", "dir-0-effect", "dir-0-earlier",
                     "dir-0-review_date"]
    not_int = junk(set()).filter(lambda v: not v.strip().lstrip("+-").isdigit())
    reason_broken = {"reason": st.one_of(blank, oversized)}
    return [
        ("screening", "officer", execute["screening"],
         form(["action", "officer_reason", *questions], {questions[0]: junk(first_choices)}), False),
        ("review_screening", "lead", execute["review_screening"],
         form(["comments"], {"decision": junk({"concur", "override", "return"})}), False),
        ("complete_part", "officer", execute["complete_part"],
         form(["action", "evidence", "consultation", *rows], {"revision": not_int}), False),
        ("actions", "officer", execute["actions"],
         form(["action", "revision", "form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-description", "form-0-id",
               "form-0-owner", "form-0-rows"],
              {"review_date": junk(set())}), False),
        ("review", "lead", execute["review"], st.one_of(
            form(["risk_level", "comments", "parts"], {"decision": junk({"approve", "return"})}),
            form(["comments", "parts"], {"decision": st.just("approve"), "risk_level": junk({"low", "medium", "high"})}),
            form(["parts"], {"decision": st.just("return"), "comments": blank}),
        ), False),
        ("sign_off", "senior", execute["sign_off"], st.one_of(
            form(["comments", "parts"], {"decision": junk({"sign_off", "return"})}),
            form(["parts"], {"decision": st.just("return"), "comments": blank}),
        ), False),
        ("plan_change_start", "officer", reverse("plan_change_start_board", args=["dundee"]),
         form(["plan", "description", "change_type", "is_revision", "priorities", "actions", "lead_officer",
               "director"], {"title": st.one_of(blank, oversized)}), False),
        ("assessment_new_version", "officer", reverse("assessment_new_version", args=[w.signed.pk]),
         form([], reason_broken), False),
        ("assessment_withdraw", "officer", reverse("assessment_withdraw", args=[w.parts_assessment.pk]),
         form([], reason_broken), False),
        ("assessment_review", "officer", reverse("assessment_review", args=[w.signed.pk]), st.one_of(
            form(["next_review_date"], {"outcome": st.just("confirmed"), "note": st.one_of(blank, oversized)}),
            form(["note"], {"outcome": st.just("confirmed"), "next_review_date": junk(set())}),
            form([], {"outcome": st.just("new_version"), "note": st.one_of(blank, oversized)}),
            form(["next_review_date"], {"outcome": st.just("withdrawn"), "note": st.one_of(blank, oversized)}),
        ), False),
        ("action_progress", "officer", reverse("action_progress", args=[w.signed_action.pk]), st.one_of(
            form(["note", "evidence", "done_on", "reason"], {"status": junk({"planned", "in_progress", "done",
                                                                             "dropped"})}),
            form(["note", "evidence", "reason"], {"status": st.just("done"), "done_on": junk(set())}),
            form(["note", "evidence", "done_on"], {"status": st.just("dropped"), "reason": st.one_of(blank, oversized)}),
        ), False),
        ("plan_change_comments", "officer", reverse("plan_change_comments", args=[w.submitted.pk]), st.one_of(
            form(["part", "next"], {"text": st.one_of(blank, oversized)}),
            form(["text", "next"], {"part": junk({"screening", "evidence", "actions"})}),
        ), False),
        ("delegation_list", "officer", reverse("delegation_list"),
         form(["role", "delegate", "starts_on", "reason"], {"ends_on": junk(set())}), False),
        ("delegation_end", "officer", reverse("delegation_end", args=[w.delegation.pk]), form([], {}), True),
        ("report_new", "officer", reverse("report_new", args=[w.submitted.pk]),
         form(report_fields, {"title": st.one_of(blank, oversized)}), False),
        ("report_edit", "officer", reverse("report_edit", args=[w.draft_report.pk]),
         form(report_fields, {"purpose": st.one_of(blank, oversized)}), False),
        ("meeting_new", "clerk", reverse("meeting_new"),
         form(["committee", "time", "remote", "venue"], {"date": junk(set())}),
         False),
        ("meeting_detail", "clerk", reverse("meeting_detail", args=[w.meeting.pk]), st.one_of(
            form(["report", "item"], {"action": junk({"add", "publish", "up", "down", "remove", "rebuild"})}),
            form([], {"action": st.just("add"), "report": junk({str(w.draft_report.pk)})}),
            form([], {"action": st.sampled_from(["up", "down", "remove"]), "item": junk({str(w.item.pk)})}),
        ), False),
        ("item_decide", "clerk", reverse("item_decide", args=[w.item.pk]),
         form(["text"], {"decision": junk({"agreed", "amended", "noted", "remitted"})}),
         False),
        ("verify", "anonymous", reverse("verify"), form(["code"], {}), False),
        ("login", "anonymous", reverse("login"), form(["username", "password"], {}), False),
        ("admin_login", "anonymous", reverse("admin:login"), form(["username", "password"], {}), False),
        ("password_change", "officer", reverse("password_change"),
         form(["old_password", "new_password1", "new_password2"], {}), False),
        ("password_reset", "anonymous", reverse("password_reset"), form(["email"], {}), False),
        ("report_submit", "officer", reverse("report_submit", args=[w.draft_report.pk]), form([], {}), True),
        ("document_retry", "officer", reverse("document_retry", args=[w.unpublished_document.verification_code]),
         form([], {}), False),
        ("submit", "officer", execute["submit"], form([], {}), True),
        ("register_format_request", "anonymous",
         reverse("register_format_request", args=["dundee", w.published_document.verification_code]),
         form(["name", "email", "phone", "language", "note"],
              {"format": junk({"easy_read", "large_print", "audio", "another_language", "bsl"})}), False),
        ("format_request_done", "lead", reverse("format_request_done", args=[w.format_request.pk]),
         form(["sent_what"], {"sent_on": junk(set())}), False),
        ("easy_read_edit", "officer", reverse("easy_read_edit", args=[w.signed.pk]),
         form([], {"text": st.one_of(blank, oversized)}), False),
        # evidence files: hostile fields, and never a file (or a file field that is text)
        ("assessment_files", "officer", reverse("assessment_files", args=[w.parts_assessment.pk]),
         form(["part", "publication", "withheld_reason", "file"], {}), False),
        ("action_progress_files", "officer", reverse("action_progress_files", args=[w.signed_action.pk]),
         form(["publication", "withheld_reason", "file"], {}), False),
        ("evidence_library", "lead", reverse("evidence_library", args=["dundee"]),
         form(["title", "description", "file"], {"url": junk(set()).filter(
             lambda v: not v.strip().lower().startswith(("http://", "https://")))}), False),
    ]


def fuzz(client, user, name, url, strategy, may_change, failures) -> Counter:
    """POST ``EXAMPLES`` bodies drawn from ``strategy`` to ``url`` as ``user``."""
    statuses = Counter()
    client.logout()
    if user is not None:
        client.force_login(user)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=strategy)
    def run(data):
        cache.clear()  # the password pages' limits count in the cache: each example starts afresh
        writes = Writes()
        with transaction.atomic(), connection.execute_wrapper(writes):
            response = client.post(url, data)
            transaction.set_rollback(True)
        statuses[response.status_code] += 1
        statuses["wrote"] += bool(writes.tables)
        shown = {key: (v[:60] if isinstance(v, str) else [x[:60] for x in v]) for key, v in data.items()}
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code} for {shown}")
        elif writes.tables and not may_change:
            failures.append(f"{name}: invalid input wrote to {sorted(set(writes.tables))} "
                            f"({response.status_code}) {shown}")

    run()
    return statuses


def test_hostile_input_never_fails_the_server_and_invalid_input_changes_nothing(world, capsys):
    client = Client(raise_request_exception=False)
    summary, failures = [], []
    for name, persona, url, strategy, may_change in endpoints(world):
        statuses = fuzz(client, world.people[persona], name, url, strategy, may_change, failures)
        wrote = statuses.pop("wrote", 0)
        if may_change:  # the write detector sees the writes a valid request makes
            assert wrote, f"{name}: no write seen; the detector is not working"
        summary.append(f"{name} {sum(statuses.values())} {dict(sorted(statuses.items()))}")
        assert not failures, "\n".join(failures[:10])
    total = sum(int(s.split(" ")[1]) for s in summary)
    with capsys.disabled():
        print(f"\nI1 hostile input: {len(summary)} POST endpoints, {total} examples "
              f"(>= {EXAMPLES} each), 0 server errors, 0 changes from invalid input")
        for line in summary:
            print("   ", line)


# --- query strings ---------------------------------------------------------------------------

# Numbers a query string may carry: past any column (2**63), past Python's 4,300-digit
# int() limit, signed, decimal, hexadecimal, Unicode digits (superscript two passes
# str.isdigit() and fails int()), spaced.
NUMBER = st.one_of(
    st.integers(-2**70, 2**70).map(str),
    st.sampled_from(["9223372036854775807", "9223372036854775808", "9" * 25, "9" * 5000, "0", "-1", "+1", "1.5",
                     "1e3", "0x10", "\u00b2", "\u0663", "\uff11", " 1", "1 ", "01", ""]),
)
query_value = st.one_of(NUMBER, st.sampled_from(NASTY), st.text(max_size=60))
query_values = st.one_of(query_value, st.lists(query_value, min_size=2, max_size=3))  # ?page=1&page=2
# what any page or list might read (``format`` picks the API's renderer: most values are a 404)
COMMON = ["page", "q", "format", "board", "version", "columns", "ordering"]


def query(names=COMMON):
    """Any of ``names``, hostile."""
    return st.fixed_dictionaries({}, optional={name: query_values for name in names})


def queried_pages(w: World):
    """(name, persona, url, parameters) for every page and API list that reads its query string."""
    matrix = ["plan", "section", "state", "columns"]
    register = ["q", "priority", "characteristic", "meeting", "date_from", "date_to"]
    return [
        ("inbox", "officer", reverse("inbox"), ["page"]),
        ("queue", "lead", reverse("queue"), ["page"]),
        ("plan_detail", "officer", reverse("plan_detail", args=[w.plan.pk]), matrix),
        ("board_dashboard", "lead", reverse("board_dashboard", args=["dundee"]), matrix),
        ("board_matrix_csv", "lead", reverse("board_matrix_csv", args=["dundee"]), matrix),
        ("plan_matrix_xlsx", "lead", reverse("plan_matrix_xlsx", args=[w.plan.pk]), matrix),
        ("plan_change_detail", "officer", reverse("plan_change_detail", args=[w.signed.plan_change.pk]), ["version"]),
        ("plan_change_comments", "officer", reverse("plan_change_comments", args=[w.submitted.pk]),
         ["part", "next"]),
        ("register_board", "anonymous", reverse("register_board", args=["dundee"]), register),
        ("register_csv", "anonymous", reverse("register_csv", args=["dundee"]), register),
        ("register_json", "anonymous", reverse("register_json", args=["dundee"]), register),
        ("register_format_request_sent", "anonymous", reverse("register_format_request_sent", args=["dundee"]), ["r"]),
        ("format_request_list", "lead", reverse("format_request_list"), ["show"]),
        ("api:task-inbox", "officer", "/api/tasks/inbox/", ["page"]),
        ("api:task-queue", "lead", "/api/tasks/queue/", ["page"]),
        ("api:plan-change-list", "officer", "/api/plan-changes/", ["page", "board"]),
        ("api:assessment-list", "officer", "/api/assessments/", ["page", "board"]),
        ("api:report-list", "clerk", "/api/reports/", ["page", "board"]),
        ("api:meeting-list", "clerk", "/api/meetings/", ["page", "board"]),
        ("api:board-list", "officer", "/api/boards/", ["page"]),
        ("api:register-documents", "anonymous", "/api/register/dundee/documents/", ["page", "q", "date_from",
                                                                                    "date_to"]),
        ("api:register-meetings", "anonymous", "/api/register/dundee/meetings/", ["page"]),
        ("api:register-directions", "anonymous", "/api/register/dundee/directions/", ["page"]),
    ]


def every_page(w: World):
    """(name, persona, url) for every URL some persona may read (a 200 in the role matrix),
    read by the first such persona."""
    from django.urls import reverse as url_for

    expected = json.loads((Path(__file__).with_name("role_matrix.json")).read_text())
    found = []
    for name, route in urls():
        readers = [p for p in PERSONAS if expected.get(name, {}).get(p, [0])[0] == 200]
        if readers:
            found.append((name, readers[0], url_for(name, kwargs=w.kwargs(name, route))))
    return found


def fuzz_get(client, user, name, url, strategy, examples, failures) -> Counter:
    """GET ``url`` with ``examples`` query strings drawn from ``strategy`` as ``user``."""
    statuses = Counter()
    client.logout()
    if user is not None:
        client.force_login(user)

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(params=strategy)
    def run(params):
        writes = Writes()
        with transaction.atomic(), connection.execute_wrapper(writes):
            response = client.get(url, params)
            transaction.set_rollback(True)
        statuses[response.status_code] += 1
        shown = {k: (v[:40] if isinstance(v, str) else [x[:40] for x in v]) for k, v in params.items()}
        if response.status_code >= 500:
            failures.append(f"GET {name}: {response.status_code} for {shown}")
        elif writes.tables:
            failures.append(f"GET {name}: wrote to {sorted(set(writes.tables))} for {shown}")

    run()
    return statuses


def test_hostile_query_strings_never_fail_the_server_and_write_nothing(world, capsys):
    client = Client(raise_request_exception=False)
    summary, failures = [], []
    for name, persona, url, names in queried_pages(world):
        statuses = fuzz_get(client, world.people[persona], name, url, query(names), EXAMPLES, failures)
        summary.append(f"{name} {sum(statuses.values())} {dict(sorted(statuses.items()))}")
    sweep = every_page(world)
    swept = Counter()
    for name, persona, url in sweep:  # every other page and list: its common parameters, fewer examples
        swept += fuzz_get(client, world.people[persona], name, url, query(), max(3, EXAMPLES // 10), failures)
    assert not failures, "\n".join(failures[:10])
    total = sum(int(s.split(" ")[1]) for s in summary)
    with capsys.disabled():
        print(f"\nI2 hostile query strings: {len(summary)} pages and API lists, {total} examples (>= {EXAMPLES} "
              f"each); every readable URL ({len(sweep)}) swept with {sum(swept.values())} more "
              f"{dict(sorted(swept.items()))}; 0 server errors, 0 writes")
        for line in summary:
            print("   ", line)


# --- integers in the API's JSON bodies -----------------------------------------------------------

# What a JSON integer may be instead: past any column, negative, a float, a string, a
# boolean, nothing, a list or an object.
JSON_INTEGER = st.one_of(
    st.sampled_from([2**63, 2**63 - 1, 10**19, 10**100, -2**63 - 1, -1, 0, 1.5, 1e308, -0.0, True, False, None,
                     "1", "9" * 25, "9" * 5000, "x", "", [], {}, [1]]),
    st.integers(), st.floats(allow_nan=False, allow_infinity=False),
)


def integers_in(body: dict, paths: list[tuple]) -> st.SearchStrategy:
    """``body`` with one or more of its integers (at ``paths``) replaced by hostile values."""

    def place(replacements):
        data = json.loads(json.dumps(body))
        for path, value in replacements:
            target = data
            try:
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = value
            except (TypeError, KeyError, IndexError):  # an earlier replacement took the container
                pass
        return data

    return st.lists(st.tuples(st.sampled_from(paths), JSON_INTEGER), min_size=1, max_size=3).map(place)


def json_endpoints(w: World):
    """(name, persona, url, valid body, where its integers are) for every API endpoint whose
    body holds integers."""
    from assessments.models import ImpactRating, MitigatingAction
    from workflows.selectors import process_assessment

    part = w.tasks["complete_part"]
    section = w.parts_assessment.template.sections.get(code=part.data["part"])
    row, question = section.rows.first(), section.questions.first()
    assessment = process_assessment(w.tasks["actions"].process.coerced)
    negative = ImpactRating.objects.filter(assessment=assessment).first()
    plan_change = {"board": "dundee", "plan": w.plan.pk, "title": "Fuzz", "description": "x",
                   "change_type": "service_redesign", "director": w.people["senior"].username,
                   "priorities": [w.plan.priorities.first().pk], "actions": [w.plan.priorities.first().actions.first().pk]}
    part_body = {"ratings": [{"row": row.pk, "ratings": ["no_impact"]}], "answers": [
        {"question": question.pk, "value": "x"}], "revision": 0}
    action = MitigatingAction.objects.create(assessment=assessment, description="Before", owner="x",
                                             due_date=datetime.date(2099, 1, 31))
    actions_body = {"actions": [{"id": action.pk, "description": "x", "owner": "x", "due_date": "2099-01-31",
                                 "rows": [negative.row_id]}],
                    "justifications": [{"row": negative.row_id, "text": "x"}], "revision": None}
    return [
        ("api:plan-change-create", "officer", "/api/plan-changes/", plan_change,
         [("plan",), ("priorities", 0), ("actions", 0), ("priorities",)]),
        ("api:task-part", "officer", f"/api/tasks/{part.pk}/part/", part_body,
         [("ratings", 0, "row"), ("answers", 0, "question"), ("revision",)]),
        ("api:task-actions", "officer", f"/api/tasks/{w.tasks['actions'].pk}/actions/", actions_body,
         [("actions", 0, "id"), ("actions", 0, "rows", 0), ("justifications", 0, "row"), ("revision",)]),
    ]


def fuzz_json(client, name, url, strategy, failures) -> Counter:
    statuses = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(body=strategy)
    def run(body):
        with transaction.atomic():
            response = client.post(url, json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code} for {json.dumps(body)[:300]}")

    run()
    return statuses


def test_hostile_integers_in_json_bodies_never_fail_the_server(world, capsys):
    summary, failures = [], []
    for name, persona, url, body, paths in json_endpoints(world):
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=world.people[persona])}")
        with transaction.atomic():  # the body before its integers are spoilt is valid
            valid = client.post(url, json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        assert valid.status_code in (200, 201), (name, valid.status_code, valid.content[:300])
        statuses = fuzz_json(client, name, url, integers_in(body, paths), failures)
        summary.append(f"{name} {sum(statuses.values())} {dict(sorted(statuses.items()))}")
    # ids in the path: claim a task, read a record
    client = APIClient(raise_request_exception=False)
    client.force_login(world.people["officer"])
    paths = Counter()
    for bad in ("9223372036854775808", "9" * 25, "-1", "1.5", "0x1", "\u00b2", "9" * 5000):
        for url, method in ((f"/api/tasks/{bad}/claim/", "post"), (f"/api/plan-changes/{bad}/", "get"),
                            (f"/api/tasks/{bad}/", "get"), (f"/plan-changes/{bad}/", "get")):
            response = getattr(client, method)(url)
            paths[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url[:80]}: {response.status_code}")
    assert not failures, "\n".join(failures[:10])
    total = sum(int(s.split(" ")[1]) for s in summary)
    with capsys.disabled():
        print(f"\nI3 hostile JSON integers: {len(summary)} API endpoints, {total} examples (>= {EXAMPLES} each), "
              f"and {sum(paths.values())} ids in paths {dict(sorted(paths.items()))}; 0 server errors")
        for line in summary:
            print("   ", line)
