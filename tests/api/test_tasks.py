"""Tasks through the API: the same rules, locks, services and audit as the task pages."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import AuditEvent, PlanChange, Role
from tests import factories as f
from workflows import actions as workflow_actions
from workflows.engine import active_task, active_tasks
from workflows.flows import IIAFlow

pytestmark = pytest.mark.django_db


def _claim(api, person, task):
    return api(person).post(f"/api/tasks/{task.pk}/claim/")


def test_a_lead_claims_and_approves_the_flow_moves_on_and_the_audit_says_who(cast, api):
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    queue = api(cast.lead).get("/api/tasks/queue/").json()
    assert [t["id"] for t in queue["results"]] == [review.pk]
    assert _claim(api, cast.lead, review).json()["owner"] == cast.lead.username
    assert [t["id"] for t in api(cast.lead).get("/api/tasks/inbox/").json()["results"]] == [review.pk]
    response = api(cast.lead).post(f"/api/tasks/{review.pk}/review/",
                                   {"decision": "approve", "risk_level": "medium", "comments": "Sound."},
                                   format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "DONE"
    assessment = f.current(plan_change)
    assert assessment.state == "approved" and assessment.approved_by == cast.lead and assessment.risk_level == "medium"
    event = AuditEvent.objects.filter(assessment=assessment, action="assessment.approve").get()
    assert event.actor == cast.lead and (event.from_state, event.to_state) == ("submitted", "approved")
    assert active_task(plan_change, IIAFlow.sign_off) is not None
    detail = api(cast.senior).get(f"/api/assessments/{assessment.pk}/").json()
    assert detail["state"] == "approved" and detail["approved_by"] == cast.lead.username


def test_a_second_claim_and_a_late_completion_get_409_and_change_nothing(cast, api):
    lead2 = f.user(Role.EQUALITY_LEAD)
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    assert _claim(api, cast.lead, review).status_code == 200
    assert _claim(api, lead2, review).status_code == 409
    assert _claim(api, cast.lead, review).status_code == 409  # already theirs
    body = {"decision": "approve", "risk_level": "low"}
    assert api(lead2).post(f"/api/tasks/{review.pk}/review/", body, format="json").status_code == 409
    assert api(lead2).post(f"/api/tasks/{review.pk}/release/").status_code == 409
    assert f.current(plan_change).state == "submitted"
    assert api(cast.lead).post(f"/api/tasks/{review.pk}/review/", body, format="json").status_code == 200
    late = api(cast.lead).post(f"/api/tasks/{review.pk}/review/", body, format="json")
    assert late.status_code == 409 and "already been completed" in late.json()["detail"]
    assert AuditEvent.objects.filter(action="assessment.approve").count() == 1


def test_an_unclaimed_review_must_be_claimed_first_and_can_be_released(cast, api):
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    early = api(cast.lead).post(f"/api/tasks/{review.pk}/review/", {"decision": "approve", "risk_level": "low"},
                                format="json")
    assert early.status_code == 409 and "Claim" in early.json()["detail"]
    _claim(api, cast.lead, review)
    released = api(cast.lead).post(f"/api/tasks/{review.pk}/release/")
    assert released.status_code == 200 and released.json()["owner"] is None and released.json()["status"] == "NEW"


def test_wrong_role_is_403_and_other_board_is_404(cast, borders, api):
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    for person in (cast.officer, cast.senior, cast.clerk):
        assert _claim(api, person, review).status_code == 403, person
    assert _claim(api, borders.lead, review).status_code == 404
    assert api(borders.lead).get(f"/api/tasks/{review.pk}/").status_code == 404
    assert api(borders.lead).get(f"/api/assessments/{f.current(plan_change).pk}/").status_code == 404
    assert review.pk not in [t["id"] for t in api(borders.lead).get("/api/tasks/queue/").json()["results"]]
    assert active_task(plan_change, IIAFlow.review).owner_id is None


def test_nobody_approves_their_own_work_through_the_api(cast, api):
    """The author holding the equality-lead role, and a lead who contributed a part, are
    both refused the review; nothing is written to the audit."""
    f.add_role(cast.officer, Role.EQUALITY_LEAD)
    contributor = f.user(Role.EQUALITY_LEAD)
    f.add_role(contributor, Role.OFFICER)
    plan_change = f.to_submitted(cast)
    f.current(plan_change).contributors.add(contributor)
    review = active_task(plan_change, IIAFlow.review)
    before = AuditEvent.objects.count()
    for person in (cast.officer, contributor):
        assert review.pk not in [t["id"] for t in api(person).get("/api/tasks/queue/").json()["results"]]
        assert _claim(api, person, review).status_code == 403
        response = api(person).post(f"/api/tasks/{review.pk}/review/", {"decision": "approve", "risk_level": "low"},
                                    format="json")
        assert response.status_code == 403
    assert AuditEvent.objects.count() == before and f.current(plan_change).state == "submitted"


def test_a_senior_who_contributed_cannot_sign_off(cast, api):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    f.current(plan_change).contributors.add(cast.senior)
    sign_off = active_task(plan_change, IIAFlow.sign_off)
    assert _claim(api, cast.senior, sign_off).status_code == 403
    other = f.user(Role.SENIOR_OFFICER, job_title="Head of Service")
    assert _claim(api, other, sign_off).status_code == 200
    response = api(other).post(f"/api/tasks/{sign_off.pk}/sign-off/", {"decision": "sign_off"}, format="json")
    assert response.status_code == 200, response.content
    assert f.current(plan_change).state == "signed_off" and f.current(plan_change).signed_off_by == other


def test_invalid_input_is_400_with_field_errors_and_writes_nothing(cast, api):
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    _claim(api, cast.lead, review)
    before = AuditEvent.objects.count()
    url = f"/api/tasks/{review.pk}/review/"
    cases = [
        ({"decision": "approve"}, "risk_level"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "return", "comments": "", "parts": ["evidence"]}, "comments"),  # the service's rule
        ({"decision": "return", "comments": "Redo.", "parts": ["no-such-part"]}, "parts"),
        ({"decision": "approve", "risk_level": "low", "comments": "x" * 20_001}, "comments"),
    ]
    for body, field in cases:
        response = api(cast.lead).post(url, body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    wrong_step = api(cast.lead).post(f"/api/tasks/{review.pk}/sign-off/", {"decision": "sign_off"}, format="json")
    assert wrong_step.status_code == 400 and "non_field_errors" in wrong_step.json()
    assert AuditEvent.objects.count() == before
    assert active_task(plan_change, IIAFlow.review).owner_id == cast.lead.pk


def test_return_reopens_the_chosen_parts(cast, api):
    plan_change = f.to_submitted(cast)
    review = active_task(plan_change, IIAFlow.review)
    _claim(api, cast.lead, review)
    response = api(cast.lead).post(f"/api/tasks/{review.pk}/review/",
                                   {"decision": "return", "comments": "More evidence.", "parts": ["evidence"]},
                                   format="json")
    assert response.status_code == 200, response.content
    assert f.current(plan_change).state == "returned"
    assert [t.data["part"] for t in active_tasks(plan_change, IIAFlow.complete_part)] == ["evidence"]


def test_screening_review_concur_override_and_the_submitter_refused(cast, api):
    plan_change = f.start(cast)
    screening = plan_change.screenings.get()
    pass

    workflow_actions.screening_save(task=active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                    complete=True, claim=True)
    task = active_task(plan_change, IIAFlow.review_screening)
    f.add_role(cast.officer, Role.EQUALITY_LEAD)
    assert _claim(api, cast.officer, task).status_code == 403
    _claim(api, cast.lead, task)
    missing = api(cast.lead).post(f"/api/tasks/{task.pk}/screening-review/", {"decision": "override"}, format="json")
    assert missing.status_code == 400 and "comments" in missing.json()
    response = api(cast.lead).post(f"/api/tasks/{task.pk}/screening-review/", {"decision": "concur"}, format="json")
    assert response.status_code == 200, response.content
    screening.refresh_from_db()
    assert screening.state == "screened_in" and screening.reviewed_by == cast.lead
    assert AuditEvent.objects.filter(screening=screening, action="screening.concur", actor=cast.lead).exists()
    assert len(active_tasks(plan_change, IIAFlow.complete_part)) >= 2


def _section_body(assessment, code, revision=None, complete=True):
    section = assessment.template.sections.get(code=code)
    ratings, answers = f.section_inputs(section)
    return {
        "ratings": [{"row": row, "ratings": sorted(value.ratings), "explanation": value.explanation}
                    for row, value in ratings.items()],
        "answers": [{"question": q, "value": v} for q, v in answers.items()],
        "complete": complete, "revision": revision,
    }


def test_officer_saves_and_completes_parts_and_submits(cast, api):
    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    tasks = {t.data["part"]: t for t in active_tasks(plan_change, IIAFlow.complete_part)}
    code = next(c for c in tasks if c != "evidence")
    url = f"/api/tasks/{tasks[code].pk}/part/"
    draft = api(cast.officer).post(url, _section_body(assessment, code, complete=False), format="json")
    assert draft.status_code == 200 and draft.json()["status"] != "DONE"
    parts = {p["part"]: p for p in api(cast.officer).get(f"/api/assessments/{assessment.pk}/").json()["parts"]}
    assert parts[code]["status"] == "draft" and parts[code]["revision"] == 1
    stale = api(cast.officer).post(url, _section_body(assessment, code, revision=0), format="json")
    assert stale.status_code == 409
    foreign = _section_body(assessment, code, revision=1)
    foreign["ratings"].append({"row": 10**6, "ratings": ["no_impact"], "explanation": ""})
    assert "ratings" in api(cast.officer).post(url, foreign, format="json").json()
    incomplete = _section_body(assessment, code, revision=1)
    incomplete["ratings"] = incomplete["ratings"][1:]
    refused = api(cast.officer).post(url, incomplete, format="json")
    assert refused.status_code == 400 and any(key.startswith("r") for key in refused.json())
    done = api(cast.officer).post(url, _section_body(assessment, code, revision=1), format="json")
    assert done.status_code == 200 and done.json()["status"] == "DONE", done.content
    assert AuditEvent.objects.filter(assessment=assessment, action="assessment.section_complete",
                                     actor=cast.officer, data__part=code).exists()
    for other, task in tasks.items():
        if other == code:
            continue
        body = ({"evidence": "Data.", "consultation": "People.", "complete": True} if other == "evidence"
                else _section_body(assessment, other))
        assert api(cast.officer).post(f"/api/tasks/{task.pk}/part/", body, format="json").status_code == 200
    assert api(cast.lead).post(f"/api/tasks/{tasks[code].pk}/part/", {}, format="json").status_code in (403, 409)
    f.complete_actions(cast, plan_change)
    submit = active_task(plan_change, IIAFlow.submit)
    assert api(cast.officer2).post(f"/api/tasks/{submit.pk}/submit/").status_code in (403, 409)
    assert api(cast.officer).post(f"/api/tasks/{submit.pk}/submit/").status_code == 200
    assert f.current(plan_change).state == "submitted"


def test_a_whole_iia_through_the_api_from_plan_change_to_sign_off(cast, api, committed):
    """Every step an intranet system could drive, each by the person whose step it is."""
    plan = f.plan()
    created = api(cast.officer).post("/api/plan-changes/", {
        "board": "dundee", "plan": plan.pk, "title": "Evening opening", "description": "Open until 8pm.",
        "change_type": "service_redesign", "director": cast.senior.username}, format="json").json()

    def task(person, step, where="inbox"):
        tasks = api(person).get(f"/api/tasks/{where}/").json()["results"]
        return next(t for t in tasks if t["plan_change"] == created["id"] and t["step"] == step)

    screening = task(cast.officer, "screening")
    url = f"/api/tasks/{screening['id']}/screening/"
    answers = f.answers()
    partial = {code: value for code, value in list(answers.items())[:3]}
    assert api(cast.officer).post(url, {"answers": partial}, format="json").json()["status"] == "ASSIGNED"
    missing = api(cast.officer).post(url, {"answers": partial, "complete": True}, format="json")
    assert missing.status_code == 400 and all(key.startswith("q_") for key in missing.json())
    assert api(cast.officer).post(url, {"answers": answers, "complete": True}, format="json").status_code == 200

    review = task(cast.lead, "review_screening", "queue")
    api(cast.lead).post(f"/api/tasks/{review['id']}/claim/")
    assert api(cast.lead).post(f"/api/tasks/{review['id']}/screening-review/", {"decision": "concur"},
                               format="json").status_code == 200

    plan_change = PlanChange.objects.get(pk=created["id"])
    assessment = f.current(plan_change)
    for part in [t for t in api(cast.officer).get("/api/tasks/inbox/").json()["results"] if t["step"] == "complete_part"]:
        body = ({"evidence": "Data.", "consultation": "People.", "complete": True} if part["part"] == "evidence"
                else _section_body(assessment, part["part"]))
        assert api(cast.officer).post(f"/api/tasks/{part['id']}/part/", body, format="json").status_code == 200

    actions = task(cast.officer, "actions")
    url = f"/api/tasks/{actions['id']}/actions/"
    bad = api(cast.officer).post(url, {"actions": [{"description": "", "owner": "", "due_date": None}],
                                       "complete": True}, format="json")
    assert bad.status_code == 400 and "action-0" in bad.json() and "review_date" in bad.json()
    row = assessment.template.sections.first().rows.first()
    due, review_date = (timezone.localdate() + datetime.timedelta(days=days) for days in (60, 200))
    done = api(cast.officer).post(url, {
        "actions": [{"description": "Check with carers.", "owner": "Service manager", "due_date": due.isoformat(),
                     "rows": [row.pk], "kind": "evidence"}],
        "review_date": review_date.isoformat(), "complete": True}, format="json")
    assert done.status_code == 200, done.content
    assert api(cast.officer).post(f"/api/tasks/{task(cast.officer, 'submit')['id']}/submit/").status_code == 200

    review = task(cast.lead, "review", "queue")
    api(cast.lead).post(f"/api/tasks/{review['id']}/claim/")
    assert api(cast.lead).post(f"/api/tasks/{review['id']}/review/", {"decision": "approve", "risk_level": "low"},
                               format="json").status_code == 200
    sign_off = task(cast.senior, "sign_off", "queue")
    api(cast.senior).post(f"/api/tasks/{sign_off['id']}/claim/")
    response = committed(api(cast.senior).post, f"/api/tasks/{sign_off['id']}/sign-off/", {"decision": "sign_off"},
                         format="json")
    assert response.status_code == 200
    body = api(cast.clerk).get(f"/api/assessments/{assessment.pk}/").json()
    assert body["state"] == "signed_off" and body["actions"][0]["kind"] == "evidence"
    assert body["review_date"] == review_date.isoformat()
    actors = set(AuditEvent.objects.filter(plan_change=plan_change).values_list("actor__username", flat=True))
    assert actors == {cast.officer.username, cast.lead.username, cast.senior.username}


def test_the_queue_is_read_a_page_at_a_time_and_counted_exactly(cast, api, monkeypatch):
    """The API's queue pages are the queue the rules give, in order, and its count is the
    queue's length, though neither reads the whole queue (the lead's own work is counted out)."""
    from django.conf import settings

    from workflows import selectors

    assert settings.REST_FRAMEWORK["PAGE_SIZE"] == selectors.TASKS_PER_PAGE  # one page size for both
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    changes = [f.start(cast, f"Change {i}") for i in range(7)]
    changes[1].lead_officer = cast.lead  # the lead's own work: never offered to the lead, nor counted
    changes[1].save(update_fields=["lead_officer"])
    for plan_change in changes:
        workflow_actions.screening_save(task=f.active_task(plan_change, IIAFlow.screening), by=cast.officer, answers=f.answers(),
                                        complete=True, claim=True)
    expected = [t.pk for t in selectors.queue(cast.lead)]
    assert len(expected) == 6
    seen, url, pages = [], "/api/tasks/queue/", 0
    while url:
        body = api(cast.lead).get(url).json()
        assert body["count"] == 6 and len(body["results"]) <= 2
        seen += [t["id"] for t in body["results"]]
        url, pages = body["next"], pages + 1
        assert body["previous"] is None if pages == 1 else "/api/tasks/queue/" in body["previous"]
    assert seen == expected and pages == 3
    assert api(cast.lead).get("/api/tasks/queue/?page=9").status_code == 404
    assert api(cast.lead).get("/api/tasks/queue/?page=0").status_code == 400
    for person in (cast.officer, cast.senior):
        assert api(person).get("/api/tasks/queue/").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_senior_officers_sign_off_comments_are_kept(cast, api):
    plan_change = f.to_submitted(cast)
    f.approve(cast, plan_change)
    sign_off = active_task(plan_change, IIAFlow.sign_off)
    assert _claim(api, cast.senior, sign_off).status_code == 200
    response = api(cast.senior).post(f"/api/tasks/{sign_off.pk}/sign-off/",
                                     {"decision": "sign_off", "comments": "Revisit once the pilot ends."}, format="json")
    assert response.status_code == 200, response.content
    assessment = f.current(plan_change)
    assert assessment.sign_off_comments == "Revisit once the pilot ends."
    record = api(cast.officer).get(f"/api/assessments/{assessment.pk}/").json()
    assert record["sign_off_comments"] == "Revisit once the pilot ends."
    event = AuditEvent.objects.get(assessment=assessment, action="assessment.sign_off")
    assert "Revisit once the pilot ends." in event.message


def test_a_negative_locality_row_takes_its_consultation_through_the_api(cast, api):
    """s.41: the API asks for the locality planning group consulted, and when, as the page does."""
    from assessments.models import ImpactRating, LocalityPlanningGroup

    plan_change = f.screen(cast, f.start(cast))
    assessment = f.current(plan_change)
    task = next(t for t in active_tasks(plan_change, IIAFlow.complete_part) if t.data["part"] == "fairness")
    url = f"/api/tasks/{task.pk}/part/"
    row = f.row(assessment, "GEO.LCPP2")
    body = _section_body(assessment, "fairness")
    rating = next(r for r in body["ratings"] if r["row"] == row.pk)
    rating.update(ratings=["negative"], explanation="Fewer visits.")
    refused = api(cast.officer).post(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()[f"g{row.pk}"] == [
        "“Lochee” is rated negative: choose the locality planning group that was consulted."]
    rating.update(consulted_group=10**20, consulted_on="99999999999999999999-01-01")
    strange = api(cast.officer).post(url, body, format="json")
    assert strange.status_code == 400 and "ratings" in strange.json()
    group = LocalityPlanningGroup.objects.get(board__slug="dundee", locality__code="LCPP2")
    rating.update(consulted_group=group.pk, consulted_on="2026-01-05")
    done = api(cast.officer).post(url, body, format="json")
    assert done.status_code == 200, done.content
    stored = ImpactRating.objects.get(assessment=assessment, row=row)
    assert (stored.consulted_group_id, stored.consulted_on) == (group.pk, datetime.date(2026, 1, 5))
