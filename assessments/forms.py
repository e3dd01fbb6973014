"""Forms of the assessment pages. They collect input; the services decide what is valid.
``apply_errors`` puts a service's ``RuleViolation`` beside the fields it names."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from .cumulative import COLUMN_STATES
from .exceptions import RuleViolation
from .models import (
    ChangeType,
    LocalityPlanningGroup,
    PlanAction,
    PlanChange,
    PlanPriority,
    Role,
    Section,
    StrategicPlan,
)
from .models.assessment import ActionKind, ActionStatus, Rating, RiskLevel
from .models.catalogue import DATE_KINDS, QuestionKind
from .models.review import ActualImpact, ReviewOutcome
from .models.screening import ReviewDecision
from .services.review import ImpactInput, impact_field
from .text import clean_line, long_date
from .validation import RatingInput

User = get_user_model()

RATING_CHOICES = [(r.value, r.label) for r in Rating if r != Rating.NOT_APPLICABLE]


TEXT_LIMIT = 20_000  # characters in any free-text answer (about seven pages)


def _one_line(field) -> bool:
    """A text field typed into one ``<input>``: a title, a name, a reference."""
    return isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput)


class NamedErrorsForm(forms.Form):
    """Error messages that say which field they are about ("Choose a risk level"),
    not Django's "This field is required.". A text field without its own limit gets
    ``TEXT_LIMIT``. A one-line field keeps one line: its line breaks (pasted, or sent by
    hand) become spaces (``clean_line``) before it is checked, and the page shows it so.
    ``required_messages`` words a field's message where its label, a question, reads badly in one."""

    required_messages: dict[str, str] = {}

    def _one_line_data(self):
        changed = {}
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not _one_line(field) or key not in self.data:
                continue
            given = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data[key]]
            lines = [clean_line(v) if isinstance(v, str) else v for v in given]
            if lines != given:
                changed[key] = lines
        if changed:
            data = self.data.copy()
            for key, lines in changed.items():
                if hasattr(data, "setlist"):
                    data.setlist(key, lines)
                else:
                    data[key] = lines[-1]
            self.data = data

    def full_clean(self):
        if self.is_bound:
            self._one_line_data()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_LIMIT
                field.validators.append(MaxLengthValidator(TEXT_LIMIT))
            label = str(field.label or name.replace("_", " ")).rstrip(":").lower()
            choose = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField))
            field.error_messages["required"] = self.required_messages.get(
                name, f"{'Choose' if choose else 'Enter'} {label}.")
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"Enter {label} as a real date, for example 31/03/2027."
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
                field.error_messages["invalid_choice"] = f"Choose {label} from the list."
        super().full_clean()


