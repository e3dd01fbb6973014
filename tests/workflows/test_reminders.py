"""Reminders: who gets which, once only, and what a run with --dry-run leaves behind."""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from assessments.models import Assessment, MitigatingAction
from assessments.models.assessment import ActionStatus
from tests import factories as f
from workflows import actions as workflow_actions
from workflows import reminders, tasks
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.models import ReminderPolicy, SentReminder

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 3, 4)  # a Monday


def _with_email(cast):
    for person in (cast.officer, cast.officer2, cast.lead, cast.senior, cast.clerk):
        person.email = f"{person.username}@example.org"
        person.save()
    return cast


def _signed_off(cast, title="Test plan change"):
    plan_change = f.to_submitted(cast, title)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def _set_lead_officer(assessment, person):
    assessment.plan_change.lead_officer = person
    assessment.plan_change.save()


def _run(*argv):
    out = io.StringIO()
    call_command("send_reminders", *argv, stdout=out)
    return out.getvalue()


def _sent(kind=None):
    return [(m.to[0], m.subject) for m in mail.outbox if kind is None or kind in m.subject]


# --- review dates ----------------------------------------------------------------


def test_review_reminder_goes_to_the_author_and_lead_officer_once_and_again_when_the_date_moves():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    _set_lead_officer(assessment, cast.officer2)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY + datetime.timedelta(days=30))
    counts = reminders.reminders_send(today=TODAY)
    assert counts["review_due"] == 2
    review = [m for m in mail.outbox if m.subject.startswith("IIA review due")]
    assert sorted(m.to[0] for m in review) == sorted([cast.officer.email, cast.officer2.email])
    message = review[0]
    assert message.subject == "IIA review due 3 April 2030: Test plan change"
    assert assessment.plan_change.reference in message.body
    assert f"{settings.IIA_SITE_URL}/plan-changes/{assessment.plan_change.pk}/" in message.body
    mail.outbox.clear()
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0  # the same run again, e.g. cron twice
    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=1))["review_due"] == 0
    assert mail.outbox == []
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY + datetime.timedelta(days=20))
    assert reminders.reminders_send(today=TODAY)["review_due"] == 2  # a new review date is a new reminder
    assert SentReminder.objects.filter(kind="review_due", sent_at__isnull=False).count() == 4


def test_no_review_reminder_outside_the_notice_period_or_after_the_date_and_the_board_sets_the_notice():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY + datetime.timedelta(days=45))
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0  # default notice: 30 days
    ReminderPolicy.objects.create(board=assessment.plan_change.board, review_notice_days=60)
    assert reminders.reminders_send(today=TODAY)["review_due"] == 1
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY - datetime.timedelta(days=1))
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0  # past: not mailed
    ReminderPolicy.objects.filter(board=assessment.plan_change.board).update(review_notice_days=0)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0  # switched off


def test_no_review_reminder_once_a_new_version_is_open():
    from assessments import services

    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)
    assert len(reminders.reminders_due(today=TODAY)) == 1
    services.assessment_new_version(assessment=assessment, by=cast.officer, reason="Review: new figures.")
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0


def test_inactive_people_and_people_without_email_are_not_mailed():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    _set_lead_officer(assessment, cast.officer2)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)
    cast.officer.is_active = False
    cast.officer.save()
    cast.officer2.email = ""
    cast.officer2.save()
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0
    assert SentReminder.objects.count() == 0 and _sent("review") == []


# --- mitigating actions -------------------------------------------------------------


def _action(assessment, *, due, status=ActionStatus.PLANNED):
    return MitigatingAction.objects.create(assessment=assessment, description="Hold a drop-in in Lochee.",
                                           owner="Locality manager", due_date=due, status=status)


