"""Input fields the API's serializers share, with the same bounds as the pages: an id no
column can hold is refused here (400), never passed to the database (a 500)."""

from rest_framework import serializers

from assessments.text import MAX_ID, clean_line


def record_id(**kwargs) -> serializers.IntegerField:
    """The id of a record: a whole number from 1 to the largest a column holds."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def part_revision(**kwargs) -> serializers.IntegerField:
    """A part's revision, as last read."""
    return serializers.IntegerField(min_value=0, max_value=MAX_ID, **kwargs)


class LineField(serializers.CharField):
    """One line of text (a title, a name): line breaks and runs of white space become one
    space, as on the pages (``assessments.text.clean_line``)."""

    def to_internal_value(self, data):
        return clean_line(super().to_internal_value(data))
