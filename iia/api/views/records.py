"""The records on the user's boards: reading them, and starting a plan change."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from assessments import rules
from assessments import selectors as assessment_selectors
from assessments.exceptions import NotAllowed
from assessments.models import PlanAction, PlanPriority, StrategicPlan
from reports import selectors as report_selectors
from workflows import engine

from ..permissions import IsBoardMember
from ..serializers import records as s

# Any path segment reaches the view, so a malformed id gets the API's JSON 404, not a page.
LOOKUP = "[^/]+"
BOARD = OpenApiParameter("board", str, description="Only this board (its slug, e.g. dundee).")


class BoardScoped:
    """Filters by ``?board=<slug>`` among the user's boards."""

    permission_classes = [IsBoardMember]
    lookup_value_regex = LOOKUP
    board_field = "board__slug"

    def filter_board(self, queryset):
        slug = self.request.query_params.get("board")
        return queryset.filter(**{self.board_field: slug}) if slug else queryset


@extend_schema(tags=["boards"])
class BoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The boards you hold a role on, with your roles."""

    permission_classes = [IsBoardMember]
    serializer_class = s.BoardSerializer
    lookup_field = "slug"
    lookup_value_regex = LOOKUP

    def get_queryset(self):
        return assessment_selectors.boards_for(self.request.user).order_by("name")


@extend_schema(tags=["plan changes"])
@extend_schema_view(list=extend_schema(parameters=[BOARD]))
class PlanChangeViewSet(BoardScoped, viewsets.ReadOnlyModelViewSet):
    """Plan changes on your boards, with their status, screening and assessment versions."""

    serializer_class = s.PlanChangeSerializer

    def get_queryset(self):
        queryset = assessment_selectors.plan_changes_for(self.request.user).prefetch_related("priorities", "actions")
        return self.filter_board(queryset).order_by("-created_at", "-pk")

    @extend_schema(request=s.PlanChangeInput, responses={201: s.PlanChangeSerializer},
                   summary="Start a plan change: its pre-screening goes to your inbox")
    def create(self, request):
        user = request.user
        data = _valid(s.PlanChangeInput, request.data)
        board = assessment_selectors.boards_for(user).filter(slug=data["board"]).first()
        if board is None:
            raise serializers.ValidationError({"board": ["Choose one of your boards."]})
        if not rules.can_start_plan_change(user, board):
            raise NotAllowed("Only an officer of the board can start an assessment.")
        details = plan_change_details(board, data, user)
        plan_change = engine.plan_change_start(board=board, by=user, **details)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan_change.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["assessments"])
@extend_schema_view(list=extend_schema(parameters=[BOARD]))
class AssessmentViewSet(BoardScoped, viewsets.ReadOnlyModelViewSet):
    """Every version of the full IIAs on your boards: state, parts, ratings of each row,
    answers, mitigating actions."""

    serializer_class = s.AssessmentSerializer
    board_field = "plan_change__board__slug"

    def get_queryset(self):
        return self.filter_board(assessment_selectors.assessments_for(self.request.user))


@extend_schema(tags=["reports"])
@extend_schema_view(list=extend_schema(parameters=[BOARD]))
class ReportViewSet(BoardScoped, viewsets.ReadOnlyModelViewSet):
    """IJB reports on your boards' plan changes."""

    serializer_class = s.ReportSerializer

    def get_queryset(self):
        return self.filter_board(report_selectors.reports_for(self.request.user)).order_by("-created_at", "-pk")


@extend_schema(tags=["meetings"])
@extend_schema_view(list=extend_schema(parameters=[BOARD]))
class MeetingViewSet(BoardScoped, viewsets.ReadOnlyModelViewSet):
    """Meetings of your boards' committees, with their agendas and decisions."""

    serializer_class = s.MeetingSerializer
    board_field = "committee__board__slug"

    def get_queryset(self):
        queryset = report_selectors.meetings_for(self.request.user).prefetch_related("items__report")
        return self.filter_board(queryset).order_by("-date", "-pk")


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def plan_change_details(board, data, user) -> dict:
    """The input's ids and user names as the board's records, or field errors. Whether
    they fit together (priorities of the chosen plan, the right roles) is the service's rule."""
    errors = {}
    plan = StrategicPlan.objects.filter(board=board, pk=data["plan"]).first()
    priorities = list(PlanPriority.objects.filter(plan__board=board, pk__in=data["priorities"]))
    actions = list(PlanAction.objects.filter(priority__plan__board=board, pk__in=data["actions"])
                   .select_related("priority"))
    people = {u.username: u for u in get_user_model().objects.filter(
        username__in=[data.get("lead_officer", user.username), data["director"]], memberships__board=board,
        is_active=True).distinct()}
    lead, director = people.get(data.get("lead_officer", user.username)), people.get(data["director"])
    if plan is None:
        errors["plan"] = ["Choose a plan of this board."]
    if len(priorities) != len(set(data["priorities"])):
        errors["priorities"] = ["Choose priorities of this board's plan."]
    if len(actions) != len(set(data["actions"])):
        errors["actions"] = ["Choose actions of this board's plan."]
    if lead is None:
        errors["lead_officer"] = ["Give the user name of an officer of the board."]
    if director is None:
        errors["director"] = ["Give the user name of a senior officer of the board."]
    if errors:
        raise serializers.ValidationError(errors)
    return {"plan": plan, "title": data["title"], "description": data["description"],
            "change_type": data["change_type"], "is_revision": data["is_revision"], "priorities": priorities,
            "actions": actions, "lead_officer": lead, "director": director}
