"""Boards, plan changes, assessments (with their ratings, answers and parts), reports and meetings."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.catalogue import assessment_parts
from assessments.forms import TEXT_LIMIT
from assessments.models import Assessment, Board, ImpactRating, MitigatingAction, PlanChange, Screening
from assessments.models.assessment import PartStatus, Rating
from assessments.models.plan_change import ChangeType
from assessments.selectors import current_screening, plan_change_status
from reports.models import AgendaItem, Meeting, Report

from .fields import LineField, record_id


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "10:00"})
class LocalTime(serializers.TimeField):
    """A meeting's local (UK) time, HH:MM. OpenAPI's ``time`` format would need an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class Username(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, **kwargs)


class BoardSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(help_text="Your roles on the board.")

    class Meta:
        model = Board
        fields = ["slug", "name", "short_name", "reference_prefix", "roles"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, board) -> list[str]:
        from assessments import rules

        return sorted(rules.roles_on(self.context["request"].user, board.pk))


class StatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. assessment-submitted, screening-draft, new.")
    label = serializers.CharField()


class ScreeningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Screening
        fields = ["id", "state", "proposed_outcome", "proposed_reason", "outcome", "review_decision",
                  "review_comments", "submitted_at", "reviewed_at", "relies_on", "relies_on_checked_at"]


class AssessmentBriefSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "reference", "version", "state"]


class PlanChangeSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead_officer = Username()
    director = Username()
    created_by = Username()
    status = serializers.SerializerMethodField()
    screening = serializers.SerializerMethodField()
    assessments = AssessmentBriefSerializer(many=True, read_only=True)

    class Meta:
        model = PlanChange
        fields = ["id", "reference", "board", "plan", "title", "description", "change_type", "is_revision",
                  "priorities", "actions", "lead_officer", "director", "created_by", "created_at", "updated_at",
                  "status", "screening", "assessments"]

    @extend_schema_field(StatusSerializer)
    def get_status(self, plan_change) -> dict:
        status = plan_change_status(plan_change)
        return {"code": status.code, "label": status.label}

    @extend_schema_field(ScreeningSerializer(allow_null=True))
    def get_screening(self, plan_change):
        screening = current_screening(plan_change)
        return ScreeningSerializer(screening).data if screening else None


class RatingSerializer(serializers.ModelSerializer):
    row = serializers.IntegerField(source="row_id")
    row_code = serializers.CharField(source="row.code")
    row_label = serializers.CharField(source="row.label")
    section = serializers.CharField(source="row.section.code")
    ratings = serializers.ListField(child=serializers.ChoiceField(choices=Rating.choices))

    class Meta:
        model = ImpactRating
        fields = ["row", "row_code", "row_label", "section", "ratings", "explanation", "justification"]


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    question_code = serializers.CharField(source="question.code")
    section = serializers.CharField(source="question.section.code")
    value = serializers.CharField()


class PartSerializer(serializers.Serializer):
    part = serializers.CharField(help_text="The part's code: a section code, evidence or actions.")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=PartStatus.choices)
    revision = serializers.IntegerField(help_text="Send it back as ``revision`` when saving the part.")


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MitigatingAction
        fields = ["id", "kind", "description", "owner", "due_date", "status", "rows"]


class AssessmentSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    board = serializers.CharField(source="plan_change.board.slug")
    template = serializers.CharField(source="template.code")
    author = Username()
    approved_by = Username(allow_null=True)
    signed_off_by = Username(allow_null=True)
    parts = serializers.SerializerMethodField()
    ratings = RatingSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "reference", "board", "plan_change", "version", "state", "template", "author",
                  "evidence", "consultation", "review_date", "rework_parts", "return_comments", "submitted_at",
                  "risk_level", "approval_comments", "approved_by", "approved_at", "signed_off_by", "signed_off_at",
                  "signed_off_role", "sign_off_comments", "supersedes", "created_at", "updated_at", "parts", "ratings",
                  "answers", "actions"]

    @extend_schema_field(PartSerializer(many=True))
    def get_parts(self, assessment) -> list[dict]:
        progress = {p.part: p for p in assessment.parts.all()}
        return [{"part": part.code, "title": part.title,
                 "status": progress[part.code].status if part.code in progress else "not_started",
                 "revision": progress[part.code].revision if part.code in progress else 0}
                for part in assessment_parts(assessment)]


class AgendaItemSerializer(serializers.ModelSerializer):
    report_number = serializers.CharField(source="report.number", allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "kind", "title", "report", "report_number", "late_reason", "decision",
                  "decision_text", "decided_at"]


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    board = serializers.CharField(source="committee.board.slug")
    committee = serializers.CharField(source="committee.name")
    time = LocalTime()
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "board", "committee", "date", "time", "venue", "remote", "status", "published_at",
                  "late_reason", "items"]


class ReportSerializer(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    committee = serializers.CharField(source="committee.name")
    author = Username()
    recommendations = serializers.ListField(source="recommendation_list", child=serializers.CharField())

    class Meta:
        model = Report
        fields = ["id", "number", "board", "committee", "plan_change", "title", "report_by", "decision_sought",
                  "purpose", "recommendations", "financial_implications", "main_text", "risk_assessment",
                  "consultations", "direction_to", "background_papers", "status", "author", "submitted_at",
                  "published_policy_implications", "created_at", "updated_at"]


class PlanChangeInput(serializers.Serializer):
    """A new plan change; the service checks every id belongs to the board and its plan."""

    board = serializers.SlugField(help_text="The board's slug: one where you are an officer.")
    plan = record_id()
    title = LineField(max_length=250)
    description = serializers.CharField(max_length=TEXT_LIMIT)
    change_type = serializers.ChoiceField(choices=ChangeType.choices)
    is_revision = serializers.BooleanField(default=False)
    priorities = serializers.ListField(child=record_id(), default=list, max_length=100)
    actions = serializers.ListField(child=record_id(), default=list, max_length=200)
    lead_officer = serializers.CharField(max_length=150, required=False,
                                         help_text="User name of an officer of the board; you if left out.")
    director = serializers.CharField(max_length=150, help_text="User name of a senior officer of the board.")
