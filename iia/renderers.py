"""How forms render their widgets."""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    """Django's own widget templates through Jinja2: the same HTML as the template language
    (compared page by page in the tests), a third less time on a section form, where the
    ratings' checkboxes are most of the rendering. Widgets whose templates exist only for the
    template language (the admin's) render through it."""

    def __init__(self):
        super().__init__()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
