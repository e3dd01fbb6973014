"""The list of plan changes, with its CSV download: thin pages over
``assessments.plan_change_list``."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments import plan_change_list
from assessments.exports import safe_cell

from .. import selectors


@login_required
@require_safe
def plan_change_list_page(request):
    form = plan_change_list.plan_change_filter_form(request.user, request.GET)
    filters = form.filters()
    page = plan_change_list.plan_change_page(request.user, filters, older=request.GET.get("older"),
                                             newer=request.GET.get("newer"))
    steps = selectors.next_steps(row.plan_change.pk for row in page.rows)
    for row in page.rows:
        row.next_step, row.held_by = steps.get(row.plan_change.pk, ("", ""))
    query = request.GET.copy()
    for name in ("older", "newer"):
        query.pop(name, None)
    return render(request, "workflows/plan_change_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters),
    })


class _Echo:
    def write(self, value):
        return value


@login_required
@require_safe
def plan_change_list_csv(request):
    """The filtered list as CSV (every page), streamed as it is read; no cell can run as a
    spreadsheet formula (``exports.safe_cell``)."""
    form = plan_change_list.plan_change_filter_form(request.user, request.GET)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
        for row in selectors.plan_change_csv_rows(request.user, form.filters()):
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-changes-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
