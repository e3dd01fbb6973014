"""Read-only pages of the assessments app: plans, the board dashboard and the cumulative
impact matrix with its exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from . import cumulative, exports, rules, selectors
from .charts import chart_svg
from .models import Board, StrategicPlan
from .text import whole_number


def _plan(request, pk) -> StrategicPlan:
    try:
        return selectors.plans_for(request.user).get(pk=pk)
    except StrategicPlan.DoesNotExist:
        raise Http404("No such plan.") from None


def _columns_page(request) -> tuple[int, str]:
    """The matrix page asked for (``?columns=``; the matrix keeps it within its pages), and
    the query without it."""
    query = request.GET.copy()
    return (whole_number(query.pop("columns", ["1"])[-1]) or 1), query.urlencode()


def _board(request, slug) -> Board:
    try:
        return selectors.boards_for(request.user).get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None


@login_required
@require_safe
def plan_list(request):
    return render(request, "assessments/plan_list.html", {
        "plans": selectors.plans_for(request.user), "boards": selectors.boards_for(request.user).order_by("name"),
    })


@login_required
@require_safe
def plan_detail(request, pk):
    plan = _plan(request, pk)
    page, query = _columns_page(request)
    form, _scope, matrix = selectors.cumulative_for(request.user, plan.board, request.GET, plan=plan, page=page)
    return render(request, "assessments/plan_detail.html", {
        "plan": plan, "overview": selectors.plan_overview(request.user, plan), "form": form, "matrix": matrix,
        "query": query,
    })


@login_required
@require_safe
def board_dashboard(request, slug):
    board = _board(request, slug)
    page, query = _columns_page(request)
    form, scope, matrix = selectors.cumulative_for(request.user, board, request.GET, page=page)
    charts = [(chart, chart_svg(chart)) for chart in cumulative.dashboard_charts(scope, matrix)]
    return render(request, "assessments/board_dashboard.html", {
        "board": board, "form": form, "matrix": matrix, "charts": charts, "query": query,
        "can_report": rules.can_produce_mainstreaming_report(request.user, board),
    })


def _export(matrix, name: str, fmt: str) -> HttpResponse:
    return exports.download(exports.matrix_table(matrix), fmt, f"{slugify(name)}-cumulative-impact",
                            "Cumulative impact")


@login_required
@require_safe
def plan_matrix_export(request, pk, fmt):
    plan = _plan(request, pk)
    _form, _scope, matrix = selectors.cumulative_for(request.user, plan.board, request.GET, plan=plan)
    return _export(matrix, plan.board.short_name, fmt)


@login_required
@require_safe
def board_matrix_export(request, slug, fmt):
    board = _board(request, slug)
    _form, _scope, matrix = selectors.cumulative_for(request.user, board, request.GET)
    return _export(matrix, board.short_name, fmt)
