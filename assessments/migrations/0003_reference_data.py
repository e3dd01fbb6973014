"""Loads the boards of the demo deployment (Dundee, Scottish Borders), their localities
and their first assessment templates from ``fixtures/reference/*.json``. Later template
versions come as new files loaded by new migrations."""

import json
from pathlib import Path

from django.db import migrations

FILES = ["dundee-ijb-v1.json", "scottish-borders-ijb-v1.json"]
REFERENCE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "reference"


def load_board(apps, data):
    Board = apps.get_model("assessments", "Board")
    Locality = apps.get_model("assessments", "Locality")
    Template = apps.get_model("assessments", "Template")
    board, _ = Board.objects.update_or_create(
        slug=data["slug"],
        defaults={k: data[k] for k in ("name", "short_name", "reference_prefix", "constituent_authorities")},
    )
    localities = {}
    for item in data["localities"]:
        localities[item["code"]], _ = Locality.objects.update_or_create(
            board=board, code=item["code"], defaults={"name": item["name"], "order": item["order"]}
        )
    spec = data["template"]
    if Template.objects.filter(code=spec["code"]).exists():
        return
    Template.objects.filter(board=board, is_active=True).update(is_active=False)
    template = Template.objects.create(
        board=board, code=spec["code"], title=spec["title"], version=spec["version"], is_active=True
    )
    for q in spec["screening_questions"]:
        template.screening_questions.create(**q)
    for s in spec["sections"]:
        section = template.sections.create(code=s["code"], title=s["title"], order=s["order"], guidance=s["guidance"])
        for r in s["rows"]:
            r = dict(r)
            locality = localities.get(r.pop("locality", None))
            section.rows.create(locality=locality, **r)
        for q in s["questions"]:
            section.questions.create(**q)


def load(apps, schema_editor):
    for name in FILES:
        load_board(apps, json.loads((REFERENCE / name).read_text(encoding="utf-8")))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
