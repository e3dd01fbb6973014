"""Reset a person's two-factor sign-in (a lost phone) from the shell: for when the
administrator who would do it in the admin is the one who lost theirs."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from iia.two_factor import two_factor_reset


class Command(BaseCommand):
    help = ("Take away a user's authenticator app, passkeys and backup codes; they set two-factor sign-in up again "
            "at their next sign-in.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username}.") from None
        removed = two_factor_reset(user=user)
        self.stderr.write(f"{username}'s two-factor sign-in is reset ({removed} removed)."
                          if removed else f"{username} had no two-factor sign-in set up.")
