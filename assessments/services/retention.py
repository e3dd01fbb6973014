"""Retention: the personal details of people who left are removed, while the audit
trail keeps saying what each of them did, under a pseudonym with their role."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from ..exceptions import RuleViolation
from ..models import AuditEvent, EasyReadSummary, Membership, Role
from .audit import audit_record

User = get_user_model()
PREFIX = "former-"
ROLE_ORDER = [Role.SENIOR_OFFICER, Role.EQUALITY_LEAD, Role.CLERK, Role.OFFICER]


def leavers(*, left_before: datetime.datetime) -> QuerySet:
    """Closed accounts (inactive) not used since ``left_before`` and not yet anonymised."""
    return (
        User.objects.filter(is_active=False)
        .exclude(username__startswith=PREFIX)
        .filter(Q(last_login__lt=left_before) | Q(last_login__isnull=True, date_joined__lt=left_before))
        .order_by("pk")
    )


def pseudonym(person) -> str:
    """"Former equality lead 17": the role they held, and a number that stays theirs."""
    roles = set(Membership.objects.filter(user=person).values_list("role", flat=True))
    role = next((r for r in ROLE_ORDER if r in roles), None)
    return f"Former {Role(role).label.lower() if role else 'user'} {person.pk}".replace("ijb clerk", "IJB clerk")


def person_anonymise(*, person, by=None) -> str:
    """Remove a closed account's personal details: name, username, email, password, roles
    and login records. The audit events it wrote keep their actor, time and states, with
    the pseudonym as the name; one more event per board records the removal."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_active:
            raise RuleViolation("Close the account (make it inactive) before removing its personal details.")
        if person.username.startswith(PREFIX):
            raise RuleViolation("This account has already been anonymised.")
        name = pseudonym(person)
        boards = set(Membership.objects.filter(user=person).values_list("board_id", flat=True))
        boards |= set(AuditEvent.objects.filter(actor=person).values_list("board_id", flat=True).distinct())
        AuditEvent.objects.anonymise_actor(person.pk, name)
        EasyReadSummary.objects.filter(written_by=person).update(written_by_name=name)  # the wording stays
        old_username = person.username
        person.username = f"{PREFIX}{person.pk}"
        person.first_name, person.last_name, person.email = name, "", ""
        person.set_unusable_password()
        person.save()
        Membership.objects.filter(user=person).delete()
        if apps.is_installed("axes"):  # failed and successful sign-ins name the account
            for model in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
                apps.get_model("axes", model).objects.filter(username=old_username).delete()
        for board_id in sorted(boards):
            audit_record(board=board_id, actor=by, action="person.anonymise",
                         message=f"Personal details of {name} removed under the retention policy.",
                         data={"user_id": person.pk})
    return name
