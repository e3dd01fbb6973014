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
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessments import rules
from assessments.models import Assessment, AuditEvent, Membership, Role, ScreeningState
from assessments.text import clean_line

from . import selectors
from .models import ACTIVE_STATUSES

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


def _task_emails(events, emails: dict) -> None:
    # one change often creates several tasks of one process (the parts): read them together
    tasks = Task.objects.select_related("process__iiaprocess__plan_change", "owner").in_bulk(
        [event[0] for event in events])
    assessments = {}
    for task_id, kind, owner_id, actor_id in events:
        task = tasks.get(task_id)
        if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            continue  # rolled back, or already moved on
        if task.owner_id != owner_id:
            continue
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
    about = f"“{plan_change.title}” ({plan_change.reference})"
    if kind == QUEUED:
        return _Email(f"Task to claim: {title} — {plan_change.title}",
                      [f"A task for {about} is waiting in your queue for someone to claim it."], person.email,
                      about_change=False)
    screening = selectors.process_screening(task.process.coerced) if task.flow_task.name == "screening" else None
    if screening is not None and screening.state == ScreeningState.RETURNED:
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
    _task_emails(payload.get("tasks", []), emails)
    return [email.message() for email in emails.values()]


def send(payload: dict) -> int:
    """Send the emails for one committed change; returns how many were sent."""
    messages = messages_for(payload)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


# --- what an action changed ------------------------------------------------------------


def waiting_tasks(process_id: int) -> dict[int, int | None]:
    """The process's human tasks someone may still act on, with their holders: read before
    and after an action's change, under the flow lock, to see what it created or handed on."""
    return dict(Task.objects.filter(process_id=process_id, flow_task_type="HUMAN", status__in=ACTIVE_STATUSES)
                .values_list("pk", "owner_id"))


def task_events(before: dict, after: dict, actor_id: int) -> list[tuple]:
    """The tasks to tell people about after a change by ``actor_id``: each new task (to its
    holder, or to the people who could claim it), each task handed from one person to another
    (to its new holder) and each task given back to the queue. A claim is the claimer's own act."""
    events = []
    for task_id, owner_id in after.items():
        if task_id not in before:
            events.append((task_id, ASSIGNED if owner_id else QUEUED, owner_id, actor_id))
        elif before[task_id] != owner_id and before[task_id] is not None:
            events.append((task_id, ASSIGNED if owner_id else QUEUED, owner_id, actor_id))
    return events
