"""The role matrix's admin: a record of every registered model on both boards, and the
requests made of each admin URL (``World.cases``), so that one board's equality lead is
seen asking for, changing and adding to the other board's records."""

import datetime

from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments.admin import BOARD_PATHS
from assessments.models import Role, Row, Section, SignOnGroupRole, Template
from assessments.services.catalogue import template_copy_as_new_version
from reports import services as report_services
from reports.models import AgendaPack, Committee, SignedDocument
from tests import factories as f
from tests.reports.helpers import signed_off
from workflows.models import ReminderKind, ReminderPolicy, SentReminder

BOARDS = ("dundee", "scottish-borders")
CATALOGUE = (Template, Section, Row)


def build(world, committed) -> None:
    """Equality leads as staff; Scottish Borders' records of every kind (Dundee's are the
    world's own); a draft form (a copy not in use) for each board."""
    group = Group.objects.get(name="Equality lead")
    for persona in ("lead", "other_lead"):
        person = world.people[persona]
        person.is_staff = True
        person.save(update_fields=["is_staff"])
        person.groups.add(group)
    borders = world.casts["scottish-borders"]
    signed = committed(signed_off, borders)  # plan change, screening, assessment, audit, document
    committee = Committee.objects.get(board__slug="scottish-borders", kind="ijb")
    meeting = report_services.meeting_create(committee=committee, by=borders.clerk, venue="Chamber",
                                             date=timezone.localdate() + datetime.timedelta(days=30))
    report_services.report_create(plan_change=signed.plan_change, by=borders.officer, committee=committee,
                                  title="Borders report", report_by="Chief Officer", decision_sought="agree",
                                  purpose="P", recommendations="R", direction_to="none")
    # a pack as published agendas have; built only by publishing, which is not what this tests
    AgendaPack.objects.create(meeting=meeting)
    assert SignedDocument.objects.filter(board__slug="scottish-borders").exists()
    for slug in BOARDS:
        board = f.board(slug)
        ReminderPolicy.objects.get_or_create(board=board)
        SignOnGroupRole.objects.create(group=f"iia-{slug}-officers", board=board, role=Role.OFFICER)
        SentReminder.objects.create(kind=ReminderKind.TASK_IDLE, board=board, object_id=1, about=timezone.localdate(),
                                    recipient=world.casts[slug].officer, claimed_at=timezone.now())
    superuser = world.people["superuser"]
    world.admin = {
        "templates": {slug: Template.objects.get(board__slug=slug, is_active=True) for slug in BOARDS},
        "drafts": {slug: template_copy_as_new_version(template=Template.objects.get(board__slug=slug, is_active=True),
                                                      by=superuser) for slug in BOARDS},
    }
    assert all(template.in_use for template in world.admin["templates"].values())


def _model_and_view(name: str):
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name[len(prefix):]
    return None, None


def _boards_lookup(model) -> str | None:
    path = BOARD_PATHS.get(model) or ("board" if any(fd.name == "board" for fd in model._meta.fields) else None)
    if path is None:
        return None
    return "slug" if path == "pk" else f"{path}__slug"


def _catalogue_record(world, model, label):
    slug, draft = label.removesuffix("-draft"), label.endswith("-draft")
    template = world.admin["drafts" if draft else "templates"][slug]
    section = template.sections.order_by("order").first()
    return {Template: template, Section: section, Row: section.rows.order_by("order").first()}[model]


def _records(world, model) -> list[tuple[str, object]]:
    """(label, record) for each board, and each board's draft form for the catalogue."""
    if model in CATALOGUE:
        return [(label, _catalogue_record(world, model, label)) for slug in BOARDS for label in (slug, f"{slug}-draft")]
    lookup = _boards_lookup(model)
    found = [(slug, model._default_manager.filter(**{lookup: slug}).order_by("pk").first()) for slug in BOARDS]
    missing = [slug for slug, record in found if record is None]
    assert not missing, f"the admin world has no {model.__name__} on {missing}"
    return found


def _inlines(*prefixes) -> dict:
    return {f"{prefix}-{key}": 0 for prefix in prefixes for key in ("TOTAL_FORMS", "INITIAL_FORMS")}


def _add_body(world, model, label) -> dict:
    """An add form that would be valid but for the board it names."""
    slug = label.removesuffix("-draft")
    board = f.board(slug)
    if model is Template:
        return {"board": board.pk, "code": f"matrix-{slug}-v9", "title": "Matrix", "version": 9,
                "sign_off_declaration": "Declared.", **_inlines("screening_questions", "sections")}
    if model is Section:
        return {"template": _catalogue_record(world, Template, label).pk, "code": "matrix", "title": "Matrix",
                "order": 99, **_inlines("rows", "questions")}
    if model is Row:
        return {"section": _catalogue_record(world, Section, label).pk, "code": "MATRIX.1", "label": "Matrix",
                "order": 99}
    plan = f.plan(slug)
    return {
        "strategicplan": {"board": board.pk, "title": "Matrix plan", "period_start": "2026-04-01",
                          "period_end": "2029-03-31", **_inlines("priorities")},
        "planaction": {"priority": plan.priorities.first().pk, "number": 9, "text": "Matrix action"},
        "committee": {"board": board.pk, "kind": "ijb", "name": "Matrix", "report_prefix": "MX", "publication_days": 7},
        "reportwording": {"board": board.pk, "full_iia": "F", "screened_out": "S", "pending": "P"},
        "membership": {"user": world.casts[slug].officer.pk, "board": board.pk, "role": "clerk"},
        "signongrouprole": {"group": f"matrix-{slug}", "board": board.pk, "role": "clerk"},
        "reminderpolicy": {"board": board.pk, "review_notice_days": 30, "idle_task_working_days": 5},
        "duedatepolicy": {"board": board.pk, "screening_working_days": 10, "screening_review_working_days": 5,
                          "part_working_days": 20, "submit_working_days": 5, "review_working_days": 10,
                          "sign_off_working_days": 10},
        "sentreminder": {"board": board.pk},
    }.get(model._meta.model_name, {"board": board.pk})


def cases(world, name: str, route: str) -> list[tuple[str, dict, dict | None]] | None:
    """``World.cases`` for an admin URL of a model of a board; None for any other URL."""
    model, view = _model_and_view(name)
    if model is None or _boards_lookup(model) is None:
        return None
    if "object_id" in route:
        return [(f"{name}@{label}", {"object_id": str(record.pk)}, None) for label, record in _records(world, model)]
    if view == "add":
        labels = [label for label, _ in _records(world, model)] if model in CATALOGUE and model is not Template else BOARDS
        return [(f"{name}@{label}", {}, _add_body(world, model, label)) for label in labels]
    return None
