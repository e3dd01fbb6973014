"""Read-only views of the records on the user's boards."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from assessments import selectors as assessment_selectors
from reports import selectors as report_selectors

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
