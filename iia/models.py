"""The project's own records: API tokens (``iia.tokens``, docs/api.md) and backup codes
for two-factor sign-in (``iia.two_factor``, docs/two-factor.md)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


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


class SignOnIdentity(models.Model):
    """Who a person is at the organisation's identity provider (docs/single-sign-on.md): the
    provider's issuer and its never-reassigned subject (``sub``) for them. Single sign-on
    finds the account by these alone, never by email address or name, which a provider may
    reassign or another account may share."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created = models.DateTimeField(default=timezone.now)
    last_sign_in = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sign_on_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer} ({self.user})"


BACKUP_READS = str.maketrans({"i": "1", "l": "1", "o": "0"})  # what a misread character was


def backup_code_digest(code: str) -> str:
    """The SHA-256 of a backup code as kept: read as typed, whatever its case, spaces and
    hyphens, and with i, l and o read as the 1 and 0 they were."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum()).translate(BACKUP_READS)
    return hashlib.sha256(normal.encode()).hexdigest()


class BackupCodes(ThrottlingMixin, TimestampMixin, Device):
    """A person's backup codes for two-factor sign-in (``iia.two_factor``): a django-otp
    device, as their authenticator app is, that takes each of its codes once. Only the
    codes' SHA-256 are kept (as for API tokens: 80 random bits each, nothing a slow hash
    would protect), so the database and its backups hold no code that works; the codes are
    shown once, when they are made. One set a person: new codes replace the old."""

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        deleted, _ = self.codes.filter(digest=backup_code_digest(str(token))).delete()
        if deleted:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment(commit=True)
        return bool(deleted)

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR

    class Meta(Device.Meta):
        verbose_name = "backup codes"
        verbose_name_plural = "backup codes"


class BackupCode(models.Model):
    """One unused backup code, as its SHA-256; deleted when it is used."""

    device = models.ForeignKey(BackupCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the normalised code, hexadecimal")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="backup_code_unique_per_device")]
