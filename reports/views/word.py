"""Word copies (.docx) of an assessment's version and of an IJB report, for the members of
the board (any role), as they may see the plan change page and the report page."""

import logging
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from assessments import rules
from assessments.models import Assessment

from .. import services
from .reports import _report

logger = logging.getLogger("iia.documents")
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _download(copy: services.WordCopy) -> HttpResponse:
    response = HttpResponse(copy.content, content_type=services.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{UNSAFE_IN_NAME.sub("-", copy.filename)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def assessment_docx(request, pk):
    """The version as a Word document: of what was signed once it is signed, else the draft."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change__board", "plan_change__lead_officer",
                                          "plan_change__director", "template"),
        pk=pk, plan_change__board_id__in=rules.board_ids(request.user),
    )
    try:
        copy = services.assessment_word(assessment=assessment)
    except services.NoSignedContent as missing:
        return render(request, "reports/word_unavailable.html",
                      {"document": missing.document, "reason": missing.reason})
    except services.AlteredSnapshot as error:
        logger.error("assessment %s: no Word copy: %s", assessment.pk, error)
        document = assessment.signed_document
        return render(request, "reports/word_unavailable.html", {"document": document, "reason": "altered"},
                      status=500)
    return _download(copy)


@login_required
@require_safe
def report_docx(request, pk):
    """The IJB report as a Word document."""
    return _download(services.report_word(report=_report(request, pk)))
