"""IJB reports and report numbers (their directions: ``directions.py``)."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from assessments.models import Board, PlanChange

from .meetings import Committee

FULL_IIA_WORDING = (
    "This report has been the subject of an Integrated Impact Assessment covering Equality & Diversity, "
    "Fairness & Poverty, Environment and Corporate Risk. The assessment, setting out the impacts found and "
    "the benefits and mitigating actions that go with them, is attached as {appendix}."
)
SCREENED_OUT_WORDING = (
    "This report was checked with the pre-screening tool. It makes no recommendation to change strategy, "
    "policy, procedures, services or funding, so no Integrated Impact Assessment was required. An equality "
    "lead reviewed the screening and agreed with this outcome."
)
PENDING_WORDING = "The Integrated Impact Assessment of this proposal has not yet been signed off."


class ReportWording(models.Model):
    """The board's own wording of the Policy Implications section. ``{appendix}`` is
    replaced by the appendix reference."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="report_wording")
    full_iia = models.TextField(default=FULL_IIA_WORDING)
    screened_out = models.TextField(default=SCREENED_OUT_WORDING)
    pending = models.TextField(default=PENDING_WORDING)

    def __str__(self) -> str:
        return f"Policy implications wording of {self.board}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "With the clerk"
    ON_AGENDA = "on_agenda", "On a draft agenda"
    PUBLISHED = "published", "Published with the agenda"
    DECIDED = "decided", "Decided"


class DecisionSought(models.TextChoices):
    AGREE = "agree", "Asks the board to agree something"
    NOTE = "note", "For noting or information only"


class DirectionTo(models.TextChoices):
    NONE = "none", "No direction required"
    COUNCIL = "council", "The council"
    HEALTH_BOARD = "health_board", "The health board"
    BOTH = "both", "The council and the health board"


class Report(ConcurrentTransitionMixin, models.Model):
    """An IJB report on a plan change. Its Policy Implications section is written by the
    product from the plan change's assessment or screening record.

    States: ``draft`` (the officer writes it), ``submitted`` (with the clerk, waiting for
    a meeting), ``on_agenda`` (on a draft agenda; taken off, it goes back to the clerk),
    ``published`` (numbered, with its Policy Implications and appendix frozen, on a
    published agenda), ``decided`` (the board recorded its decision)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reports")
    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="reports")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(max_length=300)
    report_by = models.CharField(max_length=120, help_text="The officer title, e.g. Chief Officer.")
    decision_sought = models.CharField(max_length=10, choices=DecisionSought.choices, default=DecisionSought.AGREE)
    purpose = models.TextField()
    recommendations = models.TextField(help_text="One recommendation per line; they are numbered.")
    financial_implications = models.TextField(blank=True)
    main_text = models.TextField(blank=True)
    risk_assessment = models.TextField(blank=True)
    consultations = models.TextField(blank=True)
    direction_to = models.CharField(max_length=20, choices=DirectionTo.choices, default=DirectionTo.NONE)
    background_papers = models.TextField(blank=True, default="None.")
    status = FSMField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, protected=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    submitted_at = models.DateTimeField(null=True, blank=True)
    number = models.CharField(max_length=30, null=True, blank=True, unique=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_sequence = models.PositiveIntegerField(null=True, blank=True)
    published_policy_implications = models.TextField(
        blank=True, help_text="The Policy Implications text as published; it never changes afterwards.")
    appendix = models.ForeignKey("reports.SignedDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="The signed document published as Appendix 1.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number_year", "number_sequence"],
                                    name="report_number_unique_per_committee_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number or 'Unnumbered'}: {self.title}"

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED)

    # Transitions only change the status; services check the rules, fill in who and
    # when, and write the audit event in the same transaction.
    @transition(field=status, source=ReportStatus.DRAFT, target=ReportStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ON_AGENDA)
    def put_on_agenda(self):
        pass

    @transition(field=status, source=ReportStatus.ON_AGENDA, target=ReportStatus.SUBMITTED)
    def take_off_agenda(self):
        pass

    @transition(field=status, source=ReportStatus.ON_AGENDA, target=ReportStatus.ON_AGENDA)
    def move_to_later_meeting(self):
        """From one draft agenda to a later meeting's (its assessment is not cleared in time)."""

    @transition(field=status, source=ReportStatus.ON_AGENDA, target=ReportStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=ReportStatus.PUBLISHED, target=ReportStatus.DECIDED)
    def decide(self):
        pass


class ReportNumberCounter(models.Model):
    """The last report number given per committee and year (locked while allocating)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="one_counter_per_committee_year")]


class Publication(models.Model):
    """A signed document published as the appendix of a report on a meeting's agenda.
    A document may be published more than once (a later report on the same plan change)."""

    document = models.ForeignKey("reports.SignedDocument", on_delete=models.PROTECT, related_name="publications")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="publications")
    meeting = models.ForeignKey("reports.Meeting", on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["published_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "report"], name="one_publication_per_report")]
