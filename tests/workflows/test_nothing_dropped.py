"""Nothing a person types is dropped: every task form, driven through its page as the person
who uses it, with a distinct marker in each free-text field; each marker is then found
where a reader expects it (the database, the plan change page and its history, the signed
PDF and its HTML version, the report, meeting and delegation pages)."""

import datetime
import html
import io
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import AuditEvent, PlanChange
from assessments.text import long_date
from reports.models import AgendaItem, Committee, Meeting, Report, SignedDocument
from tests import factories as f
from workflows.flows import IIAFlow

from .http import claim_and_open, client_for, execute_url, part_tasks, revision

pytestmark = pytest.mark.django_db

NEGATIVE_MITIGATED, NEGATIVE_JUSTIFIED = "PC.AGE", "PC.RACE"


@dataclass
class Marker:
    value: str
    form: str
    field: str
    places: tuple[str, ...]


@dataclass
class Markers:
    """Distinct marker strings, each with the form and field it was typed into and the
    places it must be found."""

    all: list[Marker] = field(default_factory=list)

    def __call__(self, form: str, name: str, *places: str) -> str:
        marker = Marker(f"zq{len(self.all) + 1:03d}", form, name, places)
        self.all.append(marker)
        return marker.value

    def forms(self) -> set[str]:
        return {m.form for m in self.all}


def text(response) -> str:
    """A page's text as a reader gets it (tags dropped, entities read, spaces squashed)."""
    body = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def stored_text(exclude=(AuditEvent,)) -> str:
    """Every text a model of the product stores (not the signed files' bytes), outside the
    audit trail unless asked."""
    found = []
    for model in apps.get_models():
        if model in exclude or model._meta.app_label not in ("assessments", "reports", "workflows"):
            continue
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for row in model.objects.values_list(*names):
            found.extend(str(value) for value in row)
    return "\n".join(found)


