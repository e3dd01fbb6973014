"""Reminders: review dates coming up (assessments and directions), mitigating actions
overdue, tasks waiting too long, requests for other formats overdue.

``reminders_send`` is run daily (Celery beat, or ``manage.py send_reminders`` from cron).
Each reminder to each person is claimed in ``SentReminder`` before it is sent, under a
unique constraint, so two runs at once never send it twice; a failed send deletes its
claim so the next run tries again, and a claim left by a run that died mid-send is taken
over after ``LEASE``.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from assessments.models import Assessment, Board, MitigatingAction, Role
from assessments.models.assessment import CLOSED_ACTION_STATUSES, OPEN_STATES, AssessmentState
from assessments.text import clean_line
from reports.models import Direction, DirectionStatus, FormatRequest, FormatRequestStatus
from reports.notifications import equality_leads_of
from reports.services import format_requests_erase_personal_data

from . import selectors
from .models import ACTIVE_STATUSES, ReminderKind, ReminderPolicy, SentReminder
from .notifications import claimers, role_holders
from .working_days import working_days_between

logger = logging.getLogger("iia.reminders")

LEASE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Reminder:
    """One email due to one person."""

    kind: str
    board_id: int
    object_id: int
    about: datetime.date
    recipient: object
    subject: str
    body: str


def policy_for(board: Board) -> ReminderPolicy:
    """The board's settings, or the defaults (unsaved) when it has none."""
    return ReminderPolicy.objects.filter(board=board).first() or ReminderPolicy(board=board)


def _reachable(people) -> list:
    seen, chosen = set(), []
    for person in people:
        if person is not None and person.pk not in seen and person.is_active and person.email:
            seen.add(person.pk)
            chosen.append(person)
    return chosen


def _owners(assessment: Assessment) -> list:
    """Who answers for an assessment's follow-up: its author and the plan change's lead officer."""
    return _reachable([assessment.author, assessment.plan_change.lead_officer])


def _link(name: str, *args) -> str:
    return settings.IIA_SITE_URL + reverse(name, args=args)


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _plan_change_words(plan_change) -> str:
    return f"“{plan_change.title}” ({plan_change.reference})"


def review_reminders(board: Board, policy: ReminderPolicy, today: datetime.date) -> list[Reminder]:
    """Signed-off assessments whose review date falls within the notice period (not past),
    unless a new version is already open (the review is under way)."""
    if not policy.review_notice_days:
        return []
    due = (
        Assessment.objects.filter(
            plan_change__board=board, state=AssessmentState.SIGNED_OFF,
            review_date__gte=today, review_date__lte=today + datetime.timedelta(days=policy.review_notice_days),
        )
        .exclude(plan_change__assessments__state__in=OPEN_STATES)
        .select_related("plan_change__lead_officer", "author")
        .order_by("review_date", "pk")
    )
    found = []
    for assessment in due:
        plan_change = assessment.plan_change
        when = _day(assessment.review_date)
        subject = f"IIA review due {when}: {plan_change.title}"
        body = (f"The integrated impact assessment of {_plan_change_words(plan_change)} is due for review "
                f"on {when}.\n\nReview it: confirm it still holds, or start a new version.\n\n"
                f"Open it: {_link('plan_change_detail', plan_change.pk)}")
        found += [Reminder(ReminderKind.REVIEW_DUE, board.pk, assessment.pk, assessment.review_date, person,
                           subject, body) for person in _owners(assessment)]
    return found


