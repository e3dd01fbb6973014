"""The plan page's links to plan changes, written by one tag, say what the template said."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from assessments.selectors import Listed, Status

# the links' markup as the template wrote it before the tag
LIST = Template(
    "{% for pc, st in pairs %}<a href=\"{% url 'plan_change_detail' pc.pk %}\">{{ pc.reference }} {{ pc.title }}</a> "
    '<span class="tag tag-open">{{ st.label }}</span>{% if not forloop.last %}<br>{% endif %}{% empty %}None{% endfor %}'
)
INLINE = Template(
    "{% for pc, st in pairs %}<a href=\"{% url 'plan_change_detail' pc.pk %}\">{{ pc.reference }} {{ pc.title }}</a> "
    "({{ st.label }}){% if not forloop.last %}; {% endif %}{% endfor %}"
)

PAIRS = [
    (Listed(7, "DIJB-0007", 'Close "day" centre <b> & more'), Status("assessment-approved", "Approved")),
    (Listed(12, "DIJB-0012", "Respite"), Status("screening-draft", "Screening <in> progress")),
]


@pytest.mark.parametrize("pairs", [PAIRS, PAIRS[:1], []])
def test_links_read_as_the_template_wrote_them(pairs):
    context = Context({"pairs": pairs})
    listed = Template("{% load links %}{% plan_change_links pairs %}").render(context)
    inline = Template('{% load links %}{% plan_change_links pairs "inline" %}').render(context)
    assert listed == LIST.render(context) and inline == INLINE.render(context)
    assert "<b>" not in listed + inline and "<in>" not in listed + inline
    assert ('href="/plan-changes/7/"' in listed) == bool(pairs)


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        Template("{% load links %}{% plan_change_links pairs %}").render(
            Context({"pairs": [(SimpleNamespace(pk="7/../x", reference="R", title="T"), Status("new", "New"))]}))
