"""Board isolation in the admin (issue 17, item 1). One board's equality lead adds, changes,
deletes, filters and chooses only their own boards' catalogue; a POST naming another board's
record writes nothing. Nothing is added to a template in use, by anyone, on any path."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client

from assessments.models import AuditEvent, Locality, Question, Row, ScreeningQuestion, Section, Template
from assessments.services.catalogue import template_copy_as_new_version
from tests import factories as f

from .test_fuzz import Writes

pytestmark = pytest.mark.django_db

CATALOGUE = (Template, ScreeningQuestion, Section, Row, Question)


def staff_lead(person):
    """An equality lead as the demo makes them: staff, in the "Equality lead" group."""
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(Group.objects.get(name="Equality lead"))
    return person


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def catalogue_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE}


def inlines(*prefixes) -> dict:
    return {f"{prefix}-{key}": 0 for prefix in prefixes for key in ("TOTAL_FORMS", "INITIAL_FORMS")}


def template_body(board, code="rogue-v9"):
    return {"board": board.pk, "code": code, "title": "Rogue form", "version": 9, "sign_off_declaration": "Declared.",
            **inlines("screening_questions", "sections")}


def section_body(template, code="rogue"):
    return {"template": template.pk, "code": code, "title": "Rogue section", "order": 99,
            **inlines("rows", "questions")}


def row_body(section, code="ROGUE.1"):
    return {"section": section.pk, "code": code, "label": "Added by another board", "order": 99}


ADD = {
    "template": ("/admin/assessments/template/add/", lambda t: template_body(t.board)),
    "section": ("/admin/assessments/section/add/", lambda t: section_body(t)),
    "row": ("/admin/assessments/row/add/", lambda t: row_body(t.sections.order_by("order").first())),
}


def selects(page: str) -> dict[str, set[str]]:
    """The options of every <select> of the page, by the select's name."""
    found = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        found[name] = set(re.findall(r'<option value="([^"]+)"', body))
    return found


@pytest.fixture
def world(cast, borders):
    """Dundee's v1 in use (a plan change is screening on it) and a Dundee draft (v2);
    Scottish Borders' v1, not in use, and its draft (v2). Both boards' leads are staff."""
    f.start(cast)
    superuser = f.user(None, is_superuser=True, is_staff=True)
    dundee = Template.objects.get(code="dundee-ijb-v1")
    scottish_borders = Template.objects.get(code="scottish-borders-ijb-v1")
    return {
        "dundee": dundee,
        "dundee_draft": template_copy_as_new_version(template=dundee, by=superuser),
        "borders": scottish_borders,
        "borders_draft": template_copy_as_new_version(template=scottish_borders, by=superuser),
        "dundee_lead": staff_lead(cast.lead),
        "borders_lead": staff_lead(borders.lead),
        "superuser": superuser,
    }


# --- adding ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ADD)
@pytest.mark.parametrize("target", ["dundee", "dundee_draft"])
def test_another_boards_lead_adds_nothing_to_a_boards_form(world, kind, target):
    """The issue's attack: borders-lead POSTs an add form naming Dundee's board, template or
    section (in use, or a draft). Today each one creates the record in Dundee's form."""
    url, body = ADD[kind]
    before = catalogue_counts()
    response = signed_in(world["borders_lead"]).post(url, body(world[target]))
    assert response.status_code == 200  # the form again, with "Select a valid choice"
    assert "Select a valid choice" in response.content.decode()
    assert catalogue_counts() == before


