"""``{% id_url "name" id ... %}``: ``{% url %}`` for pages named by integer ids, for the
links of long lists (see ``assessments.links``)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments import links

register = template.Library()


@register.simple_tag
def id_url(name: str, *ids) -> str:
    return links.id_url(name, *ids)


@register.simple_tag
def plan_change_links(listed, style: str = "list") -> SafeString:
    """Links to plan changes with their status, from (plan change, status) pairs: one a line
    with the status as a tag (``list``, "None" when there are none) or in a sentence with
    the status in brackets (``inline``). A plan page has ~130 of them."""
    if style == "inline":
        return SafeString("; ".join(
            format_html('<a href="{}">{} {}</a> ({})', links.id_url("plan_change_detail", pc.pk), pc.reference,
                        pc.title, status.label) for pc, status in listed))
    return SafeString("<br>".join(
        format_html('<a href="{}">{} {}</a> <span class="tag tag-open">{}</span>',
                    links.id_url("plan_change_detail", pc.pk), pc.reference, pc.title, status.label)
        for pc, status in listed) or "None")
