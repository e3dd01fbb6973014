"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page type, as each role that can see it,
including the pages' error states: zero violations.

Adding a page is one line in CASES: ``Case(page, role, target, state, act=..., setup=...)``,
where ``target`` is a URL name (its arguments come from ``tests/security/world.py``
``World.kwargs``) or a function of the world returning a path. A URL name that is neither
a case's target nor in EXCLUDED fails ``test_every_page_is_covered``.

The statement page (/accessibility/) shows what this suite checked: ``iia/accessibility.json``.
Regenerate it after a passing run with IIA_WRITE_A11Y_RESULTS=1; otherwise the suite checks
that the file still lists exactly these cases, this axe-core version and these tags.
"""

import datetime
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from iia.accessibility import RESULTS
from tests import factories as f
from tests.security.test_role_matrix import urls
from tests.security.world import World
from workflows import actions as workflow_actions
from workflows import engine
from workflows.flows import IIAFlow

from .axe import TAGS, axe_version, axe_violations, describe
from .conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


# --- actions: what the browser does on the page before axe runs ------------------------

def submit_empty(button: str):
    """Submit the page's form as it is (the browser's own checks off), to show its errors.
    ``button`` is the button's accessible name, or its start followed by "…"."""
    name = re.compile("^" + re.escape(button[:-1])) if button.endswith("…") else button

    def act(page, world):
        page.evaluate("() => document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
        page.locator("main").get_by_role("button", name=name, exact=True).first.click()
        page.locator(".error-summary").wait_for()
    return act


def open_then_submit_empty(disclosure: str, button: str):
    """Open the disclosure (a details element), then submit its form as it is."""
    def act(page, world):
        page.locator("main summary", has_text=disclosure).click()
        submit_empty(button)(page, world)
    return act


def submit_blanked(button: str):
    """Empty the page's first text field and submit: the admin's own error display."""
    def act(page, world):
        page.evaluate("() => document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
        page.locator("#content-main input[type=text]").first.fill("")
        page.locator("#content-main").get_by_role("button", name=button, exact=True).first.click()
        page.locator(".errornote").wait_for()
    return act


def staff(person):
    """Equality leads are staff in their role's group, to edit their board's form (as load_demo makes them)."""
    from django.contrib.auth.models import Group

    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(Group.objects.get(name="Equality lead"))


def new_template_version(world) -> str:
    """A new version of Dundee's form (not in use, so editable), copied by the equality lead."""
    from assessments.models import Template
    from assessments.services.catalogue import template_copy_as_new_version

    copy = template_copy_as_new_version(template=Template.objects.get(board__slug="dundee", is_active=True),
                                        by=world.people[LEAD])
    world.new_section_path = reverse("admin:assessments_section_change", args=[copy.sections.order_by("pk").first().pk])
    return reverse("admin:assessments_template_change", args=[copy.pk])


def admin_change(model: str) -> str:
    """The admin's change page of Dundee's first record of the model (of assessments)."""
    from django.apps import apps

    model_class = apps.get_model("assessments", model)
    board = {"board": "slug", "template": "board__slug", "section": "template__board__slug",
             "strategicplan": "board__slug"}[model]
    obj = model_class.objects.filter(**{board: "dundee"}).order_by("pk").first()
    return reverse(f"admin:assessments_{model}_change", args=[obj.pk])


def sign_in_wrongly(page, world):
    page.get_by_label("Username").fill("officer-who-forgot")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".error-summary").wait_for()


def lock_out(page, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("locked-out-person")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Too many sign-in attempts").wait_for()


def wrong_current_password(page, world):
    page.get_by_label("Current password").fill("not-my-password")
    page.locator("#id_new_password1").fill("a-new-long-passphrase-7")
    page.locator("#id_new_password2").fill("a-new-long-passphrase-7")
    page.get_by_role("button", name="Change password").click()
    page.locator(".error-summary").wait_for()


def reset_link(world) -> str:
    """The emailed link for the officer (it redirects to the page without the token)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_encode

    person = type(world.people[OFFICER]).objects.get(pk=world.people[OFFICER].pk)  # its last sign-in as stored
    return reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(str(person.pk).encode()),
                                                     "token": default_token_generator.make_token(person)})


reset_link.url_name = "password_reset_confirm"


def submit_after_someone_else(page, world):
    """The officer's screening form is sent after the task was completed elsewhere."""
    task = world.tasks["screening"]

    workflow_actions.screening_save(task=task, by=world.people["officer"], answers=f.answers(), complete=True, claim=True)
    page.evaluate("() => document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
    page.locator("main").get_by_role("button", name="Submit for review").click()
    page.get_by_role("heading", name="Someone else just changed this").wait_for()


def _app_code(page) -> str:
    """The code an app holding the secret the set-up page shows makes now."""
    import base64

    from django_otp.oath import TOTP

    secret = page.locator("#secret").inner_text().replace(" ", "")
    return f"{TOTP(base64.b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"


def wrong_app_code(page, world):
    page.get_by_label("Code from your app").fill("12345")  # five digits: never a code
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.locator(".error-summary").wait_for()


def set_up_app(page, world):
    page.get_by_label("Code from your app").fill(_app_code(page))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Two-factor sign-in is on").wait_for()


def wrong_code(page, world):
    page.get_by_label("Code").fill("abcd-efgh-jkmn-pqrs")  # a backup code, and they have none
    page.get_by_role("button", name="Continue").click()
    page.locator(".error-summary").wait_for()


# --- set-ups: changes to the world before the page is opened -----------------------------

def has_app(role: str):
    """``role``'s person has set up an authenticator app: their session is held at the code step."""
    def setup(world):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=world.people[role], name="Authenticator app", confirmed=True)
    return setup


def shown(button: str):
    """Wait for a button a script puts in the page (the passkey script's, once it finds WebAuthn)."""
    def act(page, world):
        page.get_by_role("button", name=button, exact=True).wait_for()
    return act


def has_passkey(role: str):
    """``role``'s person has added a passkey (a stored credential: the page only lists it)."""
    def setup(world):
        import os

        from django_otp_webauthn.models import WebAuthnCredential

        WebAuthnCredential.objects.create(user=world.people[role], name="Passkey 1", credential_id=os.urandom(32),
                                          public_key=b"\xa5", aaguid="00000000-0000-0000-0000-000000000000")
    return setup


def clerk_has_work(world):
    """A report waiting for an agenda, an agenda in preparation and one late: the clerk's
    home lists them all."""
    from reports import services as report_services
    from reports.models import Committee

    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    report = report_services.report_create(
        plan_change=world.signed.plan_change, by=world.people[OFFICER], committee=committee, title="Waiting report",
        report_by="Chief Officer", decision_sought="note", purpose="P", recommendations="R", direction_to="none")
    report_services.report_submit(report=report, by=world.people[OFFICER])
    for days in (30, 2):
        report_services.meeting_create(committee=committee, by=world.people[CLERK], venue="Chamber",
                                       date=datetime.date.today() + datetime.timedelta(days=days))


def claim(node: str, persona: str):
    def setup(world):
        task = world.tasks[node]
        task.refresh_from_db()
        if task.owner_id is None:
            workflow_actions.task_claim(task=task, by=world.people[persona])
    return setup


def check_a_code(page, world):
    from reports.models import SignedDocument

    page.get_by_label("Or its verification code").fill(SignedDocument.objects.get(assessment=world.signed).verification_code)
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name=re.compile("^Genuine")).wait_for()


def check_an_unknown_code(page, world):
    page.get_by_label("Or its verification code").fill("IIA-ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name=re.compile("^Unknown")).wait_for()


def draft_meeting(world) -> str:
    """A draft meeting with a signed-off assessment's report waiting to be added."""
    from reports import services as reporting
    from reports.models import Committee

    clerk, officer = world.people["clerk"], world.people["officer"]
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    report = reporting.report_create(
        plan_change=world.unpublished_document.assessment.plan_change, by=officer, committee=committee,
        title="Waiting report", report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R",
        direction_to="none")
    reporting.report_submit(report=report, by=officer)
    meeting = reporting.meeting_create(committee=committee, by=clerk, date=datetime.date.today() + datetime.timedelta(days=60),
                                       venue="Chamber")
    world.draft_meeting_path = reverse("meeting_detail", kwargs={"pk": meeting.pk})
    return world.draft_meeting_path


def blocked_meeting(world) -> str:
    """A draft agenda with a report whose assessment is not signed off (a blocked item, with
    "Move to a later meeting" and "Remind the lead officer"), and a later meeting to move it to."""
    from reports import services as reporting
    from reports.models import Committee

    cast = dundee(world)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    plan_change = f.start(cast, "Blocked report's plan change")
    report = reporting.report_create(
        plan_change=plan_change, by=cast.officer, committee=committee, title="Blocked report",
        report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R", direction_to="none")
    reporting.report_submit(report=report, by=cast.officer)
    today = datetime.date.today()
    meeting = reporting.meeting_create(committee=committee, by=cast.clerk, date=today + datetime.timedelta(days=70),
                                       venue="Chamber")
    reporting.agenda_add_report(meeting=meeting, report=report, by=cast.clerk)
    reporting.meeting_create(committee=committee, by=cast.clerk, date=today + datetime.timedelta(days=98),
                             venue="Chamber")
    return reverse("meeting_detail", kwargs={"pk": meeting.pk})


def directions_issued(world):
    """Two directions, the later varying the earlier, each issued by a meeting agreeing its report."""
    from reports import services as reporting
    from reports.models import Committee, Direction, Meeting

    cast = dundee(world)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    earlier = None
    for title in ("Care at home", "Care at home, phased"):
        report = reporting.report_create(
            plan_change=world.signed.plan_change, by=cast.officer, committee=committee, title=title,
            report_by="Chief Officer", decision_sought="agree", purpose="P", recommendations="R", direction_to="council",
            directions=[reporting.DirectionInput(
                functions="Care at home", budget="£1m", text=f"Deliver {title.lower()}.",
                review_date=datetime.date.today() + datetime.timedelta(days=300),
                effect="varies" if earlier else "new", earlier_id=earlier.pk if earlier else None)])
        reporting.report_submit(report=report, by=cast.officer)
        meeting = reporting.meeting_create(committee=committee, by=cast.clerk, venue="Chamber",
                                           date=datetime.date.today() + datetime.timedelta(days=60))
        item = reporting.agenda_add_report(meeting=meeting, report=report, by=cast.clerk)
        reporting.meeting_publish(meeting=meeting, by=cast.clerk)
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date.today() - datetime.timedelta(days=1))
        item.refresh_from_db()
        reporting.item_decide(item=item, by=cast.clerk, decision="agreed")
        earlier = Direction.objects.get(report=report)


def add_another_action(page, world):
    page.get_by_role("button", name="Add another action").click()
    page.get_by_text("Action 2 added.").wait_for(state="attached")


def choose_a_direction(page, world):
    page.get_by_label("The council", exact=True).check()
    page.locator("#direction-fields").wait_for()


def dundee(world):
    """The world's Dundee people as the factories' Cast."""
    people = world.people
    return SimpleNamespace(board_slug="dundee", officer=people["officer"], officer2=people["contributor"],
                           lead=people["lead"], senior=people["senior"], clerk=people["clerk"])


def returned_part(world) -> str:
    """A part of an IIA the equality lead returned for changes, as its officer opens it."""

    cast = dundee(world)
    plan_change = f.to_submitted(cast, "Returned for changes")
    workflow_actions.assessment_return(task=engine.active_task(plan_change, IIAFlow.review), by=cast.lead,
                                       comments="Say more about carers.", parts=["equality"], claim=True)
    task = engine.active_task(plan_change, IIAFlow.complete_part)
    return reverse("iia:complete_part:execute", kwargs={"process_pk": task.process_id, "task_pk": task.pk})


def module_part(world) -> str:
    """A module the screening opened (the SEA pre-screening: a choice, a date, a link), as
    its officer opens it."""
    cast = dundee(world)
    plan_change = f.screen(cast, f.start(cast, "Community hubs refurbishment"), sea_qualifying="yes")
    task = next(t for t in engine.active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == "sea")
    return reverse("iia:complete_part:execute", kwargs={"process_pk": task.process_id, "task_pk": task.pk})


def already_assessed_review(world) -> str:
    """A screening that relies on an earlier assessment, as the equality lead reviews it."""
    cast = dundee(world)
    plan_change = f.start(cast, "Same again")
    workflow_actions.screening_save(task=engine.active_task(plan_change, IIAFlow.screening), by=cast.officer,
                                    answers=f.answers(already_assessed="yes"), relies_on_id=world.signed.pk,
                                    complete=True, claim=True)
    task = engine.active_task(plan_change, IIAFlow.review_screening)
    workflow_actions.task_claim(task=task, by=cast.lead)
    return reverse("iia:review_screening:execute", kwargs={"process_pk": task.process_id, "task_pk": task.pk})


def part_saved_by_someone_else(page, world):
    """The part is saved elsewhere while the officer edits it: the stale-form warning."""
    from assessments import services

    code, officer = world.tasks["complete_part"].data["part"], world.people["officer"]
    if code == "evidence":
        services.evidence_save(assessment=world.parts_assessment, by=officer, evidence="E.", consultation="C.",
                               complete=False)
    else:
        ratings, answers = f.section_inputs(world.parts_assessment.template.sections.get(code=code))
        services.section_save(assessment=world.parts_assessment, section_code=code, by=officer, ratings=ratings,
                              answers=answers, complete=False)
    page.locator("main").get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="Someone else saved this part").wait_for()


def redoc_rendered(page, world):
    """Redoc draws the reference and its JSON samples (with their toggles) after loading."""
    page.locator('.collapser[aria-label="expand"]').first.wait_for(state="attached", timeout=30000)


def screening_record(world) -> str:
    """The signed screening record of a screened-out plan change (its HTML version)."""
    from reports.models import SignedDocument

    plan_change = f.screen(dundee(world), f.start(dundee(world), "Screened out"), full=False)
    document = SignedDocument.objects.get(screening__plan_change=plan_change)
    return reverse("document_html", kwargs={"code": document.verification_code})


def published_document(world) -> str:
    from reports.models import SignedDocument

    document = SignedDocument.objects.get(assessment=world.signed)
    return reverse("document_html", kwargs={"code": document.verification_code})


def register_format_request_sent(world) -> str:
    """The confirmation of a request, as the request form redirects to it."""
    from django.core import signing

    from reports.views.formats import SENT_SALT

    token = signing.dumps({"r": world.format_request.reference, "f": "Large print", "d": "2026-12-18",
                           "t": world.signed.plan_change.title}, salt=SENT_SALT, compress=True)
    return reverse("register_format_request_sent", kwargs={"slug": "dundee"}) + f"?r={token}"


@dataclass(frozen=True)
class Case:
    page: str  # the page type, as the statement names it
    role: str  # a persona of World.people
    target: str | Callable[[World], str]  # a URL name, or a function of the world giving a path
    state: str = "as first shown"
    act: Callable | None = None
    setup: Callable | None = None
    status: int = 200  # what the first page load must answer

    @property
    def url_name(self) -> str:
        return self.target if isinstance(self.target, str) else getattr(self.target, "url_name", "")

    def path(self, world, routes) -> str:
        if isinstance(self.target, str):
            return reverse(self.target, kwargs=world.kwargs(self.target, routes.get(self.target, "")))
        return self.target(world)


def path_of(url_name: str, make: Callable[[World], str]):
    make.url_name = url_name
    return make


OFFICER, LEAD, SENIOR, CLERK, PUBLIC, ADMIN = "officer", "lead", "senior", "clerk", "anonymous", "superuser"
CONTRIBUTOR = "contributor"
ERRORS = "form sent with errors (error summary)"

CASES = [
    Case("Sign in", PUBLIC, "login"),
    Case("Sign in", PUBLIC, "login", "wrong password", act=sign_in_wrongly),
    Case("Sign in", PUBLIC, "login", "locked out after failed attempts", act=lock_out),
    Case("Change your password", OFFICER, "password_change"),
    Case("Change your password", OFFICER, "password_change", ERRORS, act=submit_empty("Change password")),
    Case("Change your password", OFFICER, "password_change", "wrong current password", act=wrong_current_password),
    Case("Password changed", OFFICER, "password_change_done"),
    Case("Reset your password", PUBLIC, "password_reset"),
    Case("Reset your password", PUBLIC, "password_reset", ERRORS, act=submit_empty("Email me a link")),
    Case("Reset your password: email sent", PUBLIC, "password_reset_done"),
    Case("Reset your password: new password", PUBLIC, reset_link),
    Case("Reset your password: new password", PUBLIC, reset_link, ERRORS, act=submit_empty("Set password")),
    Case("Reset your password: new password", PUBLIC, "password_reset_confirm", "a link that does not work"),
    Case("Reset your password: password set", PUBLIC, "password_reset_complete"),
    Case("Accessibility statement", PUBLIC, "accessibility"),
    Case("Accessibility statement", OFFICER, "accessibility"),
    Case("Statutory duties", PUBLIC, "statutory_duties"),
    Case("Statutory duties", OFFICER, "statutory_duties"),
    Case("Check a signed document", PUBLIC, "verify"),
    Case("Check a signed document", PUBLIC, "verify", ERRORS, act=submit_empty("Check")),
    Case("Check a signed document", PUBLIC, "verify", "result for a code", act=check_a_code),
    Case("Check a signed document", PUBLIC, "verify", "result for an unknown code", act=check_an_unknown_code),
    Case("Public register", PUBLIC, "register_index"),
    Case("Public register of a board", PUBLIC, "register_board"),
    Case("Public register of a board", PUBLIC, path_of("register_board", lambda w: reverse(
        "register_board", kwargs={"slug": "dundee"}) + "?date_from=not-a-date&date_to=2000-01-01"), "filters with errors"),
    Case("Published meeting", PUBLIC, "register_meeting"),
    Case("Published IJB report", PUBLIC, "register_report"),
    Case("Published delegated decision", PUBLIC, "register_delegated_decision"),
    Case("Register of directions", PUBLIC, "register_directions", "a direction varied by a later one",
         setup=directions_issued),
    Case("Signed document (HTML version)", PUBLIC, path_of("document_html", published_document)),
    Case("Ask for a document in another format", PUBLIC, "register_format_request"),
    Case("Ask for a document in another format", PUBLIC, "register_format_request", ERRORS, act=submit_empty("Send the request")),
    Case("Request for another format sent", PUBLIC, path_of("register_format_request_sent", register_format_request_sent)),
    Case("Easy Read summary", PUBLIC, "register_easy_read"),
    Case("Requests for other formats", LEAD, "format_request_list"),
    Case("Request for another format", LEAD, "format_request_detail"),
    Case("Request for another format", LEAD, "format_request_detail", ERRORS, act=submit_empty("Mark as done")),
    Case("Write the Easy Read summary", OFFICER, "easy_read_edit"),
    Case("Write the Easy Read summary", OFFICER, "easy_read_edit", ERRORS, act=submit_empty("Save the Easy Read summary")),
    Case("Page not found", PUBLIC, path_of("", lambda w: "/no-such-page/"), "404", status=404),
    Case("Home", OFFICER, "home"),
    Case("Home", LEAD, "home"),
    Case("Home", SENIOR, "home"),
    Case("Home", CLERK, "home", setup=clerk_has_work),
    Case("Home", ADMIN, "home"),
    Case("Inbox", OFFICER, "inbox"),
    Case("Inbox", LEAD, "inbox"),
    Case("Queue", LEAD, "queue"),
    Case("Queue", SENIOR, "queue"),
    Case("Plans", OFFICER, "plan_list"),
    Case("Plan changes", OFFICER, "plan_change_list"),
    Case("Plan changes", CLERK, "plan_change_list"),
    Case("Plan changes", LEAD, path_of("plan_change_list", lambda w: reverse("plan_change_list")
                                       + "?q=" + "x" * 300 + "&started_from=not-a-date&state=new"), "filters with errors"),
    Case("Plan", OFFICER, "plan_detail"),
    Case("Plan", LEAD, "plan_detail"),
    Case("Plan", SENIOR, path_of("plan_detail", lambda w: reverse("plan_detail", kwargs={"pk": w.plan.pk})
                                 + "?section=equality&state=submitted&state=in_progress"), "matrix filtered"),
    Case("Review of a signed-off assessment", OFFICER, "assessment_review"),
    Case("Review of a signed-off assessment", LEAD, "assessment_review"),
    Case("Review of a signed-off assessment", OFFICER, "assessment_review", ERRORS,
         act=submit_empty("Record the review")),
    Case("Progress on a mitigating action", OFFICER, "action_progress"),
    Case("Progress on a mitigating action", LEAD, "action_progress", ERRORS, act=submit_empty("Record progress")),
    Case("Files of the evidence and consultation", OFFICER, "assessment_files"),
    Case("Files of the evidence and consultation", OFFICER, "assessment_files", ERRORS,
         act=submit_empty("Upload the file")),
    Case("Evidence library", LEAD, "evidence_library"),
    Case("Evidence library", LEAD, "evidence_library", ERRORS, act=submit_empty("Add to the library")),
    Case("Comments", OFFICER, "plan_change_comments"),
    Case("Comments", LEAD, "plan_change_comments", ERRORS, act=submit_empty("Post the comment")),
    Case("Delegations", OFFICER, "delegation_list"),
    Case("Delegations", LEAD, "delegation_list", ERRORS, act=submit_empty("Delegate")),
    Case("API reference", PUBLIC, "api:docs", act=redoc_rendered),
    Case("API reference", OFFICER, "api:docs", act=redoc_rendered),
    Case("Board dashboard", OFFICER, "board_dashboard"),
    Case("Board dashboard", CLERK, "board_dashboard"),
    Case("Board dashboard", LEAD, path_of("board_dashboard", lambda w: reverse(
        "board_dashboard", kwargs={"slug": "dundee"}) + "?state=bogus&plan=x"), "filters with errors"),
    Case("Mainstreaming evidence", LEAD, "mainstreaming_report"),
    Case("Mainstreaming evidence", SENIOR, path_of("mainstreaming_report", lambda w: reverse(
        "mainstreaming_report", kwargs={"slug": "dundee"}) + "?start=2026-06-30&end=2011-01-01"), ERRORS),
    Case("Plan change", OFFICER, "plan_change_detail"),
    Case("Plan change", LEAD, "plan_change_detail"),
    Case("Plan change", SENIOR, "plan_change_detail"),
    Case("Plan change", CLERK, "plan_change_detail"),
    Case("Record a decision under delegated authority", SENIOR, "delegated_decision_new"),
    Case("Record a decision under delegated authority", SENIOR, "delegated_decision_new", ERRORS,
         act=submit_empty("Record the decision and publish")),
    Case("Plan change (signed off)", OFFICER, path_of("plan_change_detail", lambda w: reverse(
        "plan_change_detail", kwargs={"pk": w.signed.plan_change_id}))),
    Case("Plan change (signed off)", OFFICER, path_of("plan_change_detail", lambda w: reverse(
        "plan_change_detail", kwargs={"pk": w.signed.plan_change_id})), ERRORS + " to start a new version",
        act=submit_empty("Start a new version")),
    Case("Plan change", OFFICER, path_of("plan_change_detail", lambda w: reverse(
        "plan_change_detail", kwargs={"pk": w.parts_assessment.plan_change_id})), ERRORS + " to withdraw",
        act=open_then_submit_empty("Withdraw this assessment", "Withdraw the assessment")),
    Case("Start a plan change", OFFICER, "plan_change_start"),
    Case("Start a plan change", OFFICER, "plan_change_start_board", ERRORS, act=submit_empty("Start the pre-screening")),
    Case("Pre-screening task", OFFICER, "iia:screening:execute"),
    Case("Pre-screening task", OFFICER, "iia:screening:execute", ERRORS, act=submit_empty("Submit for review")),
    Case("Release a task", OFFICER, "iia:screening:unassign"),
    Case("Part of the IIA task", OFFICER, "iia:complete_part:execute"),
    Case("Part of the IIA task", OFFICER, "iia:complete_part:execute", ERRORS, act=submit_empty("Save and complete")),
    Case("Part of the IIA task", OFFICER, "iia:complete_part:execute", "saved meanwhile by someone else",
         act=part_saved_by_someone_else),
    Case("Part of the IIA task", OFFICER, path_of("iia:complete_part:execute", returned_part), "returned for changes"),
    Case("Part of the IIA task", OFFICER, path_of("iia:complete_part:execute", module_part),
         "a module the screening opened (SEA pre-screening), " + ERRORS, act=submit_empty("Save and complete")),
    Case("Release a task", OFFICER, "iia:complete_part:unassign"),
    Case("Mitigating actions task", OFFICER, "iia:actions:execute"),
    Case("Mitigating actions task", OFFICER, "iia:actions:execute", ERRORS, act=submit_empty("Save and complete")),
    Case("Mitigating actions task", OFFICER, "iia:actions:execute", "another action added", act=add_another_action),
    Case("Release a task", OFFICER, "iia:actions:unassign"),
    Case("Submit the IIA task", OFFICER, "iia:submit:execute"),
    Case("Release a task", OFFICER, "iia:submit:unassign"),
    Case("Claim a task", LEAD, "iia:review_screening:assign"),
    Case("Screening review task", LEAD, "iia:review_screening:execute", setup=claim("review_screening", LEAD)),
    Case("Screening review task", LEAD, "iia:review_screening:execute", ERRORS, act=submit_empty("Record the decision")),
    Case("Screening review task", LEAD, path_of("iia:review_screening:execute", already_assessed_review),
         "already assessed: the earlier assessment to check, " + ERRORS, act=submit_empty("Record the decision")),
    Case("Release a task", LEAD, "iia:review_screening:unassign"),
    Case("Claim a task", LEAD, "iia:review:assign"),
    Case("IIA review task", LEAD, "iia:review:execute", setup=claim("review", LEAD)),
    Case("IIA review task", LEAD, "iia:review:execute", ERRORS, act=submit_empty("Record the decision")),
    Case("Release a task", LEAD, "iia:review:unassign"),
    Case("Claim a task", SENIOR, "iia:sign_off:assign"),
    Case("Sign-off task", SENIOR, "iia:sign_off:execute", setup=claim("sign_off", SENIOR)),
    Case("Sign-off task", SENIOR, "iia:sign_off:execute", ERRORS, act=submit_empty("Record the decision")),
    Case("Release a task", SENIOR, "iia:sign_off:unassign"),
    Case("Signed document (HTML version)", OFFICER, "document_html"),
    Case("Screening record (HTML version)", OFFICER, path_of("document_html", screening_record)),
    Case("New IJB report", OFFICER, "report_new"),
    Case("New IJB report", OFFICER, "report_new", ERRORS, act=submit_empty("Save the report")),
    Case("New IJB report", OFFICER, "report_new", "a direction chosen, its fields revealed", act=choose_a_direction),
    Case("IJB report", OFFICER, "report_detail"),
    Case("IJB report", CLERK, "report_detail"),
    Case("Edit an IJB report", OFFICER, "report_edit"),
    Case("Meetings", OFFICER, "meeting_list"),
    Case("Meetings", CLERK, "meeting_list"),
    Case("Meeting", OFFICER, "meeting_detail"),
    Case("Meeting", CLERK, "meeting_detail"),
    Case("Meeting", CLERK, "meeting_detail", ERRORS + " on a decision", act=submit_empty("Record the decision…")),
    Case("Meeting (draft agenda)", CLERK, path_of("meeting_detail", draft_meeting)),
    Case("Meeting (draft agenda)", CLERK, path_of("meeting_detail", lambda w: w.draft_meeting_path), ERRORS,
         act=submit_empty("Add to the agenda")),
    Case("Meeting (draft agenda, a blocked item)", CLERK, path_of("meeting_detail", blocked_meeting)),
    Case("New meeting", CLERK, "meeting_new"),
    Case("New meeting", CLERK, "meeting_new", ERRORS, act=submit_empty("Create the meeting")),
    Case("Clerk's queue", CLERK, "clerk_queue"),
    Case("Not allowed", OFFICER, "clerk_queue", "403", status=403),
    Case("Not allowed", OFFICER, "iia:screening:assign", "403 (a task assigned on creation)", status=403),
    Case("Page not found", OFFICER, path_of("", lambda w: "/plan-changes/999999/"), "404", status=404),
    # the admin: Django's pages, where equality leads edit their board's form
    Case("Administration", ADMIN, path_of("", lambda w: "/admin/")),
    Case("Administration", LEAD, path_of("", lambda w: "/admin/"), setup=lambda w: staff(w.people[LEAD])),
    Case("Administration: a list with filters", ADMIN, path_of("", lambda w: "/admin/assessments/template/")),
    Case("Administration: a list with filters", LEAD, path_of("", lambda w: "/admin/assessments/row/")),
    Case("Administration: form editor (template in use)", LEAD, path_of("", lambda w: admin_change("template"))),
    Case("Administration: form editor (template in use)", LEAD, path_of("", lambda w: admin_change("section"))),
    Case("Administration: form editor (new version)", LEAD, path_of("", new_template_version)),
    Case("Administration: form editor (new version)", LEAD, path_of("", lambda w: w.new_section_path)),
    Case("Administration: form editor (new version)", LEAD, path_of("", lambda w: w.new_section_path), ERRORS,
         act=submit_blanked("Save")),
    Case("Administration: a board and its localities", ADMIN, path_of("", lambda w: admin_change("board"))),
    Case("Administration: a plan and its priorities", ADMIN, path_of("", lambda w: admin_change("strategicplan"))),
    Case("Administration: add a membership", ADMIN, path_of("", lambda w: "/admin/assessments/membership/add/")),
    Case("Someone else just changed this", OFFICER, path_of("", lambda w: reverse(
        "iia:screening:execute", kwargs=w.kwargs("iia:screening:execute", ""))), "409 conflict",
        act=submit_after_someone_else),
    # two-factor sign-in, last: the officer sets up an app here, and the contributor, who has
    # one, is held at the code step (docs/two-factor.md); passkeys are offered (the live
    # server's origin is allowed), beside the app and at the code step
    Case("Two-factor sign-in: set up", OFFICER, "two_factor_set_up"),
    Case("Two-factor sign-in: set up", OFFICER, "two_factor_set_up", "a wrong code", act=wrong_app_code),
    Case("Two-factor sign-in: set up", OFFICER, "two_factor_set_up", "done: the backup codes, shown once",
         act=set_up_app),
    Case("Two-factor sign-in: backup codes", OFFICER, "two_factor_backup_codes"),
    Case("Two-factor sign-in: a new phone", OFFICER, "two_factor_set_up"),
    Case("Two-factor sign-in: enter your code", CONTRIBUTOR, "two_factor_verify", setup=has_app(CONTRIBUTOR)),
    Case("Two-factor sign-in: enter your code", CONTRIBUTOR, "two_factor_verify", "a wrong code", act=wrong_code),
    Case("Two-factor sign-in: passkeys", OFFICER, "two_factor_set_up", "a passkey beside the app, with Remove",
         setup=has_passkey(OFFICER), act=shown("Add a passkey")),
    Case("Two-factor sign-in: use your passkey or a code", CONTRIBUTOR, "two_factor_verify",
         setup=has_passkey(CONTRIBUTOR), act=shown("Use your passkey")),
]

API_PAGES = ("api:docs",)

# Named URLs that are no page of their own, with the reason (admin pages are Django's own).
EXCLUDED = {
    "assessment_new_version": "POST only: a button on the plan change page, which then shows the new version's tasks",
    "assessment_withdraw": "POST only: a button on the plan change page",
    "assessment_preview": "a PDF file (the draft preview)",
    "document_pdf": "a PDF file (the signed document)",
    "document_retry": "POST only: a button on the plan change page",
    "report_pdf": "a PDF file (the draft report)",
    "report_docx": "a Word file (a copy of the report)",
    "assessment_docx": "a Word file (a copy of the assessment's version)",
    "report_submit": "POST only: a button on the report page",
    "meeting_pack": "a PDF file (the agenda pack)",
    "meeting_pack_status": "JSON read by the meeting page's script",
    "format_request_start": "POST only: the Mark as in progress button on the request's page",
    "format_request_done": "POST only: the Mark as done form on the request's page, which shows its errors there",
    "item_decide": "POST only: the decision form on the meeting page, which shows its errors there",
    "delegation_end": "POST only: the End now button on the delegations page",
    "logout": "POST only: the sign-out button, which then shows the sign-in page",
    "sign_on_start": "single sign-on, off here: a redirect to the organisation's provider when on; the sign-in page "
                     "with its button and the refusal page are checked in tests/browser/test_sign_on.py",
    "sign_on_callback": "single sign-on, off here: the provider's redirect back, which signs in and redirects or "
                        "shows the refusal page (checked in tests/browser/test_sign_on.py)",
    "register_feed": "an Atom feed",
    "register_json": "JSON data",
    "register_csv": "a CSV file (the register)",
    "register_xlsx": "an XLSX file (the register)",
    "plan_matrix_csv": "a CSV file (the cumulative impact matrix)",
    "plan_change_list_csv": "a CSV file (the list of plan changes)",
    "plan_matrix_xlsx": "an XLSX file (the cumulative impact matrix)",
    "board_matrix_csv": "a CSV file (the cumulative impact matrix)",
    "board_matrix_xlsx": "an XLSX file (the cumulative impact matrix)",
    "plan_cumulative_pdf": "a PDF file (the plan cumulative impact document)",
    "mainstreaming_pdf": "a PDF file (the signed mainstreaming report)",
    "mainstreaming_csv": "a CSV file (the mainstreaming figures)",
    "mainstreaming_xlsx": "an XLSX file (the mainstreaming figures)",
    "iia:complete_part:assign": "nobody can claim a task assigned on creation: the 403 page of iia:screening:assign",
    "iia:actions:assign": "nobody can claim a task assigned on creation: the 403 page of iia:screening:assign",
    "iia:submit:assign": "nobody can claim a task assigned on creation: the 403 page of iia:screening:assign",
    "evidence_file_download": "a file (an evidence file, as an attachment)",
    "document_file": "a file (an evidence file listed in a signed document, as an attachment)",
    "action_progress_files": "POST only: the upload form on the progress page, which shows its errors there",
    "assessment_cite": "POST only: the Cite it form on the assessment's files page",
    "citation_remove": "POST only: a button on the assessment's files page",
    "evidence_file_remove": "POST only: a button on the assessment's files page",
    "evidence_file_publication": "POST only: the Publish or Withhold form on the assessment's files page",
    "evidence_source_retire": "POST only: a button on the evidence library page",
    "otp_webauthn:credential-registration-begin": "JSON for the passkey script of the set-up page",
    "otp_webauthn:credential-registration-complete": "JSON for the passkey script of the set-up page",
    "otp_webauthn:credential-authentication-begin": "JSON for the passkey script of the code step",
    "otp_webauthn:credential-authentication-complete": "JSON for the passkey script of the code step",
    "two_factor_passkey_added": "POST only: sent once a passkey is added; shows the backup codes page (checked once an "
                                "app is set up) or goes back to the set-up page",
    "two_factor_passkey_remove": "POST only: the Remove button on the set-up page, which then shows it with a message",
}

KEYBOARD_ONLY = "using only the Tab, Shift+Tab, Space, Enter and arrow keys and typing, with focus visible at each step"
KEYBOARD_JOURNEYS = (
    "An officer starts a plan change, completes the pre-screening and, once an equality lead has concurred, "
    "completes every part of the full assessment, records a mitigating action and submits it for review (the skip "
    f"link checked on the way), {KEYBOARD_ONLY} (tests/browser/test_keyboard.py).",
    "An equality lead claims a submitted assessment from the queue and approves it with a risk level and comments, "
    "then claims another and returns it to the officer with comments, going through the error summary when no part "
    f"is chosen, {KEYBOARD_ONLY}; axe-core finds nothing on any page on the way (tests/browser/test_keyboard_roles.py).",
    f"A senior officer claims an approved assessment from the queue and signs it off, {KEYBOARD_ONLY}; axe-core finds "
    "nothing on any page on the way (tests/browser/test_keyboard_roles.py).",
    "An IJB clerk creates a meeting, adds a waiting report to its agenda, publishes the agenda and reaches its agenda "
    f"pack, {KEYBOARD_ONLY}; axe-core finds nothing on any page on the way (tests/browser/test_keyboard_roles.py).",
)


def test_axe_finds_what_it_should(browser):
    """The check itself can fail: a page with a nameless image and an unlabelled field."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>')
    found = {v["id"] for v in axe_violations(page)}
    context.close()
    assert {"image-alt", "label"} <= found, found


def test_every_page_is_covered():
    """Every named non-admin URL is checked by a case or excluded with its reason."""
    covered = {case.url_name for case in CASES}
    # the REST API answers JSON (Schemathesis checks it against its schema, tests/api/); its
    # two documentation pages are pages and have cases
    names = {name for name, _ in urls() if not name.startswith("admin:")
             and not (name.startswith("api:") and name not in API_PAGES)}
    missing = sorted(names - covered - set(EXCLUDED))
    assert not missing, f"URL names neither in CASES nor in EXCLUDED (add a Case, one line): {missing}"
    assert not (covered & set(EXCLUDED)), "a URL name is both covered and excluded"
    stale = sorted((set(EXCLUDED) | covered) - names - {""})
    assert not stale, f"cases or exclusions for URL names that no longer exist: {stale}"


def checks_record() -> list[dict]:
    return [{"page": c.page, "role": c.role, "state": c.state, "url_name": c.url_name} for c in CASES]


def test_statement_lists_what_this_suite_checks():
    """The statement page's figures come from the suite: same cases, axe-core version and tags."""
    recorded = json.loads(RESULTS.read_text())
    if not recorded.get("checks"):
        pytest.fail(f"{RESULTS.name} is empty: run test_axe.py with IIA_WRITE_A11Y_RESULTS=1")
    assert recorded["checks"] == checks_record(), f"regenerate {RESULTS.name} (IIA_WRITE_A11Y_RESULTS=1)"
    assert recorded["axe_core"] == axe_version()
    assert recorded["tags"] == list(TAGS)
    assert recorded["excluded"] == [{"url_name": k, "reason": v} for k, v in sorted(EXCLUDED.items())]
    assert recorded["violations"] == 0
    assert recorded["keyboard"] == {"journeys": list(KEYBOARD_JOURNEYS)}


def signed_in_context(browser, base, person):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    if person is not None:
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return context


def test_axe_finds_nothing_on_any_page(live_server, browser, capsys, settings):
    started = time.monotonic()
    world = World(lambda fn, *args, **kwargs: fn(*args, **kwargs))
    routes = dict(urls())
    base = live_server.url
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]  # passkeys offered, as on a site at its own name
    contexts: dict[str, object] = {}
    failures, counts = [], {}
    only = os.environ.get("IIA_A11Y_ONLY", "")  # while working on a page: run only the cases whose page has this
    try:
        for case in CASES:
            if case.setup:  # also for the cases left out: later ones may rely on it
                case.setup(world)
            if only and only.lower() not in case.page.lower():
                continue
            # the anonymous sign-in cases each get a fresh browser: a failed attempt must not leak
            key = case.role if case.role != PUBLIC or case.act is None else f"{PUBLIC}-{id(case)}"
            if key not in contexts:
                contexts[key] = signed_in_context(browser, base, world.people[case.role])
            page = contexts[key].pages[0] if contexts[key].pages else contexts[key].new_page()
            page.set_default_timeout(15000)
            try:
                response = page.goto(base + case.path(world, routes))
                assert response.status == case.status, f"{response.status} at {page.url}, expected {case.status}"
                assert case.role == PUBLIC or "login" not in page.url, f"sent to sign in: {page.url}"
                if case.act:
                    case.act(page, world)
                violations = axe_violations(page)
            except Exception as error:  # one broken case must not hide the others' results
                failures.append(f"{case.page} as {case.role} ({case.state}): {type(error).__name__}: {error}")
                continue
            for v in violations:
                counts[v["id"]] = counts.get(v["id"], 0) + 1
            if violations:
                failures.append(f"{case.page} as {case.role} ({case.state}) at {page.url}:\n{describe(violations)}")
    finally:
        for context in contexts.values():
            context.close()
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\naxe-core {axe_version()} {','.join(TAGS)}: {len(CASES)} checks of "
              f"{len({c.page for c in CASES})} page types as {len({c.role for c in CASES})} roles in {elapsed:.0f} s; "
              f"violations by rule {dict(sorted(counts.items()))}")
    assert not failures, "axe-core found violations:\n" + "\n".join(failures)
    if os.environ.get("IIA_WRITE_A11Y_RESULTS") and not only:
        chromium = browser.version
        RESULTS.write_text(json.dumps({
            "axe_core": axe_version(),
            "tags": list(TAGS),
            "tested_on": datetime.date.today().isoformat(),
            "browser": f"Chromium {chromium} ({CHROMIUM})",
            "runtime_seconds": round(elapsed),
            "checks": checks_record(),
            "excluded": [{"url_name": k, "reason": v} for k, v in sorted(EXCLUDED.items())],
            "keyboard": {"journeys": list(KEYBOARD_JOURNEYS)},
            "violations": 0,
            # written by people, kept as they are
            **{key: json.loads(RESULTS.read_text()).get(key, default)
               for key, default in (("known_issues", []), ("manual_testing", ""))},
        }, indent=1) + "\n")
