"""Tasks of the workflow, and what completing each kind of task takes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.forms import TEXT_LIMIT
from assessments.models import RiskLevel
from assessments.models.assessment import ActionKind, ActionStatus, Rating
from assessments.models.screening import ReviewDecision
from workflows import selectors

from .fields import LineField, part_revision, record_id

REVIEW_DECISIONS = [("approve", "Approve"), ("return", "Return to the officer")]
SIGN_OFF_DECISIONS = [("sign_off", "Sign off"), ("return", "Return to the officer")]


def text(**kwargs):
    return serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, trim_whitespace=False, **kwargs)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    step = serializers.CharField(source="flow_task.name", help_text="The workflow step, e.g. review_screening, "
                                 "complete_part, review, sign_off.")
    title = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="NEW (in the queue), ASSIGNED or STARTED (someone holds it), DONE...")
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    part = serializers.SerializerMethodField(help_text="For complete_part: the part to complete.")
    plan_change = serializers.IntegerField(source="process.iiaprocess.plan_change_id")
    board = serializers.CharField(source="process.iiaprocess.board.slug")
    created = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField())
    def get_title(self, task) -> str:
        return selectors.task_title(task)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_part(self, task):
        return (task.data or {}).get("part")


class ScreeningReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comments = text(required=False, default="", help_text="Required to override or return.")


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=REVIEW_DECISIONS)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True,
                                         help_text="Required to approve.")
    comments = text(required=False, default="", help_text="Required to return.")
    parts = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                  max_length=50, help_text="Required to return: the codes of the parts to change.")

    def validate(self, data):
        if data["decision"] == "approve" and not data.get("risk_level"):
            raise serializers.ValidationError({"risk_level": ["Choose a risk level."]})
        return data


class SignOffInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SIGN_OFF_DECISIONS)
    comments = text(required=False, default="",
                    help_text="Required to return; on sign-off, kept and printed on the signed assessment.")
    parts = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                  max_length=50, help_text="Required to return: the codes of the parts to change.")


class RatingInput(serializers.Serializer):
    row = record_id()
    ratings = serializers.ListField(child=serializers.ChoiceField(choices=Rating.choices), max_length=5)
    explanation = text(required=False, default="")


class AnswerInput(serializers.Serializer):
    question = record_id()
    value = text()


class PartInput(serializers.Serializer):
    """A section's ratings and answers, or the evidence and consultation (part ``evidence``)."""

    ratings = RatingInput(many=True, required=False, default=list, max_length=500)
    answers = AnswerInput(many=True, required=False, default=list, max_length=100)
    evidence = text(required=False, default="")
    consultation = text(required=False, default="")
    complete = serializers.BooleanField(default=False, help_text="Complete the part (checks it and completes "
                                        "the task); otherwise a draft is saved and the task stays open.")
    revision = part_revision(required=False, allow_null=True, default=None,
                             help_text="The part's revision you last read: a save over someone else's newer one is "
                             "refused with 409.")


class ScreeningAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=20, allow_blank=True, help_text="yes, no, not_known or unsure, "
                                   "as the question allows; blank for not answered yet.")
    comment = text(required=False, default="")


class ScreeningInput(serializers.Serializer):
    answers = serializers.DictField(child=ScreeningAnswerInput(), help_text="Question code to its answer.")
    officer_reason = text(required=False, default="")
    complete = serializers.BooleanField(default=False, help_text="Submit for review (every question answered); "
                                        "otherwise a draft is saved and the task stays open.")

    def validate_answers(self, value):
        if len(value) > 100:
            raise serializers.ValidationError("Too many answers.")
        return value


class ActionItemInput(serializers.Serializer):
    id = record_id(required=False, allow_null=True, default=None,
                   help_text="An existing action of this assessment; leave out for a new one.")
    kind = serializers.ChoiceField(choices=ActionKind.choices, default=ActionKind.MITIGATION)
    description = text(required=False, default="")
    owner = LineField(max_length=200, allow_blank=True, required=False, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    rows = serializers.ListField(child=record_id(), required=False, default=list,
                                 max_length=500, help_text="The rows it mitigates or gathers evidence for.")
    status = serializers.ChoiceField(choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    delete = serializers.BooleanField(default=False)


class JustificationInput(serializers.Serializer):
    row = record_id()
    text = text()


class ActionsInput(serializers.Serializer):
    """The mitigating actions, the justifications of negative ratings and the review date.
    Actions not listed are kept; send ``delete`` to remove one."""

    actions = ActionItemInput(many=True, required=False, default=list, max_length=200)
    justifications = JustificationInput(many=True, required=False, default=list, max_length=500)
    review_date = serializers.DateField(required=False, allow_null=True, default=None)
    complete = serializers.BooleanField(default=False)
    revision = part_revision(required=False, allow_null=True, default=None)