def apply_errors(form: forms.Form, violation: RuleViolation) -> None:
    """Attach each message to its field (or to the form when the field is unknown)."""
    for key, messages in violation.errors.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ChoicesField(forms.ModelMultipleChoiceField):
    """Choose several records by id. An id no database column can hold is an invalid
    choice like any other unknown id (Django passes it to the database, where SQLite fails)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) >= 2**63:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


class PlanChangeForm(NamedErrorsForm):
    plan = forms.ModelChoiceField(queryset=StrategicPlan.objects.none(), empty_label=None)
    title = forms.CharField(max_length=250)
    description = forms.CharField(widget=forms.Textarea, help_text="What will change, and the intended outcome.")
    change_type = forms.ChoiceField(choices=ChangeType.choices, label="Type of change")
    is_revision = forms.TypedChoiceField(
        label="New or revised",
        choices=[("false", "New"), ("true", "Revision of an existing policy or service")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="false",
    )
    priorities = ChoicesField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Plan priorities it touches"
    )
    actions = ChoicesField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Plan actions it touches"
    )
    lead_officer = UserChoiceField(queryset=User.objects.none())
    director = UserChoiceField(queryset=User.objects.none(), label="Responsible director")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        plans = StrategicPlan.objects.filter(board=board)
        self.fields["plan"].queryset = plans
        self.fields["priorities"].queryset = PlanPriority.objects.filter(plan__board=board).select_related("plan")
        self.fields["actions"].queryset = PlanAction.objects.filter(priority__plan__board=board).select_related(
            "priority"
        )
        self.fields["actions"].label_from_instance = lambda a: f"{a.code} {a.text}"
        officers = User.objects.filter(memberships__board=board, memberships__role=Role.OFFICER).distinct()
        seniors = User.objects.filter(memberships__board=board, memberships__role=Role.SENIOR_OFFICER).distinct()
        self.fields["lead_officer"].queryset = officers.order_by("last_name")
        self.fields["director"].queryset = seniors.order_by("last_name")


class ScreeningForm(NamedErrorsForm):
    officer_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Your explanation (optional)",
        help_text="Anything the reviewer should know about the outcome.",
    )

    def __init__(self, *args, questions, answers=None, earlier=(), relies_on=None, follows="", **kwargs):
        """``earlier``: the assessments the screening may rely on, offered after the question
        ``follows`` (the "already assessed" question); ``relies_on``: the one it names."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.follows = follows
        answers = answers or {}
        if follows:
            self.fields["relies_on"] = forms.TypedChoiceField(
                label="The earlier assessment it relies on",
                help_text="If you answered Yes: choose the signed-off assessment of this board that already covers "
                          "the proposal. The equality lead checks it.",
                choices=[("", "Choose an assessment"), *((a.pk, earlier_label(a)) for a in earlier)],
                coerce=int, empty_value=None, required=False, initial=relies_on,
            )
        for question in self.questions:
            given = answers.get(question.code) or {}
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text,
                choices=question.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=question.help_text,
                initial=given.get("answer"),
            )
            self.fields[f"c_{question.code}"] = forms.CharField(
                label="Comment (optional)",  # inside the question's fieldset, which names the question
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=given.get("comment", ""),
            )

    def question_fields(self):
        """Each question with its answer and comment fields, and the field that follows it
        (the earlier assessment, after "already assessed"; otherwise None)."""
        return [(q, self[f"q_{q.code}"], self[f"c_{q.code}"], self["relies_on"] if q.code == self.follows else None)
                for q in self.questions]

    def answers(self) -> dict:
        return {
            q.code: {
                "answer": self.cleaned_data.get(f"q_{q.code}") or "",
                "comment": self.cleaned_data.get(f"c_{q.code}") or "",
            }
            for q in self.questions
        }


def earlier_label(assessment) -> str:
    """How an earlier assessment is named in a list: reference, title, when signed off."""
    signed = (f" (signed off {long_date(timezone.localdate(assessment.signed_off_at))})"
              if assessment.signed_off_at else "")
    return f"{assessment.reference}: {assessment.plan_change.title}{signed}"


class ScreeningReviewForm(NamedErrorsForm):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect, label="Your decision")
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when you override the outcome or return the screening.",
    )

    def __init__(self, *args, relies_on=None, **kwargs):
        """``relies_on``: the earlier assessment the screening says already covers the
        proposal; the lead confirms they checked it."""
        super().__init__(*args, **kwargs)
        if relies_on is not None:
            self.fields["relies_on_checked"] = forms.BooleanField(
                required=False,
                label=f"I have checked that {earlier_label(relies_on)} covers this proposal, with no significant "
                      "change since",
                help_text="Required to concur or override; not needed to return the screening.",
            )


