"""Pages of 50; a page number that is not a positive whole number is refused (400)
rather than silently read as the first page, and one past the last page is not found (404)."""

from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from assessments.text import whole_number
from workflows.selectors import LAST_PAGE


class PageNumberPagination(pagination.PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.page_number(request)
        return super().paginate_queryset(queryset, request, view)

    def page_number(self, request) -> int:
        """The page asked for (1 when none is); 400 when it is not a positive whole number,
        404 past any list's last page (no query is made for it)."""
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not (value.isascii() and value.isdigit() and value.strip("0")):
            raise serializers.ValidationError({self.page_query_param: ["Give a page number: 1, 2, 3..."]})
        number = whole_number(value, at_most=LAST_PAGE)
        if number is None:
            raise NotFound(self.invalid_page_message.format(page_number=value[:20], message="There is no such page"))
        return number

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
