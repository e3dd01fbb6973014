"""Monitoring after sign-off: progress on a mitigating action, a thin page over
``assessments.services.action_progress_record``, which checks every rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from assessments import rules, services
from assessments import selectors as assessment_selectors
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import ActionProgressForm, EvidenceUploadForm, apply_errors
from assessments.models import MitigatingAction
from assessments.services.monitoring import NOT_YOURS


@login_required
def action_progress(request, pk):
    """An action's progress since sign-off, and a form to record the next update. Members of
    another board get a 404; members who do not answer for the assessment (``rules.is_monitor``)
    a 403; a version not in force shows why nothing can be recorded."""
    action = get_object_or_404(
        MitigatingAction.objects.select_related("assessment__plan_change__board"), pk=pk,
        assessment__plan_change__board_id__in=rules.board_ids(request.user),
    )
    assessment = action.assessment
    if not rules.is_monitor(request.user, assessment):
        raise PermissionDenied(NOT_YOURS)
    blocker = services.progress_blocker(assessment)
    form = ActionProgressForm(request.POST if request.method == "POST" else None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_progress_record(action=action, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, "Progress recorded. The signed assessment is unchanged.")
            return redirect(reverse("plan_change_detail", args=[assessment.plan_change_id])
                            + f"?version={assessment.version}#monitoring")
    return action_progress_page(request, action, form=form, blocker=blocker)


def action_progress_page(request, action, *, form=None, blocker=None, file_form=None):
    """The progress page, with its two forms (an update, a file); shared with the file upload."""
    assessment = action.assessment
    if blocker is None:
        blocker = services.progress_blocker(assessment)
    return render(request, "workflows/action_progress.html", {
        "action": action, "assessment": assessment, "plan_change": assessment.plan_change,
        "form": form or ActionProgressForm(initial={"status": action.status}),
        "file_form": file_form or EvidenceUploadForm(progress=True),
        "blocker": blocker, "updates": list(assessment_selectors.progress_of([action])),
        "progress_files": assessment_selectors.progress_files_of([action]),
    })
