"""Signed documents: download, accessible HTML twin, draft preview, public verification."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from assessments import rules
from assessments import selectors as assessment_selectors
from assessments.evidence_http import file_response
from assessments.models import Assessment, EvidenceFile, Role

from .. import background, services, snapshots
from ..forms import VerifyForm
from ..models import DocumentKind, SignedDocument

logger = logging.getLogger("iia.documents")


class SignInFirst(Exception):
    pass


def _visible_document(request, code) -> SignedDocument:
    """A published document (anyone), or a document of one of the user's boards."""
    document = get_object_or_404(
        SignedDocument.objects.select_related("board", "assessment__plan_change", "screening__plan_change"),
        verification_code=code,
    )
    if document.published_at is not None:
        return document
    if not request.user.is_authenticated:
        raise SignInFirst()
    if not rules.is_member(request.user, document.board_id):
        raise Http404("No such document.")
    return document


def _public_or_sign_in(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_public_or_sign_in
@require_safe
def document_pdf(request, code):
    """Exactly the stored signed bytes."""
    document = _visible_document(request, code)
    if not document.is_ready:
        raise Http404("The signed document is still being prepared.")
    record = document.assessment or document.screening
    suffix = f"-v{record.version}" if document.kind == DocumentKind.ASSESSMENT else "-screening-record"
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.plan_change.reference}{suffix}.pdf"'
    response["Content-Length"] = str(document.size)
    response["ETag"] = f'"{document.sha256}"'
    response["X-Content-SHA256"] = document.sha256
    return response


@_public_or_sign_in
@require_safe
def document_html(request, code):
    """The accessible HTML version, rendered from the snapshot stored with the signed PDF
    (``services.document_snapshot``): the same content as the PDF, whatever has changed since."""
    document = _visible_document(request, code)
    if not document.is_ready:
        return render(request, "reports/document_unavailable.html", {"document": document, "reason": "pending"})
    try:
        snap = services.document_snapshot(document)
    except services.AlteredSnapshot as error:
        logger.error("document %s: %s", document.verification_code, error)
        return render(request, "reports/document_unavailable.html", {"document": document, "reason": "altered"},
                      status=500)
    if snap is None:
        return render(request, "reports/document_unavailable.html", {"document": document, "reason": "no_snapshot"})
    _html_url, verify_url = services.public_urls(document.verification_code)
    context = {"document": document, "snap": snap, "verify_url": verify_url,
               "document_member": request.user.is_authenticated and rules.is_member(request.user, document.board_id)}
    if document.kind == DocumentKind.ASSESSMENT:
        assessment = document.assessment
        return render(request, "reports/assessment_document.html", {
            **context, "summary_facts": snapshots.summary_facts(snap), "sign_off_facts": snapshots.sign_off_facts(snap),
            # its own section, read live and labelled so: never part of what was signed
            "assessment": assessment, "monitoring": assessment_selectors.monitoring_of(assessment),
            "reviews": assessment_selectors.reviews_of(assessment),
        })
    return render(request, "reports/screening_document.html", {
        **context, "screening_facts": snapshots.screening_facts(snap),
    })


@_public_or_sign_in
@require_safe
def document_file(request, code, pk):
    """A file listed in a signed assessment (attached, or a cited library entry's): any of
    them to the board's members; to anyone else, a published file of a published document.
    A withheld file is refused to the public (the document names it with the reason)."""
    document = _visible_document(request, code)
    if document.kind != DocumentKind.ASSESSMENT:
        raise Http404("No such file.")
    record = (EvidenceFile.objects.filter(Q(assessment_id=document.assessment_id)
                                          | Q(library_entry__citations__assessment_id=document.assessment_id))
              .filter(pk=pk).first())
    if record is None:
        raise Http404("No such file.")
    member = request.user.is_authenticated and rules.is_member(request.user, document.board_id)
    if not member and not record.published:
        raise PermissionDenied(f"This file is withheld from the public: {record.withheld_reason}")
    return file_response(record)


@login_required
@require_safe
def assessment_preview(request, pk):
    """A DRAFT preview of an assessment that is not signed off (the stored file once it is)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change__board", "template"), pk=pk,
        plan_change__board_id__in=rules.board_ids(request.user),
    )
    document = SignedDocument.objects.filter(assessment=assessment).first()
    if document is not None and document.is_ready:
        return redirect("document_pdf", code=document.verification_code)
    response = HttpResponse(services.preview(assessment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{assessment.reference}-DRAFT.pdf"'
    return response


@login_required
@require_POST
def document_retry(request, code):
    document = _visible_document(request, code)
    board = document.board_id
    if not (rules.has_role(request.user, board, Role.OFFICER) or rules.has_role(request.user, board, Role.EQUALITY_LEAD)):
        raise PermissionDenied("Only the board's officers and equality leads can retry a signed document.")
    if not document.is_ready:
        background.enqueue(document.pk)
        document.refresh_from_db()
        if document.is_ready:
            messages.success(request, "The signed document is ready.")
        else:
            messages.error(request, "The signed document could not be produced yet; it will be retried.")
    return redirect("plan_change_detail", pk=document.plan_change.pk)


def verify(request):
    """Public: is a file, or a verification code, a genuine signed document of this service?"""
    result = None
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            result = services.document_verify(upload.read())
        else:
            result = services.document_by_code(form.cleaned_data["code"], user=request.user)
    return render(request, "reports/verify.html", {"form": form, "result": result})
