"""Query discipline: every GET page of the URL conf reads the database a fixed number of
times, whatever the number of rows it lists.

Each line of ``PAGES`` is one page as one persona, with the most queries it may make
(``limit``, asserted like pytest-django's ``django_assert_max_num_queries``) and, where
fixing an N+1 changed it, the counts the page made before the fix (``before``, for the record).
The test measures every page on a small world, grows the data three rounds (plan changes
in every state, assessments with ratings and mitigating actions, tasks, audit events,
comments, reviews, reports, meetings, agenda items, delegations: 3x to 5x the rows each
page lists), measures again and asserts the count did not grow (``grows`` documents a
constant a page may add: only the review page's, which reads its reviews' findings in one
query once there are any) and stays within ``limit``. It prints the table for
the CI log; ``IIA_QUERY_LOG=FILE`` writes every query of every page to FILE.

A GET page of the URL conf that is neither in ``PAGES`` nor in ``EXCLUDED`` (with a reason)
fails ``test_every_get_page_is_counted``.
"""

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import services as assessment_services
from assessments.models import SCREENING_PART
from assessments.services.audit import audit_record
from reports import services as report_services
from reports.models import AgendaItem, Committee, Direction
from tests import factories as f
from tests.security.test_role_matrix import urls
from tests.security.world import World
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow

pytestmark = pytest.mark.django_db
ROLE_MATRIX = Path(__file__).parents[1] / "security" / "role_matrix.json"
ROUNDS = 3


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    limit: int  # most queries allowed, on the small world and on the grown one
    before: tuple[int, int] | None = None  # (small, grown) before N+1s and repeated reads were cut; None: unchanged
    grows: int = 0  # queries the grown world may add (a constant: every page reads a fixed number)
    query: str = ""
    parts: bool = False  # the plan change with its parts in progress (six open tasks), not the submitted one


