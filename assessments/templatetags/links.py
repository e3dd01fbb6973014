"""``{% id_url "name" id ... %}``: ``{% url %}`` for pages named by integer ids, for the
links of long lists (see ``assessments.links``)."""

from django import template

from assessments import links

register = template.Library()


@register.simple_tag
def id_url(name: str, *ids) -> str:
    return links.id_url(name, *ids)
