"""Concurrency on PostgreSQL: directions issued at once get different references, and two
decisions varying one direction at once leave exactly one variation."""

import datetime

import pytest
from django.db import transaction

from reports import services as reporting
from reports.models import AgendaItem, Committee, Direction, ItemKind
from tests import factories as f

from .harness import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

THREADS = 20
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def test_twenty_concurrent_direction_references_are_all_different(capsys):
    board_id = f.board().pk

    def allocate(i):
        with transaction.atomic():
            return reporting.direction_reference_allocate(board_id=board_id, year=2031)[0]

    references = race(allocate, THREADS)
    with capsys.disabled():
        print(f"\nR3 concurrent direction references: {THREADS} allocations, {len(set(references))} distinct")
    assert sorted(references) == [f"DIJB-D-2031-{i:03d}" for i in range(1, THREADS + 1)]


def _agreed_item(cast, committee, meeting, report) -> AgendaItem:
    # set up without the agenda's services: this tests the issue alone
    return AgendaItem.objects.create(meeting=meeting, position=AgendaItem.objects.filter(meeting=meeting).count() + 1,
                                     kind=ItemKind.REPORT, title=report.title, report=report, decision="agreed")


def _report(cast, committee, plan_change, title, **direction):
    return reporting.report_create(
        plan_change=plan_change, by=cast.officer, committee=committee, title=title, report_by="Chief Officer",
        decision_sought="agree", purpose="P", recommendations="R", direction_to="council",
        directions=[reporting.DirectionInput(functions="Care", budget="£1", text="Do it.",
                                             review_date=YESTERDAY + datetime.timedelta(days=400), **direction)])


def test_two_directions_varying_one_at_once_leave_exactly_one_variation():
    cast = f.Cast()
    plan_change = f.start(cast)
    committee = Committee.objects.get(board__slug="dundee", kind="ijb")
    meeting = reporting.meeting_create(committee=committee, by=cast.clerk, date=YESTERDAY, venue="Chamber")
    first = _report(cast, committee, plan_change, "First")
    reporting.direction_issue(direction=first.directions.get(), item=_agreed_item(cast, committee, meeting, first),
                              by=cast.clerk, issued_on=YESTERDAY)
    earlier = first.directions.get()
    rivals = [_report(cast, committee, plan_change, f"Rival {i}", effect="varies", earlier_id=earlier.pk)
              for i in range(THREADS)]
    items = [_agreed_item(cast, committee, meeting, report) for report in rivals]

    def issue(i):
        return reporting.direction_issue(direction=rivals[i].directions.get(), item=items[i], by=cast.clerk,
                                         issued_on=YESTERDAY).reference

    outcomes = race(issue, THREADS)
    issued = [o for o in outcomes if not str(o).startswith("error")]
    assert len(issued) == 1, outcomes
    assert all("not current" in o for o in outcomes if str(o).startswith("error")), outcomes
    earlier.refresh_from_db()
    assert earlier.status == "varied" and earlier.later.exclude(status="proposed").count() == 1
    assert Direction.objects.exclude(status="proposed").count() == 2