class Scenario:
    """One board's people working through every task form, over HTTP."""

    def __init__(self, cast, capture):
        self.cast, self.capture, self.mark = cast, capture, Markers()
        self.clients = {name: client_for(getattr(cast, name)) for name in ("officer", "officer2", "lead", "senior",
                                                                           "clerk")}

    def post(self, who: str, url: str, data: dict, status=302):
        """POST as ``who``; whatever the request deferred to after its commit (signed
        documents, agenda packs, emails) runs before the next step."""
        with self.capture(execute=True):
            response = self.clients[who].post(url, data)
        assert response.status_code == status, (url, response.status_code, response.content.decode()[:3000])
        return response

    # --- the plan change and its pre-screening ----------------------------------------------

    def start(self, title: str) -> PlanChange:
        plan = f.plan()
        self.post("officer", "/plan-changes/new/dundee/", {
            "plan": plan.pk, "title": title, "description": "What changes.", "change_type": "service_redesign",
            "is_revision": "false", "priorities": [plan.priorities.first().pk], "lead_officer": self.cast.officer.pk,
            "director": self.cast.senior.pk,
        })
        return PlanChange.objects.get(title=title)

    def screening(self, plan_change, answers: dict, places: tuple[str, ...]) -> dict:
        """The screening form with a marker in each question's comment and the explanation."""
        m = self.mark
        data = {"action": "complete", "officer_reason": m("screening", "officer_reason", *places)}
        for code, answer in answers.items():
            data[f"q_{code}"] = answer
            data[f"c_{code}"] = m("screening", f"c_{code} (comment)", *places)
        return data

    def screen(self, plan_change, answers: dict, places: tuple[str, ...], *, history: str, then_return: bool):
        data = self.screening(plan_change, answers, places)
        self.post("officer", claim_and_open(self.clients["officer"], plan_change, IIAFlow.screening), data)
        if then_return:  # returned once: the reason stays in the history
            url = claim_and_open(self.clients["lead"], plan_change, IIAFlow.review_screening)
            self.post("lead", url, {"decision": "return",
                                    "comments": self.mark("screening review", "comments (return)", "audit", history)})
            self.post("officer", claim_and_open(self.clients["officer"], plan_change, IIAFlow.screening), data)
        url = claim_and_open(self.clients["lead"], plan_change, IIAFlow.review_screening)
        self.post("lead", url, {"decision": "concur",
                                "comments": self.mark("screening review", "comments (concur)", *places, history)})

    # --- the assessment's parts -------------------------------------------------------------

    def parts(self, plan_change):
        assessment = f.current(plan_change)
        for code, task in part_tasks(plan_change, IIAFlow.complete_part).items():
            if code == "evidence":
                self.evidence(plan_change)
                continue
            section = assessment.template.sections.get(code=code)
            data = {"action": "complete", "revision": str(revision(plan_change, code))}
            for row in section.rows.all():
                rating = {NEGATIVE_MITIGATED: "negative", NEGATIVE_JUSTIFIED: "negative"}.get(row.code, "no_impact")
                data[f"r{row.pk}"] = [rating]
                data[f"x{row.pk}"] = self.mark("section", f"x{row.code} (explanation)", *SIGNED)
            for question in section.questions.all():
                data[f"q{question.pk}"] = question.choices[0] if question.kind == "choice" else self.mark(
                    "section", f"q {question.code} (answer)", *SIGNED)
            self.post("officer", execute_url(task), data)

    def evidence(self, plan_change):
        """The evidence part (the same text each time it is reopened)."""
        if self.typed_evidence is None:
            self.typed_evidence = {name: self.mark("evidence", name, *SIGNED) for name in ("evidence", "consultation")}
        url = claim_and_open(self.clients["officer"], plan_change, IIAFlow.complete_part)
        self.post("officer", url, {"action": "complete", "revision": str(revision(plan_change, "evidence")),
                                   **self.typed_evidence})

    typed_evidence = None
    typed_action = None

    def actions(self, plan_change):
        """The actions part: one mitigating action, one justified negative rating, the review
        date (the same each time it is reopened)."""
        assessment = f.current(plan_change)
        mitigated = f.row(assessment, NEGATIVE_MITIGATED)
        justified = f.row(assessment, NEGATIVE_JUSTIFIED)
        if self.typed_action is None:
            self.typed_action = {
                "kind": "mitigation", "description": self.mark("actions", "act-0-description", *SIGNED),
                "owner": self.mark("actions", "act-0-owner", *SIGNED), "due_date": "2099-06-30",
                "status": "in_progress", "rows": [str(mitigated.pk)]}
            self.justification = self.mark("actions", f"j{NEGATIVE_JUSTIFIED} (justification)", *SIGNED)
        existing = list(assessment.actions.values_list("pk", flat=True))
        data = {"action": "complete", "revision": str(revision(plan_change, "actions")), "review_date": REVIEW_BY.isoformat(),
                "act-TOTAL_FORMS": "1", "act-INITIAL_FORMS": str(len(existing)), "act-MIN_NUM_FORMS": "0",
                "act-MAX_NUM_FORMS": "1000", f"j{justified.pk}": self.justification}
        data.update({f"act-0-{key}": value for key, value in self.typed_action.items()})
        if existing:
            data["act-0-id"] = str(existing[0])
        self.post("officer", claim_and_open(self.clients["officer"], plan_change, IIAFlow.actions), data)

    def submit(self, plan_change):
        self.post("officer", claim_and_open(self.clients["officer"], plan_change, IIAFlow.submit), {})

    def redo(self, plan_change):
        """After a return of the evidence: the officer completes it and the actions again, unchanged."""
        self.evidence(plan_change)
        self.actions(plan_change)
        self.submit(plan_change)


# where a marker of the signed assessment's content must be found
SIGNED = ("data", "page", "pdf", "html")
# the review dates typed (a review date may be at most three years away)
REVIEW_BY = datetime.date.today() + datetime.timedelta(days=400)
DIRECTION_REVIEW = datetime.date.today() + datetime.timedelta(days=500)


