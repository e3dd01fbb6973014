"""The whole workflow driven through its pages, as each role would use it."""

import pytest
from rest_framework.test import APIClient

from assessments.models import AssessmentState, AuditEvent, PlanChange, Row
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow
from workflows.selectors import task_url

from .http import (
    REVIEW_BY,
    actions_post,
    assign_url,
    claim_and_open,
    client_for,
    execute_url,
    part_tasks,
    revision,
    screening_post,
    section_post,
)

pytestmark = pytest.mark.django_db

FULL = dict(f.FULL_ANSWERS)


def start_over_http(cast, title="Locality carers' drop-in"):
    client = client_for(cast.officer)
    p = f.plan()
    response = client.get("/plan-changes/new/dundee/")
    assert response.status_code == 200
    response = client.post("/plan-changes/new/dundee/", {
        "plan": p.pk, "title": title, "description": "Monthly sessions for unpaid carers.",
        "change_type": "service_redesign", "is_revision": "false",
        "priorities": [p.priorities.first().pk], "actions": [p.priorities.first().actions.first().pk],
        "lead_officer": cast.officer.pk, "director": cast.senior.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    plan_change = PlanChange.objects.get(title=title)
    assert response.url == f"/plan-changes/{plan_change.pk}/"
    return client, plan_change


def screen_over_http(cast, client, plan_change, answers=FULL):
    url = claim_and_open(client, plan_change, IIAFlow.screening)
    # save as draft, come back, then complete
    response = client.post(url, screening_post({"asks_agreement": answers["asks_agreement"]}, action="save"))
    assert response.status_code == 302 and response.url == url
    assert plan_change.screenings.get().answers["asks_agreement"]["answer"] == answers["asks_agreement"]
    page = client.get(url).content.decode()
    chosen = answers["asks_agreement"]
    assert f'value="{chosen}" id="id_q_asks_agreement_{0 if chosen == "yes" else 1}" checked' in page
    response = client.post(url, screening_post(answers))
    assert response.status_code == 302
    lead = client_for(cast.lead)
    assert "Review the screening" in lead.get("/tasks/queue/").content.decode()
    url = claim_and_open(lead, plan_change, IIAFlow.review_screening)
    assert "Proposed outcome" in lead.get(url).content.decode()
    response = lead.post(url, {"decision": "concur", "comments": ""})
    assert response.status_code == 302
    return lead


def complete_parts_over_http(client, plan_change, overrides=None):
    assessment = f.current(plan_change)
    for code, task in part_tasks(plan_change, IIAFlow.complete_part).items():
        url = execute_url(task)
        if code == "evidence":
            response = client.post(url, {"action": "complete", "revision": "0", "evidence": "SIMD 2020.",
                                         "consultation": "Carers' forum."})
        else:
            section = assessment.template.sections.get(code=code)
            revision = assessment.parts.filter(part=code).values_list("revision", flat=True).first() or 0
            response = client.post(url, section_post(section, overrides, revision=revision))
        assert response.status_code == 302, (code, response.content.decode()[:3000])


def test_full_iia_to_sign_off_over_http(cast):
    client, plan_change = start_over_http(cast)
    assert "Complete the pre-screening" in client.get("/tasks/inbox/").content.decode()
    screen_over_http(cast, client, plan_change)
    assessment = f.current(plan_change)
    assert assessment.state == AssessmentState.IN_PROGRESS
    parts = part_tasks(plan_change, IIAFlow.complete_part)
    assert set(parts) == {"equality", "fairness", "environment", "risk", "evidence"}
    inbox = client.get("/tasks/inbox/").content.decode()
    assert "Complete “Equality &amp; Diversity”" in inbox and "Complete “Fairness &amp; Poverty”" in inbox

    # an unrated row blocks completion, shown in the summary and beside the field
    section = assessment.template.sections.get(code="equality")
    age = Row.objects.get(section=section, code="PC.AGE")
    data = section_post(section)
    del data[f"r{age.pk}"]
    response = client.post(execute_url(parts["equality"]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and f'href="#id_r{age.pk}_0"' in page  # the summary links to the control
    assert f'id="id_r{age.pk}_0"' in page and "choose at least one rating" in page
    assert f'aria-describedby="id_r{age.pk}_helptext id_r{age.pk}_error"' in page  # and the error is announced

    # a draft keeps the answers, and they are shown again when the officer comes back
    url = execute_url(parts["equality"])
    response = client.post(url, section_post(section, {"PC.AGE": (["negative", "positive"], "Older carers travel further.")},
                                             action="save"))
    assert response.status_code == 302
    assert assessment.ratings.get(row=age).negative
    page = client.get(url).content.decode()
    assert f'value="negative" id="id_r{age.pk}_1" checked' in page and f'value="positive" id="id_r{age.pk}_0" checked' in page

    complete_parts_over_http(client, plan_change, {"PC.AGE": (["negative"], "Older carers travel further.")})
    url = execute_url(active_task(plan_change, IIAFlow.actions))
    response = client.post(url, actions_post())
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="#id_j{age.pk}"' in page and "Set a review date" not in page  # one round: every problem at once
    # a draft keeps the dates and shows them again in the date inputs
    response = client.post(url, actions_post(actions=[{
        "kind": "mitigation", "description": "Draft action.", "owner": "Carers lead", "due_date": "2099-06-30",
        "status": "planned", "rows": [str(age.pk)]}], action="save"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="2099-06-30"' in page and f'value="{REVIEW_BY}"' in page
    client.post(url, {**actions_post(action="save", revision=revision(plan_change, "actions")),
                      "act-TOTAL_FORMS": "1", "act-INITIAL_FORMS": "0", "act-0-kind": "mitigation",
                      "act-0-status": "planned"})
    f.current(plan_change).actions.all().delete()
    response = client.post(url, actions_post(actions=[{
        "kind": "mitigation", "description": "Run sessions in every locality by phase two.",
        "owner": "Carers lead", "due_date": "2099-06-30", "status": "planned", "rows": [str(age.pk)],
    }], revision=revision(plan_change, "actions")))
    assert response.status_code == 302, response.content.decode()[:3000]

    url = execute_url(active_task(plan_change, IIAFlow.submit))
    assert "Submit for review" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert f.current(plan_change).state == AssessmentState.SUBMITTED

    lead = client_for(cast.lead)
    url = claim_and_open(lead, plan_change, IIAFlow.review)
    response = lead.post(url, {"decision": "approve", "risk_level": ""})
    assert response.status_code == 200 and "Choose a risk level" in response.content.decode()
    assert lead.post(url, {"decision": "approve", "risk_level": "medium"}).status_code == 302

    senior = client_for(cast.senior)
    assert "Sign off the IIA" in senior.get("/tasks/queue/").content.decode()
    url = claim_and_open(senior, plan_change, IIAFlow.sign_off)
    assert senior.post(url, {"decision": "sign_off"}).status_code == 302
    assessment = f.current(plan_change)
    assert assessment.state == AssessmentState.SIGNED_OFF
    assert assessment.signed_off_by == cast.senior and assessment.approved_by == cast.lead

    detail = client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Signed off" in detail and "Start a new version" in detail
    actions = list(AuditEvent.objects.filter(plan_change=plan_change).values_list("action", flat=True))
    for expected in ("plan_change.create", "screening.submit", "screening.concur", "assessment.open",
                     "assessment.submit", "assessment.approve", "assessment.sign_off"):
        assert expected in actions
    assert not active_tasks(plan_change, IIAFlow.sign_off)

    # a change now needs a new version
    response = client.post(f"/assessments/{assessment.pk}/new-version/", {"reason": "Phase two adds venues."})
    assert response.status_code == 302
    v2 = f.current(plan_change)
    assert v2.version == 2 and v2.state == AssessmentState.IN_PROGRESS
    assert set(part_tasks(plan_change, IIAFlow.complete_part)) == {"equality", "fairness", "environment", "risk", "evidence"}


def test_screen_out_path_over_http(cast):
    client, plan_change = start_over_http(cast, "Annual Performance Report")
    screen_over_http(cast, client, plan_change, {**FULL, "asks_agreement": "no"})
    screening = plan_change.screenings.get()
    assert screening.state == "screened_out" and screening.outcome == "no_iia"
    assert not plan_change.assessments.exists()
    assert not active_tasks(plan_change, IIAFlow.complete_part)
    page = client.get(f"/plan-changes/{plan_change.pk}/").content.decode()
    assert "Screening record" in page and "Screened out: no IIA required" in page
    assert "Integrated Impact Assessment, version" not in page


def test_screening_returned_goes_back_to_the_officer(cast):
    client, plan_change = start_over_http(cast)
    url = claim_and_open(client, plan_change, IIAFlow.screening)
    client.post(url, screening_post(FULL))
    lead = client_for(cast.lead)
    url = claim_and_open(lead, plan_change, IIAFlow.review_screening)
    response = lead.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 200 and "Give the reason" in response.content.decode()
    assert lead.post(url, {"decision": "return", "comments": "Answer the island question properly."}).status_code == 302
    task = active_task(plan_change, IIAFlow.screening)
    assert task.owner == cast.officer
    assert "Answer the island question properly." in client.get(execute_url(task)).content.decode()


def test_return_loop_reopens_only_the_chosen_parts(cast):
    client, plan_change = start_over_http(cast)
    screen_over_http(cast, client, plan_change)
    complete_parts_over_http(client, plan_change)
    client.post(execute_url(active_task(plan_change, IIAFlow.actions)), actions_post())
    client.post(execute_url(active_task(plan_change, IIAFlow.submit)))
    lead = client_for(cast.lead)
    url = claim_and_open(lead, plan_change, IIAFlow.review)
    response = lead.post(url, {"decision": "return", "comments": "Rate the localities again.", "parts": ["fairness"]})
    assert response.status_code == 302
    assert f.current(plan_change).state == AssessmentState.RETURNED
    assert set(part_tasks(plan_change, IIAFlow.complete_part)) == {"fairness"}
    page = client.get(execute_url(active_task(plan_change, IIAFlow.complete_part))).content.decode()
    assert "Rate the localities again." in page
    complete_parts_over_http(client, plan_change)
    client.post(execute_url(active_task(plan_change, IIAFlow.actions)), actions_post(revision=revision(plan_change, "actions")))
    client.post(execute_url(active_task(plan_change, IIAFlow.submit)))
    assert f.current(plan_change).state == AssessmentState.SUBMITTED
    url = claim_and_open(lead, plan_change, IIAFlow.review)
    assert lead.post(url, {"decision": "approve", "risk_level": "low"}).status_code == 302
    assert f.current(plan_change).state == AssessmentState.APPROVED
    # the senior officer may also return it
    senior = client_for(cast.senior)
    url = claim_and_open(senior, plan_change, IIAFlow.sign_off)
    response = senior.post(url, {"decision": "return", "comments": "Add the budget.", "parts": []})
    assert response.status_code == 200 and "Choose the parts the officer must change" in response.content.decode()
    assert senior.post(url, {"decision": "return", "comments": "Add the budget.", "parts": ["actions"]}).status_code == 302
    assert f.current(plan_change).state == AssessmentState.RETURNED
    assert active_task(plan_change, IIAFlow.actions).owner == cast.officer
    assert not part_tasks(plan_change, IIAFlow.complete_part)


def test_the_author_never_sees_their_own_review_in_the_queue(cast):
    from assessments.models import Role

    f.add_role(cast.officer, Role.EQUALITY_LEAD)
    plan_change = f.to_submitted(cast)
    author = client_for(cast.officer)
    assert "Review the IIA" not in author.get("/tasks/queue/").content.decode()
    task = active_task(plan_change, IIAFlow.review)
    assert author.post(task_url(task, "assign")).status_code == 403
    assert "Review the IIA" in client_for(cast.lead).get("/tasks/queue/").content.decode()


def test_completing_a_task_twice_gives_a_conflict_page_not_an_error(cast):
    client, plan_change = start_over_http(cast)
    url = claim_and_open(client, plan_change, IIAFlow.screening)
    assert client.post(url, screening_post(FULL)).status_code == 302
    response = client.post(url, screening_post(FULL))
    assert response.status_code == 409
    assert "Someone else" in response.content.decode() or "already been completed" in response.content.decode()
    assert plan_change.screenings.get().state == "submitted"


def test_a_claimed_task_cannot_be_taken_by_a_colleague(cast):
    plan_change = f.start(cast)
    f.screen(cast, plan_change, full=True) if False else None
    pass

    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    other_lead = f.user("equality_lead")
    first, second = client_for(cast.lead), client_for(other_lead)
    claim_and_open(first, plan_change, IIAFlow.review_screening)
    task = active_task(plan_change, IIAFlow.review_screening)
    assert second.post(execute_url(task), {"decision": "concur"}).status_code == 409
    assert second.get(execute_url(task)).status_code == 403


def test_claiming_again_a_task_you_hold_is_a_conflict_on_the_page_as_in_the_api(cast):
    plan_change = f.start(cast)
    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    task = active_task(plan_change, IIAFlow.review_screening)
    first, second = client_for(cast.lead), client_for(cast.lead)  # the same person, signed in twice
    assert first.post(assign_url(task)).status_code == 302
    response = second.post(assign_url(task))
    assert response.status_code == 409
    page = response.content.decode()
    assert "You already hold this task." in page and f'href="/plan-changes/{plan_change.pk}/"' in page
    api = APIClient()
    api.force_login(cast.lead)
    response = api.post(f"/api/tasks/{task.pk}/claim/")
    assert response.status_code == 409 and response.json()["detail"] == "You already hold this task."


def test_an_id_too_large_for_any_column_is_an_invalid_choice_not_a_server_error(cast):
    client = client_for(cast.officer)
    p = f.plan()
    huge = "9" * 40
    response = client.post("/plan-changes/new/dundee/", {
        "plan": p.pk, "title": "Too large", "description": "x", "change_type": "service_redesign",
        "is_revision": "false", "priorities": [huge], "actions": [huge],
        "lead_officer": cast.officer.pk, "director": cast.senior.pk,
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["priorities"] and form.errors["actions"]
    assert form.errors["priorities"] == ["Choose plan priorities it touches from the list."]
    assert not PlanChange.objects.filter(title="Too large").exists()


def test_form_widgets_render_the_same_html_through_jinja2_as_through_the_template_language(cast, settings):
    """FORM_RENDERER renders widgets through Jinja2, for speed; a form page must not change (the admin's
    widgets, which have templates only for the template language, are checked by the role matrix)."""
    import difflib
    import re

    from django.forms import renderers

    def same_lines(page):  # the session's token aside; Jinja2 leaves no blank line between a select's options
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        return "\n".join(line for line in page.splitlines() if line.strip())

    assert settings.FORM_RENDERER == "iia.renderers.FormRenderer"
    client, plan_change = start_over_http(cast)
    screen_over_http(cast, client, plan_change)
    urls = [execute_url(task) for task in part_tasks(plan_change, IIAFlow.complete_part).values()]
    urls.append("/plan-changes/new/dundee/")
    client.get("/tasks/inbox/")  # shows (and so clears) the messages waiting from the steps above
    pages = {}
    for renderer in ["django.forms.renderers.DjangoTemplates", "iia.renderers.FormRenderer"]:
        settings.FORM_RENDERER = renderer
        renderers.get_default_renderer.cache_clear()
        pages[renderer] = [same_lines(client.get(url).content.decode()) for url in urls]
    renderers.get_default_renderer.cache_clear()
    django_html, jinja_html = pages.values()
    assert len(urls) == 6 and all('type="checkbox"' in page or "textarea" in page for page in jinja_html)
    for url, a, b in zip(urls, django_html, jinja_html, strict=True):
        assert a == b, url + "\n" + "\n".join(list(difflib.unified_diff(a.splitlines(), b.splitlines(), n=1))[:40])
