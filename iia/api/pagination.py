"""Pages of 50; a page number that is not a positive whole number is refused (400)
rather than silently read as the first page."""

from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            raise serializers.ValidationError({self.page_query_param: ["Give a page number: 1, 2, 3..."]})
        return super().paginate_queryset(queryset, request, view)
