"""Issue 20 item 4: a decision under delegated authority (the Chief Officer's) publishes its
signed assessment or screening record on the register with the decision beside it, with no
meeting, within the board's publication period (reg 5 of SSI 2012/162)."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent, Board
from reports import services
from reports.mainstreaming import mainstreaming_figures
from reports.models import DelegatedDecision, ImmutableDecision, SignedDocument
from tests import factories as f

from .helpers import signed_off
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db

AUTHORITY = "Scheme of Delegation, paragraph 4.2"
DECISION = "To proceed with the change from next month."
TODAY = datetime.date.today


@pytest.fixture
def document(cast, committed):
    assessment = committed(signed_off, cast)
    return SignedDocument.objects.get(assessment=assessment)


def record(document, by, **given):
    fields = {"authority": AUTHORITY, "decision": DECISION, "decided_on": TODAY(), **given}
    return services.delegated_decision_record(document=document, by=by, **fields)


def violation(document, by, **given) -> dict:
    with pytest.raises(RuleViolation) as raised:
        record(document, by, **given)
    return raised.value.errors


def signed_days_ago(document, days):
    SignedDocument.objects.filter(pk=document.pk).update(signed_at=timezone.now() - datetime.timedelta(days=days))
    document.refresh_from_db()


def test_a_senior_officer_records_a_decision_and_the_document_is_published_with_it(cast, document):
    assert document.published_at is None
    decision = record(document, cast.senior)
    document.refresh_from_db()
    assert document.published_at == decision.published_at
    days = Board.objects.get(slug="dundee").results_publication_days
    assert decision.publication_due == TODAY() + datetime.timedelta(days=days)
    assert decision.decider_role == "Chief Officer" and decision.days_late == 0
    assert decision.plan_change_title == document.plan_change.title
    event = AuditEvent.objects.get(action="delegated_decision.record")
    assert event.actor_id == cast.senior.pk and event.data["document"] == document.verification_code


def test_the_register_shows_the_delegated_decision_to_the_public(cast, document):
    decision = record(document, cast.senior)
    public = Client()
    page = public.get("/register/dundee/").content.decode()
    assert "Delegated decision" in page and f"/register/dundee/decisions/{decision.pk}/" in page
    assert "No meeting: decided on" in page
    detail = public.get(f"/register/dundee/decisions/{decision.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert DECISION in text and AUTHORITY in text and "Chief Officer" in text and document.verification_code in text
    items = json.loads(public.get("/register/dundee/register.json").content)["items"]
    assert items[0]["delegated_decision"]["decided_on"] == TODAY().isoformat()
    assert items[0]["published_with"] == []
    csv_text = public.get("/register/dundee/register.csv").content.decode("utf-8-sig")
    assert "Delegated decision" in csv_text.splitlines()[0] and AUTHORITY in csv_text
    # the document itself is now public
    assert public.get(f"/documents/{document.verification_code}/").status_code == 200


def test_what_is_published_does_not_change_afterwards(cast, document):
    decision = record(document, cast.senior)
    title = decision.plan_change_title
    document.plan_change.__class__.objects.filter(pk=document.plan_change.pk).update(title="Renamed later")
    decision.decision = "Something else."
    with pytest.raises(ImmutableDecision):
        decision.save()
    page = Client().get(f"/register/dundee/decisions/{decision.pk}/").content.decode()
    assert title in page and DECISION in page and "Renamed later" not in page and "Something else." not in page


def test_a_decision_is_not_dated_in_the_future(cast, document):
    errors = violation(document, cast.senior, decided_on=TODAY() + datetime.timedelta(days=1))
    assert errors == {"decided_on": ["The decision cannot be dated in the future: give the date it was taken."]}
    assert SignedDocument.objects.get(pk=document.pk).published_at is None


def test_a_decision_is_not_dated_before_the_document_was_signed(cast, document):
    signed_days_ago(document, 3)
    signed = timezone.localdate(document.signed_at)
    errors = violation(document, cast.senior, decided_on=signed - datetime.timedelta(days=1))
    assert errors == {"decided_on": [
        f"The decision cannot be dated before the document was signed, on {signed:%-d %B %Y}."]}
    assert record(document, cast.senior, decided_on=signed).decided_on == signed


def test_the_authority_the_decision_and_its_date_are_asked_for(cast, document):
    errors = violation(document, cast.senior, authority="  ", decision="", decided_on=None)
    assert errors == {
        "authority": ["Say which delegated authority the decision was taken under."],
        "decision": ["Say what was decided."],
        "decided_on": ["Enter the date of the decision."],
    }


def test_a_blank_of_invisible_characters_is_not_an_authority_or_a_decision(cast, document):
    errors = violation(document, cast.senior, authority=" \u200b ", decision="\u200b\ufeff")
    assert set(errors) == {"authority", "decision"}
    assert not DelegatedDecision.objects.exists()


def test_later_than_the_boards_period_it_is_published_only_with_a_reason(cast, document):
    Board.objects.filter(slug="dundee").update(results_publication_days=7)
    signed_days_ago(document, 30)
    decided = TODAY() - datetime.timedelta(days=10)
    due = decided + datetime.timedelta(days=7)
    errors = violation(document, cast.senior, decided_on=decided)
    assert errors == {"late_reason": [
        f"The results of this decision were due on the register by {due:%-d %B %Y}, 7 days after it: "
        "say why they are published late."]}
    decision = record(document, cast.senior, decided_on=decided, late_reason="The officer was on leave.")
    assert decision.days_late == 3 and decision.late_reason == "The officer was on leave."
    page = Client().get(f"/register/dundee/decisions/{decision.pk}/").content.decode()
    assert "3 days after its publication date" in page and "The officer was on leave." in page


def test_a_decision_is_recorded_once_per_document(cast, document):
    record(document, cast.senior)
    errors = violation(document, cast.senior)
    assert errors == {"__all__": ["A decision under delegated authority is already recorded for this document."]}
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        first = DelegatedDecision.objects.get()
        DelegatedDecision.objects.create(**{
            field.attname: getattr(first, field.attname) for field in DelegatedDecision._meta.concrete_fields
            if field.name not in ("id", "created_at")})
    assert DelegatedDecision.objects.count() == 1


def test_a_document_on_an_agenda_is_decided_at_the_meeting(cast, document):
    services.agenda_add_report(meeting=meeting(cast), report=report_for(cast, document.plan_change), by=cast.clerk)
    errors = violation(document, cast.senior)
    assert errors == {"__all__": ["This document is on a meeting's agenda: the board decides on it there."]}
    assert not DelegatedDecision.objects.exists()


@pytest.mark.parametrize("who", ["officer", "lead", "clerk"])
def test_only_a_senior_officer_of_the_board_records_one(cast, document, who):
    with pytest.raises(NotAllowed):
        record(document, getattr(cast, who))
    response = Client()
    response.force_login(getattr(cast, who))
    url = f"/documents/{document.verification_code}/delegated-decision/"
    assert response.get(url).status_code == 403
    assert response.post(url, {"authority": AUTHORITY, "decision": DECISION,
                               "decided_on": TODAY().isoformat()}).status_code == 403
    assert not DelegatedDecision.objects.exists()


def test_another_boards_members_get_404(document, borders):
    client = Client()
    client.force_login(borders.senior)
    url = f"/documents/{document.verification_code}/delegated-decision/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"authority": AUTHORITY, "decision": DECISION,
                             "decided_on": TODAY().isoformat()}).status_code == 404
    with pytest.raises(NotAllowed):
        record(document, borders.senior)


def test_the_page_records_the_decision_and_shows_the_errors_beside_their_fields(cast, document):
    client = Client()
    client.force_login(cast.senior)
    plan_change_page = client.get(f"/plan-changes/{document.plan_change.pk}/").content.decode()
    url = f"/documents/{document.verification_code}/delegated-decision/"
    assert url in plan_change_page
    assert client.get(url).status_code == 200
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    page = client.post(url, {"authority": AUTHORITY, "decision": DECISION, "decided_on": tomorrow})
    assert page.status_code == 200
    assert "The decision cannot be dated in the future" in page.content.decode()
    response = client.post(url, {"authority": AUTHORITY, "decision": DECISION, "decided_on": TODAY().isoformat()})
    decision = DelegatedDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/register/dundee/decisions/{decision.pk}/"
    assert "No decision can be recorded on this document" in client.get(url).content.decode()


@pytest.mark.parametrize("given, field, message", [
    ({"decided_on": "99999999999999999999-01-01"}, "decided_on", "as a real date"),
    ({"decided_on": "2027-02-30"}, "decided_on", "as a real date"),
    ({"authority": "x" * 301}, "authority", "at most 300 characters"),
    ({"decision": "y" * 20_001}, "decision", "at most 20000 characters"),
])
def test_strange_input_gets_a_clear_error_never_a_500(cast, document, given, field, message):
    client = Client()
    client.force_login(cast.senior)
    data = {"authority": AUTHORITY, "decision": DECISION, "decided_on": TODAY().isoformat(), **given}
    response = client.post(f"/documents/{document.verification_code}/delegated-decision/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not DelegatedDecision.objects.exists()


def test_an_unknown_decision_or_another_boards_decision_is_not_found(cast, document):
    decision = record(document, cast.senior)
    assert Client().get(f"/register/scottish-borders/decisions/{decision.pk}/").status_code == 404
    assert Client().get("/register/dundee/decisions/99999999999999999999/").status_code == 404


def test_the_boards_period_is_bounded():
    board = Board.objects.get(slug="dundee")
    for days, allowed in ((0, False), (1, True), (14, True), (90, True), (91, False), (365, False)):
        board.results_publication_days = days
        if allowed:
            board.full_clean()
        else:
            with pytest.raises(ValidationError) as error:
                board.full_clean()
            assert list(error.value.message_dict) == ["results_publication_days"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.filter(slug="dundee").update(results_publication_days=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.filter(slug="dundee").update(results_publication_days=91)
    assert Board._meta.get_field("results_publication_days").default == 14


def test_the_board_admin_edits_the_period_within_its_bounds():
    board = Board.objects.get(slug="dundee")
    root = get_user_model().objects.create_superuser("root", "root@example.org", f.PASSWORD)
    client = Client()
    client.force_login(root)
    url = f"/admin/assessments/board/{board.pk}/change/"
    assert 'name="results_publication_days"' in client.get(url).content.decode()
    data = {"slug": board.slug, "name": board.name, "short_name": board.short_name,
            "reference_prefix": board.reference_prefix, "constituent_authorities": board.constituent_authorities}
    for prefix in ("localities", "locality_planning_groups"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    for refused in ("0", "91", "-3", "1e9"):
        page = client.post(url, {**data, "results_publication_days": refused})
        assert page.status_code == 200 and 'id="id_results_publication_days"' in page.content.decode()
    assert Board.objects.get(pk=board.pk).results_publication_days == 14
    assert client.post(url, {**data, "results_publication_days": "30"}).status_code == 302
    assert Board.objects.get(pk=board.pk).results_publication_days == 30


def test_one_period_sets_a_decisions_due_date_and_the_mainstreaming_reports_on_time(cast, document):
    Board.objects.filter(slug="dundee").update(results_publication_days=30)
    decision = record(document, cast.senior)
    assert decision.publication_due == TODAY() + datetime.timedelta(days=30)
    today = TODAY()
    figures = mainstreaming_figures(board=Board.objects.get(slug="dundee"), start=today, end=today)
    on_time = next(figure for group in figures.groups for figure in group.figures
                   if figure.label == "Results published on time")
    assert "set 30 days" in on_time.definition


def test_the_clerks_home_shows_signed_documents_not_yet_published_and_which_are_overdue(cast, document):
    client = Client()
    client.force_login(cast.clerk)
    days = Board.objects.get(slug="dundee").results_publication_days
    due = TODAY() + datetime.timedelta(days=days)
    page = client.get("/").content.decode()
    assert "Signed, not yet published (1)" in page and document.plan_change.title in page
    assert f"{days} days left" in page and "Overdue" not in page
    signed_days_ago(document, days + 2)
    page = client.get("/").content.decode()
    assert "Overdue" in page and f"was due {due - datetime.timedelta(days=days + 2):%-d %B %Y}" in page
    # a report on its way to a meeting takes it off the list; so does a decision under delegated authority
    report = report_for(cast, document.plan_change)
    assert "Signed, not yet published (" not in client.get("/").content.decode()
    services.agenda_add_report(meeting=meeting(cast), report=report, by=cast.clerk)
    assert "Signed, not yet published (" not in client.get("/").content.decode()


def test_a_decision_takes_the_document_off_the_clerks_list(cast, document):
    client = Client()
    client.force_login(cast.clerk)
    assert "Signed, not yet published (1)" in client.get("/").content.decode()
    record(document, cast.senior, decided_on=timezone.localdate(document.signed_at),
           late_reason="Recorded late.")
    page = client.get("/").content.decode()
    assert "Signed, not yet published (" not in page and "Every signed assessment and screening record" in page
