"""The modules a screening opens (issue 20 item 3; docs/adr/0017-screening-modules.md).

Schema: a section may be a module (``opened_by``), a question may be required only on
another's answer and published, a date or a link; an assessment records the modules its
screening opened; a screening names the earlier assessment it relies on and who checked it.

Data: each board gets the modules of ``fixtures/reference/modules.json`` on its active
form. A form nothing uses yet gets them in place; a form in use is frozen (it is what
its screenings and assessments were made with), so the modules go on a copy made as the
board's next version, which becomes the active one."""

import json
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Max

MODULES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "reference" / "modules.json"


def _copy(Template, template):
    """The template copied as the board's next version (the historical models have no
    ``template_copy_as_new_version``)."""
    version = (Template.objects.filter(board_id=template.board_id).aggregate(v=Max("version"))["v"] or 0) + 1
    base = template.code.rsplit("-v", 1)[0]
    copy = Template.objects.create(board_id=template.board_id, code=f"{base}-v{version}", title=template.title,
                                   version=version, is_active=False,
                                   sign_off_declaration=template.sign_off_declaration)
    for question in template.screening_questions.all():
        question.pk, question.template = None, copy
        question.save()
    for section in template.sections.all():
        rows, questions = list(section.rows.all()), list(section.questions.all())
        section.pk, section.template = None, copy
        section.save()
        for item in rows + questions:
            item.pk, item.section = None, section
            item.save()
    Template.objects.filter(board_id=template.board_id).update(is_active=False)
    Template.objects.filter(pk=copy.pk).update(is_active=True)
    return copy


def add_modules(apps, schema_editor):
    Template = apps.get_model("assessments", "Template")
    Screening = apps.get_model("assessments", "Screening")
    Assessment = apps.get_model("assessments", "Assessment")
    spec = json.loads(MODULES.read_text(encoding="utf-8"))
    for template in list(Template.objects.filter(is_active=True)):
        codes = {s["code"] for s in spec["sections"]}
        if template.sections.filter(code__in=codes).exists():
            continue  # a board that made its own already
        in_use = (Screening.objects.filter(template=template).exists()
                  or Assessment.objects.filter(template=template).exists())
        if in_use:
            template = _copy(Template, template)
        order = (template.sections.aggregate(o=Max("order"))["o"] or 0)
        for number, s in enumerate(spec["sections"], start=1):
            section = template.sections.create(
                code=s["code"], title=s["title"], order=order + number, guidance=s["guidance"],
                opened_by=s["opened_by"], opened_by_answers=s["opened_by_answers"],
            )
            for row in s["rows"]:
                section.rows.create(**row)
            for question in s["questions"]:
                section.questions.create(**question)
        for code, help_text in spec["screening_help"].items():
            template.screening_questions.filter(code=code).update(help_text=help_text)
        Template.objects.filter(pk=template.pk).update(revision=F("revision") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0012_action_position'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Not one transaction: on PostgreSQL, inside one, the CREATE INDEX of assessments_question
    # after the columns added before it is refused ("pending trigger events"). Each schema step
    # commits on its own; the data step is atomic.
    atomic = False

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='modules',
            field=models.JSONField(blank=True, default=list, help_text='Codes of the module sections the screening opened (set when the version is opened).'),
        ),
        migrations.AddField(
            model_name='question',
            name='published',
            field=models.BooleanField(default=False, help_text='Shown on the public register with the signed assessment (e.g. the Islands Act s.8(4) explanation).'),
        ),
        migrations.AddField(
            model_name='question',
            name='required_when',
            field=models.SlugField(blank=True, help_text='Required only when this other question of the section (its code) has one of the answers below.', max_length=60),
        ),
        migrations.AddField(
            model_name='question',
            name='required_when_answers',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='screening',
            name='relies_on',
            field=models.ForeignKey(blank=True, help_text='The earlier signed-off assessment the screening says already covers the proposal.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='relied_on_by', to='assessments.assessment'),
        ),
        migrations.AddField(
            model_name='screening',
            name='relies_on_checked_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='screening',
            name='relies_on_checked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='section',
            name='opened_by',
            field=models.SlugField(blank=True, help_text='A module: the code of the pre-screening question whose answer opens this section (e.g. island_communities). Blank: every assessment has the section.', max_length=60),
        ),
        migrations.AddField(
            model_name='section',
            name='opened_by_answers',
            field=models.JSONField(blank=True, default=list, help_text='A module: the answers that open it, e.g. ["yes"] or ["yes", "unsure"].'),
        ),
        migrations.AlterField(
            model_name='question',
            name='kind',
            field=models.CharField(choices=[('text', 'Written answer'), ('choice', 'One of a list'), ('date', 'A date'), ('link', 'A web link')], default='text', max_length=10),
        ),
        migrations.RunPython(add_modules, migrations.RunPython.noop, atomic=True),
    ]
