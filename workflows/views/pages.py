"""Pages around the tasks: home, inbox, queue, starting a plan change, its detail page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from assessments import rules, services
from assessments import selectors as assessment_selectors
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import NewVersionForm, PlanChangeForm, WithdrawForm, apply_errors
from assessments.models import Assessment, PlanChange, Role
from assessments.models.assessment import OPEN_STATES
from assessments.text import whole_number
from reports import selectors as report_selectors

from .. import actions, engine, selectors
from ..selectors import task_url
from ..task_groups import task_groups


@login_required
@require_safe
def home(request):
    tasks = selectors.inbox(request.user)
    soonest = selectors.inbox_page(request.user, per_page=5)  # the five soonest due
    inbox = selectors.describe_all(soonest.tasks, request.user, soonest.policies)
    # both counted only up to a page, "50 or more", so the page's cost does not grow with the tables
    per_page = selectors.TASKS_PER_PAGE
    queue_count = selectors.queue_count(request.user, up_to=per_page)
    inbox_count = tasks.order_by()[:per_page + 1].count()
    queue_count, inbox_count = (f"{per_page} or more" if n > per_page else n for n in (queue_count, inbox_count))
    return render(request, "workflows/home.html", {
        "inbox": inbox, "inbox_count": inbox_count, "queue_count": queue_count,
        "my_plan_changes": assessment_selectors.plan_changes_started(request.user),
        "plans": assessment_selectors.plans_for(request.user),
        "officer_boards": [b for b in assessment_selectors.boards_for(request.user)
                           if rules.has_role(request.user, b, Role.OFFICER)],
        "clerk": report_selectors.clerk_home(request.user),
    })


def _page_number(request) -> int:
    """The page asked for: the first when none is or it is not a whole number (a link
    edited by hand); a 404 for a number past any list's last page."""
    value = request.GET.get("page", "")
    if not (value.isascii() and value.isdigit()):
        return 1
    number = whole_number(value, at_most=selectors.LAST_PAGE)
    if number is None:
        raise Http404("There is no such page.")
    return max(1, number)


def _existing(page: selectors.TaskPage) -> selectors.TaskPage:
    if page.number > 1 and not page.tasks:
        raise Http404("There is no such page.")
    return page


@login_required
@require_safe
def inbox(request):
    page = _existing(selectors.inbox_page(request.user, _page_number(request)))
    groups = task_groups(selectors.describe_all(page.tasks, request.user, page.policies))
    return render(request, "workflows/task_list.html", {
        "groups": groups, "page": page, "heading": "Your inbox",
        "intro": "Tasks assigned to you, by plan change, soonest due first.",
        "empty": "You have no tasks. Claim one from the queue" + (
            ", or start an assessment." if any(rules.has_role(request.user, b, Role.OFFICER)
                                                for b in rules.board_ids(request.user)) else "."),
    })


@login_required
@require_safe
def queue(request):
    page = _existing(selectors.queue_page(request.user, _page_number(request)))
    groups = task_groups(selectors.describe_all(page.tasks, request.user, page.policies))
    return render(request, "workflows/task_list.html", {
        "groups": groups, "page": page, "heading": "Queue",
        "intro": "Unclaimed tasks for your roles on your boards, by plan change, soonest due first. "
                 "Claim one to move it to your inbox.",
        "empty": "Nothing is waiting in the queue for your roles.",
    })


