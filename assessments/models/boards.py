"""Boards (IJBs), their localities, and who holds which role on each."""

from django.conf import settings
from django.db import models


class Board(models.Model):
    """An Integration Joint Board: the tenant every record belongs to."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, help_text="Formal name, e.g. Dundee City Integration Joint Board.")
    short_name = models.CharField(max_length=60, help_text="Short name shown in lists, e.g. Dundee IJB.")
    reference_prefix = models.CharField(
        max_length=12, help_text="Prefix of plan change references, e.g. DUN gives DUN-0007."
    )
    constituent_authorities = models.CharField(
        max_length=300, blank=True, help_text="The council and health board, separated by semicolons."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name


class Locality(models.Model):
    """A locality of a board's strategic plan (s.29 of the 2014 Act requires two or more)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="localities")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="locality_code_unique_per_board")]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    EQUALITY_LEAD = "equality_lead", "Equality lead"
    SENIOR_OFFICER = "senior_officer", "Senior officer"
    CLERK = "clerk", "IJB clerk"


class Membership(models.Model):
    """A user's role on one board. A user may hold several roles on several boards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True, help_text="Shown in sign-off blocks, e.g. Chief Officer.")

    class Meta:
        ordering = ["board", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "board", "role"], name="membership_unique_role_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.board}"