def overdue_action_reminders(board: Board, policy: ReminderPolicy, today: datetime.date) -> list[Reminder]:
    """Mitigating actions of signed-off assessments past their due date, neither done nor
    dropped (progress recorded after sign-off ends them: ``services.action_progress_record``)."""
    if not policy.overdue_actions:
        return []
    overdue = (
        MitigatingAction.objects.filter(
            assessment__plan_change__board=board, assessment__state=AssessmentState.SIGNED_OFF,
            due_date__lt=today,
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .select_related("assessment__plan_change__lead_officer", "assessment__author")
        .order_by("due_date", "pk")
    )
    found = []
    for action in overdue:
        plan_change = action.assessment.plan_change
        when = _day(action.due_date)
        subject = f"Mitigating action overdue since {when}: {plan_change.title}"
        body = (f"A mitigating action of the integrated impact assessment of {_plan_change_words(plan_change)} "
                f"was due on {when} and is {action.get_status_display().lower()}:\n\n“{action.description}”\n"
                f"Responsible: {action.owner}\n\n"
                f"Open it: {_link('plan_change_detail', plan_change.pk)}")
        found += [Reminder(ReminderKind.ACTION_OVERDUE, board.pk, action.pk, action.due_date, person,
                           subject, body) for person in _owners(action.assessment)]
    return found


def idle_task_reminders(board: Board, policy: ReminderPolicy, today: datetime.date) -> list[Reminder]:
    """Open tasks that have not moved for the board's number of working days: to the
    holder, or, when nobody holds one, to the people who could claim it."""
    if not policy.idle_task_working_days:
        return []
    # a task that moved since this local midnight has waited fewer calendar days, so fewer
    # working days, than the policy's: the database leaves those out, and gateways and joins
    moved_before = timezone.make_aware(datetime.datetime.combine(
        today - datetime.timedelta(days=policy.idle_task_working_days - 1), datetime.time.min))
    tasks = selectors.tasks_primed(  # titles and claimers' rules read no more per task
        Task.objects.filter(process__iiaprocess__board=board, flow_task_type="HUMAN",
                            status__in=ACTIVE_STATUSES, created__lt=moved_before)
        .filter(Q(started__isnull=True) | Q(started__lt=moved_before))
        .select_related("process__iiaprocess__plan_change__board", "owner")
        .order_by("created", "pk")
    )
    holders = {}  # role: the board's people who hold it, read once a run (and their roles once)
    found = []
    for task in tasks:
        node = task.flow_task
        if node is None or not hasattr(node, "role"):
            continue  # gateways and joins are nobody's task
        moved = timezone.localdate(max(filter(None, [task.created, task.started])))
        waited = working_days_between(moved, today)
        if waited < policy.idle_task_working_days:
            continue
        plan_change = task.process.iiaprocess.plan_change
        title = selectors.task_title(task)
        if task.owner_id:
            people, url = _reachable([task.owner]), selectors.task_url(task, "execute")
            line = "It is in your inbox."
        else:
            if node.role not in holders:
                holders[node.role] = role_holders(board.pk, node.role)
            people, url = _reachable(claimers(task, holders[node.role])), selectors.task_url(task, "assign")
            line = "Nobody has claimed it yet; you can claim it from your queue."
        subject = f"Task waiting {waited} working days: {title}"
        body = (f"“{title}” for {_plan_change_words(plan_change)} has been waiting since "
                f"{_day(moved)}. {line}\n\nOpen it: {settings.IIA_SITE_URL}{url}")
        found += [Reminder(ReminderKind.TASK_IDLE, board.pk, task.pk, moved, person, subject, body)
                  for person in people]
    return found


def direction_review_reminders(board: Board, policy: ReminderPolicy, today: datetime.date) -> list[Reminder]:
    """Current directions whose review date falls within the notice period (not past): to
    the board's clerks, who keep the register and put the review on an agenda, and its
    senior officers (the Chief Officer answers for directions)."""
    if not policy.review_notice_days:
        return []
    due = list(
        Direction.objects.filter(
            report__board=board, status=DirectionStatus.CURRENT,
            review_date__gte=today, review_date__lte=today + datetime.timedelta(days=policy.review_notice_days),
        ).order_by("review_date", "pk")
    )
    if not due:
        return []
    people = _reachable(role_holders(board.pk, Role.CLERK) + role_holders(board.pk, Role.SENIOR_OFFICER))
    found = []
    for direction in due:
        when = _day(direction.review_date)
        subject = f"Direction review due {when}: {direction.reference}"
        body = (f"Direction {direction.reference} to {direction.get_recipients_display().lower()} "
                f"(“{direction.functions}”) is due for review on {when}.\n\n"
                "Review it: bring a report to the board that varies or revokes it, or confirms it.\n\n"
                f"The register of directions: {_link('register_directions', board.slug)}#{direction.reference}")
        found += [Reminder(ReminderKind.DIRECTION_REVIEW, board.pk, direction.pk, direction.review_date, person,
                           subject, body) for person in people]
    return found


def overdue_format_request_reminders(board: Board, policy: ReminderPolicy, today: datetime.date) -> list[Reminder]:
    """Requests for other formats past their due date and not done: to the board's equality
    leads, once per request (whatever the board's policy: a request from the public is
    never switched off)."""
    overdue = (FormatRequest.objects.filter(board=board, due_on__lt=today).exclude(status=FormatRequestStatus.DONE)
               .select_related("document__assessment__plan_change", "document__screening__plan_change")
               .defer(*(f"document__{field}" for field in ("pdf", "certificate", "snapshot")))
               .order_by("due_on", "pk"))
    leads = None
    found = []
    for request in overdue:
        if leads is None:
            leads = _reachable(equality_leads_of(board.pk))
        plan_change = request.document.plan_change
        when = _day(request.due_on)
        subject = f"Request for another format overdue since {when}: {plan_change.title}"
        body = (f"Request {request.reference} asked for the {request.document.get_kind_display().lower()} of "
                f"{_plan_change_words(plan_change)} in {request.format_label}. It was due on {when} and is "
                f"{request.get_status_display().lower()}.\n\n"
                f"Open it: {_link('format_request_detail', request.pk)}")
        found += [Reminder(ReminderKind.FORMAT_OVERDUE, board.pk, request.pk, request.due_on, person, subject, body)
                  for person in leads]
    return found


def reminders_due(*, today: datetime.date, board: Board | None = None) -> list[Reminder]:
    """Every reminder due today on the board (or every board), sent before or not."""
    found = []
    for each in [board] if board else Board.objects.order_by("pk"):
        policy = policy_for(each)
        for finder in (review_reminders, overdue_action_reminders, idle_task_reminders, direction_review_reminders,
                       overdue_format_request_reminders):
            found += finder(each, policy, today)
    return found


def _key(reminder: Reminder) -> tuple:
    return reminder.kind, reminder.object_id, reminder.about, reminder.recipient.pk


def _sent(due: list[Reminder]) -> set[tuple]:
    """The keys of the reminders in ``due`` that were sent already, read a thousand objects
    at a time (a daily run finds mostly the same idle tasks as the day before: trying to
    claim each again cost a failed insert and an update apiece)."""
    ids_by_kind = {}
    for reminder in due:
        ids_by_kind.setdefault(reminder.kind, set()).add(reminder.object_id)
    sent = set()
    for kind, ids in ids_by_kind.items():
        ids = sorted(ids)
        for start in range(0, len(ids), 1000):
            sent.update(SentReminder.objects.filter(kind=kind, object_id__in=ids[start:start + 1000], sent_at__isnull=False)
                        .values_list("kind", "object_id", "about", "recipient_id"))
    return sent


def _claim(reminder: Reminder) -> SentReminder | None:
    """Record the reminder as being sent; None when it was sent, or another run is sending it."""
    now = timezone.now()
    key = {"kind": reminder.kind, "object_id": reminder.object_id, "about": reminder.about,
           "recipient": reminder.recipient}
    try:
        with transaction.atomic():
            return SentReminder.objects.create(board_id=reminder.board_id, claimed_at=now, **key)
    except IntegrityError:
        pass
    # A claim older than the lease belongs to a run that died before recording the send:
    # take it over, once, whoever gets there first.
    taken = SentReminder.objects.filter(sent_at__isnull=True, claimed_at__lt=now - LEASE, **key).update(claimed_at=now)
    return SentReminder.objects.filter(**key).first() if taken else None


def _deliver(reminder: Reminder, connection) -> None:
    EmailMessage(clean_line(reminder.subject), reminder.body, to=[reminder.recipient.email], connection=connection).send()


def reminders_send(*, today: datetime.date | None = None, board: Board | None = None,
                   dry_run: bool = False) -> Counter:
    """Send every reminder due and not yet sent; returns how many of each kind were sent
    (with ``dry_run``, would be sent: nothing is sent or recorded). A failed email is
    logged, not recorded, and tried again by the next run."""
    today = today or timezone.localdate()
    counts = Counter({kind.value: 0 for kind in ReminderKind})
    due = reminders_due(today=today, board=board)
    sent = _sent(due)
    due = [reminder for reminder in due if _key(reminder) not in sent]
    if dry_run:
        counts.update(reminder.kind for reminder in due)
        return counts
    if board is None:  # the daily run also erases requesters' details kept long enough
        format_requests_erase_personal_data()
    with get_connection() as connection:
        for reminder in due:
            record = _claim(reminder)  # another run may be sending it: the database decides
            if record is None:
                continue
            try:
                _deliver(reminder, connection)
            except Exception:
                logger.exception("reminder %s was not sent; the next run tries again", record)
                SentReminder.objects.filter(pk=record.pk, sent_at__isnull=True).delete()
                counts["failed"] += 1
                continue
            SentReminder.objects.filter(pk=record.pk).update(sent_at=timezone.now())
            counts[reminder.kind] += 1
    return counts
