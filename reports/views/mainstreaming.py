"""The mainstreaming evidence of a board: the page (choose the period, see the figures)
and its signed PDF, CSV and XLSX. For the board's equality leads and senior officers."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments import exports, rules, selectors
from assessments.models import Board

from .. import services
from ..forms import MainstreamingPeriodForm
from ..mainstreaming import mainstreaming_figures, mainstreaming_table


def _board(request, slug) -> Board:
    try:
        board = selectors.boards_for(request.user).get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None
    if not rules.can_produce_mainstreaming_report(request.user, board):
        raise PermissionDenied("Only the board's equality leads and senior officers produce its mainstreaming report.")
    return board


def _page(request, board, form, figures, *, status=200):
    query = urlencode({k: v.isoformat() for k, v in form.cleaned_data.items()}) if figures else ""
    return render(request, "reports/mainstreaming.html", {
        "board": board, "form": form, "figures": figures, "query": query}, status=status)


@login_required
@require_safe
def mainstreaming_report(request, slug):
    board = _board(request, slug)
    form = MainstreamingPeriodForm.for_query(request.GET)
    figures = mainstreaming_figures(board=board, **form.cleaned_data) if form.is_valid() else None
    return _page(request, board, form, figures)


def _file_name(figures) -> str:
    return f"{slugify(figures.board.short_name)}-mainstreaming-{figures.start:%Y-%m-%d}-to-{figures.end:%Y-%m-%d}"


@login_required
@require_safe
def mainstreaming_download(request, slug, fmt):
    """The figures as a signed PDF, CSV or XLSX; a period that does not hold shows the page
    with its errors."""
    board = _board(request, slug)
    form = MainstreamingPeriodForm.for_query(request.GET)
    if not form.is_valid():
        return _page(request, board, form, None, status=400)
    figures = mainstreaming_figures(board=board, **form.cleaned_data)
    if fmt != "pdf":
        response = exports.download(mainstreaming_table(figures), fmt, _file_name(figures), "Mainstreaming")
        response["Content-Disposition"] = f'attachment; filename="{_file_name(figures)}.{fmt}"'
        return response
    pdf, _pages = services.mainstreaming_report_pdf(figures=figures, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(figures)}.pdf"'
    return response
