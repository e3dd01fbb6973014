"""Project-level pages that belong to no app."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .accessibility import accessibility_summary


@require_safe
def accessibility_statement(request):
    """The accessibility statement (public): what was tested, how, and how to report a problem."""
    context = {"results": accessibility_summary(), "contact": settings.IIA_ACCESSIBILITY_CONTACT}
    return render(request, "accessibility.html", context)
