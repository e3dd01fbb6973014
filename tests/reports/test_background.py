"""Background work with the broker out of reach: the change stands, the work waits as
pending in the database, and the quarter-hourly sweep sends it again."""

import datetime

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import background, services, tasks
from reports.models import AgendaPack, DocumentStatus, PackStatus, SignedDocument

from .helpers import signed_off
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_out_of_reach(settings, monkeypatch):
    """Every task sent to the broker fails as a refused connection does (the names tried)."""
    from celery import Celery

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    tried = []

    def refuse(app, name, *args, **kwargs):
        tried.append(name)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Celery, "send_task", refuse)
    return tried


def test_a_sign_off_stands_and_its_document_waits_for_the_sweep(cast, committed, broker_out_of_reach, settings, caplog):
    assessment = committed(signed_off, cast)  # raised out of the commit before (a 500 after the sign-off was saved)
    assert assessment.state == "signed_off"
    assert "reports.tasks.issue_document" in broker_out_of_reach
    assert "workflows.tasks.send_notification" in broker_out_of_reach
    assert "broker out of reach" in caplog.text
    document = SignedDocument.objects.get(assessment=assessment)
    assert document.status == DocumentStatus.PENDING and document.pdf is None

    # the broker is back (here: no broker, the work runs inline); the sweep leaves fresh requests alone
    settings.CELERY_BROKER_URL = ""
    assert background.send_pending() == (0, 0)
    later = timezone.now() + background.PENDING_FOR + datetime.timedelta(minutes=1)
    assert background.send_pending(now=later) == (1, 0)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.sha256
    assert background.send_pending(now=later) == (0, 0)  # nothing left pending


def test_a_published_agenda_stands_and_its_pack_waits_for_the_sweep(cast, committed, broker_out_of_reach, settings):
    settings.CELERY_BROKER_URL = ""
    signed = committed(signed_off, cast)
    m = meeting(cast)
    services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    assert "reports.tasks.build_pack" in broker_out_of_reach
    pack = AgendaPack.objects.get(meeting=m)
    assert pack.status == PackStatus.PENDING

    settings.CELERY_BROKER_URL = ""
    later = timezone.now() + background.PENDING_FOR + datetime.timedelta(minutes=1)
    assert background.send_pending(now=later) == (0, 1)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.pages


def test_the_sweep_runs_every_quarter_hour_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending"]
    assert entry["task"] == tasks.send_pending.name == "reports.tasks.send_pending"
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert tasks.send_pending.run() == "0 documents and 0 packs sent again"


def test_a_rebuilt_pack_is_timed_from_its_new_request(cast, committed, settings):
    signed = committed(signed_off, cast)
    m = meeting(cast)
    services.agenda_add_report(meeting=m, report=report_for(cast, signed.plan_change), by=cast.clerk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    AgendaPack.objects.filter(meeting=m).update(requested_at=timezone.now() - datetime.timedelta(days=3))
    asked = timezone.now()
    services.pack_request(meeting=m)  # not committed: still pending
    assert AgendaPack.objects.get(meeting=m).requested_at >= asked
    assert background.send_pending() == (0, 0)  # asked for just now: not swept
