"""Monitoring after sign-off: progress on each mitigating action is recorded without
reopening the assessment (append-only, audited, checked), by the people who answer for it;
reminders and the dashboard's mitigations due clear once an action is done or dropped."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import cumulative, rules, services
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import ActionProgress, AssessmentState, AuditEvent, MitigatingAction, Role
from assessments.models.assessment import ActionStatus
from assessments.models.monitoring import ProgressTampering
from assessments.selectors import plan_changes_for
from tests import factories as f
from tests.reports.helpers import signed_off
from workflows import reminders

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def signed_with_action(cast, *, due_in_days=60, title="Evening service review"):
    """Signed off with a negative rating mitigated by one action, and a justified one."""
    plan_change = f.screen(cast, f.start(cast, title))
    assessment = f.complete_parts(cast, plan_change, {
        "PC.AGE": ({"negative"}, "Older people lose the evening service."),
        "PC.RACE": ({"negative"}, "Fewer interpreters in the evening."),
    })
    action = f.mitigation(assessment, ["PC.AGE"])
    action.due_date = TODAY() + datetime.timedelta(days=due_in_days)
    f.complete_actions(cast, plan_change, actions=[action],
                       justifications={f.row(assessment, "PC.RACE").pk: "Proportionate to the saving."})
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    assessment = f.sign_off(cast, plan_change)
    return assessment, assessment.actions.get()


def record(action, by, **given):
    given.setdefault("status", ActionStatus.IN_PROGRESS)
    given.setdefault("note", "Drop-in sessions booked for May.")
    return services.action_progress_record(action=action, by=by, **given)


def test_done_is_recorded_with_who_when_note_evidence_and_date_and_audited(cast):
    assessment, action = signed_with_action(cast)
    record(action, cast.officer)
    update = record(action, cast.officer, status=ActionStatus.DONE, note="Held in Lochee and Whitfield.",
                    evidence="Attendance sheets; minute of the locality group, 3 May.", done_on=TODAY())
    action.refresh_from_db()
    assessment.refresh_from_db()
    assert (action.status, action.done_on) == (ActionStatus.DONE, TODAY())
    assert assessment.state == AssessmentState.SIGNED_OFF  # nothing reopened
    assert (update.previous_status, update.status, update.recorded_by) == ("in_progress", "done", cast.officer)
    assert abs((timezone.now() - update.recorded_at).total_seconds()) < 60
    assert list(action.progress.values_list("status", flat=True)) == ["in_progress", "done"]  # the history
    event = AuditEvent.objects.filter(action="action.progress").order_by("pk").last()
    assert (event.actor, event.assessment, event.from_state, event.to_state) == (
        cast.officer, assessment, "in_progress", "done")
    assert event.data == {"action": action.pk, "progress": update.pk, "done_on": TODAY().isoformat()}
    assert event.state_change_label() == "Action: In progress → Done"
    assert "Held in Lochee" in event.message


def test_dropped_needs_a_reason_and_ends_the_action(cast):
    assessment, action = signed_with_action(cast)
    with pytest.raises(RuleViolation) as refused:
        record(action, cast.lead, status=ActionStatus.DROPPED, note="")
    assert "reason" in refused.value.errors
    update = record(action, cast.lead, status=ActionStatus.DROPPED, note="",
                    reason="The evening service was kept after consultation: nothing left to mitigate.")
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED and action.is_closed and update.reason.startswith("The evening")


@pytest.mark.parametrize("given, field", [
    ({"status": "done", "evidence": "Sheets."}, "done_on"),  # no date
    ({"status": "done", "evidence": "Sheets.", "done_on": "tomorrow"}, "done_on"),
    ({"status": "done", "evidence": "Sheets.", "done_on": "before sign-off"}, "done_on"),
    ({"status": "done", "done_on": "today"}, "evidence"),  # done needs its evidence
    ({"status": "in_progress", "done_on": "today"}, "done_on"),  # only done has a date
    ({"status": "in_progress", "reason": "Why not."}, "reason"),  # only dropped has a reason
    ({"status": "finished"}, "status"),
    ({"status": "planned", "note": ""}, "note"),  # nothing changes
    ({"status": "in_progress", "note": "x" * 5001}, "note"),
    ({"status": "done", "evidence": "x" * 5001, "done_on": "today"}, "evidence"),
])
def test_wrong_updates_are_refused_beside_their_field_and_record_nothing(cast, given, field):
    assessment, action = signed_with_action(cast)
    dates = {"today": TODAY(), "tomorrow": TODAY() + DAY,
             "before sign-off": timezone.localdate(assessment.signed_off_at) - DAY}
    if "done_on" in given:
        given = {**given, "done_on": dates[given["done_on"]]}
    with pytest.raises(RuleViolation) as refused:
        record(action, cast.officer, **given)
    assert field in refused.value.errors
    assert not ActionProgress.objects.exists()
    assert not AuditEvent.objects.filter(action="action.progress").exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_reopening_a_done_action_says_why(cast):
    _assessment, action = signed_with_action(cast)
    record(action, cast.officer, status=ActionStatus.DONE, evidence="Sheets.", done_on=TODAY())
    with pytest.raises(RuleViolation, match="reopened"):
        record(action, cast.officer, status=ActionStatus.IN_PROGRESS, note="")
    record(action, cast.officer, status=ActionStatus.IN_PROGRESS, note="Attendance fell again; more sessions.")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.done_on is None


def test_who_answers_for_the_actions(cast, borders):
    assessment, action = signed_with_action(cast)
    assert rules.can_record_progress(cast.officer, assessment)  # author and lead officer
    assert rules.can_record_progress(cast.lead, assessment)  # an equality lead of the board
    assessment.contributors.add(cast.officer2)
    assert rules.can_record_progress(cast.officer2, assessment)  # a contributor
    for person in (cast.senior, cast.clerk, borders.officer, borders.lead):
        assert not rules.can_record_progress(person, assessment)
        with pytest.raises(NotAllowed):
            record(action, person)
    assert not ActionProgress.objects.exists()


def test_an_officer_who_did_not_work_on_it_may_not_unless_acting_for_one_who_did(cast):
    assessment, action = signed_with_action(cast)
    with pytest.raises(NotAllowed):
        record(action, cast.officer2)
    services.delegation_create(delegator=cast.officer, delegate=cast.officer2, board=f.board(), role=Role.OFFICER,
                               starts_on=TODAY(), ends_on=TODAY() + 10 * DAY)
    cast.officer2.refresh_from_db()
    assert record(action, cast.officer2).recorded_by == cast.officer2


def test_nothing_is_recorded_before_sign_off_nor_on_a_superseded_or_withdrawn_version(cast):
    plan_change = f.to_submitted(cast, "Not yet signed")
    draft = f.current(plan_change)
    draft_action = MitigatingAction.objects.create(assessment=draft, description="x", owner="y",
                                                   due_date=TODAY() + DAY)
    with pytest.raises(RuleViolation, match="once the assessment is signed off"):
        record(draft_action, cast.officer)
    v1, action = signed_with_action(cast)
    services.assessment_new_version(assessment=v1, by=cast.officer, reason="The budget changed.")
    record(action, cast.officer)  # v1 is still in force while v2 is written
    f.complete_parts(cast, v1.plan_change)
    f.complete_actions(cast, v1.plan_change)
    f.submit(cast, v1.plan_change)
    f.approve(cast, v1.plan_change)
    f.sign_off(cast, v1.plan_change)
    with pytest.raises(RuleViolation, match="superseded"):
        record(action, cast.officer, status=ActionStatus.DONE, evidence="Sheets.", done_on=TODAY())
    withdrawn, other = signed_with_action(cast, title="Withdrawn later")
    services.assessment_review_withdraw(assessment=withdrawn, by=cast.lead, note="The service closed in June.",
                                        impacts=impacts_for(withdrawn))
    with pytest.raises(RuleViolation, match="withdrawn"):
        record(other, cast.lead)
    assert ActionProgress.objects.count() == 1


def test_the_history_cannot_be_changed_or_deleted_and_the_database_holds_the_rules(cast):
    _assessment, action = signed_with_action(cast)
    update = record(action, cast.officer)
    with pytest.raises(ProgressTampering):
        update.save()
    with pytest.raises(ProgressTampering):
        update.delete()
    with pytest.raises(ProgressTampering):
        ActionProgress.objects.filter(pk=update.pk).update(note="Rewritten")
    with pytest.raises(ProgressTampering):
        ActionProgress.objects.all().delete()
    for wrong in ({"status": "done"}, {"status": "dropped"}, {"status": "in_progress", "done_on": TODAY()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionProgress.objects.create(action=action, previous_status="planned", recorded_by=cast.officer,
                                          recorded_at=timezone.now(), **wrong)


def test_done_and_dropped_actions_get_no_reminder_and_leave_the_mitigations_due(cast):
    for person in (cast.officer, cast.lead):
        person.email = f"{person.username}@example.org"
        person.save()
    assessment, action = signed_with_action(cast, due_in_days=10)
    _second, other = signed_with_action(cast, due_in_days=10, title="Another")
    later = TODAY() + 20 * DAY
    assert reminders.reminders_send(today=later, dry_run=True)["action_overdue"] == 2
    scope = plan_changes_for(cast.officer)
    assert dict(cumulative.mitigation_chart(scope, later).bars)["Overdue"] == 2
    record(action, cast.officer, status=ActionStatus.DONE, evidence="Sheets.", done_on=TODAY())
    record(other, cast.lead, status=ActionStatus.DROPPED, reason="The change did not go ahead.")
    assert reminders.reminders_send(today=later, dry_run=True)["action_overdue"] == 0
    bars = dict(cumulative.mitigation_chart(scope, later).bars)
    assert (bars["Overdue"], bars["Done"], bars["Dropped"]) == (0, 1, 1)


def test_an_officer_cannot_drop_an_action_while_writing_the_assessment(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Worse.")})
    action = f.mitigation(assessment, ["PC.AGE"])
    action.status = ActionStatus.DROPPED
    with pytest.raises(RuleViolation, match="dropped only after sign-off"):
        f.complete_actions(cast, plan_change, actions=[action])


def test_a_new_version_carries_the_actions_where_they_stand(cast):
    v1, action = signed_with_action(cast)
    record(action, cast.officer, status=ActionStatus.DONE, evidence="Sheets.", done_on=TODAY())
    v2 = services.assessment_new_version(assessment=v1, by=cast.officer, reason="The budget changed.")
    (copy,) = v2.actions.all()
    assert (copy.status, copy.done_on) == (ActionStatus.DONE, TODAY())
    assert not copy.progress.exists()  # the history stays with the version it was recorded on


def impacts_for(assessment, actual="as_predicted", evidence="Complaints log and attendance figures."):
    return {rating.row_id: services.ImpactInput(actual, evidence) for rating in services.negative_ratings(assessment)}


def test_signed_off_helper_has_no_negative_rows(cast):
    """The plain signed-off assessment of other tests: a review of it records no impacts."""
    assessment = signed_off(cast)
    assert services.negative_ratings(assessment) == []
