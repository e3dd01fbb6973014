"""One publication period per board: ``Board.results_publication_days``.

Until now a board held two settings for one thing, the days within which the results of an
assessment are published (reg 5 of SSI 2012/162, "within a reasonable period"):
``results_publication_days`` (28 by default, 1 to 365), read by the mainstreaming report's
"results published on time", and ``decision_publication_days`` (14 by default, 1 to 90),
read by decisions under delegated authority and the clerk's list of unpublished documents.
This keeps ``results_publication_days`` and removes ``decision_publication_days``.

Each board keeps its current period. Where the two differ, the board keeps the one decisions
under delegated authority use today, ``decision_publication_days``: it is the one that has
consequences (a decision recorded after it needs a reason; the clerk's home marks a document
overdue), and on the defaults it is the stricter, smaller one: a board on both defaults keeps
14 days, not 28, so its mainstreaming report now counts a result on time within 14 days of
sign-off. (A board that had set its results period below its decisions period keeps the
decisions period too, so that no decision's due date moves.) The kept value is at most 90,
the bound delegated decisions already enforced, which the remaining field now carries
(1 to 90 in its validators and check constraint; 14 by default).

Reversing adds ``decision_publication_days`` back with each board's one period in both.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models import F


def keep_the_delegated_decisions_period(apps, schema_editor):
    Board = apps.get_model("assessments", "Board")
    Board.objects.exclude(results_publication_days=F("decision_publication_days")).update(
        results_publication_days=F("decision_publication_days"))


def copy_the_period_back(apps, schema_editor):
    Board = apps.get_model("assessments", "Board")
    Board.objects.update(decision_publication_days=F("results_publication_days"))


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0017_easy_read_summaries'),
    ]

    operations = [
        migrations.RunPython(keep_the_delegated_decisions_period, copy_the_period_back),
        migrations.RemoveConstraint(
            model_name='board',
            name='decision_publication_days_in_range',
        ),
        migrations.RemoveField(
            model_name='board',
            name='decision_publication_days',
        ),
        migrations.RemoveConstraint(
            model_name='board',
            name='board_results_publication_days_in_range',
        ),
        migrations.AlterField(
            model_name='board',
            name='results_publication_days',
            field=models.PositiveSmallIntegerField(default=14, help_text='Days after a decision within which the results of its assessment or screening are published on the register (the board\'s "reasonable period", SSI 2012/162 reg 5); 1 to 90.', validators=[django.core.validators.MinValueValidator(1, message='Give a period of one day at least.'), django.core.validators.MaxValueValidator(90, message='Give a period of at most 90 days.')]),
        ),
        migrations.AddConstraint(
            model_name='board',
            constraint=models.CheckConstraint(condition=models.Q(('results_publication_days__gte', 1), ('results_publication_days__lte', 90)), name='board_results_publication_days_in_range'),
        ),
    ]
