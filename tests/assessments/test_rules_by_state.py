"""Each step's rule in ``assessments.rules`` is its whole permission, states included: the
right person is refused in every state but the step's own, the services answer a step the
state has closed as a conflict, and the task pages ask the same rule. The rules keep no
``_iia_*`` attributes on the objects they are given, and state names are not spelled as
strings in app code."""

import re
from pathlib import Path

import pytest
from django_fsm import TransitionNotAllowed

from assessments import rules, services
from assessments.exceptions import NotAllowed
from assessments.models import AssessmentState, RiskLevel
from tests import factories as f
from tests.workflows.http import client_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parents[2]
APPS = ("assessments", "workflows", "reports", "iia", "fixtures")


def test_each_step_is_allowed_in_its_own_state_only(cast):
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    expected = {
        (rules.can_submit, "officer"): [AssessmentState.IN_PROGRESS],
        (rules.can_approve, "lead"): [AssessmentState.SUBMITTED],
        (rules.can_sign_off, "senior"): [AssessmentState.APPROVED],
        (rules.can_withdraw, "lead"): [AssessmentState.IN_PROGRESS, AssessmentState.SUBMITTED,
                                       AssessmentState.APPROVED],
        (rules.can_start_new_version, "officer"): [AssessmentState.SIGNED_OFF],
    }
    # one walk, each rule asked at every state
    walked = {key: [] for key in expected}
    for step in (None, f.submit, f.approve, f.sign_off):
        if step:
            step(cast, plan_change)
        assessment = f.current(plan_change)
        for (rule, persona), states in walked.items():
            if rule(getattr(cast, persona), assessment):
                states.append(assessment.state)
    assert walked == expected


def test_a_closed_step_is_a_conflict_and_another_persons_is_refused(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    approved = f.current(plan_change)
    with pytest.raises(TransitionNotAllowed):  # approved already: someone moved it on
        services.assessment_approve(assessment=approved, by=cast.lead, risk_level=RiskLevel.LOW)
    submitted = f.current(f.to_submitted(cast, "Another plan change"))
    with pytest.raises(NotAllowed):  # a senior officer may never approve
        services.assessment_approve(assessment=submitted, by=cast.senior, risk_level=RiskLevel.LOW)
    f.sign_off(cast, plan_change)
    with pytest.raises(TransitionNotAllowed):
        services.assessment_sign_off(assessment=f.current(plan_change), by=cast.senior)


def test_the_withdraw_button_follows_the_same_rule_as_the_action(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    f.sign_off(cast, plan_change)
    page = client_for(cast.lead).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Withdraw the assessment" not in page
    response = client_for(cast.lead).post(f"/assessments/{f.current(plan_change).pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 409
    assert f.current(plan_change).state == AssessmentState.SIGNED_OFF


def test_rules_hang_nothing_on_the_user(cast):
    person = cast.lead
    rules.roles_on(person, f.board().pk)
    rules.delegations_to(person)
    assert not [name for name in vars(person) if name.startswith("_iia")]


def app_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_no_iia_attributes_and_no_state_names_as_strings_in_app_code():
    attributes, strings = [], []
    compared = re.compile(r"\b(state|status)\s*(==|!=|\bin\b|\bnot in\b)\s*[(\[{]?\s*\"")
    for path, text in app_sources():
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if re.search(r"[\"'.]_iia_", line):
                attributes.append(where)
            if compared.search(line):
                strings.append(where)
    assert attributes == []
    assert strings == []


def test_a_person_acting_as_themself_reads_no_delegations_whatever_order_the_ids_come_in(cast):
    """``acts_for_any`` looks for the user's own id first: on PostgreSQL, where ids run on
    from test to test, a set of ids iterated with someone else's first made the plan change
    page read the author's delegations (one query more, in some runs only)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = get_user_model().objects.get(pk=cast.officer.pk)  # nothing prefetched on it yet
    other = next(pk for pk in range(officer.pk + 1, officer.pk + 64) if next(iter({pk, officer.pk})) == pk)
    board_id = f.board().pk
    with CaptureQueriesContext(connection) as read:
        assert rules.acts_for_any(officer, {other, officer.pk}, board_id, "officer")
    assert len(read) == 0
    with CaptureQueriesContext(connection) as read:  # someone else's work: the delegations decide
        assert not rules.acts_for_any(officer, {other}, board_id, "officer")
    assert any("assessments_delegation" in query["sql"] for query in read.captured_queries)
