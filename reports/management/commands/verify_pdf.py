import sys

from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = "Check a PDF: exit 0 only for a genuine, unaltered signed document of this service."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            self.stderr.write(f"Cannot read {file}: {error}")
            sys.exit(2)
        result = services.document_verify(data)
        d = result.document
        if result.genuine:
            record = d.assessment.reference if d.assessment else f"{d.screening.plan_change.reference} screening record"
            self.stdout.write(f"GENUINE: {d.get_kind_display()} {record} of {d.board.name}, signed by {d.signer_name} "
                              f"({d.signer_role}) on {d.signed_at:%Y-%m-%d %H:%M %Z}; code {d.verification_code}.")
            return
        if result.verdict == "altered":
            self.stdout.write(f"ALTERED: claims to be {d.verification_code} of {d.board.name}. {result.detail}")
        else:
            self.stdout.write(f"{result.verdict.upper().replace('_', ' ')}: {result.detail}")
        sys.exit(1)
