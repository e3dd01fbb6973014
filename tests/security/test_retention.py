"""Retention: people who left are anonymised; the audit trail stays meaningful."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assessments import services
from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

FIELDS = ["pk", "board_id", "plan_change_id", "screening_id", "assessment_id", "actor_id", "action", "from_state",
          "to_state", "message", "data", "at"]


def _leave(person, days_ago):
    person.is_active = False
    person.last_login = timezone.now() - datetime.timedelta(days=days_ago)
    person.email = f"{person.username}@example.org"
    person.save()


def test_anonymising_a_leaver_keeps_their_audit_events_under_a_pseudonym(cast, capsys):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    lead = cast.lead
    theirs = list(AuditEvent.objects.filter(actor=lead).order_by("pk").values_list(*FIELDS))
    others = list(AuditEvent.objects.exclude(actor=lead).order_by("pk").values_list(*FIELDS, "actor_name"))
    assert theirs and all(name == lead.get_full_name() for name in
                          AuditEvent.objects.filter(actor=lead).values_list("actor_name", flat=True))
    _leave(lead, days_ago=800)
    _leave(cast.officer2, days_ago=30)  # left recently: kept for now
    call_command("anonymise_leavers", "--inactive-days", "730")
    lead.refresh_from_db()
    assert lead.get_full_name() == f"Former equality lead {lead.pk}"
    assert (lead.username, lead.email, lead.has_usable_password(), lead.memberships.count()) == (
        f"former-{lead.pk}", "", False, 0)
    assert list(AuditEvent.objects.filter(actor=lead).order_by("pk").values_list(*FIELDS)) == theirs
    assert set(AuditEvent.objects.filter(actor=lead).values_list("actor_name", flat=True)) == {lead.get_full_name()}
    assert list(AuditEvent.objects.exclude(actor=lead).exclude(action="person.anonymise").order_by("pk")
                .values_list(*FIELDS, "actor_name")) == others
    removal = AuditEvent.objects.get(action="person.anonymise")
    assert removal.data == {"user_id": lead.pk} and "Former equality lead" in removal.message
    cast.officer2.refresh_from_db()
    assert cast.officer2.username.startswith("officer")  # not yet past the retention period
    with capsys.disabled():
        print(f"\nD2 retention: 1 leaver anonymised, {len(theirs)} audit events kept with actor, time and states "
              f"unchanged under '{lead.get_full_name()}', 1 removal event, 1 recent leaver kept")


def test_an_active_account_is_never_anonymised(cast):
    with pytest.raises(RuleViolation):
        services.person_anonymise(person=cast.officer)
    _leave(cast.officer, 1000)
    services.person_anonymise(person=cast.officer)
    with pytest.raises(RuleViolation):
        services.person_anonymise(person=cast.officer)


def test_the_audit_table_allows_nothing_but_the_anonymising_change(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger is PostgreSQL's")
    f.start(cast)
    event = AuditEvent.objects.filter(actor=cast.officer).first()
    with connection.cursor() as cursor:
        for statement in (
            "UPDATE assessments_auditevent SET actor_name = 'x' WHERE id = %s",  # without the setting
            "SELECT set_config('iia.anonymising', 'on', true); "
            "UPDATE assessments_auditevent SET message = 'x' WHERE id = %s",  # with it, but more than the name
            "DELETE FROM assessments_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.actor_name == cast.officer.get_full_name() and event.message