class SectionForm(NamedErrorsForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, section: Section, ratings=None, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        ratings = ratings or {}
        answers = answers or {}
        self.rows = list(section.rows.all())
        self.questions = list(section.questions.all())
        # the board's locality planning groups, read only for a section with locality rows
        groups = ([(g.pk, g.name) for g in LocalityPlanningGroup.objects.filter(board_id=section.template.board_id)]
                  if any(row.locality_id for row in self.rows) else [])
        for row in self.rows:
            choices = list(RATING_CHOICES)
            if row.allows_not_applicable:
                choices.append((Rating.NOT_APPLICABLE.value, row.not_applicable_label or "Not applicable"))
            existing = ratings.get(row.pk)
            self.fields[f"r{row.pk}"] = forms.MultipleChoiceField(
                label=row.label,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=row.guidance,
                # a list, not a set: Django's checkbox widget only ticks values of a list or tuple
                initial=sorted(existing.ratings) if existing else [],
            )
            self.fields[f"x{row.pk}"] = forms.CharField(
                label=f"Explanation for {row.label}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=existing.explanation if existing else "",
            )
            if row.locality_id:
                self.fields[f"g{row.pk}"] = forms.TypedChoiceField(
                    label=f"Locality planning group consulted on {row.label}",
                    choices=[("", "Choose a group"), *groups], coerce=int, empty_value=None, required=False,
                    help_text="If you rate this locality negative: which locality planning group was consulted "
                              "(s.41 of the Public Bodies (Joint Working) (Scotland) Act 2014).",
                    initial=existing.consulted_group if existing else None,
                )
                self.fields[f"d{row.pk}"] = forms.DateField(
                    label=f"Date the group was consulted on {row.label}", required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    initial=existing.consulted_on if existing else None,
                )
        for question in self.questions:
            initial = answers.get(question.pk, "")
            if question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, required=False
                )
            elif question.kind in DATE_KINDS:
                # the browser's date picker offers no day after today for a date that has passed
                latest = {"max": timezone.localdate().isoformat()} if question.kind == QuestionKind.PAST_DATE else {}
                field = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", **latest},
                                                                               format="%Y-%m-%d"))
            elif question.kind == QuestionKind.LINK:
                field = forms.URLField(required=False, max_length=2000, assume_scheme="https",
                                       widget=forms.URLInput(attrs={"autocomplete": "url"}))
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
            field.label = question.label
            field.help_text = question.help_text
            field.initial = initial
            self.fields[f"q{question.pk}"] = field

    def grouped_rows(self):
        groups: list[tuple[str, list]] = []
        for row in self.rows:
            consultation = (self[f"g{row.pk}"], self[f"d{row.pk}"]) if row.locality_id else ()
            entry = (row, self[f"r{row.pk}"], self[f"x{row.pk}"], consultation)
            if not groups or groups[-1][0] != row.group:
                groups.append((row.group, []))
            groups[-1][1].append(entry)
        return groups

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def ratings(self) -> dict[int, RatingInput]:
        data = self.cleaned_data
        return {
            row.pk: RatingInput(set(data.get(f"r{row.pk}") or []), data.get(f"x{row.pk}") or "",
                                data.get(f"g{row.pk}"), data.get(f"d{row.pk}"))
            for row in self.rows
        }

    def answers(self) -> dict[int, str]:
        """Each question's answer as stored: text, a choice, a date as YYYY-MM-DD or a link."""
        answers = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            answers[q.pk] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
        return answers


class EvidenceForm(NamedErrorsForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Data, research, local profiles and SIMD used; evidence from people with protected characteristics.",
    )
    consultation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Who was consulted, when and how, including people with lived experience.",
    )


