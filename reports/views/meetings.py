"""The clerk's pages: meetings, agendas, publication, the agenda pack and decisions."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from assessments import rules
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import apply_errors
from assessments.models import Role
from assessments.text import whole_number

from .. import selectors, services
from ..forms import AddReportForm, DecisionForm, MeetingForm, PublishForm
from ..models import AgendaItem, AgendaPack, ItemKind, Meeting, MeetingStatus, PackStatus


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
@require_safe
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


@dataclass(frozen=True)
class MoveError:
    """A refused "Move to a later meeting": the item, why, and the meeting chosen."""

    item_id: int
    problems: list
    chosen: int | None


def _page(request, meeting, *, add_form=None, publish_form=None, decision_forms=None, errors=(), status=200,
          move_error=None):
    is_clerk = rules.has_role(request.user, meeting.board_id, Role.CLERK)
    items = list(meeting.items.select_related("report__plan_change", "report__committee").order_by("position", "pk"))
    if add_form is None and is_clerk and meeting.status != MeetingStatus.HELD:
        # "Add to the agenda of …" on the clerk's home names its report: chosen already
        add_form = AddReportForm(meeting=meeting, initial={"report": whole_number(request.GET.get("report"))})
    if publish_form is None and is_clerk and meeting.status == MeetingStatus.DRAFT:
        publish_form = PublishForm(meeting=meeting)
    # decisions are recorded once the meeting has started; a refused form comes back with its errors
    forms = {item.pk: DecisionForm(prefix=f"d{item.pk}") for item in items
             if item.kind == ItemKind.REPORT and not item.decision} if meeting.has_started else {}
    forms.update(decision_forms or {})
    pack = AgendaPack.objects.filter(meeting=meeting).defer("pdf").first()
    gate = services.meeting_gate(meeting)
    return render(request, "reports/meeting_detail.html", {
        "meeting": meeting, "items": items, "gate": gate, "is_clerk": is_clerk,
        # where a blocked item may go instead (only the clerk of a draft agenda is offered it)
        "later_meetings": list(selectors.later_meetings(meeting)) if is_clerk and gate else [],
        "add_form": add_form if is_clerk else None, "publish_form": publish_form if is_clerk else None,
        "extra_errors": list(errors), "pack": pack, "move_error": move_error,
        "building": pack is not None and pack.status in (PackStatus.PENDING, PackStatus.BUILDING),
        "decision_forms": forms if is_clerk else {},
    }, status=status)


@login_required
@_guard
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    if request.method != "POST":
        return _page(request, meeting)
    if not rules.has_role(request.user, meeting.board_id, Role.CLERK):
        raise PermissionDenied("Only the board's clerk can change its agendas.")
    action = request.POST.get("action")
    try:
        if action == "add":
            add_form = AddReportForm(request.POST, meeting=meeting)
            if not add_form.is_valid():
                return _page(request, meeting, add_form=add_form)
            try:
                services.agenda_add_report(meeting=meeting, report=add_form.cleaned_data["report"], by=request.user,
                                           late_reason=add_form.cleaned_data["late_reason"])
            except RuleViolation as violation:
                apply_errors(add_form, violation)
                return _page(request, meeting, add_form=add_form)
            messages.success(request, "Report added to the agenda.")
        elif action == "publish":
            publish_form = PublishForm(request.POST, meeting=meeting)
            try:
                if not publish_form.is_valid():
                    raise RuleViolation(publish_form.errors)
                meeting = services.meeting_publish(meeting=meeting, by=request.user,
                                                   late_reason=publish_form.cleaned_data["late_reason"])
            except RuleViolation as violation:
                return _publish_refused(request, meeting, publish_form, violation)
            pack = AgendaPack.objects.filter(meeting=meeting).defer("pdf").first()
            ready = pack is not None and pack.is_ready
            messages.success(request, "Agenda published. " + (
                "The agenda pack is ready." if ready else "The agenda pack is being built."))
        elif action in ("up", "down", "remove"):
            item_id = whole_number(request.POST.get("item"))
            if item_id is None:
                raise Http404("No such item.")
            item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
            if action == "remove":
                services.agenda_remove(item=item, by=request.user)
                messages.success(request, f"Removed item {item.position}, “{item.title}”, from the agenda.")
            else:
                services.agenda_move(item=item, by=request.user, offset=-1 if action == "up" else 1)
                messages.success(request, f"Moved “{item.title}” {action}.")
        elif action in ("move_later", "remind"):
            item_id = whole_number(request.POST.get("item"))
            if item_id is None:
                raise Http404("No such item.")
            item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id, meeting=meeting)
            if action == "remind":
                services.agenda_item_remind(item=item, by=request.user)
                messages.success(request, f"The lead officer of “{item.title}” has been emailed a reminder.")
            else:
                target_id = whole_number(request.POST.get("meeting"))
                target = selectors.meetings_for(request.user).filter(pk=target_id).first() if target_id else None
                try:
                    if target is None:
                        raise RuleViolation({f"item-{item.pk}": ["Choose a later meeting of the same committee."]})
                    services.agenda_item_move_later(item=item, to=target, by=request.user)
                except RuleViolation as violation:  # shown beside the choice of meeting, and in the summary
                    problems = [problem for problems in violation.errors.values() for problem in problems]
                    return _page(request, meeting, errors=[(f"later-{item.pk}", problem) for problem in problems],
                                 move_error=MoveError(item.pk, problems, target_id))
                messages.success(request, f"Moved “{item.title}” to {target.title}.")
        elif action == "rebuild":
            services.pack_rebuild(meeting=meeting, by=request.user)
            messages.success(request, "The agenda pack is being built again.")
        else:
            raise BadRequest("Unknown agenda action.")
    except RuleViolation as violation:
        errors = [(key if key.startswith("item-") else "", problem)
                  for key, problems in violation.errors.items() for problem in problems]
        return _page(request, meeting, errors=errors)
    return redirect("meeting_detail", pk=meeting.pk)


def _publish_refused(request, meeting, publish_form, violation):
    """The page again: each report the gate holds back named at its item, the late
    reason's message beside its field, both in the error summary."""
    errors = []
    for key, problems in violation.errors.items():
        for problem in problems:
            if key == "late_reason":
                if problem not in publish_form.errors.get("late_reason", []):
                    publish_form.add_error("late_reason", problem)
                errors.append((publish_form["late_reason"].auto_id, problem))
            else:
                errors.append((key if key.startswith("item-") else "", problem))
    return _page(request, meeting, publish_form=publish_form, errors=errors)


