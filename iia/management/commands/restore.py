from django.core.management.base import BaseCommand, CommandError

from iia.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and check it against the backup's manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")

    def handle(self, directory, database_url=None, **options):
        try:
            result = restore(directory, database_url)
        except (BackupError, FileNotFoundError, OSError) as error:
            raise CommandError(str(error)) from error
        if result.differences:
            raise CommandError("The restored database differs from the backup:\n" + "\n".join(result.differences))
        self.stdout.write(f"Restored {result.rows} rows in {result.tables} tables; {result.blobs} signed files "
                          "match their hashes.")