@login_required
def plan_change_start(request, board_slug=None):
    boards = [b for b in assessment_selectors.boards_for(request.user)
              if rules.has_role(request.user, b, Role.OFFICER)]
    if not boards:
        raise PermissionDenied("Only officers can start an assessment.")
    if board_slug is None:
        if len(boards) == 1:
            return redirect("plan_change_start_board", board_slug=boards[0].slug)
        return render(request, "workflows/plan_change_board.html", {"boards": boards})
    board = next((b for b in boards if b.slug == board_slug), None)
    if board is None:
        raise Http404("No such board.")
    form = PlanChangeForm(request.POST or None, board=board,
                          initial={"lead_officer": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_change = engine.plan_change_start(
                board=board, plan=data["plan"], by=request.user, title=data["title"],
                description=data["description"], change_type=data["change_type"],
                is_revision=data["is_revision"], lead_officer=data["lead_officer"],
                director=data["director"], priorities=list(data["priorities"]), actions=list(data["actions"]),
            )
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, f"{plan_change.reference} started. Its pre-screening is in your inbox.")
            return redirect("plan_change_detail", pk=plan_change.pk)
    return render(request, "workflows/plan_change_form.html", {"form": form, "board": board})


@login_required
@require_safe
def plan_change_detail(request, pk):
    return _plan_change_page(request, pk, version=whole_number(request.GET.get("version")))


def _plan_change_page(request, pk, *, version=None, new_version_form=None, withdraw_form=None):
    """The plan change page; after a refused "Start a new version" or "Withdraw", shown
    again with that form's errors and what was typed (the version it was about shown)."""
    try:
        plan_change = assessment_selectors.plan_change_get(request.user, pk, people=True)
    except PlanChange.DoesNotExist:
        raise Http404("No such plan change.") from None
    assessments = sorted(plan_change.assessments.all(), key=lambda a: -a.version)
    chosen = assessments[0] if assessments else None
    if version is not None:
        chosen = next((a for a in assessments if a.version == version), chosen)
    screening = assessment_selectors.current_screening(plan_change)
    newest = assessments[0] if assessments else None  # parts are of the newest
    open_tasks = [
        (task, selectors.task_title(task, newest))
        for task in selectors.open_tasks(plan_change, screening, newest)
        if task.flow_task is not None and hasattr(task.flow_task, "role")
    ]
    document, screening_document = report_selectors.plan_change_documents(plan_change, chosen)
    history = list(assessment_selectors.history(plan_change))
    errored = new_version_form if new_version_form is not None else withdraw_form
    return render(request, "workflows/plan_change_detail.html", {
        "plan_change": plan_change,
        "status": assessment_selectors.plan_change_status(plan_change),
        "screening": screening,
        "assessments": assessments,
        "assessment": chosen,
        "summary": assessment_selectors.assessment_summary(chosen) if chosen else None,
        # the summary's sections, parts and actions are kept until the plan change's next audited change
        "summary_version": assessment_selectors.history_version(history),
        "open_tasks": [(t, title, _task_link(t, request.user)) for t, title in open_tasks],
        "history": history,
        "can_new_version": chosen is not None and rules.can_start_new_version(request.user, chosen)
        and not any(a.state in OPEN_STATES for a in assessments),
        "new_version_form": new_version_form or NewVersionForm(auto_id=NEW_VERSION_IDS),
        "can_withdraw": chosen is not None and rules.can_withdraw(request.user, chosen),
        "can_write_easy_read": chosen is not None and rules.can_write_easy_read(request.user, chosen),
        "withdraw_form": withdraw_form or WithdrawForm(auto_id=WITHDRAW_IDS),
        "form": errored,  # the error summary's
        **_casework(request.user, plan_change, chosen),
        "document": document,
        "screening_document": screening_document,
        "reports": plan_change.reports.order_by("-created_at"),
        "can_draft_report": rules.has_role(request.user, plan_change.board_id, Role.OFFICER),
        "can_decide_under_delegation": rules.can_decide_under_delegation(request.user, plan_change.board_id),
    })


# both forms are on the plan change page: each its own ids
NEW_VERSION_IDS, WITHDRAW_IDS = "new-version-%s", "withdraw-%s"


def _casework(user, plan_change, chosen):
    """Reviews and comments of the version shown (the screening's comments with it)."""
    screening = assessment_selectors.current_screening(plan_change)
    may_assessment = chosen is not None and rules.can_comment(user, chosen)
    may_screening = screening is not None and rules.can_comment_screening(user, screening)
    groups = None
    if may_assessment or may_screening:
        groups = assessment_selectors.comment_groups(assessment=chosen if may_assessment else None,
                                                     screening=screening if may_screening else None)
    return {
        "reviews": assessment_selectors.reviews_of(chosen) if chosen is not None else [],
        "review_due": chosen is not None and assessment_selectors.review_due(chosen),
        "can_review": chosen is not None and not services.review_blocker(chosen) and rules.can_review(user, chosen),
        # monitoring since signing: the actions' progress, shown once the version has been signed off
        "monitoring": assessment_selectors.monitoring_of(chosen) if chosen is not None and chosen.signed_off_at
        else None,
        "progress_links": chosen is not None and rules.is_monitor(user, chosen),
        "can_record_progress": chosen is not None and rules.can_record_progress(user, chosen),
        "comment_groups": groups,
    }


def _task_link(task, user):
    if task.owner_id is not None and task.flow_task.can_execute(user, task):
        return task_url(task, "execute"), "Open"
    if task.owner_id is None and task.flow_task.can_assign(user, task):
        return task_url(task, "assign"), "Claim"
    return None, ""


@login_required
@require_POST
def assessment_new_version(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change"), pk=pk,
        plan_change__board_id__in=rules.board_ids(request.user),
    )
    if not rules.can_start_new_version(request.user, assessment):
        raise PermissionDenied("Only an officer of the board can start a new version of a signed-off assessment.")
    form = NewVersionForm(request.POST, auto_id=NEW_VERSION_IDS)
    if form.is_valid():
        try:
            # the workflow starts the new version's tasks on assessment_version_opened
            actions.assessment_new_version(assessment=assessment, by=request.user, reason=form.cleaned_data["reason"])
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, "A new version has been started; its parts are in your inbox.")
            return redirect("plan_change_detail", pk=assessment.plan_change_id)
    return _plan_change_page(request, assessment.plan_change_id, version=assessment.version, new_version_form=form)


@login_required
@require_POST
def assessment_withdraw(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change"), pk=pk,
        plan_change__board_id__in=rules.board_ids(request.user),
    )
    form = WithdrawForm(request.POST, auto_id=WITHDRAW_IDS)
    if not form.is_valid():
        if not rules.can_withdraw(request.user, assessment):
            raise PermissionDenied("You cannot withdraw this assessment.")
        return _plan_change_page(request, assessment.plan_change_id, version=assessment.version, withdraw_form=form)
    try:  # the action decides who may, and in which states (``rules.can_withdraw``)
        actions.assessment_withdraw(assessment=assessment, by=request.user, reason=form.cleaned_data["reason"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        apply_errors(form, violation)
        return _plan_change_page(request, assessment.plan_change_id, version=assessment.version, withdraw_form=form)
    messages.success(request, "The assessment is withdrawn and its open tasks are closed.")
    return redirect("plan_change_detail", pk=assessment.plan_change_id)