@pytest.mark.parametrize("kind", ["section", "row"])
@pytest.mark.parametrize("who", ["dundee_lead", "superuser"])
def test_nothing_is_added_to_a_template_in_use_even_by_its_own_lead_or_a_superuser(world, kind, who):
    url, body = ADD[kind]
    client = signed_in(world[who])
    before = catalogue_counts()
    response = client.post(url, body(world["dundee"]))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert catalogue_counts() == before
    # the same body naming the draft is a valid add: the refusal above is the freeze
    response = client.post(url, body(world["dundee_draft"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert catalogue_counts() != before


def test_a_lead_adds_a_template_only_to_their_own_board(world):
    client = signed_in(world["borders_lead"])
    assert client.post("/admin/assessments/template/add/",
                       template_body(world["borders"].board, code="borders-extra-v9")).status_code == 302
    assert Template.objects.get(code="borders-extra-v9").board == world["borders"].board


def test_nothing_is_added_through_an_inline_to_a_template_in_use(world):
    """The section's page of a template in use offers no empty row to add, and its POST
    (a new row and a new question in the inline formsets) is refused, superuser included."""
    section = world["dundee"].sections.order_by("order").first()
    for who in ("dundee_lead", "superuser"):
        client = signed_in(world[who])
        url = f"/admin/assessments/section/{section.pk}/change/"
        assert 'name="rows-__prefix__-code"' not in client.get(url).content.decode()
        before = catalogue_counts()
        body = {**section_body(world["dundee"], code=section.code), "rows-TOTAL_FORMS": 1, "rows-0-code": "INLINE.1",
                "rows-0-label": "Added inline", "rows-0-order": 1, "questions-TOTAL_FORMS": 1,
                "questions-0-code": "inline", "questions-0-label": "Asked inline", "questions-0-kind": "text",
                "questions-0-order": 1}
        assert client.post(url, body).status_code == 403
        assert catalogue_counts() == before


# --- the model's own guard ---------------------------------------------------------------

def test_the_model_refuses_to_add_to_or_move_into_or_out_of_a_template_in_use(world):
    from assessments.exceptions import TemplateInUse

    dundee, draft = world["dundee"], world["dundee_draft"]
    section = dundee.sections.order_by("order").first()
    before = catalogue_counts()
    attempts = [
        lambda: Row.objects.create(section=section, code="SHELL.1", label="From the shell", order=99),
        lambda: Question.objects.create(section=section, code="shell", label="From the shell"),
        lambda: Section.objects.create(template=dundee, code="shell", title="From the shell"),
        lambda: ScreeningQuestion.objects.create(template=dundee, code="shell", text="From the shell?"),
    ]
    draft_row = Row.objects.filter(section__template=draft).first()
    draft_row.section = section  # moved into the form in use

    def moved_in():
        draft_row.save()

    kept_row = Row.objects.filter(section__template=dundee).first()
    kept_row.section = draft.sections.first()  # moved out of it

    def moved_out():
        kept_row.save()

    for attempt in [*attempts, moved_in, moved_out]:
        with pytest.raises(TemplateInUse, match="dundee-ijb-v1 is in use"), transaction.atomic():
            attempt()
    assert catalogue_counts() == before
    assert Row.objects.filter(section__template=dundee).count() == Row.objects.filter(section__template=draft).count()
    # an edit in place still saves (the admin freezes those; the shell may fix a typo)
    kept_row.refresh_from_db()
    kept_row.label = "Age (all ages)"
    kept_row.save()


# --- what the forms offer ----------------------------------------------------------------

def test_add_and_change_forms_offer_only_the_leads_boards_records(world):
    client = signed_in(world["borders_lead"])
    dundee_ids = {
        "board": {str(world["dundee"].board_id)},
        "template": {str(t.pk) for t in Template.objects.filter(board__slug="dundee")},
        "section": {str(s.pk) for s in Section.objects.filter(template__board__slug="dundee")},
        "locality": {str(loc.pk) for loc in Locality.objects.filter(board__slug="dundee")},
    }
    borders_draft_section = world["borders_draft"].sections.order_by("order").first()
    borders_draft_row = Row.objects.filter(section=borders_draft_section).first()
    pages = {
        "/admin/assessments/template/add/": {"board"},
        "/admin/assessments/section/add/": {"template"},
        "/admin/assessments/row/add/": {"section", "locality"},
        f"/admin/assessments/section/{borders_draft_section.pk}/change/": {"template"},
        f"/admin/assessments/row/{borders_draft_row.pk}/change/": {"section", "locality"},
    }
    for url, fields in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        offered = selects(response.content.decode())
        for field in fields:
            assert offered[field], (url, field)  # something of their own is offered
            assert not offered[field] & dundee_ids[field], (url, field)
        # the inline rows' locality choices too
        for name, values in offered.items():
            if name.endswith("-locality"):
                assert not values & dundee_ids["locality"], (url, name)
    # a parent in use is not offered, even of their own board: Borders' v1 is put in use
    f.start(f.Cast("scottish-borders"))
    offered = selects(client.get("/admin/assessments/row/add/").content.decode())
    assert not offered["section"] & {str(s.pk) for s in world["borders"].sections.all()}
    assert offered["section"] == {str(s.pk) for s in world["borders_draft"].sections.all()}


def test_a_change_cannot_move_a_record_to_another_board(world):
    client = signed_in(world["borders_lead"])
    row = Row.objects.filter(section__template=world["borders_draft"]).first()
    dundee_section = world["dundee_draft"].sections.order_by("order").first()
    dundee_locality = Locality.objects.filter(board__slug="dundee").first()
    url = f"/admin/assessments/row/{row.pk}/change/"
    for body in (row_body(dundee_section, code=row.code),
                 {**row_body(row.section, code=row.code), "locality": dundee_locality.pk}):
        response = client.post(url, body)
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
        row.refresh_from_db()
        assert row.section.template == world["borders_draft"] and row.locality is None
    # a template stays on its board: the field is not in the change form
    draft = world["borders_draft"]
    client.post(f"/admin/assessments/template/{draft.pk}/change/",
                {**template_body(world["dundee"].board, code=draft.code), "version": draft.version})
    draft.refresh_from_db()
    assert draft.board.slug == "scottish-borders"


def test_a_row_takes_a_locality_of_its_own_board_only(world):
    """The superuser is offered every board's localities; the model refuses a mismatch."""
    row = Row.objects.filter(section__template=world["borders_draft"]).first()
    client = signed_in(world["superuser"])
    body = {**row_body(row.section, code=row.code), "locality": Locality.objects.filter(board__slug="dundee").first().pk}
    response = client.post(f"/admin/assessments/row/{row.pk}/change/", body)
    assert response.status_code == 200 and "Choose a locality of the board whose form this is." in response.content.decode()
    row.refresh_from_db()
    assert row.locality is None


# --- another board's records: not found, not listed, not filtered by ------------------------

def test_another_boards_records_are_not_found_and_nothing_changes(world):
    client = signed_in(world["borders_lead"])
    draft = world["dundee_draft"]
    section = draft.sections.order_by("order").first()
    row = section.rows.first()
    for model, obj in (("template", draft), ("section", section), ("row", row)):
        for view in ("change", "delete", "history"):
            url = f"/admin/assessments/{model}/{obj.pk}/{view}/"
            with connection.execute_wrapper(writes := Writes()):
                get, post = client.get(url), client.post(url, {"post": "yes", "title": "Taken", "label": "Taken"})
            for response in (get, post):
                # 403 where the lead may not do it at all (delete a template); else "doesn't exist"
                assert response.status_code in (302, 403), url
                assert response.status_code == 403 or response["Location"] == "/admin/", url
            assert not writes.tables, (url, writes.tables)
    assert Row.objects.filter(pk=row.pk, label=row.label).exists()


@pytest.mark.parametrize("model", ["template", "section", "row"])
def test_lists_and_their_filters_name_no_other_board(world, model):
    page = signed_in(world["borders_lead"]).get(f"/admin/assessments/{model}/").content.decode()
    assert "scottish-borders-ijb-v1" in page or "Scottish Borders" in page or model == "row"
    for other in ("dundee-ijb", "Dundee IJB", "Dundee City"):
        assert other not in page, other
    # every filter choice is the lead's own board's (sections have the same titles on both boards)
    own = {"board": {world["borders"].board_id},
           "template": set(Template.objects.filter(board__slug="scottish-borders").values_list("pk", flat=True)),
           "section": set(Section.objects.filter(template__board__slug="scottish-borders").values_list("pk", flat=True))}
    choices = re.findall(r'\?(?:[a-z_]+__)?(board|template|section)__id__exact=(\d+)', page)
    assert choices or model == "template"  # a filter of one board is not shown
    assert all(int(pk) in own[field] for field, pk in choices), choices
    # a filter that names another board's record in the query shows nothing of it
    dundee = world["dundee"]
    lookup = {"template": f"board__id__exact={dundee.board_id}", "section": f"template__id__exact={dundee.pk}",
              "row": f"section__template__id__exact={dundee.pk}"}[model]
    page = signed_in(world["borders_lead"]).get(f"/admin/assessments/{model}/?{lookup}").content.decode()
    assert "dundee-ijb" not in page and "Dundee IJB" not in page


def test_actions_on_another_boards_templates_do_nothing(world):
    client = signed_in(world["borders_lead"])
    draft = world["dundee_draft"]
    rows = list(Row.objects.filter(section__template=draft).values_list("pk", flat=True))
    before = catalogue_counts()
    for action, selected, url in (("copy_as_new_version", [draft.pk], "template"), ("activate", [draft.pk], "template"),
                                  ("delete_selected", rows[:3], "row")):
        client.post(f"/admin/assessments/{url}/", {"action": action, "_selected_action": selected, "post": "yes"})
    draft.refresh_from_db()
    assert catalogue_counts() == before and not draft.is_active
    assert Template.objects.get(code="dundee-ijb-v1").is_active


def test_autocomplete_finds_only_the_leads_boards_rows(world):
    client = signed_in(world["borders_lead"])
    response = client.get("/admin/autocomplete/", {"app_label": "assessments", "model_name": "impactrating",
                                                   "field_name": "row", "term": "Age"})
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids and ids <= set(Row.objects.filter(section__template__board__slug="scottish-borders").values_list("pk", flat=True))


# --- the superuser, and staff with no board ----------------------------------------------

def test_the_superuser_sees_every_board_and_the_freeze_holds_for_them(world):
    client = signed_in(world["superuser"])
    page = client.get("/admin/assessments/template/").content.decode()
    assert "dundee-ijb-v1" in page and "scottish-borders-ijb-v1" in page
    offered = selects(client.get("/admin/assessments/template/add/").content.decode())
    assert offered["board"] == {str(world["dundee"].board_id), str(world["borders"].board_id)}
    dundee = world["dundee"]
    assert client.post(f"/admin/assessments/template/{dundee.pk}/change/", template_body(dundee.board)).status_code == 403
    section = dundee.sections.order_by("order").first()
    assert client.post(f"/admin/assessments/section/{section.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Section.objects.filter(pk=section.pk).exists()


def test_a_superuser_removes_a_row_added_to_a_template_in_use_before_the_fix(world, cast):
    """A row that reached a form in use (as the attack did before this fix: bulk_create skips
    the model's guard, like the old admin did not have it) is removed by a superuser, while
    nobody has rated it; the removal is audited. An equality lead cannot, and a rated row stays."""
    section = world["dundee"].sections.order_by("order").first()
    rogue = Row.objects.bulk_create([Row(section=section, code="ROGUE.1", label="Added by Borders", order=99)])[0]
    url = f"/admin/assessments/row/{rogue.pk}/delete/"
    assert signed_in(world["dundee_lead"]).post(url, {"post": "yes"}).status_code == 403
    assert signed_in(world["superuser"]).post(url, {"post": "yes"}).status_code == 302
    assert not Row.objects.filter(pk=rogue.pk).exists()
    event = AuditEvent.objects.get(action="template.row_remove")
    assert event.board_id == world["dundee"].board_id and "ROGUE.1" in event.message and event.actor == world["superuser"]
    # a rated row of the form in use stays, for everyone
    assessment = f.current(f.screen(cast, f.start(cast, "Rated")))
    f.complete_parts(cast, assessment.plan_change)
    rated = Row.objects.filter(section__template=world["dundee"], ratings__isnull=False).first()
    response = signed_in(world["superuser"]).post(f"/admin/assessments/row/{rated.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and Row.objects.filter(pk=rated.pk).exists()


def test_staff_in_the_lead_group_without_a_lead_role_sees_and_adds_nothing(world):
    person = staff_lead(f.user("officer", "dundee"))  # an officer of Dundee, in the group by mistake
    client = signed_in(person)
    page = client.get("/admin/assessments/template/").content.decode()
    assert "dundee-ijb" not in page and "scottish-borders-ijb" not in page
    assert client.get("/admin/assessments/row/add/").status_code == 403
    before = catalogue_counts()
    client.post("/admin/assessments/row/add/", row_body(world["dundee_draft"].sections.first()))
    assert catalogue_counts() == before
