"""Evidence files: the files of an assessment's evidence and consultation (list, upload,
publish or withhold, remove), files on a mitigating action's progress, and downloads for
the board's members. Thin pages over ``assessments.services.evidence``, which checks every
rule; another board's records are a 404, as everywhere."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import rules
from assessments import selectors as assessment_selectors
from assessments.evidence_http import evidence_upload, file_response
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import CitationForm, EvidencePublicationForm, EvidenceUploadForm, apply_errors
from assessments.models import Assessment, EvidenceFile, EvidencePart, MitigatingAction
from assessments.services import evidence as services


def _assessment(request, pk) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("plan_change__board"), pk=pk,
                             plan_change__board_id__in=rules.board_ids(request.user))


def _file(request, pk) -> EvidenceFile:
    try:
        return assessment_selectors.evidence_file_for(request.user, pk)
    except EvidenceFile.DoesNotExist:
        raise Http404("No such file.") from None


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _upload(request, form, **target):
    """Run the upload service with the form's data; ``None`` when it refused (errors on the form)."""
    data = form.cleaned_data
    try:
        return services.evidence_file_upload(
            by=request.user, upload=data["file"], published=data["publication"] == "publish",
            withheld_reason=data["withheld_reason"], **target)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        apply_errors(form, violation)
        return None


@evidence_upload
@login_required
@require_http_methods(["GET", "POST"])
def assessment_files(request, pk):
    """The files of the assessment's evidence and consultation; an officer attaches more
    while it is being written."""
    assessment = _assessment(request, pk)
    here = reverse("assessment_files", args=[assessment.pk])
    can_attach = rules.can_attach_evidence(request.user, assessment)
    part = request.GET.get("part") if request.GET.get("part") in ("evidence", "consultation") else "evidence"
    form = EvidenceUploadForm(initial={"part": part})
    if request.method == "POST":
        if not can_attach:
            raise PermissionDenied("Only an officer of the board can attach files to an assessment being written.")
        form = EvidenceUploadForm(request.POST, request.FILES)
        if form.is_valid() and _upload(request, form, part=form.cleaned_data["part"], assessment=assessment):
            messages.success(request, f"“{form.cleaned_data['file'].name}” is attached.")
            return redirect(_back(request, here))
    files = assessment_selectors.evidence_files_of(assessment)
    sources = (assessment_selectors.evidence_library_of(assessment.plan_change.board_id, current_only=True)
               if can_attach else [])
    return render(request, "workflows/evidence_files.html", {
        "assessment": assessment, "plan_change": assessment.plan_change, "form": form, "can_attach": can_attach,
        "can_publish": rules.can_set_evidence_publication(request.user, assessment),
        "evidence_files": [f for f in files if f.part == EvidencePart.EVIDENCE],
        "consultation_files": [f for f in files if f.part == EvidencePart.CONSULTATION],
        "next": _back(request, ""),
        "citations": assessment_selectors.citations_of(assessment),
        "cite_form": CitationForm(sources=sources) if sources else None,
    })


@evidence_upload
@login_required
@require_POST
def action_progress_files(request, pk):
    """Attach a file to a mitigating action's progress (whoever records progress on it)."""
    action = get_object_or_404(MitigatingAction.objects.select_related("assessment__plan_change__board"), pk=pk,
                               assessment__plan_change__board_id__in=rules.board_ids(request.user))
    if not rules.can_record_progress(request.user, action.assessment):
        raise PermissionDenied("Only those who record progress on the assessment's actions can attach files to it.")
    form = EvidenceUploadForm(request.POST, request.FILES, progress=True)
    if form.is_valid() and _upload(request, form, part=EvidencePart.PROGRESS, action=action):
        messages.success(request, f"“{form.cleaned_data['file'].name}” is attached to the action's progress.")
        return redirect("action_progress", pk=action.pk)
    from .monitoring import action_progress_page

    return action_progress_page(request, action, file_form=form)


@login_required
@require_safe
def evidence_file_download(request, pk):
    """The file, for a member of its board (published or withheld alike)."""
    return file_response(_file(request, pk))


@login_required
@require_POST
def evidence_file_remove(request, pk):
    record = _file(request, pk)
    back = reverse("assessment_files", args=[record.assessment_id]) if record.assessment_id else reverse("home")
    try:
        services.evidence_file_remove(by=request.user, evidence_file=record)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"“{record.name}” is removed.")
    return redirect(_back(request, back))


@login_required
@require_POST
def evidence_file_publication(request, pk):
    record = _file(request, pk)
    back = reverse("assessment_files", args=[record.assessment_id]) if record.assessment_id else reverse("home")
    if record.assessment is None or not rules.can_set_evidence_publication(request.user, record.assessment):
        raise PermissionDenied("Only the board's officers and equality leads publish or withhold an assessment's "
                               "files, until it is signed off.")
    form = EvidencePublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"“{record.name}”: " + " ".join(
            error for errors in form.errors.values() for error in errors))
        return redirect(back)
    try:
        services.evidence_file_publication(by=request.user, evidence_file=record,
                                           published=form.cleaned_data["publication"] == "publish",
                                           reason=form.cleaned_data["withheld_reason"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        messages.error(request, f"“{record.name}”: {violation}")
        return redirect(back)
    messages.success(request, f"“{record.name}”: publication saved.")
    return redirect(back)
