"""Emails that tell people the workflow needs them, sent only after the change commits.

Who hears about what:
- submitted: the board's equality leads who can approve it;
- approved: the board's senior officers who can sign it off;
- returned, signed off, withdrawn: the author and everyone who contributed;
- a new version opened by someone else (a board decision "agreed as amended", recorded by
  the clerk): the new version's author, with the decision and its tasks;
- a task assigned to someone (by a return, a screening decision, a colleague finishing the
  last part, a reassignment): its new holder;
- a task put in a queue (a screening to review, a task released by its holder): the people
  who could claim it.
Everything one change causes goes out as one email per person: a person told about the
change to the assessment finds their new tasks listed in that email, not in another one.
Nobody is told about their own action, and people without an email address, or whose
account is closed, are skipped.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments import rules
from assessments.models import Assessment, AuditEvent, Membership, Role
from assessments.signals import assessment_changed
from assessments.text import clean_line

logger = logging.getLogger("iia.notifications")

SUBJECTS = {
    "assessment.submit": "IIA to review: {title}",
    "assessment.approve": "IIA to sign off: {title}",
    "assessment.return": "IIA returned for changes: {title}",
    "assessment.sign_off": "IIA signed off: {title}",
    "assessment.withdraw": "IIA withdrawn: {title}",
    "assessment.new_version": "IIA version {version} open for you: {title}",
}
BODIES = {
    "assessment.submit": "{actor} submitted the integrated impact assessment of “{title}” ({reference}) for review.",
    "assessment.approve": "{actor} approved the integrated impact assessment of “{title}” ({reference}); "
                          "it is ready for senior sign-off.",
    "assessment.return": "{actor} returned the integrated impact assessment of “{title}” ({reference}) for changes.",
    "assessment.sign_off": "{actor} signed off the integrated impact assessment of “{title}” ({reference}).",
    "assessment.withdraw": "{actor} withdrew the integrated impact assessment of “{title}” ({reference}).",
    "assessment.new_version": "{actor} recorded a decision that reopens the integrated impact assessment of "
                              "“{title}” ({reference}): {reason}\n\nVersion {version} is open for you to update; "
                              "once signed off, it replaces version {previous}.",
}
ASSIGNED, QUEUED = "assigned", "queued"
NOBODY = -1  # the actor of an event is known to be none of the recipients


def _reachable(people, actor_id) -> list:
    seen, chosen = set(), []
    for person in people:
        if person.pk not in seen and person.pk != actor_id and person.is_active and person.email:
            seen.add(person.pk)
            chosen.append(person)
    return chosen


def recipients(assessment: Assessment, action: str, actor) -> list:
    """The people to tell about ``action`` on the assessment."""
    board_id = assessment.plan_change.board_id
    if action == "assessment.new_version":
        new = _opened_version(assessment)
        people = [new.author] if new is not None else []
    elif action in ("assessment.submit", "assessment.approve"):
        role, may = ((Role.EQUALITY_LEAD, rules.can_approve) if action == "assessment.submit"
                     else (Role.SENIOR_OFFICER, rules.can_sign_off))
        people = [person for person in role_holders(board_id, role) if may(person, assessment)]
    else:
        people = [assessment.author, *assessment.contributors.all()]
        if assessment.plan_change.lead_officer_id:
            people.append(assessment.plan_change.lead_officer)
    return _reachable(people, actor.pk)


def _opened_version(assessment: Assessment) -> Assessment | None:
    """The version opened from ``assessment`` (``assessment.new_version``)."""
    return Assessment.objects.select_related("author").filter(supersedes=assessment).first()


def _new_version_words(assessment: Assessment) -> dict:
    new = _opened_version(assessment)
    event = (AuditEvent.objects.filter(assessment=assessment, action="assessment.new_version")
             .order_by("-pk").only("data").first())
    return {"version": new.version if new else assessment.version + 1, "previous": assessment.version,
            "reason": (event.data or {}).get("reason", "") if event else ""}


def role_holders(board_id: int, role: str) -> list:
    """The active people who hold the role on the board."""
    return list(get_user_model().objects.filter(
        pk__in=Membership.objects.filter(board_id=board_id, role=role).values("user_id"),
        is_active=True,
    ).order_by("pk"))


def claimers(task: Task, holders: list | None = None) -> list:
    """Everyone who could claim the unassigned task: its role on its board and its own rule
    (``holders``: the role's holders on the board, when the caller has read them)."""
    node = task.flow_task
    if holders is None:
        holders = role_holders(task.process.coerced.board_id, node.role)
    return [person for person in holders if node.can_assign(person, task)]


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


def _link(path: str) -> str:
    return settings.IIA_SITE_URL + path


@dataclass
class _Email:
    """One email being written: its opening lines, then the tasks it tells the person about."""

    subject: str
    lines: list
    to: str
    about_change: bool = True  # an email about a change to the assessment, listing tasks below
    tasks: list = field(default_factory=list)

    def message(self) -> EmailMessage:
        subject, body = self.subject, "\n\n".join(self.lines)
        if self.tasks:
            heading = "Your tasks on it:" if self.about_change else "Your tasks:"
            body += f"\n\n{heading}\n" + "\n".join(self.tasks)
        if not self.about_change and len(self.tasks) > 1:
            subject = subject.replace("Task assigned to you", f"{len(self.tasks)} tasks assigned to you")
        # one line: a title may hold a line break (typed before titles were kept to one line),
        # and Django refuses a header with one, which would drop every email of the change
        return EmailMessage(clean_line(subject), body + "\n\nYour tasks are in your inbox.", to=[self.to])


def _action_emails(actions, emails: dict) -> None:
    users = get_user_model().objects
    for assessment_id, action, actor_id in actions:
        assessment = Assessment.objects.select_related("plan_change").filter(pk=assessment_id).first()
        actor = users.filter(pk=actor_id).first()
        if assessment is None or actor is None:
            continue
        plan_change = assessment.plan_change
        words = {"title": plan_change.title, "reference": plan_change.reference, "actor": _name(actor)}
        if action == "assessment.new_version":
            words.update(_new_version_words(assessment))
        link = _link(reverse("plan_change_detail", args=[plan_change.pk]))
        for person in recipients(assessment, action, actor):
            emails[(person.pk, plan_change.pk)] = _Email(
                SUBJECTS[action].format(**words), [BODIES[action].format(**words), f"Open it: {link}"], person.email)


def _acted_by(task: Task, hint_id: int | None, looked_up: dict | None = None) -> int | None:
    """Whose action created the task: the holder of the nearest human task before it (the
    last one finished, behind a join), else the actor of the change it came with.
    ``looked_up`` keeps the tasks before each task already read, for the other tasks of the
    same change."""
    looked_up = {} if looked_up is None else looked_up
    frontier, looked = [task], 0
    while frontier and looked < 30:
        current = frontier.pop(0)
        looked += 1
        if current.pk not in looked_up:
            looked_up[current.pk] = list(current.previous.order_by("-finished", "-pk"))
        earlier = looked_up[current.pk]
        for previous in earlier:
            if previous.owner_id:
                return previous.owner_id
        frontier += earlier
    if hint_id:
        return hint_id
    return task.process.coerced.plan_change.created_by_id


def _task_emails(events, hint_id, emails: dict) -> None:
    from . import selectors

    # one change often creates several tasks of one process (the parts): read them together
    tasks = Task.objects.select_related("process__iiaprocess__plan_change", "owner").in_bulk(
        [event[0] for event in events])
    looked_up, assessments = {}, {}
    for task_id, kind, owner_id, actor_id in events:
        task = tasks.get(task_id)
        if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            continue  # rolled back, or already moved on
        if task.owner_id != owner_id:
            continue
        actor_id = actor_id or _acted_by(task, hint_id, looked_up)
        process = task.process.coerced
        plan_change = process.plan_change
        if (task.data or {}).get("part") and process.pk not in assessments:
            assessments[process.pk] = selectors.process_assessment(process)
        title = selectors.task_title(task, assessments.get(process.pk))
        if kind == ASSIGNED:
            people, url = [task.owner], selectors.task_url(task, "execute")
            line = f"- {title}: {_link(url)}"
        else:
            people, url = claimers(task), selectors.task_url(task, "assign")
            line = f"- {title} (claim it): {_link(url)}"
        for person in _reachable(people, actor_id):
            key = (person.pk, plan_change.pk)
            if key not in emails:
                emails[key] = _task_email(task, kind, title, plan_change, person, actor_id)
            emails[key].tasks.append(line)


def _task_email(task, kind, title, plan_change, person, actor_id) -> _Email:
    from . import selectors

    about = f"“{plan_change.title}” ({plan_change.reference})"
    if kind == QUEUED:
        return _Email(f"Task to claim: {title} — {plan_change.title}",
                      [f"A task for {about} is waiting in your queue for someone to claim it."], person.email,
                      about_change=False)
    screening = selectors.process_screening(task.process.coerced) if task.flow_task.name == "screening" else None
    if screening is not None and screening.state == "returned":
        reviewer = get_user_model().objects.filter(pk=actor_id).first()
        lines = [f"{_name(reviewer) if reviewer else 'The equality lead'} returned the pre-screening of {about} "
                 f"for changes.", f"Comments: {screening.review_comments}" if screening.review_comments else ""]
        return _Email(f"Pre-screening returned for changes: {plan_change.title}", [x for x in lines if x],
                      person.email, about_change=False)
    return _Email(f"Task assigned to you: {plan_change.title}", [f"You have a new task for {about}."], person.email,
                  about_change=False)


def messages_for(payload: dict) -> list[EmailMessage]:
    """One email per person and plan change for everything one committed change caused."""
    emails: dict = {}
    _action_emails(payload.get("actions", []), emails)
    _task_emails(payload.get("tasks", []), payload.get("hint"), emails)
    return [email.message() for email in emails.values()]


def send(payload: dict) -> int:
    """Send the emails for one committed change; returns how many were sent."""
    messages = messages_for(payload)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def enqueue(payload: dict) -> None:
    """On Celery when a broker is configured; inline otherwise. A failure to send is
    logged and never undoes or blocks the change it reports."""
    if settings.CELERY_BROKER_URL:
        from iia.celery import send_to_workers

        from .tasks import send_notification

        send_to_workers(send_notification, payload)
        return
    try:
        send(payload)
    except Exception:
        logger.exception("notifications %s were not sent", payload)


# --- collecting one transaction's events -------------------------------------------------


class _Batch:
    """The events of the current transaction, sent together once it commits.

    Each event registers its own hook with ``on_commit``; the first hook to run sends
    every event of the batch and the others find nothing left. Before each new event,
    events whose hook is no longer registered (their savepoint or transaction rolled
    back) are dropped. Tasks are read again when the emails are written, so one rolled
    back after the last event is skipped too.
    """

    def __init__(self):
        self.events = []  # (hook, "action", "task" or "actor", data)

    def add(self, kind: str, data: tuple) -> None:
        hook = _Hook(self)
        self.events.append((hook, kind, data))
        transaction.on_commit(hook)

    def prune(self, live: set) -> None:
        self.events = [event for event in self.events if id(event[0]) in live]

    def flush(self):
        actors = [data for _, kind, data in self.events if kind == "actor"]
        payload = {"actions": [data for _, kind, data in self.events if kind == "action"],
                   "tasks": [data for _, kind, data in self.events if kind == "task"],
                   "hint": actors[-1] if actors else None}
        self.events = []
        if payload["actions"] or payload["tasks"]:
            enqueue(payload)


class _Hook:
    def __init__(self, batch: _Batch):
        self.batch = batch

    def __call__(self):
        self.batch.flush()


def _batch() -> _Batch:
    connection = transaction.get_connection()
    batch = getattr(connection, "_iia_notifications", None)
    if batch is None:
        batch = connection._iia_notifications = _Batch()
    batch.prune({id(callback) for _, callback, _ in connection.run_on_commit if isinstance(callback, _Hook)})
    return batch


@receiver(assessment_changed)
def schedule(sender, assessment, action, by, **kwargs):
    batch = _batch()
    batch.add("actor", by.pk)  # who made the change, for tasks it creates that cannot tell
    if action in SUBJECTS:
        batch.add("action", (assessment.pk, action, by.pk))


def task_read_under_lock(task: Task) -> None:
    """Note the holder and status of a task just read under its flow lock: nobody else can
    change the row until the transaction ends, so its saves need not read them again."""
    task._iia_locked = (task.owner_id, task.status)
    transaction.on_commit(lambda: task.__dict__.pop("_iia_locked", None))


@receiver(pre_save, sender=Task)
def _task_before(sender, instance, **kwargs):
    if getattr(instance.flow_task, "role", None) is None:
        return
    if not instance.pk:
        instance._iia_before = None
    elif getattr(instance, "_iia_locked", None) is not None:
        instance._iia_before = instance._iia_locked
    else:
        instance._iia_before = Task.objects.filter(pk=instance.pk).values_list("owner_id", "status").first()


@receiver(post_save, sender=Task)
def _task_after(sender, instance, created, **kwargs):
    """A task newly held by someone, or newly waiting in a queue (a claim is the claimer's own act)."""
    if getattr(instance.flow_task, "role", None) is None:
        return
    before = instance.__dict__.pop("_iia_before", None)
    owner_id, status = instance.owner_id, instance.status
    if getattr(instance, "_iia_locked", None) is not None:
        instance._iia_locked = (owner_id, status)
    if status not in (STATUS.NEW, STATUS.ASSIGNED):
        return
    if created or before is None:
        event = (ASSIGNED if owner_id else QUEUED, None)
    elif before[0] == owner_id:
        return
    elif owner_id is None:
        event = (QUEUED, before[0])  # released by its holder
    elif before[0] is None:
        return  # claimed: the claimer's own action
    else:
        event = (ASSIGNED, NOBODY)  # handed from one person to another, by someone unknown here
    _batch().add("task", (instance.pk, event[0], owner_id, event[1]))