PAGES = [
    # name, persona, limit (small and grown, after the fixes), before: (small, grown) before the fixes
    Page("login", "anonymous", 0),
    Page("accessibility", "anonymous", 1),  # the boards, as the organisation
    Page("statutory_duties", "anonymous", 0),  # the mapping is data in code (iia/duties.py)
    # the password pages: the signed-in ones read the session, the person and their boards
    # (the header); the reset link's page reads the account the link names
    Page("password_change", "officer", 3),
    Page("password_change_done", "officer", 3),
    Page("password_reset", "anonymous", 0),
    Page("password_reset_done", "anonymous", 0),
    Page("password_reset_confirm", "anonymous", 1),
    Page("password_reset_complete", "anonymous", 0),
    # two-factor sign-in (docs/two-factor.md): setting it up, for an officer who has not,
    # reads whether they have a second factor (one query a kind of device), their app and
    # their passkeys, and keeps the secret being set up in the session; the code step, for an
    # officer who has an app (CountingWorld)
    Page("two_factor_set_up", "officer", 11),
    Page("two_factor_verify", "enrolled", 4),
    # the paging of the inbox, queue and matrix (docs/performance.md, "Pages under load") adds
    # a count or two to some pages: a fixed cost, whatever the number of rows; the matrix and
    # the public register read the newest audit event to key their cache (the matrix twice,
    # its page and its totals; with the cache warm they skip many more, but the counts here
    # are of a cold cache); task lists
    # read their boards in a query of their own rather than joining the board table twice;
    # task lists read their boards' due dates (one query) and the inbox and queue the parts
    # done of their plan changes (one query), issue 19: 16, 9, 8 and 8 before; the clerk's
    # home reads the draft agendas and the reports waiting (two queries), and, issue 20, the
    # signed documents not yet published (one query)
    # the inbox, soonest due across all its pages, reads which boards and kinds of task it
    # holds (one query) before their oldest few: 17, 11 and 11 before
    Page("home", "officer", 18, before=(17, 32)),
    Page("home", "lead", 17, before=(18, 24)),
    Page("home", "clerk", 12),
    Page("inbox", "officer", 12, before=(11, 26)),
    Page("inbox", "contributor", 5),
    Page("queue", "lead", 10, before=(9, 15)),
    Page("queue", "senior", 10, before=(7, 13)),
    Page("plan_change_start", "officer", 4),
    Page("plan_change_start_board", "officer", 10),
    Page("plan_change_detail", "officer", 19, before=(31, 31)),
    Page("plan_change_detail", "lead", 19, before=(33, 33)),
    Page("plan_change_detail", "officer", 19, before=(44, 44), parts=True),
    Page("plan_change_comments", "contributor", 11),
    # issue 20: the rows rated negative, for their actual impacts (one query), and, once the
    # version has reviews, what each found (one query for them all)
    Page("assessment_review", "lead", 8, grows=1),
    # evidence files (docs/evidence.md): the progress page reads the action's files, a
    # snapshot the assessment's files and the library entries it cites (one query each)
    Page("action_progress", "officer", 7),
    Page("assessment_preview", "officer", 14),
    Page("assessment_docx", "officer", 12),  # a draft: its snapshot taken now, as the preview's
    Page("delegation_list", "officer", 7),
    Page("plan_list", "officer", 5),
    # keyset pages, a count that stops at 1,000, the next steps of a page's rows in one query
    Page("plan_change_list", "officer", 14),
    Page("plan_change_list", "lead", 14, query="q=plan&state=assessment-submitted&mine=on"),
    Page("plan_change_list_csv", "senior", 11),  # the rows read 1,000 at a time, with their next steps
    Page("plan_detail", "lead", 22, before=(24, 24)),
    Page("plan_detail", "lead", 15, before=(17, 17), query="state=signed_off"),
    Page("plan_matrix_csv", "lead", 12, before=(14, 14)),
    Page("plan_matrix_xlsx", "lead", 10, before=(12, 12)),
    Page("plan_cumulative_pdf", "lead", 12, before=(18, 18)),
    Page("board_dashboard", "senior", 17, before=(20, 20)),
    Page("board_matrix_csv", "senior", 13, before=(15, 15)),
    Page("board_matrix_xlsx", "senior", 11, before=(13, 13)),
    # the board, the memberships, five aggregate queries of the figures (reports.mainstreaming)
    Page("mainstreaming_report", "lead", 9),
    Page("mainstreaming_csv", "senior", 9),
    Page("mainstreaming_xlsx", "senior", 9),
    Page("mainstreaming_pdf", "lead", 10),  # and the job title the signature names
    # +1: the board's signed-off assessments an "already assessed" answer may name (issue 20 item 3)
    Page("iia:screening:execute", "officer", 10, before=(10, 10)),
    Page("iia:screening:unassign", "officer", 6),
    Page("iia:review_screening:assign", "lead", 8),
    Page("iia:review_screening:execute", "lead", 12, before=(13, 13)),
    Page("iia:review_screening:unassign", "lead", 6),
    Page("iia:complete_part:execute", "officer", 11, before=(19, 19)),
    Page("iia:complete_part:unassign", "officer", 6, before=(7, 7)),
    Page("iia:actions:execute", "officer", 12, before=(16, 16)),
    Page("iia:actions:unassign", "officer", 6),
    Page("iia:submit:execute", "officer", 18, before=(21, 21)),
    Page("iia:submit:unassign", "officer", 6),
    Page("iia:review:assign", "lead", 7, before=(8, 8)),
    Page("iia:review:execute", "lead", 16, before=(19, 19)),
    Page("iia:review:unassign", "lead", 6),
    Page("iia:sign_off:assign", "senior", 7, before=(8, 8)),
    Page("iia:sign_off:execute", "senior", 17, before=(20, 20)),
    Page("iia:sign_off:unassign", "senior", 6),
    # rendered from the stored snapshot alone; issue 20 adds its own "monitoring since signing"
    # section, read live: the actions, their progress and the reviews (two queries more)
    Page("document_html", "officer", 6, before=(17, 17)),
    # evidence files: the files page reads the assessment, its files, its citations and the
    # library entries to cite; a download reads the file's record (and the document's)
    Page("assessment_files", "officer", 7),
    Page("evidence_library", "lead", 5),
    Page("evidence_file_download", "officer", 4),
    Page("document_file", "lead", 5),
    Page("document_pdf", "officer", 5),
    Page("verify", "anonymous", 0),
    Page("report_new", "officer", 12),  # +1: the board's current directions a direction may vary
    Page("report_detail", "officer", 10),
    Page("report_edit", "officer", 8),  # +1: the same
    Page("report_pdf", "officer", 9),
    Page("report_docx", "officer", 9),
    Page("meeting_list", "clerk", 4),
    Page("meeting_new", "clerk", 5),
    Page("meeting_detail", "clerk", 7),
    Page("meeting_pack", "anonymous", 2),
    Page("meeting_pack_status", "clerk", 5),
    Page("clerk_queue", "clerk", 5),
    Page("register_index", "anonymous", 1),
    # +1: the published answers (the Islands Act s.8(4) explanations) of the page's assessments
    Page("register_board", "anonymous", 8, before=(7, 10)),
    Page("register_board", "anonymous", 6, query="q=report"),
    Page("register_feed", "anonymous", 3, before=(4, 7)),
    Page("register_json", "anonymous", 3, before=(4, 7)),
    Page("register_csv", "anonymous", 6, before=(7, 10)),
    Page("register_xlsx", "anonymous", 6, before=(7, 10)),
    Page("register_meeting", "anonymous", 3),
    Page("register_report", "anonymous", 5),
    Page("register_delegated_decision", "anonymous", 2),
    Page("delegated_decision_new", "senior", 8),  # the document, then why it may not be decided (3 checks)
    Page("register_directions", "anonymous", 4, grows=1),  # the later directions are read only when there are some
    Page("register_format_request", "anonymous", 3),
    Page("register_easy_read", "anonymous", 3),
    Page("format_request_list", "lead", 4),
    Page("format_request_detail", "lead", 5),
    Page("easy_read_edit", "officer", 6),
    Page("api:board-list", "officer", 5),
    Page("api:board-detail", "officer", 4),
    Page("api:plan-change-list", "officer", 9),
    Page("api:plan-change-detail", "officer", 8),
    Page("api:assessment-list", "lead", 14),
    Page("api:assessment-detail", "lead", 8),
    Page("api:task-inbox", "officer", 12, before=(19, 52)),
    Page("api:task-queue", "lead", 11, before=(10, 19)),
    Page("api:task-detail", "lead", 5),  # +1: the board's due dates (one read per board a response)
    Page("api:report-list", "officer", 5),
    Page("api:report-detail", "officer", 4),
    Page("api:meeting-list", "clerk", 7),
    Page("api:meeting-detail", "clerk", 6),
    Page("api:register-boards", "anonymous", 2),
    Page("api:register-documents", "anonymous", 4, before=(5, 8)),
    Page("api:register-meetings", "anonymous", 5),
    # the small world has issued no direction yet: the list and the directions that varied them
    # are read (two queries) once there is one, however many
    Page("api:register-directions", "anonymous", 4, grows=2),
    Page("api:schema", "anonymous", 0),
    Page("api:docs", "anonymous", 0),
]

