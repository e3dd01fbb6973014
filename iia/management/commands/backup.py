from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from iia.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="a new directory (default: var/backups/<time>)")

    def handle(self, directory=None, **options):
        from django.conf import settings

        directory = Path(directory or Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S"))
        try:
            data = backup(directory)
        except (BackupError, FileExistsError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up {sum(data['tables'].values())} rows in {len(data['tables'])} tables and "
                          f"{len(data['blobs'])} signed files to {directory}")