def test_overdue_action_reminder_names_the_action_and_skips_done_and_not_yet_due_ones():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    overdue = _action(assessment, due=TODAY - datetime.timedelta(days=1), status=ActionStatus.IN_PROGRESS)
    _action(assessment, due=TODAY - datetime.timedelta(days=10), status=ActionStatus.DONE)
    _action(assessment, due=TODAY)  # due today: not overdue yet
    counts = reminders.reminders_send(today=TODAY)
    assert counts["action_overdue"] == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Mitigating action overdue")]
    assert message.to == [cast.officer.email]  # author and lead officer are the same person here
    assert message.subject == "Mitigating action overdue since 3 March 2030: Test plan change"
    assert "Hold a drop-in in Lochee." in message.body and "in progress" in message.body
    assert "Locality manager" in message.body
    mail.outbox.clear()
    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=7))["action_overdue"] == 1
    assert [m.subject for m in mail.outbox] == ["Mitigating action overdue since 4 March 2030: Test plan change"]
    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=7))["action_overdue"] == 0
    MitigatingAction.objects.filter(pk=overdue.pk).update(due_date=TODAY + datetime.timedelta(days=3))
    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=7))["action_overdue"] == 1  # new due date
    MitigatingAction.objects.filter(pk=overdue.pk).update(status=ActionStatus.DONE)
    assert reminders.reminders_send(today=TODAY + datetime.timedelta(days=30))["action_overdue"] == 0


def test_each_board_reminds_only_its_own_people_and_the_board_option_limits_the_run():
    dundee, borders = _with_email(f.Cast()), _with_email(f.Cast("scottish-borders"))
    ours, theirs = _signed_off(dundee), _signed_off(borders)
    _action(ours, due=TODAY - datetime.timedelta(days=2))
    _action(theirs, due=TODAY - datetime.timedelta(days=2))
    ReminderPolicy.objects.create(board=ours.plan_change.board, overdue_actions=False)
    assert reminders.reminders_send(today=TODAY)["action_overdue"] == 1
    assert [m.to for m in mail.outbox if "overdue" in m.subject] == [[borders.officer.email]]
    mail.outbox.clear()
    ReminderPolicy.objects.filter(board=ours.plan_change.board).update(overdue_actions=True)
    out = _run("--board", "scottish-borders", "--today", TODAY.isoformat())
    assert "Mitigating action overdue: sent 0" in out  # Borders' was sent already
    out = _run("--board", "dundee", "--today", TODAY.isoformat())
    assert "Mitigating action overdue: sent 1" in out
    assert [m.to for m in mail.outbox] == [[dundee.officer.email]]


# --- idle tasks --------------------------------------------------------------------------


def _age(task, days):
    type(task).objects.filter(pk=task.pk).update(created=timezone.now() - datetime.timedelta(days=days))


def test_an_idle_assigned_task_reminds_its_holder_after_the_working_days_of_the_board():
    cast = _with_email(f.Cast())
    plan_change = f.start(cast)
    task = active_task(plan_change, IIAFlow.screening)
    today = timezone.localdate()
    created = timezone.localdate(task.created)
    ReminderPolicy.objects.create(board=plan_change.board, idle_task_working_days=3)
    while reminders.working_days_between(created, today) < 2:
        today += datetime.timedelta(days=1)
    assert reminders.reminders_send(today=today)["task_idle"] == 0
    while reminders.working_days_between(created, today) < 3:
        today += datetime.timedelta(days=1)
    assert reminders.reminders_send(today=today)["task_idle"] == 1
    (message,) = mail.outbox
    assert message.to == [cast.officer.email]
    assert message.subject == "Task waiting 3 working days: Complete the pre-screening"
    assert f"{settings.IIA_SITE_URL}/workflow/{task.process_id}/screening/{task.pk}/execute/" in message.body
    assert reminders.reminders_send(today=today + datetime.timedelta(days=7))["task_idle"] == 0


def test_an_idle_unclaimed_task_reminds_the_people_who_could_claim_it_but_not_the_author():
    pass

    cast = _with_email(f.Cast())
    f.add_role(cast.officer, "equality_lead")  # the author is also an equality lead: never their own review
    plan_change = f.start(cast)
    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    task = active_task(plan_change, IIAFlow.review_screening)
    _age(task, 14)
    assert reminders.reminders_send(today=timezone.localdate())["task_idle"] == 1
    (message,) = mail.outbox
    assert message.to == [cast.lead.email]
    assert message.subject.startswith("Task waiting ") and message.subject.endswith(": Review the screening")
    assert f"/workflow/{task.process_id}/review_screening/{task.pk}/assign/" in message.body
    assert "claim it from your queue" in message.body


def test_working_days_skip_weekends():
    friday = datetime.date(2030, 3, 1)
    assert reminders.working_days_between(friday, friday + datetime.timedelta(days=3)) == 1  # to Monday
    assert reminders.working_days_between(friday, friday + datetime.timedelta(days=7)) == 5
    assert reminders.working_days_between(friday, friday) == 0


# --- once only, failures, dry runs -------------------------------------------------------------


