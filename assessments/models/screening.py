"""The pre-screening record. It decides whether a full IIA is needed; it is never the
assessment itself (SHRC: "consideration of whether or not an assessment of impact is
needed is not to be treated as the assessment itself")."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ..catalogue import template_screening_questions
from .catalogue import Template
from .plan_change import PlanChange


class ScreeningState(models.TextChoices):
    DRAFT = "draft", "Screening in progress"
    SUBMITTED = "submitted", "Screening awaiting review"
    RETURNED = "returned", "Screening returned"
    SCREENED_OUT = "screened_out", "Screened out: no IIA required"
    SCREENED_IN = "screened_in", "Screened in: full IIA required"


class Outcome(models.TextChoices):
    FULL_IIA = "full_iia", "Full IIA required"
    NO_IIA = "no_iia", "No IIA required"


class ReviewDecision(models.TextChoices):
    CONCUR = "concur", "Concur with the proposed outcome"
    OVERRIDE = "override", "Override the proposed outcome"
    RETURN = "return", "Return to the officer"


class Screening(ConcurrentTransitionMixin, models.Model):
    """Pre-screening of a plan change.

    States:
    - ``draft``: the officer is answering the questions (save and return).
    - ``submitted``: the product has proposed an outcome; an equality lead reviews it.
    - ``returned``: the equality lead returned it with comments; the officer revises.
    - ``screened_out``: no IIA required; the record is complete.
    - ``screened_in``: a full IIA is required and has been opened.
    """

    plan_change = models.ForeignKey(PlanChange, on_delete=models.PROTECT, related_name="screenings")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="screenings")
    state = FSMField(default=ScreeningState.DRAFT, choices=ScreeningState.choices, protected=True)
    answers = models.JSONField(
        default=dict, blank=True, help_text="Question code to {'answer': ..., 'comment': ...}."
    )
    officer_reason = models.TextField(blank=True, help_text="The officer's own explanation of the outcome.")
    proposed_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    proposed_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_decision = models.CharField(max_length=20, choices=ReviewDecision.choices, blank=True)
    review_comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # "already assessed": the earlier signed assessment of the same board this proposal
    # relies on, and the equality lead's check of it at the review
    relies_on = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="relied_on_by",
        help_text="The earlier signed-off assessment the screening says already covers the proposal.",
    )
    relies_on_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relies_on_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("submitted_by")),
                name="screening_not_reviewed_by_submitter",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening record for {self.plan_change}"

    @property
    def is_editable(self) -> bool:
        return self.state in (ScreeningState.DRAFT, ScreeningState.RETURNED)

    @property
    def outcome_reason(self) -> str:
        """Why the outcome is what it is: the product's reason, or the equality lead's when
        they overrode the proposed outcome."""
        if self.review_decision == ReviewDecision.OVERRIDE:
            return (f"An equality lead overrode the proposed outcome ({self.get_proposed_outcome_display().lower()}): "
                    f"{self.review_comments}")
        return self.proposed_reason

    def answer_rows(self) -> list[tuple[object, str, str]]:
        """Each question of the template with the answer in words and the comment."""
        rows = []
        for question in template_screening_questions(self.template):
            given = (self.answers or {}).get(question.code) or {}
            rows.append((question, dict(question.choices).get(given.get("answer", ""), "Not answered"),
                         given.get("comment", "")))
        return rows

    # Transitions only change the state; services set the other fields, check the
    # rules and write the audit event in the same transaction.
    @transition(field=state, source=[ScreeningState.DRAFT, ScreeningState.RETURNED], target=ScreeningState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=ScreeningState.SUBMITTED, target=ScreeningState.RETURNED)
    def return_to_officer(self):
        pass

    @transition(field=state, source=ScreeningState.SUBMITTED, target=ScreeningState.SCREENED_OUT)
    def screen_out(self):
        pass

    @transition(field=state, source=ScreeningState.SUBMITTED, target=ScreeningState.SCREENED_IN)
    def screen_in(self):
        pass
