"""Who gets in, and what each person sees: tokens, board scoping, the public register."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from assessments.models import AuditEvent
from iia.models import ApiToken
from iia.tokens import token_digest
from tests import factories as f
from tests.reports.helpers import signed_off

pytestmark = pytest.mark.django_db

PRIVATE = ["/api/boards/", "/api/plan-changes/", "/api/assessments/", "/api/tasks/inbox/", "/api/tasks/queue/",
           "/api/reports/", "/api/meetings/"]


def test_without_credentials_or_with_a_bad_token_every_private_endpoint_is_401(cast, api):
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    for url in PRIVATE:
        response = api().get(url)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Token", url
        assert bad.get(url).status_code == 401, url
        assert api().post("/api/tasks/1/claim/").status_code == 401


def test_a_token_from_the_command_works_is_stored_hashed_and_reset_revokes_the_old_one(cast):
    out = io.StringIO()
    call_command("api_token", cast.officer.username, stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    stored = ApiToken.objects.get(user=cast.officer)
    assert len(key) >= 40 and (stored.prefix, stored.digest) == (key[:8], token_digest(key))
    assert key not in str(ApiToken.objects.values_list().get())  # only its hash is kept
    with pytest.raises(CommandError, match="already has an API token"):  # shown once: never again
        call_command("api_token", cast.officer.username, stdout=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/boards/")
    assert response.json()["results"][0]["roles"] == ["officer"]
    assert response.headers["Cache-Control"] == "no-store"  # board data is never kept in a cache
    out = io.StringIO()
    call_command("api_token", cast.officer.username, "--reset", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() != key
    assert client.get("/api/boards/").status_code == 401
    cast.officer.is_active = False
    cast.officer.save()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    assert client.get("/api/boards/").status_code == 401


def test_a_session_also_works_and_a_user_without_a_board_is_refused(cast, api):
    client = APIClient()
    client.force_login(cast.lead)
    assert client.get("/api/plan-changes/").status_code == 200
    admin = f.user(None, is_superuser=True, is_staff=True)
    for url in PRIVATE:
        assert api(admin).get(url).status_code == 403, url


def test_each_board_sees_only_its_own_records(cast, borders, api, committed):
    dundee_change = committed(signed_off, cast).plan_change
    borders_change = f.to_submitted(borders, "Borders change")
    dundee_ids = {
        "plan-changes": dundee_change.pk, "assessments": f.current(dundee_change).pk,
    }
    borders_ids = {"plan-changes": borders_change.pk, "assessments": f.current(borders_change).pk}
    for kind in dundee_ids:
        seen = {r["id"] for r in api(cast.lead).get(f"/api/{kind}/").json()["results"]}
        assert dundee_ids[kind] in seen and borders_ids[kind] not in seen, kind
        assert api(cast.lead).get(f"/api/{kind}/{borders_ids[kind]}/").status_code == 404
        assert api(borders.lead).get(f"/api/{kind}/{dundee_ids[kind]}/").status_code == 404
        assert api(borders.lead).get(f"/api/{kind}/{borders_ids[kind]}/").status_code == 200
    assert [b["slug"] for b in api(cast.lead).get("/api/boards/").json()["results"]] == ["dundee"]
    assert api(cast.lead).get("/api/boards/scottish-borders/").status_code == 404
    assert api(cast.lead).get("/api/plan-changes/?board=scottish-borders").json()["count"] == 0


def test_an_assessment_shows_its_rows_answers_parts_and_state(cast, api, committed):
    assessment = committed(signed_off, cast)
    body = api(cast.clerk).get(f"/api/assessments/{assessment.pk}/").json()
    assert body["state"] == "signed_off" and body["reference"] == assessment.reference
    assert body["signed_off_by"] == cast.senior.username and body["approved_by"] == cast.lead.username
    assert len(body["ratings"]) == assessment.ratings.count() > 0
    assert all(r["ratings"] == ["no_impact"] for r in body["ratings"])
    assert {p["status"] for p in body["parts"]} == {"complete"}
    assert len(body["answers"]) == assessment.answers.count()
    change = api(cast.clerk).get(f"/api/plan-changes/{assessment.plan_change_id}/").json()
    assert change["status"]["code"] == "assessment-signed_off"
    assert change["screening"]["state"] == "screened_in"


def test_the_public_register_needs_no_login_and_shows_only_published_material(cast, api, committed):
    from tests.security.world import World

    world = World(committed)
    public = APIClient()
    boards = public.get("/api/register/")
    assert boards.status_code == 200 and "dundee" in [b["slug"] for b in boards.json()["results"]]
    documents = public.get("/api/register/dundee/documents/").json()["results"]
    codes = {d["verification_code"] for d in documents}
    assert world.unpublished_document.verification_code not in codes
    published = world.published_report.appendix
    decided = world.delegated_decision.document  # published by a decision under delegated authority
    assert codes == {published.verification_code, decided.verification_code}
    by_code = {d["verification_code"]: d for d in documents}
    assert by_code[published.verification_code]["published_with"][0]["report_number"] == world.published_report.number
    assert by_code[published.verification_code]["delegated_decision"] is None
    assert by_code[decided.verification_code]["published_with"] == []
    assert by_code[decided.verification_code]["delegated_decision"]["authority"] == "Scheme of delegation"
    meetings = public.get("/api/register/dundee/meetings/").json()["results"]
    assert [m["id"] for m in meetings] == [world.meeting.pk]
    assert public.get("/api/register/dundee/documents/?q=no-such-words").json()["count"] == 0
    assert public.get("/api/register/dundee/documents/?date_from=not-a-date").status_code == 400
    assert public.get("/api/register/nowhere/documents/").status_code == 404
    # a bad token is ignored on public endpoints, not refused
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert bad.get("/api/register/dundee/meetings/").status_code == 200
    # a meeting whose agenda is still in preparation is the clerk's, not the public's
    import datetime

    from reports import services as report_services
    from reports.models import Committee

    draft = report_services.meeting_create(committee=Committee.objects.get(board__slug="dundee", kind="ijb"),
                                           by=world.people["clerk"], date=datetime.date.today(), venue="Room 1")
    assert draft.pk not in [m["id"] for m in public.get("/api/register/dundee/meetings/").json()["results"]]
    assert draft.pk in [m["id"] for m in api(world.people["clerk"]).get("/api/meetings/").json()["results"]]


def test_schema_and_offline_docs(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200 and "/api/tasks/{id}/claim/" in schema.json()["paths"]
    page = client.get("/api/docs/").content.decode()
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    assert client.get("/api/redoc/").status_code == 404  # one reference page
    import re

    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(assets) >= 1
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_an_officer_starts_a_plan_change_and_its_screening_is_in_their_inbox(cast, borders, api):
    plan = f.plan()
    priority = plan.priorities.first()
    body = {"board": "dundee", "plan": plan.pk, "title": "Day centre hours", "description": "Open on Saturdays.",
            "change_type": "service_redesign", "priorities": [priority.pk],
            "actions": [priority.actions.first().pk], "director": cast.senior.username}
    for person in (cast.lead, cast.clerk):
        assert api(person).post("/api/plan-changes/", body, format="json").status_code == 403
    assert api(borders.officer).post("/api/plan-changes/", body, format="json").json() == {
        "board": ["Choose one of your boards."]}
    foreign = api(cast.officer).post("/api/plan-changes/", {**body, "priorities": [10**6], "director": "nobody"},
                                     format="json")
    assert foreign.status_code == 400 and set(foreign.json()) == {"director", "priorities"}
    not_senior = api(cast.officer).post("/api/plan-changes/", {**body, "director": cast.officer2.username},
                                        format="json")
    assert not_senior.status_code == 400 and set(not_senior.json()) == {"director"}  # the service's rule
    response = api(cast.officer).post("/api/plan-changes/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["lead_officer"] == cast.officer.username and created["status"]["code"] == "screening-draft"
    assert AuditEvent.objects.filter(plan_change_id=created["id"], action="plan_change.create",
                                     actor=cast.officer).exists()
    inbox = api(cast.officer).get("/api/tasks/inbox/").json()["results"]
    assert [(t["step"], t["plan_change"]) for t in inbox] == [("screening", created["id"])]
