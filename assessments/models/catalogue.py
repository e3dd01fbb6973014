"""The catalogue: a board's assessment form as versioned data.

A ``Template`` (e.g. ``dundee-ijb-v1``) holds the pre-screening questions and the
sections of the full IIA with their rows and questions. Labels in the domain
specification are partly unconfirmed, so boards edit them here rather than in code.
A template that any screening or assessment uses is frozen: a change is made on a
copy with the next version number (see ``catalogue.template_copy_as_new_version``).
"""

from django.db import models

from .boards import Board, Locality

# Parts of an assessment that are not template sections; their codes are reserved.
RESERVED_PART_CODES = ("evidence", "actions")


class Template(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="templates")
    code = models.SlugField(max_length=60, unique=True, help_text="e.g. dundee-ijb-v1")
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    is_active = models.BooleanField(
        default=False, help_text="New screenings and assessments use the board's active template."
    )
    sign_off_declaration = models.TextField(
        default=(
            "I have considered the impacts recorded in this assessment and the mitigating actions "
            "proposed, and I am satisfied that the board can have due regard to them in its decision."
        )
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bumped on every change to the template's contents (cache key)."
    )

    class Meta:
        ordering = ["board", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["board", "version"], name="template_version_unique_per_board"),
            models.UniqueConstraint(
                fields=["board"], condition=models.Q(is_active=True), name="one_active_template_per_board"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def in_use(self) -> bool:
        return self.screenings.exists() or self.assessments.exists()


class AnswerSet(models.TextChoices):
    YES_NO = "yes_no", "Yes / No"
    YES_NO_NOT_KNOWN = "yes_no_not_known", "Yes / No / Not known"
    YES_NO_UNSURE = "yes_no_unsure", "Yes / No / Unsure"


ANSWER_CHOICES = {
    AnswerSet.YES_NO: [("yes", "Yes"), ("no", "No")],
    AnswerSet.YES_NO_NOT_KNOWN: [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
    AnswerSet.YES_NO_UNSURE: [("yes", "Yes"), ("no", "No"), ("unsure", "Unsure")],
}


class ScreeningQuestion(models.Model):
    """A pre-screening question. The outcome rule reads the codes ``asks_agreement``,
    ``information_only`` and ``affects_people``."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="screening_questions")
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=400)
    help_text = models.TextField(blank=True)
    answer_set = models.CharField(max_length=20, choices=AnswerSet.choices, default=AnswerSet.YES_NO)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="screening_question_code_unique")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[tuple[str, str]]:
        return ANSWER_CHOICES[self.answer_set]


class Section(models.Model):
    """A section of the full IIA (Equality & Diversity, Fairness & Poverty, ...).
    Each section is completed as its own task."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return self.title


class Row(models.Model):
    """A rated row: a protected characteristic, a locality, a household group, ..."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField(max_length=60, help_text="Stable code, e.g. PC.AGE or GEO.LCPP6.")
    label = models.CharField(max_length=200)
    group = models.CharField(max_length=120, blank=True, help_text="Sub-heading within the section.")
    order = models.PositiveIntegerField(default=0)
    guidance = models.TextField(blank=True)
    allows_not_applicable = models.BooleanField(default=False)
    not_applicable_label = models.CharField(max_length=200, blank=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="rows")

    class Meta:
        ordering = ["section", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="row_code_unique_per_section")]

    def __str__(self) -> str:
        return self.label


class QuestionKind(models.TextChoices):
    TEXT = "text", "Written answer"
    CHOICE = "choice", "One of a list"


class Question(models.Model):
    """A written or multiple-choice question of a section (FSD summary, SEA determination, ...)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text="For a list question: the options, in order.")
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return self.label
