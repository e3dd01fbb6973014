from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Board, Template
from assessments.template_file import template_file_write


class Command(BaseCommand):
    help = ("Write a board's assessment form as a template file (the YAML format of docs/new-board.md), "
            "which import_template reads back.")

    def add_arguments(self, parser):
        parser.add_argument("--board", help="the board's slug: exports its active form")
        parser.add_argument("--code", help="a template's code instead, e.g. dundee-ijb-v2")
        parser.add_argument("--output", "-o", help="the file to write (default: the standard output)")

    def handle(self, board, code, output, **options):
        if bool(board) == bool(code):
            raise CommandError("Give --board (its active form) or --code (a template), one of them.")
        if code:
            template = Template.objects.select_related("board").filter(code=code).first()
            if template is None:
                raise CommandError(f"No template {code!r}.")
        else:
            template = Template.objects.select_related("board").filter(board__slug=board, is_active=True).first()
            if template is None:
                slugs = ", ".join(Board.objects.values_list("slug", flat=True))
                raise CommandError(f"No board {board!r} with an active form (boards: {slugs}).")
        text = template_file_write(template)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {template.code} to {output}.")
        else:
            self.stdout.write(text, ending="")
