from django.apps import AppConfig


class IiaConfig(AppConfig):
    """The project itself: commands (backup, restore, api_token, reset_two_factor), API
    tokens, two-factor sign-in and the production system checks."""

    name = "iia"
    verbose_name = "iia"

    def ready(self):
        # the production checks register themselves; two_factor connects sign_in_state
        from . import checks, two_factor  # noqa: F401
