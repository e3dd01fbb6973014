"""Comments on the parts of an assessment and on the screening: participants only, same
board only, kept as posted, audited, shown by part."""

import datetime

import pytest
from django.utils.html import escape

from assessments import services
from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import SCREENING_PART, AuditEvent, Comment, CommentTampering, Role
from tests import factories as f
from tests.reports.helpers import signed_off
from tests.workflows.http import client_for
from workflows import actions as workflow_actions
from workflows.engine import active_task
from workflows.flows import IIAFlow
from workflows.selectors import task_url

pytestmark = pytest.mark.django_db


def in_progress(cast):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    return plan_change, assessment, assessment.template.sections.order_by("order").first()


def test_a_participant_comments_on_a_section_audited(cast):
    plan_change, assessment, section = in_progress(cast)
    comment = services.comment_add(by=cast.officer, assessment=assessment, part=section.code,
                                   text="  Should carers be rated here too?\x00 ")
    assert comment.text == "Should carers be rated here too?"
    assert (comment.plan_change, comment.assessment, comment.author) == (plan_change, assessment, cast.officer)
    event = AuditEvent.objects.get(action="comment.add")
    assert (event.actor, event.plan_change, event.assessment) == (cast.officer, plan_change, assessment)
    assert event.data == {"comment": comment.pk, "part": section.code}
    assert section.title in event.message
    assert "Should carers" not in event.message  # the history is seen by the whole board; the text is not


@pytest.mark.parametrize("who", ["lead", "senior"])
def test_the_boards_equality_leads_and_senior_officers_take_part(cast, who):
    _, assessment, section = in_progress(cast)
    assert services.comment_add(by=getattr(cast, who), assessment=assessment, part=section.code, text="Noted.")


def test_a_contributor_takes_part(cast):
    _, assessment, section = in_progress(cast)
    assessment.contributors.add(cast.officer2)
    assert services.comment_add(by=cast.officer2, assessment=assessment, part=section.code, text="I added this.")


@pytest.mark.parametrize("who", ["officer2", "clerk"])
def test_a_non_participant_of_the_board_is_refused(cast, who):
    plan_change, assessment, section = in_progress(cast)
    with pytest.raises(NotAllowed):
        services.comment_add(by=getattr(cast, who), assessment=assessment, part=section.code, text="Hello.")
    assert not Comment.objects.exists() and not AuditEvent.objects.filter(action="comment.add").exists()
    client = client_for(getattr(cast, who))
    assert client.get(f"/plan-changes/{plan_change.pk}/comments/").status_code == 403
    response = client.post(f"/plan-changes/{plan_change.pk}/comments/", {"part": section.code, "text": "Hello."})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_another_boards_equality_lead_is_refused(cast, borders):
    plan_change, assessment, section = in_progress(cast)
    services.comment_add(by=cast.lead, assessment=assessment, part=section.code, text="Internal note.")
    with pytest.raises(NotAllowed):
        services.comment_add(by=borders.lead, assessment=assessment, part=section.code, text="Hello.")
    client = client_for(borders.lead)
    assert client.get(f"/plan-changes/{plan_change.pk}/comments/").status_code == 404
    assert client.post(f"/plan-changes/{plan_change.pk}/comments/",
                       {"part": section.code, "text": "Hello."}).status_code == 404
    assert Comment.objects.count() == 1


def test_a_posted_comment_is_never_changed_or_deleted(cast):
    _, assessment, section = in_progress(cast)
    comment = services.comment_add(by=cast.officer, assessment=assessment, part=section.code, text="First.")
    comment.text = "Rewritten."
    with pytest.raises(CommentTampering):
        comment.save()
    with pytest.raises(CommentTampering):
        comment.delete()
    with pytest.raises(CommentTampering):
        Comment.objects.filter(pk=comment.pk).update(text="Rewritten.")
    with pytest.raises(CommentTampering):
        Comment.objects.all().delete()
    assert Comment.objects.get().text == "First."


