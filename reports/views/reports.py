"""Officers draft IJB reports on plan changes."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from assessments import rules
from assessments import selectors as assessment_selectors
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import PlanChange, Role

from .. import selectors, services
from ..forms import DirectionFormSet, ReportForm
from ..models import DirectionEffect, DirectionTo, Report, ReportStatus
from ..pdf.report import ReportPdf


def _report(request, pk) -> Report:
    try:
        return selectors.reports_for(request.user).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("No such report.") from None


def _directions(formset):
    inputs, positions = [], []
    for index, form in enumerate(formset.forms):
        if form.is_blank() or form.cleaned_data.get("remove"):
            continue
        data = form.cleaned_data
        inputs.append(services.DirectionInput(
            functions=data.get("functions") or "", budget=data.get("budget") or "",
            text=data.get("text") or "", review_date=data.get("review_date"),
            effect=data.get("effect") or DirectionEffect.NEW,
            earlier_id=data["earlier"].pk if data.get("earlier") and data.get("effect") != DirectionEffect.NEW else None))
        positions.append(index)
    return inputs, positions


def _anchor(field) -> str:
    """The id the error summary links to: the field, or the first choice of a group of them."""
    return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id


def _edit(request, plan_change, report=None):
    board = plan_change.board
    if not rules.has_role(request.user, board, Role.OFFICER):
        raise PermissionDenied("Only an officer of the board can draft its reports.")
    initial, directions = {}, []
    if report is not None:
        initial = {name: getattr(report, name) for name in services.reports.REPORT_FIELDS}
        initial["committee"] = report.committee_id
        directions = [{"functions": d.functions, "budget": d.budget, "text": d.text,
                       "effect": d.effect, "earlier": d.earlier_id, "review_date": d.review_date}
                      for d in report.directions.all()]
    else:
        screening = assessment_selectors.current_screening(plan_change)
        asks = (screening.answers or {}).get("asks_agreement", {}).get("answer") if screening else "yes"
        initial = {"title": plan_change.title, "decision_sought": "note" if asks == "no" else "agree",
                   "direction_to": "none", "background_papers": "None."}
    post = request.method == "POST"
    form = ReportForm(request.POST if post else None, board=board, initial=initial)
    formset = DirectionFormSet(request.POST if post else None, initial=directions, prefix="dir",
                               form_kwargs={"board": board})
    extra_errors = []
    # "No direction": the direction's fields are ignored (and the saved ones cleared), unchecked
    directing = post and form.is_valid() and form.cleaned_data["direction_to"] != DirectionTo.NONE
    if directing and not formset.is_valid():  # each direction's errors in the summary too
        for index, direction in enumerate(formset.forms):
            extra_errors += [(_anchor(field), f"Direction {index + 1}: {error}")
                             for field in direction for error in field.errors]
        extra_errors += [("direction-fields", error) for error in formset.non_form_errors()]
    if post and form.is_valid() and (not directing or formset.is_valid()):
        inputs, positions = _directions(formset) if directing else ([], [])
        fields = {k: v for k, v in form.cleaned_data.items() if k != "committee"}
        try:
            if report is None:
                report = services.report_create(plan_change=plan_change, by=request.user,
                                                committee=form.cleaned_data["committee"], directions=inputs, **fields)
                messages.success(request, "Report drafted. Check it, then send it to the clerk.")
            else:
                services.report_update(report=report, by=request.user, committee=form.cleaned_data["committee"],
                                       directions=inputs, **fields)
                messages.success(request, "Report saved.")
            return redirect("report_detail", pk=report.pk)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            for key, problems in violation.errors.items():
                if key.startswith("direction-"):
                    _, number, name = key.split("-", 2)
                    index = positions[int(number)]
                    direction = formset.forms[index]
                    for problem in problems:
                        direction.add_error(name, problem)
                        extra_errors.append((_anchor(direction[name]), f"Direction {index + 1}: {problem}"))
                else:
                    for problem in problems:
                        form.add_error(key if key in form.fields else None, problem)
    return render(request, "reports/report_form.html", {
        "form": form, "formset": formset, "plan_change": plan_change, "report": report, "extra_errors": extra_errors,
    })


@login_required
def report_new(request, plan_change_pk):
    try:
        plan_change = assessment_selectors.plan_change_get(request.user, plan_change_pk)
    except PlanChange.DoesNotExist:
        raise Http404("No such plan change.") from None
    return _edit(request, plan_change)


@login_required
def report_edit(request, pk):
    report = _report(request, pk)
    if not report.is_editable:
        messages.error(request, "The report is on a published agenda and can no longer be changed.")
        return redirect("report_detail", pk=report.pk)
    return _edit(request, report.plan_change, report)


@login_required
@require_safe
def report_detail(request, pk):
    report = _report(request, pk)
    item = report.items.select_related("meeting__committee").order_by("-meeting__date").first()
    return render(request, "reports/report_detail.html", {
        "report": report, "item": item, "policy": services.policy_implications(report),
        "gate": services.agenda_gate(report), "can_edit": report.is_editable and rules.has_role(
            request.user, report.board_id, Role.OFFICER),
        "directions": report.directions.all(),
    })


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    try:
        services.report_submit(report=report, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        messages.error(request, str(violation))
    else:
        messages.success(request, "Sent to the clerk, who will put it on a meeting's agenda.")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_safe
def report_pdf(request, pk):
    """The report as it will appear in the agenda pack (rendered on request)."""
    report = _report(request, pk)
    item = report.items.select_related("meeting__committee").order_by("-meeting__date").first()
    buffer = io.BytesIO()
    ReportPdf(report, meeting=item.meeting if item else None, policy_implications=services.policy_implications(report),
              draft=report.status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ON_AGENDA)).render(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.number or "report-draft"}.pdf"'
    return response
