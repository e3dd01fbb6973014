"""Hostile input on every form and POST endpoint: oversized text, control and bidi
characters, NUL, wrong types, repeated fields. Each example is one POST inside a
transaction that is rolled back afterwards, so every example starts from the same world.

The rule for forms: input made invalid on purpose (one field is always broken) gets a
page back, never a 5xx, and changes nothing in the database. Endpoints without fields
(submit, report submit, document retry) ignore the body: hostile fields change nothing
they would not have done anyway.
"""

import os
import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.forms import TEXT_LIMIT
from workflows.engine import claim
from workflows.selectors import task_url

from .world import World

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
    claim(w.tasks["review_screening"], w.people["lead"])
    claim(w.tasks["review"], w.people["lead"])
    claim(w.tasks["sign_off"], w.people["senior"])
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
                     "background_papers", "directions-TOTAL_FORMS", "directions-INITIAL_FORMS"]
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
         form(["action", "revision", "form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-description"],
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
            form([], {"outcome": st.just("new_version"), "reason": st.one_of(blank, oversized)}),
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
        ("report_submit", "officer", reverse("report_submit", args=[w.draft_report.pk]), form([], {}), True),
        ("document_retry", "officer", reverse("document_retry", args=[w.unpublished_document.verification_code]),
         form([], {}), False),
        ("submit", "officer", execute["submit"], form([], {}), True),
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
