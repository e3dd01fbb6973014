"""Emails that tell people the workflow needs them, sent only after the change commits.

Who hears about what:
- submitted: the board's equality leads who can approve it;
- approved: the board's senior officers who can sign it off;
- returned, signed off, withdrawn: the author and everyone who contributed.
Nobody is told about their own action, and people without an email address are skipped.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse

from assessments import rules
from assessments.models import Assessment, Membership, Role
from assessments.signals import assessment_changed

logger = logging.getLogger("iia.notifications")

SUBJECTS = {
    "assessment.submit": "IIA to review: {title}",
    "assessment.approve": "IIA to sign off: {title}",
    "assessment.return": "IIA returned for changes: {title}",
    "assessment.sign_off": "IIA signed off: {title}",
    "assessment.withdraw": "IIA withdrawn: {title}",
}
BODIES = {
    "assessment.submit": "{actor} submitted the integrated impact assessment of “{title}” ({reference}) for review.",
    "assessment.approve": "{actor} approved the integrated impact assessment of “{title}” ({reference}); "
                          "it is ready for senior sign-off.",
    "assessment.return": "{actor} returned the integrated impact assessment of “{title}” ({reference}) for changes.",
    "assessment.sign_off": "{actor} signed off the integrated impact assessment of “{title}” ({reference}).",
    "assessment.withdraw": "{actor} withdrew the integrated impact assessment of “{title}” ({reference}).",
}


def recipients(assessment: Assessment, action: str, actor) -> list:
    """The people to tell about ``action`` on the assessment."""
    board_id = assessment.plan_change.board_id
    if action in ("assessment.submit", "assessment.approve"):
        role, may = ((Role.EQUALITY_LEAD, rules.can_approve) if action == "assessment.submit"
                     else (Role.SENIOR_OFFICER, rules.can_sign_off))
        people = get_user_model().objects.filter(
            pk__in=Membership.objects.filter(board_id=board_id, role=role).values("user_id"), is_active=True)
        people = [person for person in people if may(person, assessment)]
    else:
        people = [assessment.author, *assessment.contributors.all()]
        if assessment.plan_change.lead_officer_id:
            people.append(assessment.plan_change.lead_officer)
    seen, chosen = set(), []
    for person in people:
        if person.pk not in seen and person.pk != actor.pk and person.is_active and person.email:
            seen.add(person.pk)
            chosen.append(person)
    return chosen


def messages_for(assessment_id: int, action: str, actor_id: int) -> list[EmailMessage]:
    assessment = Assessment.objects.select_related("plan_change").get(pk=assessment_id)
    actor = get_user_model().objects.get(pk=actor_id)
    plan_change = assessment.plan_change
    words = {"title": plan_change.title, "reference": plan_change.reference,
             "actor": actor.get_full_name() or actor.get_username()}
    link = settings.IIA_SITE_URL + reverse("plan_change_detail", args=[plan_change.pk])
    body = BODIES[action].format(**words) + f"\n\nOpen it: {link}\n\nYour tasks are in your inbox."
    return [EmailMessage(SUBJECTS[action].format(**words), body, to=[person.email])
            for person in recipients(assessment, action, actor)]


def send(assessment_id: int, action: str, actor_id: int) -> int:
    """Send the emails for one change; returns how many were sent."""
    messages = messages_for(assessment_id, action, actor_id)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def enqueue(assessment_id: int, action: str, actor_id: int) -> None:
    """On Celery when a broker is configured; inline otherwise. A failure to send is
    logged and never undoes or blocks the change it reports."""
    if settings.CELERY_BROKER_URL:
        from .tasks import send_notification

        send_notification.delay(assessment_id, action, actor_id)
        return
    try:
        send(assessment_id, action, actor_id)
    except Exception:
        logger.exception("notification %s of assessment %s was not sent", action, assessment_id)


@receiver(assessment_changed)
def schedule(sender, assessment, action, by, **kwargs):
    if action in SUBJECTS:
        transaction.on_commit(lambda: enqueue(assessment.pk, action, by.pk))
