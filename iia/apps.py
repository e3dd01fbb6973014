from django.apps import AppConfig


class IiaConfig(AppConfig):
    """The project itself: commands (backup, restore, api_token), API tokens and the
    production system checks."""

    name = "iia"
    verbose_name = "iia"

    def ready(self):
        from . import checks  # noqa: F401  (registers the production checks)
