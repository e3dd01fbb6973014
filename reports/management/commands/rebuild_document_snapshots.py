from django.core.management.base import BaseCommand

from reports.models import DocumentStatus, SignedDocument
from reports.services.documents import document_snapshot_rebuild


class Command(BaseCommand):
    help = ("Give each signed document signed before snapshots were kept the snapshot its HTML version is "
            "rendered from, where its record still renders to the signed PDF's very text; the others keep "
            "offering the signed PDF only. Safe to run again.")

    def handle(self, *args, **options):
        rebuilt, left = 0, []
        waiting = SignedDocument.objects.filter(status=DocumentStatus.READY, snapshot="").defer("pdf", "certificate")
        for document in waiting.order_by("pk"):
            if document_snapshot_rebuild(document=document):
                rebuilt += 1
            else:
                left.append(document.verification_code)
        for code in left:
            self.stderr.write(f"{code}: its record no longer renders to the signed PDF's text; "
                              "its HTML version offers the signed PDF only.")
        self.stdout.write(f"{rebuilt} snapshots rebuilt, {len(left)} documents left with the signed PDF only.")
