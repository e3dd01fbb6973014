"""Project-level pages that belong to no app."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .accessibility import accessibility_summary, organisation_name
from .duties import DUTIES


@require_safe
def accessibility_statement(request):
    """The accessibility statement (public): who runs the service, what is not accessible yet,
    how to report a problem, and what was tested and how."""
    context = {"results": accessibility_summary(), "organisation": organisation_name(),
               "email": settings.IIA_ACCESSIBILITY_EMAIL, "phone": settings.IIA_ACCESSIBILITY_PHONE}
    return render(request, "accessibility.html", context)


@require_safe
def statutory_duties(request):
    """The statutory duties, mapped (public): each duty beside the features that discharge it,
    how far, and the tests that prove it. Reads nothing from the database."""
    return render(request, "statutory_duties.html", {"duties": DUTIES})
