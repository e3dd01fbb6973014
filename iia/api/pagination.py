"""Pages of 50; a page number that is not a positive whole number is refused (400)
rather than silently read as the first page."""

from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageNumberPagination(pagination.PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.page_number(request)
        return super().paginate_queryset(queryset, request, view)

    def page_number(self, request) -> int:
        """The page asked for (1 when none is); 400 when it is not a positive whole number."""
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            raise serializers.ValidationError({self.page_query_param: ["Give a page number: 1, 2, 3..."]})
        return int(value) if value else 1

    def read_page(self, request, number: int, results: list, count: int, has_next: bool) -> Response:
        """The same answer as a paged list, for a page its caller read itself (the queue,
        whose tasks are sifted by their own rules a page at a time)."""
        if number > 1 and not results:
            raise NotFound(self.invalid_page_message.format(page_number=number, message="That page contains no results"))
        url = request.build_absolute_uri()
        previous = None
        if number == 2:
            previous = remove_query_param(url, self.page_query_param)
        elif number > 2:
            previous = replace_query_param(url, self.page_query_param, number - 1)
        following = replace_query_param(url, self.page_query_param, number + 1) if has_next else None
        return Response({"count": count, "next": following, "previous": previous, "results": results})
