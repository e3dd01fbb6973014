"""Requests for a published document in another format (SSI 2012/162 reg 10;
docs/other-formats.md): recorded, sent to the board's equality leads, tracked to done."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.services import audit_record
from assessments.text import clean_line, clean_text
from workflows.working_days import working_days_after

from ..models import FormatRequest, FormatRequestStatus, OtherFormat, SignedDocument
from ..signals import format_requested


class TooManyRequests(Exception):
    """The address has made as many requests as it may in the window."""


def address_hash(address: str) -> str:
    """A keyed hash of the requester's address: enough to count their requests, not to
    recover the address."""
    return salted_hmac("iia.format-request.address", address or "", algorithm="sha256").hexdigest()


def requests_from(address: str, *, now=None) -> int:
    """Requests made from ``address`` within the window (``IIA_OTHER_FORMAT_WINDOW_HOURS``)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=settings.IIA_OTHER_FORMAT_WINDOW_HOURS)
    return FormatRequest.objects.filter(address_hash=address_hash(address), requested_at__gte=since).count()


def format_request_due(day: datetime.date) -> datetime.date:
    """When a request made on ``day`` is due: ``IIA_OTHER_FORMAT_WORKING_DAYS`` working days later."""
    return working_days_after(day, settings.IIA_OTHER_FORMAT_WORKING_DAYS)


def _audit(request: FormatRequest, by, action: str, message: str, from_state: str) -> None:
    # never the requester's name or contact details: the audit trail is kept for ever
    document = request.document
    audit_record(board=request.board_id, actor=by, action=action, plan_change=document.plan_change,
                 assessment=document.assessment, screening=document.screening, from_state=from_state,
                 to_state=request.status, message=message, data={"format_request": request.pk})


def format_request_create(*, document: SignedDocument, address: str, format: str, language: str = "",
                          name: str = "", email: str = "", phone: str = "", note: str = "") -> FormatRequest:
    """Record a request for a published document in another format; the board's equality
    leads are emailed once it commits. At most ``IIA_OTHER_FORMAT_ADDRESS_LIMIT`` requests
    from one address in the window (``TooManyRequests``)."""
    email, phone, language, name = clean_line(email), clean_line(phone), clean_line(language), clean_line(name)
    errors = {}
    if format not in OtherFormat.values:
        errors["format"] = ["Choose a format."]
    if format == OtherFormat.ANOTHER_LANGUAGE and not language:
        errors["language"] = ["Say which language you would like it in."]
    if not email and not phone:
        errors["email"] = ["Give an email address or a phone number, so that we can send it to you."]
    if errors:
        raise RuleViolation(errors)
    with transaction.atomic():
        document = SignedDocument.objects.select_for_update(of=("self",)).select_related(
            "assessment__plan_change", "screening__plan_change").get(pk=document.pk)
        if document.published_at is None:
            raise NotAllowed("Only a published document can be asked for in another format.")
        # the count and the insert under the document's lock: one address's requests for one
        # document cannot race past the limit (across documents they can by a handful at most)
        if requests_from(address) >= settings.IIA_OTHER_FORMAT_ADDRESS_LIMIT:
            raise TooManyRequests()
        request = FormatRequest.objects.create(
            board_id=document.board_id, document=document, format=format,
            language=language if format == OtherFormat.ANOTHER_LANGUAGE else "",
            name=name, email=email, phone=phone, note=clean_text(note), address_hash=address_hash(address),
            due_on=format_request_due(timezone.localdate()))
        _audit(request, None, "format_request.create",
               f"A copy in {request.format_label} was asked for (reference {request.reference}), "
               f"due {request.due_on:%d %B %Y}.", "")
        transaction.on_commit(lambda: format_requested.send(sender=FormatRequest, format_request_id=request.pk))
    return request


def _locked(request: FormatRequest, by) -> FormatRequest:
    request = FormatRequest.objects.select_for_update(of=("self",)).select_related(
        "document__assessment__plan_change", "document__screening__plan_change").get(pk=request.pk)
    if not rules.can_handle_format_requests(by, request.board_id):
        raise NotAllowed("Only an equality lead of the board can act on its requests for other formats.")
    return request


def format_request_start(*, request: FormatRequest, by) -> FormatRequest:
    """Mark a received request as in progress."""
    with transaction.atomic():
        request = _locked(request, by)
        if request.status != FormatRequestStatus.RECEIVED:
            raise RuleViolation(f"The request is {request.get_status_display().lower()} already.")
        request.start()
        request.started_at, request.started_by = timezone.now(), by
        request.save()
        _audit(request, by, "format_request.start", f"Started on request {request.reference}.",
               FormatRequestStatus.RECEIVED)
    return request


def format_request_complete(*, request: FormatRequest, by, sent_what: str, sent_on: datetime.date) -> FormatRequest:
    """Mark a request as done, with what was sent and when (not in the future, nor before
    the request)."""
    sent_what = clean_text(sent_what)
    with transaction.atomic():
        request = _locked(request, by)
        if request.status == FormatRequestStatus.DONE:
            raise RuleViolation("The request is done already.")
        errors = {}
        if not sent_what:
            errors["sent_what"] = ["Say what was sent, and how."]
        if sent_on is None:
            errors["sent_on"] = ["Give the date it was sent."]
        elif sent_on > timezone.localdate():
            errors["sent_on"] = ["The date it was sent cannot be in the future."]
        elif sent_on < timezone.localdate(request.requested_at):
            errors["sent_on"] = ["The date it was sent cannot be before the request was made."]
        if errors:
            raise RuleViolation(errors)
        before = request.status
        request.complete()
        request.sent_what, request.sent_on = sent_what, sent_on
        request.done_at, request.done_by = timezone.now(), by
        request.save()
        _audit(request, by, "format_request.complete",
               f"Sent the copy in {request.format_label} asked for in request {request.reference} "
               f"on {sent_on:%d %B %Y}.", before)
    return request


def format_requests_erase_personal_data(*, now=None) -> tuple[int, int]:
    """Erase what the requests keep about the people who made them once it is no longer
    needed: the address hash after the throttle's window, the name, contact details and
    note ``IIA_OTHER_FORMAT_KEEP_DAYS`` after the request was done. Returns how many of
    each were erased. Run daily with the reminders."""
    now = now or timezone.now()
    hashes = (FormatRequest.objects.exclude(address_hash="")
              .filter(requested_at__lt=now - datetime.timedelta(hours=settings.IIA_OTHER_FORMAT_WINDOW_HOURS))
              .update(address_hash=""))
    people = (FormatRequest.objects.filter(
        status=FormatRequestStatus.DONE, personal_data_erased_at__isnull=True,
        done_at__lt=now - datetime.timedelta(days=settings.IIA_OTHER_FORMAT_KEEP_DAYS))
        .update(name="", email="", phone="", note="", personal_data_erased_at=now))
    return hashes, people