def test_every_task_form_keeps_what_was_typed(cast, django_capture_on_commit_callbacks):
    s = Scenario(cast, django_capture_on_commit_callbacks)
    m = s.mark
    lead, senior = "lead", "senior"

    # A: a full IIA, returned by the equality lead and by the senior officer, then signed off
    a = s.start("Evening service review")
    s.screen(a, dict(f.FULL_ANSWERS), ("data", "page"), history="history", then_return=True)
    s.parts(a)
    s.actions(a)
    s.submit(a)
    url = claim_and_open(s.clients[lead], a, IIAFlow.review)
    s.post(lead, url, {"decision": "return", "parts": ["evidence"],
                       "comments": m("review", "comments (return)", "audit", "history")})
    s.redo(a)
    url = claim_and_open(s.clients[lead], a, IIAFlow.review)
    s.post(lead, url, {"decision": "approve", "risk_level": "medium",
                       "comments": m("review", "comments (approve, later returned)", "audit", "history")})
    url = claim_and_open(s.clients[senior], a, IIAFlow.sign_off)
    s.post(senior, url, {"decision": "return", "parts": ["evidence"],
                         "comments": m("sign-off", "comments (return)", "data", "history")})
    s.redo(a)
    url = claim_and_open(s.clients[lead], a, IIAFlow.review)
    s.post(lead, url, {"decision": "approve", "risk_level": "high",
                       "comments": m("review", "comments (approve)", *SIGNED, "history")})
    url = claim_and_open(s.clients[senior], a, IIAFlow.sign_off)
    s.post(senior, url, {"decision": "sign_off", "comments": m("sign-off", "comments (sign off)", *SIGNED, "history")})
    v1 = f.current(a)
    assert v1.state == "signed_off"

    # progress on its mitigating action after sign-off (monitoring since signing: the plan
    # change page and the published record's own section), by its officer and by the lead
    action = v1.actions.order_by("position", "pk").first()
    s.post("officer", f"/actions/{action.pk}/progress/", {
        "status": "in_progress", "note": m("progress", "note", "data", "page", "history", "html")})
    s.post(lead, f"/actions/{action.pk}/progress/", {
        "status": "done", "done_on": timezone.localdate().isoformat(),
        "note": m("progress", "note (done)", "data", "page", "history", "html"),
        "evidence": m("progress", "evidence", "data", "page", "html")})

    # the signed version is reviewed (the actual impact of each row rated negative), confirmed,
    # then found to need updating; that version is withdrawn and another started from the plan
    # change page; comments on it
    negatives = list(v1.ratings.filter(negative=True).values_list("row_id", flat=True))

    def impacts(form_name):
        return {key: value for row in negatives for key, value in (
            (f"impact-{row}-actual", "worse"),
            (f"impact-{row}-evidence", m(form_name, f"impact evidence ({row})", "data", "page", "html")))}

    s.post(lead, f"/assessments/{v1.pk}/review/", {
        "outcome": "confirmed", "note": m("review confirm", "note", "data", "page", "history"),
        "next_review_date": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        **impacts("review confirm")})
    s.post("officer", f"/assessments/{v1.pk}/review/", {
        "outcome": "new_version", "note": m("review new version", "note", "data", "page", "history"),
        **impacts("review new version")})
    v2 = f.current(a)
    assert v2.version == 2
    s.post("officer", f"/assessments/{v2.pk}/withdraw/", {"reason": m("withdraw", "reason", "audit", "history")})
    s.post("officer", f"/assessments/{v1.pk}/new-version/", {"reason": m("new version", "reason", "audit", "history")})
    v3 = f.current(a)
    assert v3.version == 3
    for part in ("evidence", "screening"):
        s.post("officer", f"/plan-changes/{a.pk}/comments/", {
            "part": part, "text": m("comment", f"text ({part})", "data", "comments")})

    # B: screened out (its signed screening record), with an IJB report on a meeting's agenda
    b = s.start("Annual performance report")
    s.screen(b, {**f.FULL_ANSWERS, "asks_agreement": "no"}, ("data", "page", "screening_pdf", "screening_html"),
             history="history_b", then_return=False)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    direction_places = ("data", "report", "report_pdf", "register_report")
    report = {name: m("report", name, *direction_places, *(("meeting", "register_meeting") if name == "title" else ()))
              for name in (
        "title", "report_by", "purpose", "recommendations", "financial_implications", "main_text",
        "risk_assessment", "consultations", "background_papers")}
    s.post("officer", f"/plan-changes/{b.pk}/reports/new/", {
        **report, "committee": committee.pk, "decision_sought": "note", "direction_to": "council",
        "dir-TOTAL_FORMS": "1", "dir-INITIAL_FORMS": "0", "dir-MIN_NUM_FORMS": "0", "dir-MAX_NUM_FORMS": "1000",
        "dir-0-recipients": "council", "dir-0-review_date": DIRECTION_REVIEW.isoformat(),
        **{f"dir-0-{name}": m("direction", name, *direction_places)
           for name in ("functions", "budget", "text")},
    })
    the_report = Report.objects.get(plan_change=b)
    s.post("officer", f"/reports/{the_report.pk}/submit/", {})
    s.post("clerk", "/meetings/new/", {
        "committee": committee.pk, "date": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
        "time": "18:45", "venue": m("meeting", "venue", "data", "meeting", "register_meeting")})
    meeting = Meeting.objects.get(committee=committee)
    s.post("clerk", f"/meetings/{meeting.pk}/", {"action": "add", "report": the_report.pk})
    s.post("clerk", f"/meetings/{meeting.pk}/", {"action": "publish"})
    # decisions are recorded once the meeting has started
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    item = AgendaItem.objects.get(report=the_report)
    s.post("clerk", f"/agenda-items/{item.pk}/decision/", {
        f"d{item.pk}-decision": "agreed",
        f"d{item.pk}-text": m("decision", "text", "data", "meeting", "register_meeting", "register_report", "report",
                              "history_b")})

    # a delegation, with its reason
    s.post("officer", "/delegations/", {
        "role": f"{f.board().pk}:officer", "delegate": cast.officer2.pk,
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "reason": m("delegation", "reason", "data", "audit", "delegations", "delegations_received")})

    # --- where each marker must be found ------------------------------------------------------
    document = SignedDocument.objects.get(assessment=v1)
    record = SignedDocument.objects.get(screening__plan_change=b)
    officer, clerk = s.clients["officer"], s.clients["clerk"]
    places = {
        "data": stored_text(),
        "audit": "\n".join(AuditEvent.objects.values_list("message", flat=True)),
        "page": text(officer.get(f"/plan-changes/{a.pk}/?version=1")) + text(officer.get(f"/plan-changes/{b.pk}/")),
        "history": text(officer.get(f"/plan-changes/{a.pk}/")).split("History of this plan change", 1)[1],
        "history_b": text(officer.get(f"/plan-changes/{b.pk}/")).split("History of this plan change", 1)[1],
        "comments": text(officer.get(f"/plan-changes/{a.pk}/")),
        "pdf": pdf_text(bytes(document.pdf)),
        "html": text(officer.get(f"/documents/{document.verification_code}/")),
        "screening_pdf": pdf_text(bytes(record.pdf)),
        "screening_html": text(officer.get(f"/documents/{record.verification_code}/")),
        "report": text(officer.get(f"/reports/{the_report.pk}/")),
        "report_pdf": pdf_text(officer.get(f"/reports/{the_report.pk}/pdf/").content),
        "register_report": text(Client().get(f"/register/dundee/reports/{Report.objects.get(pk=the_report.pk).number}/")),
        "meeting": text(clerk.get(f"/meetings/{meeting.pk}/")),
        "register_meeting": text(Client().get(f"/register/dundee/meetings/{meeting.pk}/")),
        "delegations": text(officer.get("/delegations/")),
        "delegations_received": text(s.clients["officer2"].get("/delegations/")),
    }
    assert not places["html"].startswith("There is a problem")
    places = {name: found.lower() for name, found in places.items()}  # a report's "REPORT BY" is in capitals
    missing = [f"{marker.form} › {marker.field} ({marker.value}): not in {place}"
               for marker in s.mark.all for place in marker.places if marker.value not in places[place]]
    # the fields that are not free text, by what they show
    next_review = timezone.localdate() + datetime.timedelta(days=200)
    values = [
        ("review › risk level", "risk level high", ("page",)), ("review › risk level", "risk level high", ("html",)),
        ("actions › due date", "30 june 2099", ("pdf", "html")), ("actions › status", "in progress", ("page",)),
        ("actions › rows", "age", ("pdf", "html")),
        ("actions › review date, as signed", f"reviewed by {long_date(REVIEW_BY)}".lower(), ("pdf", "html")),
        ("review confirm › next review date", f"review date {next_review.day} {next_review:%B %Y}".lower(), ("page",)),
        ("meeting › time", "18:45", ("meeting", "register_meeting")),
        ("direction › review date", long_date(DIRECTION_REVIEW).lower(), ("report", "report_pdf", "register_report")),
        ("decision › decision", "agreed", ("meeting", "register_meeting", "register_report")),
        ("delegation › until", f"{timezone.localdate() + datetime.timedelta(days=7):%-d %B %Y}".lower(),
         ("delegations", "delegations_received")),
    ]
    missing += [f"{name} ({value!r}): not in {place}" for name, value, where in values for place in where
                if value not in places[place]]
    assert not missing, "\n".join(missing)
    forms = s.mark.forms()
    assert forms == {"screening", "screening review", "section", "evidence", "actions", "review", "sign-off",
                     "progress", "review confirm", "review new version", "withdraw", "new version", "comment", "report",
                     "direction", "meeting", "decision", "delegation"}
    print(f"\n{len(forms)} task forms, {len(s.mark.all)} markers in {len({(m.form, m.field) for m in s.mark.all})} "
          f"free-text fields, {sum(len(m.places) for m in s.mark.all)} places checked; {len(values)} other fields")
