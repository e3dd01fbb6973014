"""Write docs/statutory-duties.md from iia/duties.py, or with --check say whether it is current."""

from django.core.management.base import BaseCommand, CommandError

from iia.duties import duties_doc_path, duties_markdown


class Command(BaseCommand):
    help = "Write docs/statutory-duties.md from the duties in iia/duties.py (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Write nothing; fail if the file differs from what iia/duties.py gives.")

    def handle(self, check=False, **options):
        path, text = duties_doc_path(), duties_markdown()
        if check:
            if not path.exists() or path.read_text() != text:
                raise CommandError(f"{path} is out of date: run manage.py write_statutory_duties.")
            self.stdout.write(f"{path} is current.")
            return
        path.write_text(text)
        self.stdout.write(f"Wrote {path}.")
