"""The full Integrated Impact Assessment and its answers."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .catalogue import Question, Row, Template
from .plan_change import PlanChange


class AssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", "IIA in progress"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved, awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SUPERSEDED = "superseded", "Superseded by a later version"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (
    AssessmentState.IN_PROGRESS,
    AssessmentState.SUBMITTED,
    AssessmentState.RETURNED,
    AssessmentState.APPROVED,
)
EDITABLE_STATES = (AssessmentState.IN_PROGRESS, AssessmentState.RETURNED)


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Assessment(ConcurrentTransitionMixin, models.Model):
    """One version of the full IIA of a plan change.

    States:
    - ``in_progress``: officers complete the sections, evidence and mitigating actions.
    - ``submitted``: submitted to an equality lead for review.
    - ``returned``: returned with comments by the equality lead or the senior officer.
    - ``approved``: the equality lead approved it and recorded a risk level.
    - ``signed_off``: a senior officer signed it off; it is locked. A change needs a new
      version, which supersedes this one when it is signed off in turn.
    - ``superseded``: a later version has been signed off.
    - ``withdrawn``: the plan change was withdrawn before sign-off, or a review of the
      signed-off version found the policy or service withdrawn (``ReviewOutcome.WITHDRAWN``).
    """

    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveIntegerField(default=1)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="assessments")
    # a version a withdrawn new version named may be named again by the next (one at a time:
    # see the constraint below)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    state = FSMField(default=AssessmentState.IN_PROGRESS, choices=AssessmentState.choices, protected=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contributed_assessments"
    )
    evidence = models.TextField(blank=True, help_text="Data, research, local profiles and SIMD used.")
    consultation = models.TextField(blank=True, help_text="Who was consulted, when and how; lived experience.")
    review_date = models.DateField(null=True, blank=True)
    rework_parts = models.JSONField(default=list, blank=True, help_text="Parts reopened by the last return.")
    modules = models.JSONField(
        default=list, blank=True,
        help_text="Codes of the module sections the screening opened (set when the version is opened).",
    )
    return_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    approval_comments = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_role = models.CharField(max_length=120, blank=True)
    sign_off_comments = models.TextField(blank=True, help_text="The senior officer's comments on signing off.")
    sign_off_declaration = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_change", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan_change", "version"], name="assessment_version_unique"),
            models.UniqueConstraint(
                fields=["plan_change"],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="one_open_assessment_per_plan_change",
            ),
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=~models.Q(state=AssessmentState.WITHDRAWN),
                name="one_successor_not_withdrawn",
            ),
            # Behind the service rule: the database itself refuses self-approval.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("author")),
                name="assessment_not_approved_by_author",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_off_by__isnull=True) | ~models.Q(signed_off_by=models.F("author")),
                name="assessment_not_signed_off_by_author",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="assessment_state")]

    def __str__(self) -> str:
        return f"IIA {self.plan_change.reference} v{self.version}"

    @property
    def reference(self) -> str:
        return f"{self.plan_change.reference}-v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_locked(self) -> bool:
        return self.state in (AssessmentState.SIGNED_OFF, AssessmentState.SUPERSEDED)

    # Transitions only change the state; services check the rules, fill in who and
    # when, and write the audit event in the same transaction.
    @transition(field=state, source=[AssessmentState.IN_PROGRESS, AssessmentState.RETURNED],
                target=AssessmentState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=[AssessmentState.SUBMITTED, AssessmentState.APPROVED],
                target=AssessmentState.RETURNED)
    def return_to_officer(self):
        pass

    @transition(field=state, source=AssessmentState.SUBMITTED, target=AssessmentState.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=AssessmentState.APPROVED, target=AssessmentState.SIGNED_OFF)
    def sign_off(self):
        pass

    @transition(field=state, source=AssessmentState.SIGNED_OFF, target=AssessmentState.SUPERSEDED)
    def supersede(self):
        pass

    @transition(field=state, source=list(OPEN_STATES), target=AssessmentState.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=AssessmentState.SIGNED_OFF, target=AssessmentState.WITHDRAWN)
    def withdraw_at_review(self):
        pass


class Rating(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NO_IMPACT = "no_impact", "No impact"
    NOT_KNOWN = "not_known", "Not known"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ImpactRating(models.Model):
    """The rating of one row in one assessment. Positive and negative may both apply."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    row = models.ForeignKey(Row, on_delete=models.PROTECT, related_name="ratings")
    positive = models.BooleanField(default=False)
    negative = models.BooleanField(default=False)
    no_impact = models.BooleanField(default=False)
    not_known = models.BooleanField(default=False)
    not_applicable = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)
    justification = models.TextField(
        blank=True, help_text="Why a negative impact is justified where no mitigation is planned."
    )
    # s.41 of the 2014 Act: a locality row rated negative says which locality planning group
    # was consulted, and when (``validation.rating_errors``); blank on every other rating
    consulted_group = models.ForeignKey(
        "assessments.LocalityPlanningGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consulted_on = models.DateField(null=True, blank=True)

    class Meta:
        # by the assessment's id, not its own ordering (which would join its plan change)
        ordering = ["assessment_id", "row__section__order", "row__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "row"], name="rating_unique_per_row")]

    def __str__(self) -> str:
        return f"{self.row}: {self.ratings_label}"

    @property
    def ratings(self) -> list[str]:
        return [value for value in Rating.values if getattr(self, value)]

    @property
    def ratings_label(self) -> str:
        labels = dict(Rating.choices)
        return " and ".join(labels[value] for value in self.ratings) or "Not rated"

    @property
    def is_rated(self) -> bool:
        return bool(self.ratings)


class SectionAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique_per_question")
        ]


class PartStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft saved"
    COMPLETE = "complete", "Complete"


class PartProgress(models.Model):
    """Progress of one part of an assessment: a template section, ``evidence`` or ``actions``.

    ``revision`` increases on every save, so a save made from a stale form is detected.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=PartStatus.choices, default=PartStatus.NOT_STARTED)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "part"], name="part_unique_per_assessment")]


class ActionKind(models.TextChoices):
    MITIGATION = "mitigation", "Mitigating action"
    EVIDENCE = "evidence", "Evidence-gathering action"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# An action is written with one of these; "dropped" (which needs a reason) is recorded only
# as progress after sign-off (``ActionProgress``).
DRAFT_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
# Nothing more is expected of an action in these: no reminder, not "due" on the dashboard.
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class MitigatingAction(models.Model):
    """An action that mitigates a negative impact or gathers missing evidence.

    ``status`` and ``done_on`` are where the action stands now: written with the assessment
    until sign-off, then moved on only by progress updates (``ActionProgress``, the history
    of each), which reopen nothing. The signed document keeps what was signed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.MITIGATION)
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who is responsible (name or post).")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    done_on = models.DateField(null=True, blank=True, help_text="The day the action was done (recorded after sign-off).")
    rows = models.ManyToManyField(Row, blank=True, related_name="actions")
    # the order the officer entered the actions in (a new one goes last), kept across saves
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_closed(self) -> bool:
        """Done or dropped: nothing more is expected of it."""
        return self.status in CLOSED_ACTION_STATUSES
