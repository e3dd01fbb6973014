"""The mitigating actions task: recorded alongside the parts, added one at a time without
losing what was typed, kept in the order they were entered, and its errors name the problem."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps

from assessments.exceptions import RuleViolation
from assessments.models import AssessmentState, MitigatingAction
from assessments.services import ActionInput
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow

from .http import actions_post, client_for, execute_url, revision

pytestmark = pytest.mark.django_db

DUE = datetime.date.today() + datetime.timedelta(days=90)
REVIEW_AT = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()


def screened(cast):
    return f.screen(cast, f.start(cast))


# --- the flow -----------------------------------------------------------------------------


def test_the_actions_task_opens_with_the_parts_and_submitting_waits_for_both(cast):
    plan_change = screened(cast)
    parts = active_tasks(plan_change, IIAFlow.complete_part)
    actions = active_task(plan_change, IIAFlow.actions)
    assert parts and actions is not None and actions.owner_id == cast.officer.pk
    assert active_task(plan_change, IIAFlow.submit) is None

    f.complete_actions(cast, plan_change)  # the actions first: the parts are still to do
    assert active_task(plan_change, IIAFlow.actions) is None
    assert active_task(plan_change, IIAFlow.submit) is None
    f.complete_parts(cast, plan_change)
    assert active_task(plan_change, IIAFlow.submit) is not None


def test_submitting_waits_for_the_actions_after_every_part(cast):
    plan_change = screened(cast)
    f.complete_parts(cast, plan_change)
    assert active_task(plan_change, IIAFlow.submit) is None  # the join still waits for the actions
    assert active_task(plan_change, IIAFlow.actions) is not None
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    assert f.current(plan_change).state == AssessmentState.SUBMITTED


def test_the_actions_page_opens_before_any_part_is_done(cast):
    plan_change = screened(cast)
    client = client_for(cast.officer)
    page = client.get(execute_url(active_task(plan_change, IIAFlow.actions)))
    assert page.status_code == 200
    assert "Add another action" in page.content.decode()


def test_a_return_of_the_actions_only_reopens_the_actions_and_a_return_of_parts_reopens_both(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    workflow_actions.assessment_return(task=active_task(plan_change, IIAFlow.review), by=cast.lead,
                                       comments="Add an action.", parts=["actions"], claim=True)
    assert active_tasks(plan_change, IIAFlow.complete_part) == []
    assert active_task(plan_change, IIAFlow.actions) is not None
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    section = assessment.template.sections.order_by("order").first().code
    workflow_actions.assessment_return(task=active_task(plan_change, IIAFlow.review), by=cast.lead,
                                       comments="Look again.", parts=[section], claim=True)
    assert [t.data["part"] for t in active_tasks(plan_change, IIAFlow.complete_part)] == [section]
    assert active_task(plan_change, IIAFlow.actions) is not None
    f.complete_parts(cast, plan_change)
    assert active_task(plan_change, IIAFlow.submit) is None
    f.complete_actions(cast, plan_change)
    assert active_task(plan_change, IIAFlow.submit) is not None


def test_the_actions_task_is_another_boards_404_and_a_lead_is_refused(cast, borders):
    plan_change = screened(cast)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    assert client_for(borders.officer).get(url).status_code == 404
    assert client_for(borders.officer).post(url, actions_post(action="add")).status_code == 404
    assert client_for(cast.lead).get(url).status_code == 403
    assert client_for(cast.lead).post(url, actions_post(action="add")).status_code == 403


# --- "Add another action" ------------------------------------------------------------------


def typed(description, owner="Carers lead", due="2099-06-30", kind="mitigation"):
    return {"kind": kind, "description": description, "owner": owner, "due_date": due, "status": "planned"}


def test_one_blank_action_to_start_with(cast):
    plan_change = screened(cast)
    page = client_for(cast.officer).get(execute_url(active_task(plan_change, IIAFlow.actions))).content.decode()
    assert 'name="act-TOTAL_FORMS" value="1"' in page
    assert "<legend>Action 1</legend>" in page and "<legend>Action 2</legend>" not in page
    assert "Save a draft and two more" not in page


def test_enter_in_a_field_saves_a_draft_not_another_action(cast):
    """A browser submits a form on Enter with its first submit button (HTML's implicit
    submission): that must be the draft save, not "Add another action"."""
    plan_change = screened(cast)
    page = client_for(cast.officer).get(execute_url(active_task(plan_change, IIAFlow.actions))).content.decode()
    form = page[page.rindex("<form", 0, page.index("TOTAL_FORMS")):]
    first = re.search(r'<button[^>]*type="submit"[^>]*>', form).group(0)
    assert 'value="save"' in first and "hidden" in first


def test_add_another_keeps_what_was_typed_saves_nothing_and_shows_no_error(cast):
    plan_change = screened(cast)
    client = client_for(cast.officer)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    data = actions_post(actions=[typed("Run drop-ins in every locality.")], action="add", review_date=REVIEW_AT)
    data["act-TOTAL_FORMS"] = "1"  # just the typed one, as the page posts it
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Run drop-ins in every locality." in page and f'value="{REVIEW_AT}"' in page
    assert 'name="act-TOTAL_FORMS" value="2"' in page
    assert "<legend>Action 2</legend>" in page
    assert 'name="act-1-kind" autofocus' in page or 'autofocus' in page.split('id="action-2"')[1].split("</fieldset>")[0]
    assert "There is a problem" not in page and "error-message" not in page
    assert "Action 2 added." in page
    assert not MitigatingAction.objects.filter(assessment=f.current(plan_change)).exists()
    # typed into both, then saved: both are kept, in that order
    data = actions_post(actions=[typed("Run drop-ins in every locality."), typed("Offer transport.", due="2099-03-01")],
                        action="save")
    assert client.post(url, data).status_code == 302
    assert [a.description for a in f.current(plan_change).actions.all()] == [
        "Run drop-ins in every locality.", "Offer transport."]


def test_add_another_survives_a_strange_or_huge_form_count(cast):
    plan_change = screened(cast)
    client = client_for(cast.officer)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    for total in ("x", "-5", "99999999999999999999", ""):
        data = actions_post(action="add")
        data["act-TOTAL_FORMS"] = total
        response = client.post(url, data)
        assert response.status_code in (200, 400), total
    data = actions_post(action="add")
    data["act-TOTAL_FORMS"] = "99999999999999999999"
    assert client.post(url, data).content.decode().count('class="action-block"') <= 201


# --- the order they were entered ------------------------------------------------------------


def test_actions_keep_the_order_they_were_entered_not_their_due_dates(cast):
    plan_change = screened(cast)
    client = client_for(cast.officer)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    data = actions_post(actions=[typed("First typed, due last.", due="2099-12-31")], action="save")
    assert client.post(url, data).status_code == 302
    first = f.current(plan_change).actions.get()
    data = actions_post(actions=[{**typed("First typed, due last.", due="2099-12-31"), "id": str(first.pk)},
                                 typed("Second typed, due first.", due="2099-01-15")],
                        action="save", revision=revision(plan_change, "actions"))
    data["act-INITIAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    one, two = page.index("First typed, due last."), page.index("Second typed, due first.")
    assert one < two
    assert page.index("<legend>Action 1</legend>") < one < page.index("<legend>Action 2</legend>") < two
    assert [a.description for a in f.current(plan_change).actions.all()] == [
        "First typed, due last.", "Second typed, due first."]


def test_a_new_version_copies_the_actions_in_their_order(cast):
    plan_change = screened(cast)
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change, actions=[
        ActionInput(description="B later date", owner="X", due_date=DUE + datetime.timedelta(days=30)),
        ActionInput(description="A earlier date", owner="X", due_date=DUE),
    ])
    assert [a.description for a in f.current(plan_change).actions.all()] == ["B later date", "A earlier date"]
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    old = f.sign_off(cast, plan_change)
    new = workflow_actions.assessment_new_version(assessment=old, by=cast.officer, reason="Phase two.")
    assert [a.description for a in new.actions.all()] == ["B later date", "A earlier date"]


def test_the_migration_numbers_existing_actions_by_their_due_date(cast):
    plan_change = screened(cast)
    assessment = f.current(plan_change)
    late = MitigatingAction.objects.create(assessment=assessment, description="Late", owner="X",
                                           due_date=DUE + datetime.timedelta(days=9))
    early = MitigatingAction.objects.create(assessment=assessment, description="Early", owner="X", due_date=DUE)
    migration = importlib.import_module("assessments.migrations.0012_action_position")
    migration.number_existing(django_apps, None)
    late.refresh_from_db()
    early.refresh_from_db()
    assert (early.position, late.position) == (1, 2)


def test_a_run_split_under_the_old_flow_gets_its_actions_task_beside_its_open_parts(cast):
    """Before the actions moved beside the parts, a split opened the parts alone. Such a run
    would pass its join straight to the submission with no page for the actions; the
    migration gives it the actions task its split would open today, once."""
    migration = importlib.import_module("workflows.migrations.0006_actions_beside_open_parts")
    plan_change = screened(cast)
    parts = active_tasks(plan_change, IIAFlow.complete_part)
    active_task(plan_change, IIAFlow.actions).delete()  # as the old flow's split left it
    untouched = screened(cast)  # a run as the new flow opens it

    migration.open_actions_beside_parts(django_apps, None)
    migration.open_actions_beside_parts(django_apps, None)  # again: nothing more

    actions = active_task(plan_change, IIAFlow.actions)
    assert actions is not None and actions.owner_id == cast.officer.pk
    assert str(actions.token).rsplit("_", 1)[0] == str(parts[0].token).rsplit("_", 1)[0]
    assert str(actions.token) not in {str(t.token) for t in parts}
    assert len(active_tasks(untouched, IIAFlow.actions)) == 1
    f.complete_parts(cast, plan_change)
    assert active_task(plan_change, IIAFlow.submit) is None  # the join waits for the new task
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    assert f.current(plan_change).state == AssessmentState.SUBMITTED


def test_a_run_past_the_old_join_goes_from_its_actions_task_to_the_submission(cast):
    """Under the old flow the join led to the actions task; such a task, done today, passes
    through the join to the submission."""
    plan_change = screened(cast)
    f.complete_actions(cast, plan_change)
    f.complete_parts(cast, plan_change)
    submit = active_task(plan_change, IIAFlow.submit)
    joined = submit.previous.get()
    task_class = type(submit)
    process = submit.process
    submit.delete()  # as the old flow left it: the join done, the actions task open after it
    old = task_class.objects.create(process=process, flow_task=IIAFlow.actions, flow_task_type="HUMAN",
                                    status="ASSIGNED", owner=cast.officer, token=joined.token)
    old.previous.add(joined)
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    assert f.current(plan_change).state == AssessmentState.SUBMITTED


# --- the error names the problem ------------------------------------------------------------


def test_a_negative_row_linked_only_to_an_evidence_action_names_the_action_and_its_kind(cast):
    plan_change = screened(cast)
    assessment = f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Older people travel further.")})
    age = f.row(assessment, "PC.AGE")
    with pytest.raises(RuleViolation) as refused:
        f.complete_actions(cast, plan_change, actions=[ActionInput(
            description="Gather evidence on travel times", owner="Analyst", due_date=DUE,
            kind="evidence", row_ids=[age.pk])])
    (message,) = refused.value.errors[f"j{age.pk}"]
    assert "“Gather evidence on travel times” is an evidence-gathering action" in message
    assert "a negative impact needs a mitigating action, or a justification" in message


def test_the_page_shows_the_evidence_action_error_beside_the_row(cast):
    plan_change = screened(cast)
    assessment = f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Older people travel further.")})
    age = f.row(assessment, "PC.AGE")
    client = client_for(cast.officer)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    response = client.post(url, actions_post(actions=[{**typed("Gather evidence on travel times", kind="evidence"),
                                                       "rows": [str(age.pk)]}]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is an evidence-gathering action: a negative impact needs a mitigating action, or a justification" in page
    assert f'href="#id_j{age.pk}"' in page


def test_a_negative_row_without_any_link_keeps_the_plain_message(cast):
    plan_change = screened(cast)
    assessment = f.complete_parts(cast, plan_change, {"PC.AGE": ({"negative"}, "Older people travel further.")})
    age = f.row(assessment, "PC.AGE")
    with pytest.raises(RuleViolation) as refused:
        f.complete_actions(cast, plan_change)
    assert refused.value.errors[f"j{age.pk}"] == [
        f"“{age.label}” is rated negative: link a mitigating action or record a justification."]


def test_an_actions_error_shows_beside_its_field_and_the_summary_links_to_it(cast):
    plan_change = screened(cast)
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    response = client_for(cast.officer).post(url, actions_post(actions=[typed("Run drop-ins.", due="2001-01-01")],
                                                                action="save"))
    page = response.content.decode()
    assert response.status_code == 200
    message = "The due date has passed: choose a future date, or mark the action done."
    assert f'<a href="#id_act-0-due_date">Action 1: {message}</a>' in page
    assert re.search(r'<input[^>]*name="act-0-due_date"[^>]*aria-invalid="true"', page)
    assert not MitigatingAction.objects.filter(assessment=f.current(plan_change)).exists()
