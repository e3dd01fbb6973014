"""A question may ask for a date that has passed (``past_date``): the day a notice went, a
meeting was held. The SEA module's "Date the notice went to the Consultation Authorities"
becomes one, on every board's form: a day after today was taken as its answer."""

from django.db import migrations, models


def notice_date_has_passed(apps, schema_editor):
    Question = apps.get_model("assessments", "Question")
    Question.objects.filter(code="sea_notice_date", kind="date").update(kind="past_date")


def notice_date_any(apps, schema_editor):
    Question = apps.get_model("assessments", "Question")
    Question.objects.filter(code="sea_notice_date", kind="past_date").update(kind="date")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0020_membership_source"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="kind",
            field=models.CharField(choices=[("text", "Written answer"), ("choice", "One of a list"), ("date", "A date"),
                                            ("past_date", "A date that has passed (when something was done)"),
                                            ("link", "A web link")], default="text", max_length=10),
        ),
        migrations.RunPython(notice_date_has_passed, notice_date_any),
    ]
