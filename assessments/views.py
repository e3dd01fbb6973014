"""Read-only pages of the assessments app."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .models import StrategicPlan


@login_required
@require_safe
def plan_list(request):
    return render(request, "assessments/plan_list.html", {"plans": selectors.plans_for(request.user)})


@login_required
@require_safe
def plan_detail(request, pk):
    try:
        plan = selectors.plans_for(request.user).get(pk=pk)
    except StrategicPlan.DoesNotExist:
        raise Http404("No such plan.") from None
    return render(request, "assessments/plan_detail.html", {
        "plan": plan, "priorities": selectors.plan_overview(request.user, plan),
    })
