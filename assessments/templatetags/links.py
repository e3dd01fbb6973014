"""``{% id_url "name" id ... %}``: ``{% url %}`` for pages named by integer ids, refusing
any other id (see ``assessments.links``); ``{% plan_change_links %}``: links to plan changes
with their status."""

from django import template

from assessments import links

register = template.Library()


@register.simple_tag
def id_url(name: str, *ids) -> str:
    return links.id_url(name, *ids)


@register.inclusion_tag("assessments/tags/plan_change_links.html")
def plan_change_links(listed, style: str = "list") -> dict:
    """Links to plan changes with their status, from (plan change, status) pairs: one a line
    with the status as a tag (``list``, "None" when there are none) or in a sentence with
    the status in brackets (``inline``)."""
    return {"listed": listed, "style": style}