@login_required
@_guard
@require_POST
def item_decide(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk,
                             meeting__committee__board_id__in=rules.board_ids(request.user))
    if not rules.has_role(request.user, item.meeting.board_id, Role.CLERK):
        raise PermissionDenied("Only the board's clerk records decisions.")
    form = DecisionForm(request.POST, prefix=f"d{item.pk}")
    if form.is_valid():
        try:
            recorded = services.item_decide(item=item, by=request.user, decision=form.cleaned_data["decision"],
                                            text=form.cleaned_data["text"])
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, f"Decision recorded for item {item.position}." + _reopened(recorded.new_version)
                             + _issued(recorded.item))
            return redirect(reverse("meeting_detail", args=[item.meeting_id]) + "#decisions")
    errors = [(f"d{item.pk}-{name}" if name != "__all__" else "", f"Item {item.position}: {message}")
              for name, problems in form.errors.items() for message in problems]
    errors = [(f"id_{anchor}" + ("_0" if anchor.endswith("decision") else "") if anchor else "", message)
              for anchor, message in errors]
    return _page(request, item.meeting, decision_forms={item.pk: form}, errors=errors, status=200)


def _issued(item) -> str:
    """What the clerk is told when agreeing the report issued its directions."""
    references = list(item.directions.order_by("reference").values_list("reference", flat=True))
    if not references:
        return ""
    return (f" Issued direction{'s' if len(references) > 1 else ''} {', '.join(references)}: "
            "now on the board's register of directions.")


def _reopened(version) -> str:
    """What the clerk is told when "agreed as amended" opened a new version of the assessment."""
    if version is None:
        return ""
    author = version.author
    name = author.get_full_name() or author.get_username()
    told = "has been told by email" if author.email else "has no email address here, so tell them yourself"
    return (f" Version {version.version} of the IIA of {version.plan_change.reference} is open for {name}, "
            f"its author, who {told}; its tasks are in their inbox.")


@login_required
@require_safe
def meeting_pack_status(request, pk):
    """The pack's progress, for the meeting page to show without reloading."""
    meeting = _meeting(request, pk)
    pack = AgendaPack.objects.filter(meeting=meeting).defer("pdf").first()
    if pack is None:
        return JsonResponse({"status": "none"})
    return JsonResponse({"status": pack.status, "progress": pack.progress, "message": pack.progress_message})


@require_safe
def meeting_pack(request, pk):
    """The agenda pack: public once the agenda is published."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee__board"), pk=pk)
    if meeting.status == MeetingStatus.DRAFT:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.is_member(request.user, meeting.board_id):
            raise Http404("No such meeting.")
    pack = AgendaPack.objects.filter(meeting=meeting, status="ready").first()
    if pack is None or meeting.status == MeetingStatus.DRAFT:
        raise Http404("The agenda pack is not ready yet.")
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-pack-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@login_required
@require_safe
def clerk_queue(request):
    if not _clerk_boards(request.user):
        raise PermissionDenied("The clerk's queue is for IJB clerks.")
    return render(request, "reports/clerk_queue.html", {"entries": selectors.clerk_queue(request.user)})