@pytest.mark.parametrize("part, text, field", [
    ("nonsense", "Hello.", "part"),
    (SCREENING_PART, "Hello.", "part"),
    ("SECTION", " \x00 ", "text"),
    ("SECTION", "x" * 5001, "text"),
])
def test_a_comment_needs_a_part_of_the_assessment_and_some_text(cast, part, text, field):
    _, assessment, section = in_progress(cast)
    with pytest.raises(RuleViolation) as refused:
        services.comment_add(by=cast.officer, assessment=assessment, part=section.code if part == "SECTION" else part,
                             text=text)
    assert field in refused.value.errors
    assert not Comment.objects.exists()


def test_comments_on_the_screening(cast):
    plan_change = f.start(cast)
    screening = plan_change.screenings.get()
    comment = services.comment_add(by=cast.lead, screening=screening, part=SCREENING_PART,
                                   text="Please say which localities this covers.")
    assert comment.screening == screening and comment.assessment is None
    event = AuditEvent.objects.get(action="comment.add")
    assert event.screening == screening and "the screening" in event.message
    with pytest.raises(NotAllowed):
        services.comment_add(by=cast.officer2, screening=screening, part=SCREENING_PART, text="Hi.")
    client = client_for(cast.officer)
    task = active_task(plan_change, IIAFlow.screening)
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Please say which localities this covers." in page
    detail = client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Pre-screening" in detail and "Please say which localities this covers." in detail


def test_shown_on_the_section_task_page_and_grouped_on_the_plan_change_page(cast):
    plan_change, assessment, section = in_progress(cast)
    other = assessment.template.sections.order_by("order").exclude(pk=section.pk).first()
    services.comment_add(by=cast.lead, assessment=assessment, part=section.code, text="On the first section.")
    services.comment_add(by=cast.lead, assessment=assessment, part=other.code, text="On another section.")
    task = next(t for t in f.active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == section.code)
    client = client_for(cast.officer)
    page = client.get(task_url(task, "execute")).content.decode()
    assert "On the first section." in page and "On another section." not in page
    assert f'name="part" value="{section.code}"' in page
    # posting from the task page comes back to it
    response = client.post(f"/plan-changes/{plan_change.pk}/comments/",
                           {"part": section.code, "text": "Done, thanks.", "next": task_url(task, "execute")})
    assert response.status_code == 302 and response.url == task_url(task, "execute")
    detail = client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    first = detail.index(f"<h3>{escape(section.title)}</h3>", detail.index('id="comments-title"'))
    assert first < detail.index("On the first section.") < detail.index("Done, thanks.")
    assert detail.index("Done, thanks.") < detail.index(f"<h3>{escape(other.title)}</h3>", first) < detail.index(
        "On another section.")
    assert f"Commented on {escape(section.title)}." in detail  # in the history too


