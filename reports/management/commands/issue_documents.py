from django.core.management.base import BaseCommand

from reports.models import DocumentStatus, SignedDocument
from reports.services import document_issue


class Command(BaseCommand):
    help = "Produce every signed document that is pending or failed (safe to run from cron)."

    def handle(self, *args, **options):
        ready = failed = 0
        for pk in SignedDocument.objects.exclude(status=DocumentStatus.READY).values_list("pk", flat=True):
            try:
                document_issue(document_id=pk)
                ready += 1
            except Exception as error:
                failed += 1
                self.stderr.write(f"Document {pk} failed again: {error}")
        self.stdout.write(f"{ready} documents produced, {failed} still failing.")
