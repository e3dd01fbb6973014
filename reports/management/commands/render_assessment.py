from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from reports import services
from reports.models import SignedDocument


class Command(BaseCommand):
    help = ("Write the stored signed PDF of a signed-off assessment, or a DRAFT preview of one that is not "
            "signed off.")

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--output", required=True, help="File to write ('-' for standard output).")

    def handle(self, *args, assessment_id, output, **options):
        try:
            assessment = Assessment.objects.select_related("plan_change__board", "template").get(pk=assessment_id)
        except Assessment.DoesNotExist:
            raise CommandError(f"No assessment {assessment_id}.")
        document = SignedDocument.objects.filter(assessment=assessment).first()
        if document is not None and document.is_ready:
            data, what = bytes(document.pdf), f"signed PDF {document.verification_code} (sha256 {document.sha256})"
        elif assessment.is_locked:
            raise CommandError("The signed PDF is still being prepared: run `manage.py issue_documents` and retry.")
        else:
            data, what = services.preview(assessment), "DRAFT preview"
        if output == "-":
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout._out.buffer.write(data)
            return
        with open(output, "wb") as handle:
            handle.write(data)
        self.stderr.write(f"Wrote the {what} of {assessment.reference} to {output} ({len(data)} bytes).")