class ActionForm(NamedErrorsForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=ActionKind.choices, label="Kind of action")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(max_length=200, required=False, help_text="Name or post.")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               label="Due date")
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    rows = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Rows this action addresses"
    )
    remove = forms.BooleanField(required=False, label="Remove this action")

    def __init__(self, *args, row_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rows"].choices = row_choices

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("id") and not (data.get("description") or "").strip() and not (data.get("owner") or "").strip()


MAX_ACTIONS = 200  # a page of actions; the formset reads no more than this, whatever is posted
# One blank action to start with; "Add another action" adds one at a time.
ActionFormSet = forms.formset_factory(ActionForm, extra=1, max_num=MAX_ACTIONS, absolute_max=MAX_ACTIONS)


def action_formset_data_with_another(data, prefix: str = "act"):
    """The posted actions with one more blank action at the end, as its form's defaults (so
    it is not "changed" and shows no error); what was typed in the others is kept as it is."""
    data = data.copy()
    try:
        total = max(int(data.get(f"{prefix}-TOTAL_FORMS") or 0), 0)
    except ValueError:
        total = 0
    if total >= MAX_ACTIONS:
        return data
    new = f"{prefix}-{total}"
    data[f"{new}-kind"] = ActionKind.MITIGATION
    data[f"{new}-status"] = ActionStatus.PLANNED
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


class ActionsForm(NamedErrorsForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    review_date = forms.DateField(
        required=False,
        # <input type="date"> only shows an ISO date: other formats come back empty
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the board will next review this assessment: usually 12 months after sign-off, "
                  "at most three years ahead.",
    )

    def __init__(self, *args, attention=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attention = list(attention)
        self.row_errors: dict[int, list[str]] = {}  # "needs an evidence-gathering action", by row
        for rating in self.attention:
            if rating.negative:
                self.fields[f"j{rating.row_id}"] = forms.CharField(
                    label=f"Justification for the negative impact on {rating.row.label}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    initial=rating.justification,
                    help_text="Needed only when no mitigating action is linked to this row.",
                )

    def attention_rows(self):
        rows = []
        for rating in self.attention:
            key = f"j{rating.row_id}"
            rows.append(
                {
                    "rating": rating,
                    "field": self[key] if key in self.fields else None,
                    "evidence_errors": self.row_errors.get(rating.row_id, []),
                }
            )
        return rows

    def justifications(self) -> dict[int, str]:
        return {r.row_id: self.cleaned_data.get(f"j{r.row_id}") or "" for r in self.attention if r.negative}


class ReviewForm(NamedErrorsForm):
    """The decision on a submitted assessment: an equality lead's review (approve with a risk
    level) or, with ``sign_off``, a senior officer's sign-off; either may return it."""

    DECISIONS = [("approve", "Approve"), ("return", "Return to the officer with comments")]
    SIGN_OFF_DECISIONS = [("sign_off", "Sign off"), ("return", "Return to the officer with comments")]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect, label="Your decision")
    risk_level = forms.ChoiceField(
        choices=RiskLevel.choices, widget=forms.RadioSelect, required=False, help_text="Required to approve."
    )
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="Required to return. When you approve, they are printed on the signed assessment.",
    )
    parts = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Parts the officer must change",
        help_text="Required to return. The mitigating actions are always reopened too.",
    )

    def __init__(self, *args, part_choices=(), sign_off: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = part_choices
        if sign_off:
            self.fields["decision"].choices = self.SIGN_OFF_DECISIONS
            del self.fields["risk_level"]
            self.fields["comments"].help_text = (
                "Required to return. When you sign off, they are printed on the signed assessment.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("parts"):
            self.add_error("parts", "Choose the parts the officer must change.")
        return data


class NewVersionForm(NamedErrorsForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why is a new version needed?")
    required_messages = {"reason": "Say why a new version is needed."}


class WithdrawForm(NamedErrorsForm):
    required_messages = {"reason": "Say why the assessment is withdrawn."}
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why is the assessment withdrawn?",
                             max_length=2000)


__all__ = [
    "ActionForm",
    "ActionFormSet",
    "action_formset_data_with_another",
    "ActionsForm",
    "EvidenceForm",
    "NewVersionForm",
    "PlanChange",
    "PlanChangeForm",
    "ReviewForm",
    "ScreeningForm",
    "ScreeningReviewForm",
    "SectionForm",
    "WithdrawForm",
    "apply_errors",
]


class MatrixFilterForm(NamedErrorsForm):
    """Filters of the cumulative impact matrix (GET). A wrong value is reported beside its
    field; the matrix then shows with the defaults for that field."""

    plan = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Plan")
    section = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Sections",
                                        help_text="None ticked: every section.")
    state = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Assessment states",
                                      help_text="None ticked: every state but withdrawn.")

    def __init__(self, *args, board, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is None:
            del self.fields["plan"]
        else:
            self.fields["plan"].choices = [("", "Every plan")] + [(p.pk, p.title) for p in plans]
        sections = Section.objects.filter(template__board=board).order_by("order").values_list("code", "title")
        self.fields["section"].choices = list(dict(sections).items())
        self.fields["state"].choices = [(s.value, s.label) for s in COLUMN_STATES]

    def filters(self) -> dict:
        """The valid filters, for ``cumulative_matrix`` and the plan choice."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors and data.get(name)}


DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


REVIEW_OUTCOMES = {
    ReviewOutcome.CONFIRMED: "Confirmed unchanged: the assessment still holds",
    ReviewOutcome.NEW_VERSION: "Update required: start a new version",
    ReviewOutcome.WITHDRAWN: "Withdrawn: the policy or service no longer applies",
}


class AssessmentReviewForm(NamedErrorsForm):
    """The review of a signed-off assessment: for each row it rated negative, the actual
    impact against the predicted one and its evidence (``impact-<row id>-actual`` and
    ``-evidence``, checked by the service); the outcome, the note and, when it is confirmed
    unchanged, the next review date."""

    outcome = forms.ChoiceField(widget=forms.RadioSelect, label="Outcome of the review")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Your review note", max_length=5000,
                           help_text="What you checked and what you found. Confirmed unchanged: why the assessment "
                                     "still holds. Update required: what has changed and the new version must "
                                     "update. Withdrawn: why, and since when, the policy or service no longer applies.")
    next_review_date = forms.DateField(label="Next review date", required=False,
                                       help_text="Only when confirmed unchanged: usually 12 months from today, "
                                                 "at most three years.",
                                       **DATE_WIDGET)

    def __init__(self, *args, ratings=(), may_start: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(value, label) for value, label in REVIEW_OUTCOMES.items()
                                          if may_start or value != ReviewOutcome.NEW_VERSION]
        self.impact_names = []
        for rating in ratings:
            label = rating.row.label
            predicted = rating.ratings_label + (f": {rating.explanation}" if rating.explanation else "")
            actual, evidence = impact_field(rating, "actual"), impact_field(rating, "evidence")
            self.fields[actual] = forms.ChoiceField(
                choices=ActualImpact.choices, widget=forms.RadioSelect, required=False,
                label=f"Actual impact on “{label}”", help_text=f"Predicted: {predicted[:500]}")
            self.fields[evidence] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000,
                label=f"Evidence of the actual impact on “{label}”",
                help_text="Monitoring data, complaints, feedback from the people affected.")
            self.impact_names.append((rating, actual, evidence))

    def impact_fields(self) -> list[tuple[object, forms.BoundField, forms.BoundField]]:
        """For each row rated negative: its rating, and its two bound fields."""
        return [(rating, self[actual], self[evidence]) for rating, actual, evidence in self.impact_names]

    def impacts(self) -> dict[int, ImpactInput]:
        """The actual impacts given, by row id (the service says which are missing)."""
        data = self.cleaned_data
        return {rating.row_id: ImpactInput(data.get(actual) or "", data.get(evidence) or "")
                for rating, actual, evidence in self.impact_names}


class ActionProgressForm(NamedErrorsForm):
    """Progress on a mitigating action of a signed-off assessment (``services.action_progress_record``
    checks how the fields go together: a date done and evidence when done, a reason when dropped)."""

    status = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.RadioSelect, label="Status now")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Progress note", required=False,
                           max_length=5000, help_text="What has happened since the last update.")
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Evidence of completion",
                               required=False, max_length=5000,
                               help_text="Required when done: what shows it was done (a report, a minute, a link).")
    done_on = forms.DateField(label="Date done", required=False,
                              help_text="Required when done: not in the future, nor before the assessment was "
                                        "signed off.", **DATE_WIDGET)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why it was dropped",
                             required=False, max_length=5000, help_text="Required when dropped.")


class CommentForm(NamedErrorsForm):
    part = forms.ChoiceField(label="Part of the assessment")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Your comment", max_length=5000,
                           help_text="Seen by the assessment's participants. A comment cannot be changed or "
                                     "deleted once posted.")

    def __init__(self, *args, part_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = list(part_choices)


class DelegationForm(NamedErrorsForm):
    role = forms.ChoiceField(label="Your role whose tasks you delegate")
    delegate = UserChoiceField(queryset=User.objects.none(), label="Colleague",
                               help_text="A colleague with the same role on the same board.")
    starts_on = forms.DateField(label="From", **DATE_WIDGET)
    ends_on = forms.DateField(label="Until (included)", **DATE_WIDGET)
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200,
                             help_text="For example: annual leave.")

    def __init__(self, *args, roles=(), colleagues=None, **kwargs):
        """``roles``: (value "board_id:role", label) pairs; ``colleagues``: who may be chosen."""
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)
        if colleagues is not None:
            self.fields["delegate"].queryset = colleagues


SEARCH_LIMIT = 200  # characters in a search of the list of plan changes


class PlanChangeFilterForm(NamedErrorsForm):
    """Filters of the list of plan changes (GET). Each choice is offered from the user's own
    boards only; a wrong value is reported beside its field and that filter is not applied."""

    q = forms.CharField(required=False, label="Search", max_length=SEARCH_LIMIT,
                        widget=forms.TextInput(attrs={"type": "search"}),
                        help_text="Words from a reference, title, description, screening answer or mitigating "
                                  "action, e.g. respite carers or DUN-0007.")
    state = forms.ChoiceField(required=False, label="State")
    plan = forms.ChoiceField(required=False, label="Plan")
    priority = forms.ChoiceField(required=False, label="Plan priority")
    lead_officer = forms.ChoiceField(required=False, label="Lead officer")
    started_from = forms.DateField(required=False, label="Started on or after", **DATE_WIDGET)
    started_to = forms.DateField(required=False, label="Started on or before", **DATE_WIDGET)
    mine = forms.BooleanField(required=False, label="Only plan changes I started, lead or worked on")

    def __init__(self, *args, states, plans, priorities, officers, **kwargs):
        """``plans`` and ``officers`` are (id, label) pairs; ``priorities`` (plan title,
        [(id, label), ...]) groups."""
        super().__init__(*args, **kwargs)
        self.fields["q"].error_messages["max_length"] = f"Enter a search of at most {SEARCH_LIMIT} characters."
        self.fields["state"].choices = [("", "Any state"), *states]
        self.fields["plan"].choices = [("", "Any plan"), *[(str(pk), label) for pk, label in plans]]
        self.fields["priority"].choices = [("", "Any priority"), *[
            (group, [(str(pk), label) for pk, label in choices]) for group, choices in priorities]]
        self.fields["lead_officer"].choices = [("", "Anyone"), *[(str(pk), label) for pk, label in officers]]

    def clean(self):
        data = super().clean()
        started_from, started_to = data.get("started_from"), data.get("started_to")
        if started_from and started_to and started_to < started_from:
            self.add_error("started_to", "Enter a date on or after the first date.")
        return data

    def filters(self) -> dict:
        """The valid filters that are set, ids as numbers."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found = {name: data.get(name) for name in self.fields if name not in self.errors and data.get(name)}
        for name in ("plan", "priority", "lead_officer"):
            if name in found:
                found[name] = int(found[name])
        if "q" in found:
            found["q"] = " ".join(found["q"].split())
        return {name: value for name, value in found.items() if value}


class TypedTextField(forms.CharField):
    """Text from a text box, its line breaks read as the one character each the box counted
    against its ``maxlength`` (a browser sends each as CR LF: two)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class EvidenceUploadForm(NamedErrorsForm):
    """A file for an assessment's evidence or consultation, or for a mitigating action's
    progress (``parts`` None); published with the assessment, or withheld with a reason."""

    file = forms.FileField(label="File", allow_empty_file=True, max_length=None,
                           help_text="PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), CSV, PNG or JPEG; "
                                     "25 MB at most.")
    part = forms.ChoiceField(label="Part", choices=[("evidence", "Evidence"), ("consultation", "Consultation")],
                             widget=forms.RadioSelect, initial="evidence")
    publication = forms.ChoiceField(label="Publication", widget=forms.RadioSelect, initial="publish", choices=[
        ("publish", "Publish it with the assessment"), ("withhold", "Withhold it from the public")])
    withheld_reason = TypedTextField(label="Why it is withheld", required=False, max_length=1000,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text="Shown on the public page in the file's place, "
                                                "for example: it names people who were consulted.")
    required_messages = {"file": "Choose a file to upload."}

    def __init__(self, *args, progress=False, **kwargs):
        super().__init__(*args, **kwargs)
        if progress:
            del self.fields["part"]


class EvidencePublicationForm(NamedErrorsForm):
    publication = forms.ChoiceField(label="Publication", widget=forms.RadioSelect, choices=[
        ("publish", "Publish it with the assessment"), ("withhold", "Withhold it from the public")])
    withheld_reason = TypedTextField(label="Why it is withheld", required=False, max_length=1000,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    required_messages = {"publication": "Choose whether to publish or withhold the file."}


class EvidenceSourceForm(NamedErrorsForm):
    """An entry of a board's evidence library: a link or a file, with a title."""

    title = forms.CharField(label="Title", max_length=200,
                            help_text="For example: SIMD 2026 profile of Dundee's localities.")
    description = TypedTextField(label="Description", required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.CharField(label="Link", required=False, max_length=500,
                          help_text="A whole web address starting https:// (or http://); or upload a file instead.")
    file = forms.FileField(label="File", required=False, allow_empty_file=True, max_length=None,
                           help_text="PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), CSV, PNG or JPEG; "
                                     "25 MB at most.")


class CitationForm(NamedErrorsForm):
    source = forms.ChoiceField(label="Entry of the evidence library")

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "Choose an entry")] + [(str(s.pk), s.title) for s in sources]
