"""Reviews of signed-off assessments, comments and delegations: thin pages over
``assessments.services``; every rule is checked there."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments import rules, services
from assessments import selectors as assessment_selectors
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.forms import AssessmentReviewForm, CommentForm, DelegationForm, apply_errors
from assessments.models import SCREENING_PART, Assessment, AssessmentState, Delegation, PlanChange, ReviewOutcome
from assessments.services.delegation import DELEGABLE_ROLES

CLOSED = (AssessmentState.SUPERSEDED, AssessmentState.WITHDRAWN)


# --- review -------------------------------------------------------------------------------

@login_required
def assessment_review(request, pk):
    """Review a signed-off assessment: the actual impact of each row it rated negative, then
    confirm it unchanged, start a new version, or record the policy withdrawn."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("plan_change__board", "template", "signed_off_by"), pk=pk,
        plan_change__board_id__in=rules.board_ids(request.user),
    )
    if not rules.can_review(request.user, assessment):
        raise PermissionDenied("Only an equality lead of the board, or the assessment's author or lead officer, "
                               "can review it.")
    may_start = rules.can_start_new_version(request.user, assessment)
    outcome = request.POST.get("outcome") if request.method == "POST" else None
    if outcome == ReviewOutcome.NEW_VERSION and not may_start:
        raise PermissionDenied("Only an officer of the board can start a new version.")
    blocker = services.review_blocker(assessment)
    ratings = services.negative_ratings(assessment) if not blocker else []
    today = timezone.localdate()
    form = AssessmentReviewForm(request.POST if request.method == "POST" else None, ratings=ratings,
                                may_start=may_start, initial={"outcome": ReviewOutcome.CONFIRMED,
                                                              "next_review_date": today + datetime.timedelta(days=365)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = {"assessment": assessment, "by": request.user, "note": data["note"], "impacts": form.impacts()}
        try:
            if data["outcome"] == ReviewOutcome.NEW_VERSION:
                review = services.assessment_review_new_version(**given)
                messages.success(request, f"Review recorded. Version {review.new_version.version} has been "
                                          f"started with a copy of the answers; its parts are in the inbox.")
            elif data["outcome"] == ReviewOutcome.WITHDRAWN:
                services.assessment_review_withdraw(**given)
                messages.success(request, "Review recorded: the assessment is withdrawn. Its actions are no longer "
                                          "monitored; its signed document stays published as signed.")
            else:
                services.assessment_review_confirm(**given, next_review_date=data["next_review_date"])
                messages.success(request, "Review recorded: the assessment is confirmed unchanged.")
            return redirect("plan_change_detail", pk=assessment.plan_change_id)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            apply_errors(form, violation)
    return render(request, "workflows/assessment_review.html", {
        "assessment": assessment, "plan_change": assessment.plan_change, "blocker": blocker,
        "due": assessment_selectors.review_due(assessment),
        "reviews": assessment_selectors.reviews_of(assessment),
        "form": form, "may_start": may_start,
    })


# --- comments -----------------------------------------------------------------------------

def _commentable_assessment(user, plan_change, assessment=None):
    """The current version if the user may comment on it, else None; read unless the page
    has read it (``assessment``)."""
    if assessment is None:
        assessment = assessment_selectors.current_assessment(plan_change)
    return assessment if assessment is not None and rules.can_comment(user, assessment) else None


def _commentable_screening(user, plan_change, screening=None):
    """The current screening if the user may comment on it, else None (as above)."""
    if screening is None:
        screening = assessment_selectors.current_screening(plan_change)
    return screening if screening is not None and rules.can_comment_screening(user, screening) else None


def _comment_targets(user, plan_change):
    """The current screening and assessment version the user may comment on (or None)."""
    return _commentable_assessment(user, plan_change), _commentable_screening(user, plan_change)


def comment_panel(user, plan_change, *, part: str | None, here: str, assessment=None, screening=None) -> dict | None:
    """What a task page shows of the comments: those on ``part`` (every part when None),
    and whether the user may post one there. None when the user is not a participant.
    ``assessment`` and ``screening``: the current version and screening, when the page has
    read them; the one a part's panel does not show is read only to tell a participant."""
    on_screening = part == SCREENING_PART
    if on_screening:
        screening = _commentable_screening(user, plan_change, screening)
        assessment = None if screening is not None else _commentable_assessment(user, plan_change, assessment)
    else:
        assessment = _commentable_assessment(user, plan_change, assessment)
        screening = (_commentable_screening(user, plan_change, screening)
                     if part is None or assessment is None else None)
    if assessment is None and screening is None:
        return None
    groups = assessment_selectors.comment_groups(
        assessment=None if on_screening else assessment, screening=screening if on_screening or part is None else None,
        part=part,
    )
    can_post = part is not None and (screening is not None if on_screening
                                     else assessment is not None and assessment.state not in CLOSED)
    return {"groups": groups, "part": part, "can_post": can_post, "next": here,
            "url": reverse("plan_change_comments", args=[plan_change.pk])}


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def plan_change_comments(request, pk):
    """The comments on a plan change's screening and current assessment, by part; post one."""
    try:
        plan_change = assessment_selectors.plan_change_get(request.user, pk)
    except PlanChange.DoesNotExist:
        raise Http404("No such plan change.") from None
    assessment, screening = _comment_targets(request.user, plan_change)
    if assessment is None and screening is None:
        raise PermissionDenied("Only the assessment's participants can read and post its comments.")
    open_assessment = assessment if assessment is not None and assessment.state not in CLOSED else None
    choices = assessment_selectors.comment_part_choices(assessment=open_assessment, screening=screening)
    form = CommentForm(request.POST or None, part_choices=choices, initial={"part": request.GET.get("part")})
    if request.method == "POST" and form.is_valid():
        part = form.cleaned_data["part"]
        try:
            services.comment_add(
                by=request.user, text=form.cleaned_data["text"], part=part,
                assessment=None if part == SCREENING_PART else open_assessment,
                screening=screening if part == SCREENING_PART else None,
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except RuleViolation as violation:
            apply_errors(form, violation)
        else:
            messages.success(request, "Your comment has been posted.")
            return redirect(_safe_next(request) or reverse("plan_change_comments", args=[plan_change.pk]))
    return render(request, "workflows/comments.html", {
        "plan_change": plan_change, "assessment": assessment, "form": form, "can_post": bool(choices),
        "groups": assessment_selectors.comment_groups(assessment=assessment, screening=screening),
        "next": _safe_next(request),
    })


# --- delegation ---------------------------------------------------------------------------

def _my_roles(user):
    memberships = user.memberships.select_related("board").filter(role__in=DELEGABLE_ROLES)
    return {f"{m.board_id}:{m.role}": m for m in memberships}


@login_required
def delegation_list(request):
    """The user's delegations, made and received; make a new one."""
    mine = _my_roles(request.user)
    pairs = Q(pk__in=[])
    for membership in mine.values():
        pairs |= Q(memberships__board_id=membership.board_id, memberships__role=membership.role)
    colleagues = (get_user_model().objects.filter(pairs, is_active=True).exclude(pk=request.user.pk).distinct()
                  .order_by("last_name", "first_name", "username"))
    roles = [(key, f"{m.get_role_display()}, {m.board.short_name}") for key, m in mine.items()]
    form = DelegationForm(request.POST or None, roles=roles, colleagues=colleagues)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied("You hold no role with tasks to delegate.")
        if form.is_valid():
            data = form.cleaned_data
            membership = mine[data["role"]]
            try:
                delegation = services.delegation_create(
                    delegator=request.user, delegate=data["delegate"], board=membership.board, role=membership.role,
                    starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"],
                )
            except RuleViolation as violation:
                apply_errors(form, violation)
            else:
                messages.success(request, f"Your {delegation.get_role_display().lower()} tasks go to "
                                          f"{delegation.delegate.get_full_name()} from {date_format(delegation.starts_on)} "
                                          f"to {date_format(delegation.ends_on)}.")
                return redirect("delegation_list")
    return render(request, "workflows/delegations.html", {
        "form": form, "can_delegate": bool(mine), **assessment_selectors.delegations_of(request.user),
    })


@login_required
@require_POST
def delegation_end(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk, delegator=request.user)
    try:
        services.delegation_end(delegation=delegation, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except RuleViolation as violation:
        messages.error(request, str(violation))
    else:
        messages.success(request, "The delegation has ended: your tasks are back with you.")
    return redirect("delegation_list")
