"""Rows, links and charts are written by templates: a page's markup is changed in its
template, and a template put in front of the app's (a theme, a fix) is the one used."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from assessments import cumulative
from assessments.charts import chart_svg

TAGS = [
    ("{% load summary %}{% summary_row item %}", "assessments/tags/summary_row.html"),
    ("{% load matrix %}{% matrix_row row %}", "assessments/tags/matrix_row.html"),
    ("{% load links %}{% plan_change_links pairs %}", "assessments/tags/plan_change_links.html"),
    ("{% load tasks %}{% task_row item %}", "workflows/tags/task_row.html"),
    (None, "assessments/_chart_svg.html"),
]


def _in_front(name: str):
    """The project's template settings with a template ``name`` of its own in front."""
    django = dict(settings.TEMPLATES[0])
    options = {k: v for k, v in django["OPTIONS"].items() if k != "loaders"}
    options["loaders"] = [("django.template.loaders.locmem.Loader", {name: "<p>themed {{ nothing }}</p>"}),
                          "django.template.loaders.filesystem.Loader",
                          "django.template.loaders.app_directories.Loader"]
    return override_settings(TEMPLATES=[{**django, "APP_DIRS": False, "OPTIONS": options}])


@pytest.mark.parametrize("tag, name", TAGS)
def test_the_markup_comes_from_its_template(tag, name):
    with _in_front(name):  # Django builds its template engines again from these settings
        if tag is None:
            written = str(chart_svg(cumulative.Chart("t", "T", "D.", "things", [("A", 1)])))
        else:
            written = Template(tag).render(Context({"item": None, "row": None, "pairs": []}))
    assert written == "<p>themed </p>"
