"""The catalogue: a board's assessment form as versioned data.

A ``Template`` (e.g. ``dundee-ijb-v1``) holds the pre-screening questions and the
sections of the full IIA with their rows and questions. Labels in the domain
specification are partly unconfirmed, so boards edit them here rather than in code.
A template that any screening or assessment uses is frozen: a change is made on a
copy with the next version number (see ``catalogue.template_copy_as_new_version``).
Nothing is added to a template in use, or moved into one, whatever the path (the admin,
a script, the shell): ``TemplatePart`` refuses it on ``clean`` and on ``save``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef

from ..exceptions import TemplateInUse
from .boards import Board, Locality

# Parts of an assessment that are not template sections; their codes are reserved.
RESERVED_PART_CODES = ("evidence", "actions")


class TemplateQuerySet(models.QuerySet):
    def _used(self) -> Exists:
        screening = self.model._meta.get_field("screenings").related_model
        assessment = self.model._meta.get_field("assessments").related_model
        return Exists(screening.objects.filter(template=OuterRef("pk"))) | Exists(
            assessment.objects.filter(template=OuterRef("pk"))
        )

    def in_use(self) -> "TemplateQuerySet":
        """Templates that a screening or an assessment uses: frozen."""
        return self.filter(self._used())

    def editable(self) -> "TemplateQuerySet":
        """Templates that no screening or assessment uses yet: the only ones whose
        contents may change."""
        return self.exclude(self._used())


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

    objects = TemplateQuerySet.as_manager()

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


class TemplatePart:
    """Something a template holds: a pre-screening question, a section, a row or a
    question. Nothing is added to a template in use, moved into one or moved out of one:
    that would change what its screenings and assessments ask for (a part task for every
    new plan change, a row to rate in every assessment in progress). An edit in place is
    not refused here: the admin freezes those, and a site administrator may still correct
    a typo from the shell. A deletion is refused by the records that point at the part
    (``on_delete=PROTECT``) and, in the admin, by the freeze."""

    parent_field = "template"  # or "section"

    def _frozen_template(self) -> Template | None:
        """The template in use this save would add to, move into or move out of, if any."""
        parent_id = getattr(self, f"{self.parent_field}_id")
        if parent_id is None:
            return None
        parents = {parent_id}
        if self.pk is not None and not self._state.adding:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list(f"{self.parent_field}_id", flat=True)
            stored = stored.first()
            if stored == parent_id:
                return None  # stays where it is
            if stored is not None:
                parents.add(stored)
        lookup = {"pk__in": parents} if self.parent_field == "template" else {"sections__in": parents}
        return Template.objects.in_use().filter(**lookup).first()

    def _refusal(self, template: Template) -> str:
        return (f"{template.code} is in use by screenings or assessments: nothing is added to it or taken "
                "out of it. Copy it as a new version and change the copy.")

    def clean(self):
        super().clean()
        template = self._frozen_template()
        if template is not None:
            raise ValidationError(self._refusal(template))  # not the parent's field: a form may not show it

    def save(self, *args, **kwargs):
        template = self._frozen_template()
        if template is not None:
            raise TemplateInUse(self._refusal(template))
        super().save(*args, **kwargs)


class ScreeningQuestion(TemplatePart, models.Model):
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


class Section(TemplatePart, models.Model):
    """A section of the full IIA (Equality & Diversity, Fairness & Poverty, ...).
    Each section is completed as its own task.

    A *module* (Island Communities Impact Assessment, Children's Rights and Wellbeing
    Impact Assessment, SEA pre-screening) is a section with ``opened_by`` set: only an
    assessment whose screening answered that question with one of ``opened_by_answers``
    has it (``catalogue.screening_opened_modules``)."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)
    guidance = models.TextField(blank=True)
    opened_by = models.SlugField(
        max_length=60, blank=True,
        help_text="A module: the code of the pre-screening question whose answer opens this section "
                  "(e.g. island_communities). Blank: every assessment has the section.",
    )
    opened_by_answers = models.JSONField(
        default=list, blank=True, help_text='A module: the answers that open it, e.g. ["yes"] or ["yes", "unsure"].'
    )

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="section_code_unique")]

    @property
    def is_module(self) -> bool:
        return bool(self.opened_by)

    def clean(self):
        super().clean()
        if self.opened_by and not self.opened_by_answers:
            raise ValidationError({"opened_by_answers": "Give the answers that open the module, e.g. [\"yes\"]."})
        if self.opened_by_answers and not (isinstance(self.opened_by_answers, list)
                                           and all(isinstance(a, str) for a in self.opened_by_answers)):
            raise ValidationError({"opened_by_answers": "Give a list of answer codes, e.g. [\"yes\"]."})

    def __str__(self) -> str:
        return self.title


class Row(TemplatePart, models.Model):
    """A rated row: a protected characteristic, a locality, a household group, ..."""

    parent_field = "section"

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

    def clean(self):
        super().clean()
        if self.locality_id and self.section_id:
            board_id = Section.objects.filter(pk=self.section_id).values_list("template__board_id", flat=True).first()
            if self.locality.board_id != board_id:
                raise ValidationError({"locality": "Choose a locality of the board whose form this is."})


class QuestionKind(models.TextChoices):
    TEXT = "text", "Written answer"
    CHOICE = "choice", "One of a list"
    DATE = "date", "A date"
    PAST_DATE = "past_date", "A date that has passed (when something was done)"
    LINK = "link", "A web link"


DATE_KINDS = (QuestionKind.DATE, QuestionKind.PAST_DATE)


class Question(TemplatePart, models.Model):
    """A written or multiple-choice question of a section (FSD summary, SEA determination, ...)."""

    parent_field = "section"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text="For a list question: the options, in order.")
    required = models.BooleanField(default=True)
    required_when = models.SlugField(
        max_length=60, blank=True,
        help_text="Required only when this other question of the section (its code) has one of the answers below.",
    )
    required_when_answers = models.JSONField(default=list, blank=True)
    published = models.BooleanField(
        default=False,
        help_text="Shown on the public register with the signed assessment (e.g. the Islands Act s.8(4) explanation).",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="question_code_unique")]

    def is_required(self, answers_by_code: dict[str, str]) -> bool:
        """Whether the question must be answered, given the section's answers by question code."""
        if not self.required:
            return False
        if not self.required_when:
            return True
        return (answers_by_code.get(self.required_when) or "").strip() in (self.required_when_answers or [])

    def __str__(self) -> str:
        return self.label