def test_an_unsafe_next_is_ignored_and_errors_are_summarised(cast):
    plan_change, assessment, section = in_progress(cast)
    client = client_for(cast.officer)
    response = client.post(f"/plan-changes/{plan_change.pk}/comments/",
                           {"part": section.code, "text": "Fine.", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == f"/plan-changes/{plan_change.pk}/comments/"
    response = client.post(f"/plan-changes/{plan_change.pk}/comments/", {"part": section.code, "text": "  "})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "Enter your comment." in page
    assert Comment.objects.count() == 1


def test_non_participants_do_not_see_comments_on_the_plan_change_page(cast):
    plan_change, assessment, section = in_progress(cast)
    services.comment_add(by=cast.lead, assessment=assessment, part=section.code, text="Private to participants.")
    assert "Private to participants." in client_for(cast.senior).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    page = client_for(cast.officer2).get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Private to participants." not in page and 'id="comments-title"' not in page


def test_comments_stay_with_their_version_and_a_superseded_version_takes_no_more(cast):
    v1 = signed_off(cast)
    section = v1.template.sections.order_by("order").first()
    services.comment_add(by=cast.lead, assessment=v1, part=section.code, text="Comment on version one.")
    services.assessment_new_version(assessment=v1, by=cast.officer, reason="Update.")
    plan_change = v1.plan_change
    f.complete_parts(cast, plan_change)
    f.complete_actions(cast, plan_change)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    f.sign_off(cast, plan_change)
    with pytest.raises(RuleViolation, match="superseded"):
        services.comment_add(by=cast.lead, assessment=v1, part=section.code, text="Too late.")
    client = client_for(cast.officer)
    assert "Comment on version one." not in client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Comment on version one." in client.get(f"/plan-changes/{plan_change.pk}/?version=1").content.decode()


def test_an_officer_acting_for_the_author_takes_part(cast):
    _, assessment, section = in_progress(cast)
    services.delegation_create(delegator=cast.officer, delegate=cast.officer2, board=f.board(), role=Role.OFFICER,
                               starts_on=datetime.date.today(), ends_on=datetime.date.today())
    officer2 = type(cast.officer2).objects.get(pk=cast.officer2.pk)
    assert services.comment_add(by=officer2, assessment=assessment, part=section.code, text="Covering.")


def test_review_and_sign_off_pages_show_every_comment(cast):
    plan_change = f.to_submitted(cast)
    assessment = f.current(plan_change)
    section = assessment.template.sections.order_by("order").first()
    services.comment_add(by=cast.officer, assessment=assessment, part=section.code, text="Read this first.")
    review = active_task(plan_change, IIAFlow.review)
    workflow_actions.task_claim(task=review, by=cast.lead)
    assert "Read this first." in client_for(cast.lead).get(task_url(review, "execute")).content.decode()


def _panel_as_before(user, plan_change, *, part, here):
    """The task pages' comment panel as it was before it took the page's records: both
    targets read and checked first, then the same rules."""
    from django.urls import reverse

    from assessments import rules
    from assessments import selectors as assessment_selectors
    from workflows.views.casework import CLOSED

    assessment = assessment_selectors.current_assessment(plan_change)
    screening = assessment_selectors.current_screening(plan_change)
    if assessment is not None and not rules.can_comment(user, assessment):
        assessment = None
    if screening is not None and not rules.can_comment_screening(user, screening):
        screening = None
    if assessment is None and screening is None:
        return None
    on_screening = part == SCREENING_PART
    groups = assessment_selectors.comment_groups(
        assessment=None if on_screening else assessment, screening=screening if on_screening or part is None else None,
        part=part)
    can_post = part is not None and (screening is not None if on_screening
                                     else assessment is not None and assessment.state not in CLOSED)
    return {"groups": groups, "part": part, "can_post": can_post, "next": here,
            "url": reverse("plan_change_comments", args=[plan_change.pk])}


def test_the_task_pages_panel_given_the_pages_records_says_what_it_said_before(cast):
    """The panel reads only the records a part's panel needs, and takes those the page has
    read: for every person, part and stage, it shows the same comments and offers the same
    posting as before."""
    from workflows.selectors import process_assessment, process_screening
    from workflows.views.casework import comment_panel

    screened_only = f.start(cast, "Screening only")
    in_work, assessment, section = in_progress(cast)
    services.comment_add(by=cast.officer, assessment=assessment, part=section.code, text="On the section.")
    services.comment_add(by=cast.lead, screening=in_work.screenings.get(), part=SCREENING_PART, text="On screening.")
    assessment.contributors.add(cast.officer2)  # takes part in the assessment, not in its screening
    signed = signed_off(cast).plan_change
    screened_out = f.screen(cast, f.start(cast, "Screened out"), full=False)
    people = [cast.officer, cast.officer2, cast.lead, cast.senior, cast.clerk]
    seen = 0
    for plan_change in (screened_only, in_work, signed, screened_out):
        record = type("P", (), {"plan_change_id": plan_change.pk, "primed_records": None})()
        current, screening = process_assessment(record), process_screening(record)
        for user in people:
            for part in (SCREENING_PART, section.code, "actions", None):
                before = _panel_as_before(user, plan_change, part=part, here="/here/")
                for given in ({}, {"assessment": current, "screening": screening}):
                    panel = comment_panel(user, plan_change, part=part, here="/here/", **given)
                    assert (panel is None) == (before is None), (plan_change, user, part, given)
                    if panel is not None:
                        assert [(g.part, [c.pk for c in g.comments]) for g in panel["groups"]] == \
                            [(g.part, [c.pk for c in g.comments]) for g in before["groups"]]
                        assert {k: v for k, v in panel.items() if k != "groups"} == \
                            {k: v for k, v in before.items() if k != "groups"}
                        seen += 1
    assert seen > 20  # the panels compared were not all hidden
