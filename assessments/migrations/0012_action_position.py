from django.db import migrations, models


def number_existing(apps, schema_editor):
    """Existing actions keep the order the task page showed them in: by due date."""
    MitigatingAction = apps.get_model("assessments", "MitigatingAction")
    changed, assessment_id, position = [], None, 0
    for action in MitigatingAction.objects.order_by("assessment_id", "due_date", "pk").only("pk", "assessment_id"):
        if action.assessment_id != assessment_id:
            assessment_id, position = action.assessment_id, 0
        position += 1
        action.position = position
        changed.append(action)
    MitigatingAction.objects.bulk_update(changed, ["position"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0011_plan_change_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="mitigatingaction",
            name="position",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterModelOptions(
            name="mitigatingaction",
            options={"ordering": ["assessment", "position", "pk"]},
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
