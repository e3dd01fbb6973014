"""Print (or replace) a user's API token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from assessments import rules


class Command(BaseCommand):
    help = "Print the API token of a user, creating it if needed; --reset replaces it (the old one stops working)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the token with a new one.")
        parser.add_argument("--revoke", action="store_true", help="Delete the token; the user has none afterwards.")

    def handle(self, username, reset=False, revoke=False, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username}.") from None
        with transaction.atomic():
            if revoke or reset:
                Token.objects.filter(user=user).delete()
            if revoke:
                self.stderr.write(f"{username} has no API token now.")
                return
            if not user.is_active:
                raise CommandError(f"{username}'s account is closed: no token issued.")
            token, _ = Token.objects.get_or_create(user=user)
        if not rules.board_ids(user):
            self.stderr.write(f"Note: {username} holds no role on any board, so the API will refuse them (403).")
        self.stdout.write(token.key)
