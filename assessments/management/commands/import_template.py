from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.exceptions import NotAllowed
from assessments.services.catalogue import template_import
from assessments.template_file import MOST_BYTES, TemplateFileInvalid, template_file_read

from ._people import acting_user


class Command(BaseCommand):
    help = ("Import a board's assessment form from a template file (the YAML format of docs/new-board.md) as the "
            "board's next version. Every error in the file is listed with its line; nothing is written unless the "
            "whole file is right.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the template file, e.g. fixtures/forms/invercarron-ijb-v1.yaml")
        parser.add_argument("--by", required=True,
                            help="your username: an equality lead of the board (or a site administrator)")
        parser.add_argument("--activate", action="store_true",
                            help="make it the form new screenings and assessments use")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what it would create")

    def handle(self, file, by, activate, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if path.stat().st_size > MOST_BYTES:
            raise CommandError(f"{file}: {path.stat().st_size} bytes; a form is at most {MOST_BYTES}.")
        person = acting_user(by)
        try:
            spec = template_file_read(path.read_bytes())
        except TemplateFileInvalid as invalid:
            for line, message in invalid.errors:
                self.stderr.write(f"{file}:{line}: {message}")
            count = len(invalid.errors)
            raise CommandError(f"{file}: {count} error{'s' if count != 1 else ''}; nothing was imported.") from None
        counts = ", ".join(f"{n} {what}" for what, n in spec.counts().items())
        if dry_run:
            self.stdout.write(f"{file} is a valid form. Would create {spec.code} (version {spec.version}) for "
                              f"{spec.board.short_name}: {counts}"
                              + ("; and make it active." if activate else "; not active.")
                              + " Nothing was written (--dry-run).")
            return
        try:
            template = template_import(spec=spec, by=person, activate=activate)
        except NotAllowed as error:
            raise CommandError(str(error)) from None
        state = ("It is now the active form." if template.is_active
                 else "It is not active yet: run again with --activate, or use the admin's action "
                      "\"Make active for new screenings and assessments\".")
        self.stdout.write(f"Imported {template.code} (version {template.version}) for {spec.board.short_name}: "
                          f"{counts}. {state}")
