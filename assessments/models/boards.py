"""Boards (IJBs), their localities and locality planning groups, and who holds which role on each."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# Reg 5 of SSI 2012/162: the results of an assessment are published "within a reasonable
# period" of the decision. A board sets its own period; these bound it.
DEFAULT_RESULTS_PUBLICATION_DAYS = 14
FEWEST_RESULTS_PUBLICATION_DAYS = 1
MOST_RESULTS_PUBLICATION_DAYS = 90


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
    # One period serves every reader of it: a decision under delegated authority is due on the
    # register this many days after it, the clerk's home marks an unpublished signed document
    # overdue this many days after its signing, the mainstreaming report counts a result on
    # time when it was published this many days after sign-off.
    results_publication_days = models.PositiveSmallIntegerField(
        default=DEFAULT_RESULTS_PUBLICATION_DAYS,
        validators=[
            MinValueValidator(FEWEST_RESULTS_PUBLICATION_DAYS, message="Give a period of one day at least."),
            MaxValueValidator(MOST_RESULTS_PUBLICATION_DAYS, message=(
                f"Give a period of at most {MOST_RESULTS_PUBLICATION_DAYS} days.")),
        ],
        help_text=f"Days after a decision within which the results of its assessment or screening are published "
                  f"on the register (the board's \"reasonable period\", SSI 2012/162 reg 5); "
                  f"{FEWEST_RESULTS_PUBLICATION_DAYS} to {MOST_RESULTS_PUBLICATION_DAYS}.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(results_publication_days__gte=FEWEST_RESULTS_PUBLICATION_DAYS,
                                   results_publication_days__lte=MOST_RESULTS_PUBLICATION_DAYS),
                name="board_results_publication_days_in_range",
            ),
        ]

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


class LocalityPlanningGroup(models.Model):
    """A locality planning group of a board (s.41 of the 2014 Act: the people consulted on a
    decision that might significantly affect the services of a locality), e.g. Dundee's
    Local Community Planning Partnerships."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="locality_planning_groups")
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="planning_groups", help_text="The locality it plans for, if one.")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="planning_group_name_unique_per_board")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    EQUALITY_LEAD = "equality_lead", "Equality lead"
    SENIOR_OFFICER = "senior_officer", "Senior officer"
    CLERK = "clerk", "IJB clerk"


class MembershipSource(models.TextChoices):
    """Who granted a membership: a site administrator here, or the organisation's identity
    provider through single sign-on (``SignOnGroupRole``). Each sign-on adds and removes
    only the memberships it granted."""

    LOCAL = "local", "Granted here"
    SIGN_ON = "sign_on", "Single sign-on"


class Membership(models.Model):
    """A user's role on one board. A user may hold several roles on several boards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True, help_text="Shown in sign-off blocks, e.g. Chief Officer.")
    source = models.CharField(
        max_length=10, choices=MembershipSource.choices, default=MembershipSource.LOCAL,
        help_text="Single sign-on removes a membership it granted when the person's groups no longer give it; "
                  "one granted here stays until removed here.",
    )

    class Meta:
        ordering = ["board", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "board", "role"], name="membership_unique_role_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.board}"


class SignOnGroupRole(models.Model):
    """A group of the organisation's identity provider and the role on a board it gives
    (docs/single-sign-on.md). At each single sign-on a person holds, besides the roles
    granted here, exactly the roles their groups give. One group may give several roles,
    on several boards; a role on a board comes only from a row naming that board."""

    group = models.CharField(
        max_length=255,
        help_text="The group exactly as the provider's groups claim names it (e.g. iia-dundee-officers, "
                  "or a directory group's id).",
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sign_on_group_roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["board", "group", "role"]
        verbose_name = "single sign-on group"
        constraints = [
            models.UniqueConstraint(fields=["group", "board", "role"], name="sign_on_group_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {Role(self.role).label}, {self.board}"
