from django.apps import AppConfig


class IiaConfig(AppConfig):
    """The project itself: commands (backup, restore, api_token) and API tokens."""

    name = "iia"
    verbose_name = "iia"
