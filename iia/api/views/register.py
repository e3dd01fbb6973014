"""The public register without signing in: the same published material as the register
pages (signed documents published with an agenda, meetings whose agenda is published)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from assessments.models import Board
from reports import selectors

from ..permissions import Public
from ..serializers import register as s


class RegisterQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Words of the title or description, a "
                              "reference (DUN-0007), a report number or a verification code.")
    date_from = serializers.DateField(required=False, help_text="Published on or after (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="Published on or before (YYYY-MM-DD).")


class PublicView(generics.ListAPIView):
    authentication_classes = []
    permission_classes = [Public]

    def board(self):
        return get_object_or_404(Board, slug=self.kwargs["slug"])


@extend_schema(tags=["public register"])
class RegisterBoardList(PublicView):
    """The boards with a public register."""

    serializer_class = s.PublicBoardSerializer
    queryset = Board.objects.order_by("name")


@extend_schema(tags=["public register"], parameters=[RegisterQuery])
class RegisterDocumentList(PublicView):
    """Assessments and screening records the board has published with its agendas or by decisions under
    delegated authority, newest first."""

    serializer_class = s.PublishedDocumentSerializer

    def get_queryset(self):
        query = RegisterQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.RegisterFilters(**{k: v for k, v in query.validated_data.items() if v not in ("", None)})
        return selectors.register_entries(self.board(), filters)


@extend_schema(tags=["public register"])
class RegisterMeetingList(PublicView):
    """Meetings of the board whose agenda is published, with their items and decisions."""

    serializer_class = s.PublicMeetingSerializer

    def get_queryset(self):
        return selectors.published_meetings(self.board()).prefetch_related("items__report")


@extend_schema(tags=["public register"])
class RegisterDirectionList(PublicView):
    """The board's register of directions to the council and the health board (2014 Act ss.26-27):
    every issued direction, newest first, its status and what varied or revoked it."""

    serializer_class = s.PublicDirectionSerializer

    def get_queryset(self):
        return selectors.register_directions(self.board())
