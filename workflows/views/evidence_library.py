"""A board's evidence library (files and links its equality leads keep: SIMD and locality
profiles, surveys) and the citations of its entries from the board's assessments. Thin
pages over ``assessments.services.evidence``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments import rules
from assessments import selectors as assessment_selectors
from assessments.evidence_http import evidence_upload
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import CitationForm, EvidenceSourceForm, apply_errors
from assessments.models import Board, EvidenceCitation, EvidenceSource
from assessments.services import evidence as services

from .evidence import _assessment


def _board(request, slug) -> Board:
    try:
        return assessment_selectors.boards_for(request.user).get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None


@evidence_upload
@login_required
@require_http_methods(["GET", "POST"])
def evidence_library(request, slug):
    """The board's library, for its members; its equality leads add entries."""
    board = _board(request, slug)
    can_manage = rules.can_manage_evidence_library(request.user, board)
    form = EvidenceSourceForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only the board's equality leads manage its evidence library.")
        form = EvidenceSourceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                source = services.evidence_source_add(by=request.user, board=board, title=data["title"],
                                                      description=data["description"], url=data["url"],
                                                      upload=data["file"])
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except RuleViolation as violation:
                apply_errors(form, violation)
            else:
                messages.success(request, f"“{source.title}” is in the evidence library.")
                return redirect("evidence_library", slug=board.slug)
    return render(request, "workflows/evidence_library.html", {
        "board": board, "form": form, "can_manage": can_manage,
        "entries": assessment_selectors.evidence_library_of(board.pk),
    })


@login_required
@require_POST
def evidence_source_retire(request, pk):
    source = get_object_or_404(EvidenceSource.objects.select_related("board"), pk=pk,
                               board_id__in=rules.board_ids(request.user))
    try:
        services.evidence_source_retire(by=request.user, source=source)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"“{source.title}” is retired: it is offered to no new citation.")
    return redirect("evidence_library", slug=source.board.slug)


@login_required
@require_POST
def assessment_cite(request, pk):
    """Cite an entry of the board's library from an assessment being written."""
    assessment = _assessment(request, pk)
    if not rules.can_cite_evidence(request.user, assessment):
        raise PermissionDenied("Only an officer of the board can cite the library from an assessment being written.")
    sources = assessment_selectors.evidence_library_of(assessment.plan_change.board_id, current_only=True)
    form = CitationForm(request.POST, sources=sources)
    if not form.is_valid():
        messages.error(request, "Choose an entry of the evidence library to cite.")
        return redirect("assessment_files", pk=assessment.pk)
    source = next(s for s in sources if str(s.pk) == form.cleaned_data["source"])
    try:
        services.evidence_cite(by=request.user, assessment=assessment, source=source)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        messages.error(request, str(violation))
    else:
        messages.success(request, f"The assessment cites “{source.title}”.")
    return redirect("assessment_files", pk=assessment.pk)


@login_required
@require_POST
def citation_remove(request, pk):
    citation = get_object_or_404(EvidenceCitation.objects.select_related("assessment__plan_change", "source"),
                                 pk=pk, assessment__plan_change__board_id__in=rules.board_ids(request.user))
    try:
        services.evidence_uncite(by=request.user, citation=citation)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"The assessment no longer cites “{citation.source.title}”.")
    return redirect("assessment_files", pk=citation.assessment_id)
