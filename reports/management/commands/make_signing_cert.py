from django.core.management.base import BaseCommand, CommandError

from assessments.models import Board
from reports.pdf import signing


class Command(BaseCommand):
    help = "Create a local self-signed RSA 3072 signing certificate for a board (demo and tests only)."

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="The board's slug, e.g. dundee.")
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate.")

    def handle(self, *args, board, force, **options):
        try:
            record = Board.objects.get(slug=board)
        except Board.DoesNotExist:
            raise CommandError(f"No board {board!r}: choose one of {', '.join(Board.objects.values_list('slug', flat=True))}.")
        existed = signing.p12_path(board).exists()
        path = signing.make_self_signed(board, record.name, overwrite=force)
        verb = "Kept the existing" if existed and not force else "Created a"
        self.stdout.write(f"{verb} signing certificate for {record.short_name}: {path}")
        if not signing.key_is_rsa(board):
            self.stdout.write("Its key is not RSA: its documents declare PDF 2.0, outside PDF/A-2. "
                              "Replace it with --force (documents it signed keep verifying).")
