"""Other formats (SSI 2012/162 reg 10; docs/other-formats.md): the public's request for a
published document in another format, the equality leads' list of requests, and the Easy
Read summary written on an assessment and shown on the register."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import apply_errors
from assessments.models import Assessment, Board
from assessments.services.easy_read import easy_read_current, easy_read_write
from iia.client_address import client_address

from .. import selectors, services
from ..format_forms import EasyReadForm, FormatRequestDoneForm, FormatRequestForm
from ..models import FormatRequest, FormatRequestStatus, OtherFormat, SignedDocument
from ..models.format_requests import new_format_request_reference

SENT_SALT = "iia.format-request.sent"
SENT_MAX_AGE = 24 * 60 * 60


def _published(slug, code) -> SignedDocument:
    board = get_object_or_404(Board, slug=slug)
    return get_object_or_404(
        SignedDocument.objects.select_related("board", "assessment__plan_change", "screening__plan_change")
        .defer(*selectors.DOCUMENT_BYTES),
        board=board, verification_code=code, published_at__isnull=False)


def _sent(request, document, reference, format_label, due_on):
    # what the confirmation says travels signed in its address: the page reads nothing
    # stored, so it can tell nobody anything about any request
    token = signing.dumps({"r": reference, "f": format_label, "d": due_on.isoformat(),
                           "t": document.plan_change.title}, salt=SENT_SALT, compress=True)
    return redirect(f"{reverse('register_format_request_sent', args=[document.board.slug])}?r={token}")


@require_http_methods(["GET", "HEAD", "POST"])
def register_format_request(request, slug, code):
    """Ask for a published document in another format (no sign-in)."""
    document = _published(slug, code)
    form = FormatRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.is_robot:  # a robot gets what a person would, and nothing is recorded
            label = dict(OtherFormat.choices)[data["format"]]
            return _sent(request, document, new_format_request_reference(), label,
                         services.format_request_due(timezone.localdate()))
        try:
            made = services.format_request_create(
                document=document, address=client_address(request), format=data["format"],
                language=data["language"], name=data["name"], email=data["email"], phone=data["phone"],
                note=data["note"])
        except RuleViolation as violation:
            apply_errors(form, violation)
        except services.TooManyRequests:
            form.add_error(None, "Too many requests have been made from your connection today. Please try again "
                                 "tomorrow, or contact the board directly.")
            status = 429
        else:
            return _sent(request, document, made.reference, made.format_label, made.due_on)
    return render(request, "reports/format_request_form.html", {
        "document": document, "board": document.board, "form": form,
        "working_days": settings.IIA_OTHER_FORMAT_WORKING_DAYS, "keep_days": settings.IIA_OTHER_FORMAT_KEEP_DAYS,
    }, status=status)


@require_safe
def register_format_request_sent(request, slug):
    """The confirmation: the reference and when to expect it."""
    board = get_object_or_404(Board, slug=slug)
    try:
        sent = signing.loads(request.GET.get("r", "")[:2000], salt=SENT_SALT, max_age=SENT_MAX_AGE)
        due_on = datetime.date.fromisoformat(sent["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404("No such request.") from None
    return render(request, "reports/register_format_request_sent.html", {"board": board, "sent": sent, "due_on": due_on})


@require_safe
def register_easy_read(request, slug, code):
    """A published assessment's Easy Read summary, with any change since publication shown."""
    document = _published(slug, code)
    easy_read = selectors.easy_read_of(document)
    if easy_read is None:
        raise Http404("This document has no Easy Read summary.")
    return render(request, "reports/easy_read.html", {"document": document, "board": document.board,
                                                      "easy_read": easy_read})


# --- the equality leads' pages -----------------------------------------------------------

@login_required
@require_safe
def format_request_list(request):
    """The requests of the boards where the user is an equality lead, open ones first."""
    requests = selectors.format_requests_for(request.user)
    if not any(rules.can_handle_format_requests(request.user, b) for b in rules.board_ids(request.user)):
        raise Http404("No requests for other formats to show.")
    show_done = request.GET.get("show") == "done"
    requests = requests.filter(status=FormatRequestStatus.DONE).order_by("-done_at", "-pk")[:200] if show_done \
        else requests.exclude(status=FormatRequestStatus.DONE).order_by("due_on", "pk")[:500]
    return render(request, "reports/format_request_list.html", {
        "requests": requests, "show_done": show_done, "today": timezone.localdate()})


def _request(request, pk) -> FormatRequest:
    try:
        return selectors.format_requests_for(request.user).get(pk=pk)
    except FormatRequest.DoesNotExist:
        raise Http404("No such request.") from None


@login_required
@require_safe
def format_request_detail(request, pk):
    made = _request(request, pk)
    return render(request, "reports/format_request_detail.html", {
        "made": made, "today": timezone.localdate(), "done_form": FormatRequestDoneForm(
            initial={"sent_on": timezone.localdate()})})


@login_required
@require_POST
def format_request_start(request, pk):
    made = _request(request, pk)
    try:
        services.format_request_start(request=made, by=request.user)
    except (RuleViolation, NotAllowed) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Request {made.reference} is in progress.")
    return redirect("format_request_detail", pk=made.pk)


@login_required
@require_POST
def format_request_done(request, pk):
    made = _request(request, pk)
    form = FormatRequestDoneForm(request.POST)
    if form.is_valid():
        try:
            services.format_request_complete(request=made, by=request.user, **form.cleaned_data)
        except RuleViolation as violation:
            apply_errors(form, violation)
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Request {made.reference} is done.")
            return redirect("format_request_detail", pk=made.pk)
    return render(request, "reports/format_request_detail.html", {
        "made": made, "today": timezone.localdate(), "done_form": form}, status=400)


# --- writing the Easy Read summary -------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def easy_read_edit(request, pk):
    """Write (or change) an assessment's Easy Read summary: its board's officers and equality leads."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change__board"), pk=pk,
        plan_change__board_id__in=rules.board_ids(request.user))
    if not rules.can_write_easy_read(request.user, assessment):
        raise Http404("No Easy Read summary to write here.")
    current = easy_read_current(assessment)
    document = SignedDocument.objects.filter(assessment=assessment).defer(*selectors.DOCUMENT_BYTES).first()
    form = EasyReadForm(request.POST if request.method == "POST" else None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            easy_read_write(assessment=assessment, by=request.user, text=form.cleaned_data["text"])
        except RuleViolation as violation:
            apply_errors(form, violation)
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The Easy Read summary is saved.")
            return redirect("plan_change_detail", pk=assessment.plan_change_id)
    return render(request, "reports/easy_read_form.html", {
        "assessment": assessment, "form": form, "current": current,
        "published": document is not None and document.published_at is not None,
    }, status=400 if form.errors else 200)
