"""The project's own records: API tokens (``iia.tokens``, docs/api.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A person's API token. Only the token's SHA-256 is kept: the token itself is shown
    once, when it is made (``manage.py api_token``), so the database and its backups hold no
    token that works. ``prefix``, its first characters, finds it and names it; it is no
    secret. One token a person: a new one replaces the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the token, hexadecimal")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
