"""Concurrency on PostgreSQL: senior officers recording a decision under delegated authority
on one signed document at once: exactly one decision, one publication, one audit event."""

import datetime
from collections import Counter

import pytest
from django.db import connection

from assessments.exceptions import RuleViolation
from assessments.models import AuditEvent
from reports import services
from reports.models import DelegatedDecision, SignedDocument
from tests import factories as f
from tests.reports.helpers import signed_off

from .harness import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

THREADS = 10


def test_ten_senior_officers_at_once_record_exactly_one_decision(django_capture_on_commit_callbacks):
    assert connection.vendor == "postgresql"
    cast = f.Cast()
    seniors = [cast.senior] + [f.user("senior_officer", job_title="Chief Officer") for _ in range(THREADS - 1)]
    with django_capture_on_commit_callbacks(execute=True):
        assessment = signed_off(cast)
    document = SignedDocument.objects.get(assessment=assessment)

    def decide(i):
        try:
            services.delegated_decision_record(document=document, by=seniors[i], authority="Scheme of delegation",
                                               decision=f"Decision {i}.", decided_on=datetime.date.today())
            return "recorded"
        except RuleViolation as refused:
            return str(refused.errors["__all__"][0])

    results = Counter(race(decide, THREADS))
    assert results == {"recorded": 1,
                       "A decision under delegated authority is already recorded for this document.": THREADS - 1}
    assert DelegatedDecision.objects.count() == 1
    assert AuditEvent.objects.filter(action="delegated_decision.record").count() == 1
    assert SignedDocument.objects.get(pk=document.pk).published_at == DelegatedDecision.objects.get().published_at
