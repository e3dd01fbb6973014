"""Each demo board's committees (the board and its Performance and Audit Committee) and
its default Policy Implications wording; both are editable in the admin."""

from django.db import migrations

COMMITTEES = {
    "dundee": [("ijb", "Dundee City Health and Social Care Integration Joint Board", "DIJB"),
               ("pac", "Performance and Audit Committee", "PAC")],
    "scottish-borders": [("ijb", "Scottish Borders Health and Social Care Integration Joint Board", "SBIJB"),
                         ("pac", "Audit Committee", "SBAC")],
}


def create(apps, schema_editor):
    Board = apps.get_model("assessments", "Board")
    Committee = apps.get_model("reports", "Committee")
    ReportWording = apps.get_model("reports", "ReportWording")
    for slug, committees in COMMITTEES.items():
        board = Board.objects.filter(slug=slug).first()
        if board is None:
            continue
        for kind, name, prefix in committees:
            Committee.objects.get_or_create(board=board, kind=kind, defaults={"name": name, "report_prefix": prefix})
        ReportWording.objects.get_or_create(board=board)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