EXCLUDED = {
    "logout": "POST only (GET answers 405)",
    "assessment_new_version": "POST only",
    "assessment_withdraw": "POST only",
    "delegation_end": "POST only",
    "document_retry": "POST only",
    "item_decide": "POST only",
    "report_submit": "POST only",
    "format_request_start": "POST only",
    "format_request_done": "POST only",
    "two_factor_backup_codes": "only for a person with an app who gave a code (a forced sign-in here is held at the "
                               "code step): counted in tests/iia/test_two_factor.py",
    "two_factor_passkey_added": "POST only (after the passkey script has added a passkey)",
    "two_factor_passkey_remove": "POST only",
    "register_format_request_sent": "the confirmation of a request: without the signed words the request form sends "
                                    "it (nothing stored is read but the board) it answers 404",
    "sign_on_start": "single sign-on is off in the test settings (a 404 to all); on, it reads nothing stored and "
                     "redirects to the organisation's provider (tests/iia/test_sign_on.py)",
    "sign_on_callback": "single sign-on is off in the test settings (a 404 to all); on, it is the provider's "
                        "redirect back, which signs the person in and redirects (tests/iia/test_sign_on.py)",
    "iia:actions:assign": "the actions task is assigned to the officer when it starts: no claim page",
    "iia:complete_part:assign": "parts are assigned to the officer when they start: no claim page",
    "iia:screening:assign": "the screening is assigned to its officer when it starts: no claim page",
    "iia:submit:assign": "the submit task is assigned to the officer when it starts: no claim page",
    "action_progress_files": "POST only (an upload)",
    "assessment_cite": "POST only",
    "citation_remove": "POST only",
    "evidence_file_remove": "POST only",
    "evidence_file_publication": "POST only",
    "evidence_source_retire": "POST only",
}
for _ceremony in ("registration-begin", "registration-complete", "authentication-begin", "authentication-complete"):
    EXCLUDED[f"otp_webauthn:credential-{_ceremony}"] = "POST only (JSON for the passkey script, tests/iia/test_passkeys.py)"
