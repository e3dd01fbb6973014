"""Tasks of the workflow, and what completing each kind of task takes."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.forms import TEXT_LIMIT
from assessments.models import RiskLevel
from assessments.models.assessment import ActionKind, ActionStatus, Rating
from assessments.models.screening import ReviewDecision
from workflows import due_dates, selectors
from workflows.models import ACTIVE_STATUSES

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
    due = serializers.SerializerMethodField(help_text="The day the task is due under its board's due dates "
                                            "(working days after the day it was made); null when it has none.")
    overdue = serializers.SerializerMethodField(help_text="True once an open task's due day has passed.")

    @extend_schema_field(serializers.CharField())
    def get_title(self, task) -> str:
        return selectors.task_title(task)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due(self, task):
        # each board's due dates read once per response, shared by the page's tasks
        policies = self.context.setdefault("due_date_policies", {})
        board_id = task.process.iiaprocess.board_id
        if board_id not in policies:
            policies.update(due_dates.policies_for([board_id]))
        return due_dates.task_due_date(task, policies[board_id])

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, task) -> bool:
        return task.status in ACTIVE_STATUSES and due_dates.is_overdue(self.get_due(task), timezone.localdate())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_part(self, task):
        return (task.data or {}).get("part")


class ScreeningReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comments = text(required=False, default="", help_text="Required to override or return.")
    relies_on_checked = serializers.BooleanField(
        default=False, help_text="For a screening that names an earlier assessment (\"already assessed\"): you "
                                 "checked it covers the proposal. Required to concur or override.")


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
    consulted_group = record_id(required=False, allow_null=True, default=None,
                                help_text="A locality row rated negative: the id of the board's locality planning "
                                          "group consulted (s.41 of the 2014 Act).")
    consulted_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="A locality row rated negative: the date the group was consulted.")


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
    relies_on = record_id(required=False, allow_null=True, default=None,
                          help_text="For already_assessed = yes: the id of the earlier signed-off assessment of the "
                                    "same board it relies on.")
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
