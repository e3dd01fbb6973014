"""A refused "Start a new version" or "Withdraw" shows the error pattern of every other form:
the page again (200), an error summary linking to the field, the field's own error with
``aria-invalid``, what was typed kept, and the withdraw disclosure left open."""

import re

import pytest

from assessments.models import AssessmentState
from tests import factories as f

from .http import client_for

pytestmark = pytest.mark.django_db


def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def test_withdraw_without_a_reason_shows_the_error_summary_and_keeps_the_disclosure_open(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    response = client_for(cast.officer).post(f"/assessments/{assessment.pk}/withdraw/", {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert _summary_links(page) == ["withdraw-reason"]
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="withdraw-reason"', page)
    assert 'id="withdraw-reason_error"' in page and "Say why the assessment is withdrawn." in page
    assert re.search(r'<details class="panel" id="withdraw" open>', page)
    assert f.current(plan_change).state == AssessmentState.IN_PROGRESS


def test_a_reason_too_long_to_withdraw_is_kept_and_named(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    typed = "Not going ahead. " * 200  # 3,400 characters: the limit is 2,000
    page = client_for(cast.officer).post(f"/assessments/{assessment.pk}/withdraw/", {"reason": typed}).content.decode()
    assert _summary_links(page) == ["withdraw-reason"]
    assert "at most 2000 characters" in page
    assert typed.strip() in page  # what was typed is still in the field
    assert f.current(plan_change).state == AssessmentState.IN_PROGRESS


def test_a_page_without_errors_has_the_disclosure_closed_and_no_summary(cast):
    plan_change = f.screen(cast, f.start(cast))
    page = client_for(cast.officer).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert '<details class="panel" id="withdraw">' in page
    assert 'class="error-summary"' not in page and "aria-invalid" not in page


def test_withdraw_without_a_reason_by_someone_who_may_not_is_still_refused(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    assert client_for(cast.senior).post(f"/assessments/{assessment.pk}/withdraw/", {"reason": ""}).status_code == 403


def test_a_new_version_without_a_reason_shows_the_error_summary(cast, committed):
    plan_change = committed(lambda: f.sign_off(cast, _approved(cast))).plan_change
    signed = f.current(plan_change)
    response = client_for(cast.officer).post(f"/assessments/{signed.pk}/new-version/", {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert _summary_links(page) == ["new-version-reason"]
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="new-version-reason"', page)
    assert "Say why a new version is needed." in page
    assert plan_change.assessments.count() == 1


def test_a_new_version_refused_by_the_rules_says_why_in_the_summary(cast, committed):
    """A newer version is already open (started in another tab): the rule's message in the
    summary, and nothing started."""
    from assessments import services

    plan_change = committed(lambda: f.sign_off(cast, _approved(cast))).plan_change
    signed = f.current(plan_change)
    services.assessment_new_version(assessment=signed, by=cast.officer, reason="The scope grew.")
    response = client_for(cast.officer).post(f"/assessments/{signed.pk}/new-version/", {"reason": "A second idea."})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'class="error-summary".*A newer version of this assessment is already open\.', page, re.S)
    assert plan_change.assessments.count() == 2


def _approved(cast):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    return plan_change