for _action in ("actions", "claim", "part", "release", "review", "screening", "screening-review", "sign-off", "submit"):
    EXCLUDED[f"api:task-{_action}"] = "POST only (an action on a task)"


def _get_statuses() -> dict[str, list[int]]:
    """Every URL name of the URL conf but the Django admin's (the site administrator's own
    pages), with the status each persona's GET gets in the checked-in role matrix."""
    matrix = json.loads(ROLE_MATRIX.read_text())
    return {name: [cells[0] for cells in matrix.get(name, {}).values()]
            for name, _route in urls() if not name.startswith("admin:")}


def test_every_get_page_is_counted():
    statuses = _get_statuses()
    counted = {page.name for page in PAGES}
    assert not counted & set(EXCLUDED), "a page is both counted and excluded"
    assert not (counted | set(EXCLUDED)) - set(statuses), "entries for URLs that no longer exist"
    missing = sorted(set(statuses) - counted - set(EXCLUDED))
    assert not missing, f"GET pages with no query count (add them to PAGES, or to EXCLUDED with a reason): {missing}"
    answering = [name for name in EXCLUDED if 200 in statuses[name]]
    assert not answering, f"excluded, yet a GET answers 200 to somebody: count them: {answering}"


class CountingWorld(World):
    """The role matrix's world, plus tasks held by the lead and the senior officer (so their
    task pages open), and ``grow`` to add rows of every kind."""

    def __init__(self, committed):
        super().__init__(committed)
        self.committed = committed
        self.dundee = _cast_of(self)
        lead, senior = self.people["lead"], self.people["senior"]
        review = f.to_submitted(self.dundee, "Claimed review")
        screening_pc = f.start(self.dundee, "Claimed screening review")
        workflow_actions.screening_save(task=active_task(screening_pc, IIAFlow.screening), by=self.dundee.officer,
                                        answers=f.answers(), complete=True, claim=True)
        sign = f.to_submitted(self.dundee, "Claimed sign-off")
        f.approve(self.dundee, sign)
        committed(_signed_with_actions, self.dundee)  # one of each kind of row, mitigating actions too
        # an officer who has set up two-factor sign-in: signed in, they are at the code step
        self.people["enrolled"] = f.user("officer", username="enrolled-officer")
        TOTPDevice.objects.create(user=self.people["enrolled"], name="Authenticator app", confirmed=True)
        self.held = {}
        for pc, node, person in ((review, IIAFlow.review, lead), (screening_pc, IIAFlow.review_screening, lead),
                                 (sign, IIAFlow.sign_off, senior)):
            task = active_task(pc, node)
            workflow_actions.task_claim(task=task, by=person)
            self.held[node.name] = task

    def kwargs(self, name, route):
        node = name.split(":")[1] if name.startswith("iia:") else ""
        if node in self.held and name.endswith((":execute", ":unassign")):
            task = self.held[node]
            return {"process_pk": task.process_id, "task_pk": task.pk}
        if name == "api:task-detail":
            return {"pk": self.held["review"].pk}
        return super().kwargs(name, route)

    def _grown_direction(self) -> list:
        """A direction varying the one issued in the round before (the register lists both)."""
        earlier = Direction.objects.filter(report__board__slug="dundee", status="current").order_by("-pk").first()
        return [report_services.DirectionInput(
            functions="Grown functions", budget="£1", text="Grown direction.",
            review_date=datetime.date.today() + datetime.timedelta(days=300),
            effect="varies" if earlier else "new", earlier_id=earlier.pk if earlier else None)]

    def _issue(self, item, report) -> None:
        """The board agreed the grown report (recorded without the meeting's other steps)."""
        AgendaItem.objects.filter(pk=item.pk).update(decision="agreed")
        item.refresh_from_db()
        report_services.direction_issue(direction=report.directions.get(), item=item, by=self.dundee.clerk,
                                        issued_on=self.meeting.date)

    def grow(self, round_: int):
        """One more of everything each page lists: plan changes in every state (with
        negative ratings and mitigating actions), comments, audit events, a review, reports
        on the agenda of the published meeting, a meeting, a delegation."""
        cast, committed = self.dundee, self.committed
        officer, contributor, lead, clerk = cast.officer, cast.officer2, cast.lead, cast.clerk
        f.start(cast, f"Grown draft {round_}")
        f.screen(cast, f.start(cast, f"Grown parts {round_}"))  # parts in progress: officer's tasks
        submitted = f.to_submitted(cast, f"Grown submitted {round_}")
        f.current(submitted).contributors.add(contributor)
        approved = f.to_submitted(cast, f"Grown approved {round_}")
        f.approve(cast, approved)
        signed = committed(_signed_with_actions, cast)
        committee = Committee.objects.get(board__slug="dundee", kind="ijb")
        for target in (signed.plan_change, self.signed.plan_change):
            directing = target == signed.plan_change
            report = report_services.report_create(
                plan_change=target, by=officer, committee=committee, title=f"Grown report {round_}",
                report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R",
                direction_to="council" if directing else "none", directions=self._grown_direction() if directing else ())
            if directing:
                report_services.report_submit(report=report, by=officer)
                item = committed(report_services.agenda_add_report, meeting=self.meeting, report=report, by=clerk,
                                 late_reason=f"Grown late {round_}.")
                self._issue(item, report)
        report_services.report_create(
            plan_change=self.submitted, by=officer, committee=committee, title=f"Grown draft report {round_}",
            report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R",
            direction_to="none")
        report_services.meeting_create(committee=committee, by=clerk, venue="Chamber",
                                       date=datetime.date.today() + datetime.timedelta(days=30 * round_))
        assessment = f.current(self.submitted)
        screening = self.submitted.screenings.get()
        self.parts_assessment.contributors.add(contributor)
        for by in (officer, contributor, lead):
            assessment_services.comment_add(by=by, text=f"Comment {round_}", part="evidence", assessment=assessment)
            assessment_services.comment_add(by=by, text=f"Comment {round_}", part="actions", assessment=assessment)
            if by != contributor:  # the screening's participants: its officer and the equality lead
                assessment_services.comment_add(by=by, text=f"Comment {round_}", part=SCREENING_PART,
                                                screening=screening)
            part = self.tasks["complete_part"].data["part"]
            assessment_services.comment_add(by=by, text=f"Comment {round_}", part=part,
                                            assessment=self.parts_assessment)
        for plan_change in (self.submitted, self.signed.plan_change):
            for n in range(5):
                audit_record(board=plan_change.board_id, actor=officer, action="test.grow", plan_change=plan_change,
                             message=f"Grown event {round_}.{n}")
        assessment_services.assessment_review_confirm(
            assessment=self.signed, by=lead, note=f"Checked {round_}.",
            next_review_date=datetime.date.today() + datetime.timedelta(days=100 + round_))
        start = datetime.date.today() + datetime.timedelta(days=20 * round_)
        assessment_services.delegation_create(
            delegator=officer, delegate=contributor, board=f.board(), role="officer",
            starts_on=start, ends_on=start + datetime.timedelta(days=5))