def test_a_failed_send_is_not_recorded_and_the_next_run_sends_it(monkeypatch):
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)

    def broken(reminder, connection):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "_deliver", broken)
    counts = reminders.reminders_send(today=TODAY)
    assert counts["review_due"] == 0 and counts["failed"] == 1
    assert SentReminder.objects.count() == 0
    monkeypatch.undo()
    assert reminders.reminders_send(today=TODAY)["review_due"] == 1
    assert len(_sent("IIA review due")) == 1


def test_a_claim_in_progress_is_left_alone_and_a_stale_one_is_taken_over_once():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)
    (due,) = reminders.reminders_due(today=TODAY)
    claim = reminders._claim(due)  # another run is sending it right now
    assert claim is not None and reminders._claim(due) is None
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0 and mail.outbox == []
    SentReminder.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - reminders.LEASE * 2)  # that run died
    assert reminders.reminders_send(today=TODAY)["review_due"] == 1
    assert reminders.reminders_send(today=TODAY)["review_due"] == 0
    assert SentReminder.objects.get().sent_at is not None


def test_the_database_refuses_a_second_record_of_the_same_reminder():
    cast = _with_email(f.Cast())
    key = {"kind": "review_due", "board": f.board(), "object_id": 1, "about": TODAY, "recipient": cast.officer}
    SentReminder.objects.create(claimed_at=timezone.now(), **key)
    with pytest.raises(IntegrityError):
        SentReminder.objects.create(claimed_at=timezone.now(), **key)


def test_dry_run_sends_and_records_nothing_and_prints_the_counts():
    cast = _with_email(f.Cast())
    assessment = _signed_off(cast)
    Assessment.objects.filter(pk=assessment.pk).update(review_date=TODAY)
    _action(assessment, due=TODAY - datetime.timedelta(days=1))
    out = _run("--dry-run", "--today", TODAY.isoformat())
    assert "Review date coming up: would send 1" in out
    assert "Mitigating action overdue: would send 1" in out
    assert mail.outbox == [] and SentReminder.objects.count() == 0
    out = _run("--today", TODAY.isoformat())
    assert "Review date coming up: sent 1" in out and "Mitigating action overdue: sent 1" in out
    again = _run("--dry-run", "--today", TODAY.isoformat())
    assert "Review date coming up: would send 0" in again and "Mitigating action overdue: would send 0" in again


def test_an_unknown_board_is_an_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _run("--board", "nowhere")


# --- Celery -------------------------------------------------------------------------------------


def test_the_beat_schedule_runs_the_reminder_task_daily_and_the_task_calls_the_service(monkeypatch):
    from iia.celery import app

    entry = app.conf.beat_schedule["send-reminders"]  # what `celery -A iia beat` reads
    assert entry["task"] == tasks.send_reminders.name == "workflows.tasks.send_reminders"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks  # a worker knows the task by that name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    calls = []
    monkeypatch.setattr(reminders, "reminders_send", lambda **kwargs: calls.append(kwargs) or {"review_due": 3})
    assert tasks.send_reminders() == {"review_due": 3}
    assert calls == [{}]


def test_finding_idle_tasks_reads_the_same_whatever_their_number():
    """The daily run on a large board: each idle task's title, plan change and claimers come
    from reads shared by all of them (it read a dozen rows per task: minutes at 100,000), and
    the reminders sent on an earlier day are known from one read, not tried again one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from viewflow.workflow.models import Task

    cast = _with_email(f.Cast())

    def grow(n):
        for i in range(n):
            f.start(cast, f"Held {i}")  # a screening in the officer's inbox
            f.to_submitted(cast, f"Waiting {i}")  # a review nobody has claimed
        Task.objects.update(created=timezone.now() - datetime.timedelta(days=14), started=None)
        with CaptureQueriesContext(connection) as queries:
            found = [r for r in reminders.reminders_due(today=timezone.localdate()) if r.kind == "task_idle"]
        assert reminders.reminders_send(today=timezone.localdate())["task_idle"] > 0
        with CaptureQueriesContext(connection) as again:  # the next day's run: all sent already
            assert reminders.reminders_send(today=timezone.localdate())["task_idle"] == 0
        return len(queries), len(found), len(again)

    small, grown = grow(2), grow(3)
    assert grown[1] > small[1] >= 4  # more idle tasks found...
    assert grown[0] == small[0]  # ...with the same reads
    assert grown[2] == small[2]  # and those sent before are skipped with the same reads
