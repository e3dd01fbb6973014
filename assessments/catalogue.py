"""Reading the catalogue: a board's active template and the parts of an assessment."""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Prefetch

# the model modules, not the ``models`` package: a screening reads its questions from here
from .models.boards import Board
from .models.catalogue import RESERVED_PART_CODES, Question, Row, ScreeningQuestion, Section, Template


@dataclass(frozen=True)
class Part:
    """A piece of an assessment completed as one task."""

    code: str
    title: str
    kind: str  # "section", "evidence" or "actions"
    section_id: int | None = None
    opened_by: str = ""  # a module: the screening question whose answer opens it


EVIDENCE_PART = Part("evidence", "Evidence and consultation", "evidence")
ACTIONS_PART = Part("actions", "Mitigating actions and review date", "actions")


def active_template(board: Board) -> Template:
    """The template new screenings and assessments of the board use."""
    template = Template.objects.filter(board=board, is_active=True).first()
    if template is None:
        raise Template.DoesNotExist(f"{board} has no active assessment template.")
    return template


# The form's sections, rows, questions and parts are read on most pages and change rarely:
# they are kept in Django's "catalogue" cache (in each process, see settings) under the
# template's id, versioned by its revision. Any change to a template's contents bumps the
# revision (see ``signals``), so no process serves a stale form.
CATALOGUE_SECONDS = 24 * 60 * 60
_KINDS = ("sections", "screening", "parts")


def _key(what: str, template_id: int) -> str:
    return f"iia:catalogue:{what}:{template_id}"


def _by_revision(what: str, template: Template, read) -> list:
    cache, key = caches["catalogue"], _key(what, template.pk)
    found = cache.get(key, version=template.revision)
    if found is None:
        found = list(read())
        cache.set(key, found, CATALOGUE_SECONDS, version=template.revision)
    return found


def template_sections(template: Template) -> list[Section]:
    """Sections in order, with their rows and questions prefetched (cached by revision)."""
    return _by_revision("sections", template, lambda: template.sections.prefetch_related(
        Prefetch("rows", queryset=Row.objects.order_by("order")),
        Prefetch("questions", queryset=Question.objects.order_by("order")),
    ).order_by("order"))


def template_section(template: Template, code: str) -> Section:
    """The template's section ``code`` from the cache (``Section.DoesNotExist`` if none)."""
    for section in template_sections(template):
        if section.code == code:
            return section
    raise Section.DoesNotExist(f"{template} has no section {code!r}.")


def template_rows(template: Template) -> list[Row]:
    """Every row of the template, in the form's order (section, then row), from the cache."""
    return [row for section in template_sections(template) for row in section.rows.all()]


def template_screening_questions(template: Template) -> list[ScreeningQuestion]:
    """The template's pre-screening questions in order (cached by revision)."""
    return _by_revision("screening", template, lambda: ScreeningQuestion.objects.filter(
        template_id=template.pk).order_by("order", "pk"))


def catalogue_cache_clear() -> None:
    """Drop every template's cached form at its current revision (for changes made without
    the signals, e.g. ``bulk_create`` or ``update()``)."""
    for template_id, revision in Template.objects.values_list("pk", "revision"):
        caches["catalogue"].delete_many([_key(what, template_id) for what in _KINDS], version=revision)


def template_parts(template: Template) -> list[Part]:
    """Every part of an assessment made with the template, in the order they are shown (kept
    apart from the sections: a task list reads them once a task, and they are small)."""
    return _by_revision("parts", template, lambda: [
        *(Part(s.code, s.title, "section", s.pk, s.opened_by) for s in template_sections(template)),
        EVIDENCE_PART, ACTIONS_PART])


def screening_opened_modules(template: Template, answers: dict) -> list[str]:
    """The codes of the template's modules that the screening ``answers`` (question code to
    ``{"answer": ...}``) open, in the form's order."""
    return [section.code for section in template_sections(template) if section.opened_by
            and ((answers or {}).get(section.opened_by) or {}).get("answer") in (section.opened_by_answers or [])]


def _opened(assessment, code: str, opened_by: str) -> bool:
    return not opened_by or code in (assessment.modules or ())


def assessment_sections(assessment) -> list[Section]:
    """The sections the assessment has: the template's, less the modules its screening did
    not open."""
    return [s for s in template_sections(assessment.template) if _opened(assessment, s.code, s.opened_by)]


def assessment_parts(assessment) -> list[Part]:
    """The parts the assessment has, in order: the template's, less the modules its
    screening did not open."""
    return [p for p in template_parts(assessment.template) if _opened(assessment, p.code, p.opened_by)]


def parallel_part_codes(assessment) -> list[str]:
    """The assessment's parts that can be completed in any order (every part but the
    mitigating actions, which need the ratings)."""
    return [p.code for p in assessment_parts(assessment) if p.kind != "actions"]


def part_by_code(template: Template, code: str) -> Part:
    """The template's part ``code`` (``KeyError`` if none; a module whether or not opened)."""
    for part in template_parts(template):
        if part.code == code:
            return part
    raise KeyError(code)


def is_reserved_part_code(code: str) -> bool:
    return code in RESERVED_PART_CODES
