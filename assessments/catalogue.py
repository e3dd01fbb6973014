"""Reading the catalogue: a board's active template and the parts of an assessment."""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Board, Question, Row, ScreeningQuestion, Section, Template
from .models.catalogue import RESERVED_PART_CODES


@dataclass(frozen=True)
class Part:
    """A piece of an assessment completed as one task."""

    code: str
    title: str
    kind: str  # "section", "evidence" or "actions"
    section_id: int | None = None


EVIDENCE_PART = Part("evidence", "Evidence and consultation", "evidence")
ACTIONS_PART = Part("actions", "Mitigating actions and review date", "actions")


def active_template(board: Board) -> Template:
    """The template new screenings and assessments of the board use."""
    template = Template.objects.filter(board=board, is_active=True).first()
    if template is None:
        raise Template.DoesNotExist(f"{board} has no active assessment template.")
    return template


# The catalogue's cache, in the process: (what, template id, revision) -> the rows read.
# Any change to a template's contents bumps its revision (see ``signals``), so no process
# serves a stale form.
_cache: dict[tuple[str, int, int], list] = {}


def _by_revision(what: str, template: Template, read) -> list:
    key = (what, template.pk, template.revision)
    found = _cache.get(key)
    if found is None:
        found = list(read())
        if len(_cache) > 128:
            _cache.clear()
        _cache[key] = found
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
    """Empty the process's catalogue cache (tests: a rolled-back test gives its template
    ids and revisions to the next, which would find the previous test's form)."""
    _cache.clear()


def template_parts(template: Template) -> list[Part]:
    """Every part of an assessment made with the template, in the order they are shown."""
    parts = [Part(s.code, s.title, "section", s.pk) for s in template_sections(template)]
    return parts + [EVIDENCE_PART, ACTIONS_PART]


def parallel_part_codes(template: Template) -> list[str]:
    """Parts that can be completed in any order (every part but the mitigating actions,
    which need the ratings)."""
    return [p.code for p in template_parts(template) if p.kind != "actions"]


def part_by_code(template: Template, code: str) -> Part:
    for part in template_parts(template):
        if part.code == code:
            return part
    raise KeyError(code)


def is_reserved_part_code(code: str) -> bool:
    return code in RESERVED_PART_CODES
