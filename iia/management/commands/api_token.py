"""Make, replace or revoke a user's API token. Only its hash is stored: the token is
printed once, when it is made."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments import rules
from iia.models import ApiToken
from iia.tokens import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = ("Make a user's API token and print it (the only time it is shown); --reset replaces it "
            "(the old one stops working); --revoke deletes it.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the token with a new one.")
        parser.add_argument("--revoke", action="store_true", help="Delete the token; the user has none afterwards.")

    def handle(self, username, reset=False, revoke=False, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username}.") from None
        if revoke:
            api_token_revoke(user=user)
            self.stderr.write(f"{username} has no API token now.")
            return
        if not user.is_active:
            raise CommandError(f"{username}'s account is closed: no token issued.")
        existing = ApiToken.objects.filter(user=user).first()
        if existing and not reset:
            raise CommandError(f"{username} already has an API token ({existing.prefix}…, made "
                               f"{timezone.localtime(existing.created):%Y-%m-%d %H:%M}). It was shown once, when it "
                               f"was made, and is not stored: --reset makes a new one (the old one stops working).")
        key = api_token_issue(user=user)
        if not rules.board_ids(user):
            self.stderr.write(f"Note: {username} holds no role on any board, so the API will refuse them (403).")
        self.stderr.write("The token, shown this once (it is stored only as a hash):")
        self.stdout.write(key)
