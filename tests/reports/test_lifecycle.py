"""Reports, meetings, agenda items and agenda packs change status only through their
transitions (django-fsm), as assessments and screenings do: a status cannot be set by
hand, a transition from the wrong status is refused, and a stale copy cannot overwrite
a status changed meanwhile."""

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from reports import services
from reports.models import AgendaItem, AgendaPack, ItemKind, Meeting, MeetingStatus, PackStatus, Report, ReportStatus

from .helpers import signed_off
from .test_meetings import meeting, report_for

pytestmark = pytest.mark.django_db


def test_statuses_cannot_be_set_by_hand(cast, committed):
    report = report_for(cast, committed(signed_off, cast).plan_change, submit=False)
    m = meeting(cast)
    item = m.items.first()
    pack = AgendaPack.objects.create(meeting=m)
    for record, field, value in ((report, "status", ReportStatus.PUBLISHED), (m, "status", MeetingStatus.HELD),
                                 (item, "decision", "agreed"), (pack, "status", PackStatus.READY)):
        with pytest.raises(AttributeError):
            setattr(record, field, value)


def test_a_transition_from_the_wrong_status_is_refused(cast, committed):
    report = report_for(cast, committed(signed_off, cast).plan_change, submit=False)
    m = meeting(cast)
    with pytest.raises(TransitionNotAllowed):
        report.publish()  # a draft is not on an agenda
    with pytest.raises(TransitionNotAllowed):
        m.hold()  # a draft agenda has not been published
    item = AgendaItem.objects.get(meeting=m, kind=ItemKind.APOLOGIES)
    item.decide("noted")
    with pytest.raises(TransitionNotAllowed):
        item.decide("agreed")  # a decision is never changed


def test_a_stale_copy_cannot_overwrite_a_newer_status(cast, committed):
    report = report_for(cast, committed(signed_off, cast).plan_change, submit=False)
    stale = Report.objects.get(pk=report.pk)
    services.report_submit(report=report, by=cast.officer)
    stale.submit()  # the stale copy still reads "draft"
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_stale_meeting_cannot_be_published_twice(cast, committed):
    m = meeting(cast)
    report = report_for(cast, committed(signed_off, cast).plan_change)
    services.agenda_add_report(meeting=m, report=report, by=cast.clerk)
    stale = Meeting.objects.get(pk=m.pk)
    committed(services.meeting_publish, meeting=m, by=cast.clerk)
    stale.publish()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
