"""The plan cumulative impact document (PDF), drawn from the same matrix and charts as
the plan page."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments import cumulative, selectors
from assessments.models import StrategicPlan

from ..pdf.cumulative import CumulativeImpactPdf


def _filters_in_words(form) -> str:
    chosen = form.filters()
    sections = dict(form.fields["section"].choices)
    states = dict(form.fields["state"].choices)
    words = [
        "Sections: " + (", ".join(str(sections[s]) for s in chosen["section"]) if chosen.get("section") else "all") + ".",
        "States: " + (", ".join(str(states[s]) for s in chosen["state"]) if chosen.get("state")
                      else "all but withdrawn") + ".",
    ]
    return " ".join(words)


@login_required
@require_safe
def plan_cumulative_pdf(request, pk):
    try:
        plan = selectors.plans_for(request.user).get(pk=pk)
    except StrategicPlan.DoesNotExist:
        raise Http404("No such plan.") from None
    form, scope, matrix = selectors.cumulative_for(request.user, plan.board, request.GET, plan=plan)
    today = timezone.localdate()
    buffer = io.BytesIO()
    CumulativeImpactPdf(board=plan.board, title=plan.title, matrix=matrix,
                        charts=cumulative.dashboard_charts(scope, matrix), filters=_filters_in_words(form),
                        today=today).render(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    name = f"{slugify(plan.board.short_name)}-cumulative-impact-{today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