def _cast_of(world) -> f.Cast:
    cast = f.Cast.__new__(f.Cast)
    cast.board_slug = "dundee"
    people = world.people
    cast.officer, cast.officer2, cast.lead = people["officer"], people["contributor"], people["lead"]
    cast.senior, cast.clerk = people["senior"], people["clerk"]
    return cast


def _signed_with_actions(cast):
    """A signed-off assessment with negative ratings: one mitigated, one justified."""
    plan_change = f.screen(cast, f.start(cast, "Grown signed"))
    assessment = f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Older people lose out."),
                                                      "PC.RACE": ({"negative"}, "Fewer interpreters.")})
    f.complete_actions(cast, plan_change, actions=[f.mitigation(assessment, ["PC.RACE"])],
                       justifications={f.row(assessment, "PC.AGE").pk: "Proportionate to the saving."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def _label(page) -> str:
    return page.name + (f"?{page.query}" if page.query else "") + (" (parts)" if page.parts else "")


def _measure(world, client, page) -> tuple[int, int, list[str]]:
    kwargs = {"pk": world.parts_assessment.plan_change_id} if page.parts else world.kwargs(page.name, "")
    path = reverse(page.name, kwargs=kwargs)
    if page.query:
        path += "?" + page.query
    client.logout()
    if world.people[page.persona] is not None:
        client.force_login(world.people[page.persona])
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response.status_code, len(captured), [q["sql"] for q in captured.captured_queries]


def test_query_counts(committed, capsys):
    world = CountingWorld(committed)
    client = Client(raise_request_exception=True)
    small = {page: _measure(world, client, page) for page in PAGES}
    for round_ in range(1, ROUNDS + 1):
        world.grow(round_)
    grown = {page: _measure(world, client, page) for page in PAGES}
    failures = []
    lines = [f"{'page':<34} {'as':<11} {'small':>5} {'grown':>5} {'limit':>5}  before the fixes (small, grown)"]
    for page in PAGES:
        label = _label(page)
        (status_s, small_n, _), (status_g, grown_n, _) = small[page], grown[page]
        before = f"{page.before[0]:>5} {page.before[1]:>5}" if page.before else "    unchanged"
        lines.append(f"{label:<34} {page.persona:<11} {small_n:>5} {grown_n:>5} {page.limit:>5}  {before}")
        if status_s != 200 or status_g != 200:
            if not (page.name == "plan_change_start" and status_s == status_g == 302):
                failures.append(f"{label} as {page.persona}: status {status_s}, {status_g}")
        if grown_n > small_n + page.grows:
            failures.append(f"{label} as {page.persona}: {small_n} queries on the small world, {grown_n} grown")
        if max(small_n, grown_n) > page.limit:
            failures.append(f"{label} as {page.persona}: {max(small_n, grown_n)} queries, limit {page.limit}")
    if os.environ.get("IIA_QUERY_LOG"):  # every query of every page, small and grown, to find an N+1
        Path(os.environ["IIA_QUERY_LOG"]).write_text(json.dumps(
            {f"{_label(p)} {p.persona}": {"small": small[p][2], "grown": grown[p][2]} for p in PAGES}, indent=1))
    with capsys.disabled():
        print(f"\nP3 query counts: {len(PAGES)} pages, small world then {ROUNDS} rounds of growth\n" + "\n".join(lines))
    assert not failures, "\n".join(failures)
