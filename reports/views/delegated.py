"""Decisions under delegated authority: recorded by a senior officer, shown on the register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import apply_errors
from assessments.models import Board

from .. import selectors, services
from ..forms import DelegatedDecisionForm
from ..models import DelegatedDecision, SignedDocument


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegated_decision_new(request, code):
    """Record a decision under delegated authority on a signed document of the user's board."""
    document = (SignedDocument.objects.filter(verification_code=code, board_id__in=rules.board_ids(request.user))
                .select_related("board", "assessment__plan_change", "screening__plan_change")
                .defer(*selectors.DOCUMENT_BYTES).first())
    if document is None:
        raise Http404("No such document.")
    if not rules.can_decide_under_delegation(request.user, document.board_id):
        raise PermissionDenied("Only a senior officer of the board records decisions under delegated authority.")
    days = document.board.results_publication_days
    form = DelegatedDecisionForm(request.POST if request.method == "POST" else None, publication_days=days)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.delegated_decision_record(document=document, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, "Decision recorded. The signed document is published on the register.")
            return redirect("register_delegated_decision", document.board.slug, decision.pk)
    return render(request, "reports/delegated_decision_form.html", {
        "form": form, "document": document, "plan_change": document.plan_change, "days": days,
        "refusal": services.delegated_decision_refusal(document),
    })


@require_safe
def register_delegated_decision(request, slug, pk):
    """The public record of a decision under delegated authority, as recorded."""
    board = get_object_or_404(Board, slug=slug)
    decision = get_object_or_404(
        DelegatedDecision.objects.select_related("document").defer(
            *(f"document__{field}" for field in selectors.DOCUMENT_BYTES)), pk=pk, board=board)
    return render(request, "reports/register_decision.html", {
        "board": board, "decision": decision, "document": decision.document,
    })
