"""The clerk's pages: meetings, agendas, publication, the agenda pack and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import apply_errors
from assessments.models import Role

from .. import selectors, services
from ..forms import AddReportForm, DecisionForm, MeetingForm
from ..models import AgendaItem, AgendaPack, ItemKind, Meeting, MeetingStatus


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meetings_for(request.user).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None


def _clerk_boards(user):
    return [b for b in rules.board_ids(user) if rules.has_role(user, b, Role.CLERK)]


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error

    wrapped.__name__ = view.__name__
    return wrapped


@login_required
def meeting_list(request):
    meetings = selectors.meetings_for(request.user).order_by("-date")
    return render(request, "reports/meeting_list.html", {
        "meetings": meetings, "is_clerk": bool(_clerk_boards(request.user))})


@login_required
@_guard
def meeting_new(request):
    boards = _clerk_boards(request.user)
    if not boards:
        raise PermissionDenied("Only a clerk can create meetings.")
    form = MeetingForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(committee=data["committee"], by=request.user, date=data["date"],
                                              time=data["time"], venue=data["venue"], remote=data["remote"])
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, "Meeting created with its standing items. Add reports to the agenda.")
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "reports/meeting_form.html", {"form": form})


@login_required
@_guard
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    is_clerk = rules.has_role(request.user, meeting.board_id, Role.CLERK)
    items = list(meeting.items.select_related("report__plan_change", "report__committee").order_by("position", "pk"))
    gate = services.meeting_gate(meeting)
    add_form = AddReportForm(meeting=meeting) if is_clerk and meeting.status != MeetingStatus.HELD else None
    errors = []
    if request.method == "POST" and is_clerk:
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = AddReportForm(request.POST, meeting=meeting)
                if add_form.is_valid():
                    services.agenda_add_report(meeting=meeting, report=add_form.cleaned_data["report"], by=request.user)
                    messages.success(request, "Report added to the agenda.")
                    return redirect("meeting_detail", pk=meeting.pk)
            elif action == "publish":
                services.meeting_publish(meeting=meeting, by=request.user)
                messages.success(request, "Agenda published. The agenda pack is being built.")
                return redirect("meeting_detail", pk=meeting.pk)
            elif action in ("up", "down", "remove"):
                item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
                if action == "remove":
                    services.agenda_remove(item=item, by=request.user)
                else:
                    services.agenda_move(item=item, by=request.user, offset=-1 if action == "up" else 1)
                return redirect("meeting_detail", pk=meeting.pk)
            elif action == "rebuild":
                services.pack_request(meeting=meeting)
                return redirect("meeting_detail", pk=meeting.pk)
        except RuleViolation as violation:
            for key, problems in violation.errors.items():
                anchor = key if key.startswith("item-") else ""
                errors += [(anchor, problem) for problem in problems]
    pack = AgendaPack.objects.filter(meeting=meeting).defer("pdf").first()
    return render(request, "reports/meeting_detail.html", {
        "meeting": meeting, "items": items, "gate": gate, "is_clerk": is_clerk, "add_form": add_form,
        "extra_errors": errors, "pack": pack,
        "building": pack is not None and pack.status in ("pending", "building"),
        "decision_forms": {item.pk: DecisionForm(prefix=f"d{item.pk}") for item in items
                           if item.kind == ItemKind.REPORT and not item.decision},
    })


@login_required
@_guard
@require_POST
def item_decide(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk,
                             meeting__committee__board_id__in=rules.board_ids(request.user))
    form = DecisionForm(request.POST, prefix=f"d{item.pk}")
    if form.is_valid():
        try:
            services.item_decide(item=item, by=request.user, decision=form.cleaned_data["decision"],
                                 text=form.cleaned_data["text"])
        except RuleViolation as violation:
            messages.error(request, str(violation))
        else:
            messages.success(request, f"Decision recorded for item {item.position}.")
    else:
        messages.error(request, f"Choose the board's decision for item {item.position}.")
    return redirect("meeting_detail", pk=item.meeting_id)


def meeting_pack(request, pk):
    """The agenda pack: public once the agenda is published."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee__board"), pk=pk)
    if meeting.status == MeetingStatus.DRAFT:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.is_member(request.user, meeting.board_id):
            raise Http404("No such meeting.")
    pack = AgendaPack.objects.filter(meeting=meeting, status="ready").first()
    if pack is None:
        raise Http404("The agenda pack is not ready yet.")
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-pack-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@login_required
def clerk_queue(request):
    if not _clerk_boards(request.user):
        raise PermissionDenied("The clerk's queue is for IJB clerks.")
    return render(request, "reports/clerk_queue.html", {"entries": selectors.clerk_queue(request.user)})
