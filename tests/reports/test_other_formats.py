"""Other formats on request (SSI 2012/162 reg 10; docs/other-formats.md): the public asks for
a published document in another format; the request is recorded, emailed to the board's
equality leads after the commit, due a number of working days later, tracked to done, and
reminded when overdue. Attacked as an attacker would: robots, floods, odd input, markup,
other boards."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import AuditEvent, Role
from reports import services
from reports.models import FormatRequest, FormatRequestStatus, SignedDocument
from workflows.models import ReminderKind
from workflows.reminders import reminders_due, reminders_send
from workflows.working_days import working_days_after

from .helpers import signed_off

pytestmark = pytest.mark.django_db

VALID = {"format": "large_print", "name": "Morag Example", "email": "morag@example.org", "phone": "",
         "language": "", "note": "By post if possible."}


@pytest.fixture
def document(cast, committed):
    """A signed-off assessment's document, on Dundee's public register; the board's lead has
    an email address."""
    assessment = committed(signed_off, cast)
    cast.lead.email = "lead@dundee.example"
    cast.lead.save()
    SignedDocument.objects.filter(assessment=assessment).update(published_at=timezone.now())
    return SignedDocument.objects.get(assessment=assessment)


def url(document) -> str:
    return f"/register/{document.board.slug}/documents/{document.verification_code}/other-format/"


def ask(document, *, address="203.0.113.9", **changes):
    client = Client(REMOTE_ADDR=address)
    return client.post(url(document), {**VALID, **changes})


def made(document, **changes) -> FormatRequest:
    return services.format_request_create(document=document, address="198.51.100.1",
                                          **{k: v for k, v in {**VALID, **changes}.items()})


def test_a_request_is_recorded_with_its_document_and_the_leads_emailed_after_the_commit(
        document, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ask(document)
        assert mail.outbox == []  # nothing goes out before the commit
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    request = FormatRequest.objects.get()
    assert (request.document, request.board_id, request.format, request.status) == (
        document, document.board_id, "large_print", FormatRequestStatus.RECEIVED)
    assert request.due_on == working_days_after(timezone.localdate(), 10)
    (message,) = mail.outbox
    assert message.to == ["lead@dundee.example"]
    assert request.reference in message.body and "Large print" in message.subject
    assert "morag@example.org" not in message.body  # the contact details stay behind sign-in
    # the confirmation says when to expect it, and reads nothing stored
    page = Client().get(response["Location"]).content.decode()
    assert request.reference in page and f"{request.due_on:%B %Y}" in page and "Large print" in page
    event = AuditEvent.objects.get(action="format_request.create")
    assert request.reference in event.message and "Morag" not in event.message and "morag" not in str(event.data)


def test_the_register_entry_and_the_document_page_offer_another_format(document):
    board_page = Client().get("/register/dundee/").content.decode()
    assert url(document) in board_page and "Ask for this in another format" in board_page
    assert url(document) in Client().get(f"/documents/{document.verification_code}/").content.decode()
    form = Client().get(url(document))
    assert form.status_code == 200 and "British Sign Language" in form.content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "", "phone": ""}, "email", "Give an email address or a phone number"),
    ({"format": "another_language", "language": ""}, "language", "Say which language"),
    ({"format": "smoke_signals"}, "format", "Choose the format you would like from the list"),
    ({"format": ""}, "format", "Choose the format you would like."),
    ({"email": "not an address"}, "email", "Enter a valid email address"),
    ({"email": "", "phone": "12345678901234567890"}, "phone", "7 to 15 digits"),
    ({"phone": "call me maybe"}, "phone", "7 to 15 digits"),
    ({"note": "x" * 1001}, "note", "at most 1000 characters"),
    ({"name": "n" * 101}, "name", "at most 100 characters"),
    ({"language": "l" * 61, "format": "another_language"}, "language", "at most 60 characters"),
])
def test_a_wrong_request_is_refused_beside_its_field_and_nothing_is_recorded(document, changes, field, message):
    response = ask(document, **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page and f'id="field-{field}"' in page
    assert not FormatRequest.objects.exists() and mail.outbox == []


def test_a_phone_number_alone_and_another_language_are_enough(document):
    assert ask(document, email="", phone="+44 (0)1382 434000", format="another_language",
               language="Polish").status_code == 302
    request = FormatRequest.objects.get()
    assert (request.phone, request.email, request.format_label) == ("+44 (0)1382 434000", "", "Another language: Polish")


def test_markup_is_never_rendered_back(document, cast, committed):
    script = "<script>alert(1)</script>"
    page = ask(document, name=script, email="bad", note=script).content.decode()
    assert script not in page and "&lt;script&gt;" in page
    request = committed(made, document, name=script, note=script)
    client = Client()
    client.force_login(cast.lead)
    detail = client.get(f"/format-requests/{request.pk}/").content.decode()
    assert script not in detail and "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_a_robot_filling_the_hidden_field_sees_a_confirmation_and_nothing_is_recorded(document):
    response = ask(document, website="http://spam.example")
    assert response.status_code == 302 and "/other-format/sent/" in response["Location"]
    assert not FormatRequest.objects.exists() and mail.outbox == []
    assert not AuditEvent.objects.filter(action__startswith="format_request").exists()


def test_one_address_is_held_after_the_limit_and_another_is_not(document, settings):
    settings.IIA_OTHER_FORMAT_ADDRESS_LIMIT = 3
    for _ in range(3):
        assert ask(document).status_code == 302
    refused = ask(document)
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert FormatRequest.objects.count() == 3
    assert ask(document, address="203.0.113.10").status_code == 302
    # the window passes: the address may ask again
    FormatRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=25))
    assert ask(document).status_code == 302


def test_the_throttle_counts_the_client_behind_the_proxy_not_a_forged_header(document, settings):
    settings.IIA_OTHER_FORMAT_ADDRESS_LIMIT = 1
    settings.IIA_TRUSTED_PROXIES = 1
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert client.post(url(document), VALID, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7").status_code == 302
    # a different forged left-hand entry does not make a new client
    assert client.post(url(document), VALID, HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7").status_code == 429


def test_nothing_is_learnt_about_other_requests_or_unpublished_documents(document, cast, committed):
    committed(made, document)
    public = Client()
    assert public.get("/register/dundee/other-format/sent/?r=forged").status_code == 404
    assert public.get("/register/dundee/other-format/sent/").status_code == 404
    assert public.get("/format-requests/1/").status_code == 302  # sign in first, then 404 unless a lead
    assert public.get(url(document).replace("dundee", "scottish-borders")).status_code == 404
    assert public.get(url(document).replace(document.verification_code, "IIA-XXXX-XXXX-XXXX")).status_code == 404
    SignedDocument.objects.filter(pk=document.pk).update(published_at=None)
    assert public.get(url(document)).status_code == 404
    assert public.post(url(document), VALID).status_code == 404
    assert FormatRequest.objects.count() == 1


def test_the_confirmation_address_cannot_be_forged_to_say_something_else(document):
    location = ask(document)["Location"]
    token = location.split("?r=")[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(f"{urlsplit(location).path}?r={tampered}").status_code == 404


def test_other_boards_leads_and_other_roles_cannot_see_or_act(document, cast, borders, committed):
    request = committed(made, document)
    for person in (borders.lead, cast.officer, cast.clerk, cast.senior):
        client = Client()
        client.force_login(person)
        assert client.get(f"/format-requests/{request.pk}/").status_code == 404, person
        assert client.post(f"/format-requests/{request.pk}/start/").status_code == 404, person
        assert client.post(f"/format-requests/{request.pk}/done/", {
            "sent_what": "x", "sent_on": timezone.localdate().isoformat()}).status_code == 404, person
    borders_client = Client()
    borders_client.force_login(borders.lead)
    assert request.reference not in borders_client.get("/format-requests/").content.decode()
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.get("/format-requests/").status_code == 404
    with pytest.raises(NotAllowed):
        services.format_request_start(request=request, by=borders.lead)
    request = FormatRequest.objects.get(pk=request.pk)
    assert request.status == FormatRequestStatus.RECEIVED


def test_the_lead_marks_it_in_progress_then_done_with_what_was_sent_and_when(document, cast, committed):
    request = committed(made, document)
    client = Client()
    client.force_login(cast.lead)
    listing = client.get("/format-requests/").content.decode()
    assert request.reference in listing and "Overdue" not in listing
    assert "in another format.</p>" in listing and ".." not in listing.replace("../", "")
    assert client.post(f"/format-requests/{request.pk}/start/").status_code == 302
    request = FormatRequest.objects.get(pk=request.pk)
    assert (request.status, request.started_by) == (FormatRequestStatus.IN_PROGRESS, cast.lead)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(f"/format-requests/{request.pk}/done/", {"sent_what": "Large print, posted",
                                                                  "sent_on": tomorrow})
    assert refused.status_code == 400 and "cannot be in the future" in refused.content.decode()
    blank = client.post(f"/format-requests/{request.pk}/done/", {"sent_what": "", "sent_on": "99999-99-99"})
    assert blank.status_code == 400 and "Enter what was sent" in blank.content.decode()
    today = timezone.localdate()
    assert client.post(f"/format-requests/{request.pk}/done/", {
        "sent_what": "Large print (18 pt), posted", "sent_on": today.isoformat()}).status_code == 302
    request = FormatRequest.objects.get(pk=request.pk)
    assert (request.status, request.sent_on, request.sent_what, request.done_by) == (
        FormatRequestStatus.DONE, today, "Large print (18 pt), posted", cast.lead)
    assert list(AuditEvent.objects.filter(action__startswith="format_request").values_list("action", "to_state")) == [
        ("format_request.create", "received"), ("format_request.start", "in_progress"),
        ("format_request.complete", "done")]
    with pytest.raises(RuleViolation):
        services.format_request_complete(request=request, by=cast.lead, sent_what="again", sent_on=today)
    link = f'href="/format-requests/{request.pk}/"'
    assert link not in client.get("/format-requests/").content.decode()
    assert link in client.get("/format-requests/?show=done").content.decode()


def test_due_in_working_days_overdue_marked_and_reminded_once_until_done(document, cast, committed, settings):
    settings.IIA_OTHER_FORMAT_WORKING_DAYS = 5
    request = committed(made, document)
    friday = datetime.date(2026, 12, 4)
    assert services.format_request_due(friday) == datetime.date(2026, 12, 11)
    due = request.due_on
    kinds = [r.kind for r in reminders_due(today=due)]
    assert ReminderKind.FORMAT_OVERDUE not in kinds  # due today is not overdue
    after = due + datetime.timedelta(days=1)
    (reminder,) = [r for r in reminders_due(today=after) if r.kind == ReminderKind.FORMAT_OVERDUE]
    assert reminder.recipient == cast.lead and request.reference in reminder.body
    mail.outbox.clear()
    assert reminders_send(today=after)[ReminderKind.FORMAT_OVERDUE] == 1
    assert reminders_send(today=after + datetime.timedelta(days=1))[ReminderKind.FORMAT_OVERDUE] == 0
    client = Client()
    client.force_login(cast.lead)
    FormatRequest.objects.filter(pk=request.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "Overdue" in client.get("/format-requests/").content.decode()
    assert "Overdue" in client.get(f"/format-requests/{request.pk}/").content.decode()
    services.format_request_complete(request=request, by=cast.lead, sent_what="Posted", sent_on=timezone.localdate())
    assert ReminderKind.FORMAT_OVERDUE not in [r.kind for r in reminders_due(today=after + datetime.timedelta(days=30))]


def test_requesters_details_are_erased_after_the_keeping_period(document, cast, committed, settings):
    settings.IIA_OTHER_FORMAT_KEEP_DAYS = 90
    request = committed(made, document)
    services.format_request_complete(request=request, by=cast.lead, sent_what="Posted", sent_on=timezone.localdate())
    assert services.format_requests_erase_personal_data(now=timezone.now() + datetime.timedelta(days=89)) == (1, 0)
    request = FormatRequest.objects.get(pk=request.pk)
    assert request.address_hash == "" and request.email == "morag@example.org"
    assert services.format_requests_erase_personal_data(now=timezone.now() + datetime.timedelta(days=91)) == (0, 1)
    request = FormatRequest.objects.get(pk=request.pk)
    assert (request.name, request.email, request.phone, request.note) == ("", "", "", "")
    assert request.personal_data_erased_at is not None and request.sent_what == "Posted"
    client = Client()
    client.force_login(cast.lead)
    assert "Their details were erased" in client.get(f"/format-requests/{request.pk}/").content.decode()


def test_the_leads_page_link_is_in_the_header_for_equality_leads_only(document, cast):
    lead, officer = Client(), Client()
    lead.force_login(cast.lead)
    officer.force_login(cast.officer)
    assert 'href="/format-requests/"' in lead.get("/").content.decode()
    assert 'href="/format-requests/"' not in officer.get("/").content.decode()
    assert Role.EQUALITY_LEAD in {m.role for m in cast.lead.memberships.all()}


def test_the_stored_address_is_a_keyed_hash(document):
    ask(document, address="203.0.113.77")
    stored = FormatRequest.objects.get().address_hash
    assert "203.0.113.77" not in stored and re.fullmatch(r"[0-9a-f]{64}", stored)
