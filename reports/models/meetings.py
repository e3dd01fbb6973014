"""Committees, their meetings, agendas and agenda packs."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from assessments.models import Board

# Local Government (Scotland) Act 1973 s.50B: the agenda is open to the public at least
# three clear days before the meeting. Clear days leave out the day of publication and the
# day of the meeting, so the agenda is out four days before it at the latest.
FEWEST_CLEAR_DAYS = 3
FEWEST_PUBLICATION_DAYS = FEWEST_CLEAR_DAYS + 1
MOST_PUBLICATION_DAYS = 90


class CommitteeKind(models.TextChoices):
    IJB = "ijb", "Integration Joint Board"
    PAC = "pac", "Performance and Audit Committee"


class Committee(models.Model):
    """The board itself or its Performance and Audit Committee, with its own report numbers."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(max_length=10, choices=CommitteeKind.choices)
    name = models.CharField(max_length=200)
    report_prefix = models.CharField(max_length=12, help_text="e.g. DIJB gives report numbers DIJB12-2025.")
    publication_days = models.PositiveIntegerField(
        default=7,
        validators=[
            MinValueValidator(FEWEST_PUBLICATION_DAYS, message=(
                f"Publish the agenda at least {FEWEST_PUBLICATION_DAYS} days before the meeting: the law asks for "
                f"{FEWEST_CLEAR_DAYS} clear days between the two (Local Government (Scotland) Act 1973 s.50B).")),
            MaxValueValidator(MOST_PUBLICATION_DAYS, message=(
                f"Give a publication period of at most {MOST_PUBLICATION_DAYS} days.")),
        ],
        help_text=f"The agenda is published this many days before the meeting: {FEWEST_PUBLICATION_DAYS} at least "
                  f"({FEWEST_CLEAR_DAYS} clear days, s.50B of the 1973 Act). Publishing later needs a reason.",
    )

    class Meta:
        ordering = ["board", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["board", "kind"], name="one_committee_of_each_kind"),
            models.CheckConstraint(
                condition=models.Q(publication_days__gte=FEWEST_PUBLICATION_DAYS,
                                   publication_days__lte=MOST_PUBLICATION_DAYS),
                name="publication_days_three_clear_days_at_least",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "Agenda in preparation"
    PUBLISHED = "published", "Agenda published"
    HELD = "held", "Held: decisions recorded"


def usual_meeting_time() -> datetime.time:
    """Boards usually meet at 10 am. A callable, so Django's check does not read it as a fixed "now"."""
    return datetime.time(10, 0)


class Meeting(ConcurrentTransitionMixin, models.Model):
    """A meeting of a committee and its agenda.

    States: ``draft`` (the clerk prepares the agenda), ``published`` (the agenda and its
    reports are public; decisions are recorded once the meeting has started), ``held``
    (every report on it has a decision)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    time = models.TimeField(default=usual_meeting_time)
    venue = models.CharField(max_length=200, blank=True)
    remote = models.BooleanField(default=False, help_text="Held remotely (online).")
    status = FSMField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, protected=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_reason = models.TextField(
        blank=True, help_text="Why the agenda was published later than the committee's publication period.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["committee", "date"], name="meeting_committee_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"{self.committee.name}, {self.date:%-d %B %Y}"

    @property
    def board_id(self) -> int:
        return self.committee.board_id

    @property
    def starts_at(self) -> datetime.datetime:
        """When the meeting starts: its date and time in the boards' time zone (Europe/London)."""
        return datetime.datetime.combine(self.date, self.time, tzinfo=timezone.get_default_timezone())

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def agenda_publication_date(self) -> datetime.date:
        """The day the agenda is due out, by the committee's publication period."""
        return self.date - datetime.timedelta(days=self.committee.publication_days)

    def is_late_on(self, day: datetime.date) -> bool:
        """Publishing on ``day`` (a date in Europe/London) is later than the committee's period."""
        return day > self.agenda_publication_date

    @property
    def publication_is_late(self) -> bool:
        """Publishing the agenda today would be late."""
        return self.is_late_on(timezone.localdate(timezone=timezone.get_default_timezone()))

    @property
    def published_days_before(self) -> int | None:
        """How many days before the meeting the agenda was published."""
        if self.published_at is None:
            return None
        return (self.date - timezone.localdate(self.published_at, timezone.get_default_timezone())).days

    @property
    def published_when(self) -> str:
        """When the agenda was published, against the meeting: "5 days before the meeting"."""
        days = self.published_days_before
        if days is None:
            return ""
        if days == 0:
            return "on the day of the meeting"
        count = f"{abs(days)} day{'' if abs(days) == 1 else 's'}"
        return f"{count} before the meeting" if days > 0 else f"{count} after the meeting"

    @property
    def where(self) -> str:
        return "Held remotely" if self.remote else (self.venue or "Venue to be confirmed")

    @transition(field=status, source=MeetingStatus.DRAFT, target=MeetingStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=MeetingStatus.PUBLISHED, target=MeetingStatus.HELD)
    def hold(self):
        pass


class ItemKind(models.TextChoices):
    APOLOGIES = "apologies", "Apologies for absence"
    DECLARATIONS = "declarations", "Declarations of interest"
    MINUTE = "minute", "Minute of previous meeting"
    ACTION_TRACKER = "action_tracker", "Action tracker"
    REPORT = "report", "Report"


STANDING_ITEMS = [ItemKind.APOLOGIES, ItemKind.DECLARATIONS, ItemKind.MINUTE, ItemKind.ACTION_TRACKER]


class Decision(models.TextChoices):
    AGREED = "agreed", "Agreed"
    NOTED = "noted", "Noted"
    REMITTED = "remitted", "Remitted"
    AMENDED = "amended", "Agreed as amended"


class AgendaItem(ConcurrentTransitionMixin, models.Model):
    """An item of a meeting's agenda. Its lifecycle is its decision: blank until the
    board decides, then one of ``Decision``, never changed afterwards."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=300)
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    decision = FSMField(max_length=10, choices=Decision.choices, blank=True, default="", protected=True)
    decision_text = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.TextField(
        blank=True, help_text="Why the report joined the published agenda later than the publication period.")

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @transition(field=decision, source="", target=RETURN_VALUE(*Decision.values))
    def decide(self, decision: str) -> str:
        return decision


class PackStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be built"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed, will be retried"


class AgendaPack(FSMModelMixin, models.Model):
    """The published agenda pack: cover, agenda with page numbers, every report and its
    signed assessment as an appendix.

    States: ``pending`` (asked for), ``building`` (a worker renders it), ``ready``,
    ``failed`` (kept with its error, retried). The status is a background job's progress,
    not a decision: a pack is asked for again in any state (a report joins a published
    agenda while it is being built) and a worker may run the same build twice, so the
    last write wins, as it always did; no optimistic check on the status here."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="pack")
    status = FSMField(max_length=10, choices=PackStatus.choices, default=PackStatus.PENDING, protected=True)
    progress = models.PositiveIntegerField(default=0, help_text="Percent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    item_pages = models.JSONField(default=dict, blank=True, help_text="Agenda item id to the page it starts on.")

    @property
    def is_ready(self) -> bool:
        return self.status == PackStatus.READY

    @transition(field=status, source="*", target=PackStatus.PENDING)
    def request(self):
        pass

    @transition(field=status, source="*", target=PackStatus.BUILDING)
    def start(self):
        pass

    @transition(field=status, source=PackStatus.BUILDING, target=PackStatus.READY)
    def finish(self):
        pass

    @transition(field=status, source="*", target=PackStatus.FAILED)
    def fail(self):
        pass
