import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments import services


class Command(BaseCommand):
    help = ("Remove the personal details of closed (inactive) accounts unused for the retention period; "
            "their audit events keep a pseudonym such as 'Former equality lead 17'.")

    def add_arguments(self, parser):
        parser.add_argument("--inactive-days", type=int, default=730,
                            help="how long an account has been closed and unused (default 730 days)")
        parser.add_argument("--dry-run", action="store_true", help="list who would be anonymised, change nothing")

    def handle(self, inactive_days, dry_run, **options):
        left_before = timezone.now() - datetime.timedelta(days=inactive_days)
        people = list(services.leavers(left_before=left_before))
        for person in people:
            if dry_run:
                self.stdout.write(f"would anonymise {person.get_username()} (as {services.retention.pseudonym(person)})")
            else:
                name = services.person_anonymise(person=person)
                self.stdout.write(f"anonymised account {person.pk} as {name}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(people)} accounts {verb} anonymised (closed and unused for {inactive_days} days).")
