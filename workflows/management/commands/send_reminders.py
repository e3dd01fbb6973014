import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Board
from workflows.models import ReminderKind
from workflows.reminders import reminders_send


class Command(BaseCommand):
    help = ("Send the reminders due today: review dates coming up, mitigating actions overdue, tasks waiting. "
            "Safe to run from cron: a reminder already sent is never sent again.")

    def add_arguments(self, parser):
        parser.add_argument("--board", help="only this board (its slug)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be sent; send and record nothing")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="run as if today were YYYY-MM-DD")

    def handle(self, board, dry_run, today, **options):
        chosen = None
        if board:
            chosen = Board.objects.filter(slug=board).first()
            if chosen is None:
                raise CommandError(f"No board with the slug {board!r}.")
        counts = reminders_send(today=today, board=chosen, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for kind in ReminderKind:
            self.stdout.write(f"{kind.label}: {verb} {counts[kind.value]}")
        if counts["failed"]:
            self.stdout.write(f"Not sent (the next run tries again): {counts['failed']}")
