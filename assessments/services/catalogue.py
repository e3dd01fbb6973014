"""Changing the catalogue: a template in use is never edited in place."""

from django.db import transaction
from django.db.models import Max

from .. import rules
from ..exceptions import NotAllowed
from ..models import Locality, Role, Row, Template
from ..template_file import TemplateSpec
from .audit import audit_record


def _require_lead(by, template: Template) -> None:
    if not (by.is_superuser or rules.has_role(by, template.board_id, Role.EQUALITY_LEAD)):
        raise NotAllowed("Only an equality lead of the board can change its templates.")


def template_copy_as_new_version(*, template: Template, by) -> Template:
    """Copy a template, with its questions, sections, rows and questions, as the board's
    next version (inactive until activated)."""
    _require_lead(by, template)
    with transaction.atomic():
        version = (Template.objects.filter(board=template.board).aggregate(v=Max("version"))["v"] or 0) + 1
        base = template.code.rsplit("-v", 1)[0]
        copy = Template.objects.create(
            board=template.board, code=f"{base}-v{version}", title=template.title, version=version,
            is_active=False, sign_off_declaration=template.sign_off_declaration,
        )
        for question in template.screening_questions.all():
            question.pk = None
            question.template = copy
            question.save()
        for section in template.sections.prefetch_related("rows", "questions"):
            rows, questions = list(section.rows.all()), list(section.questions.all())
            section.pk = None
            section.template = copy
            section.save()
            for item in rows + questions:
                item.pk = None
                item.section = section
                item.save()
        audit_record(board=template.board_id, actor=by, action="template.copy",
                     message=f"Copied {template.code} as {copy.code}.")
    return copy


def template_import(*, spec: TemplateSpec, by, activate: bool = False) -> Template:
    """Create the form a template file describes (``template_file.template_file_read``) as
    a new version of its board's templates, inactive unless ``activate``. The parts are
    numbered in the file's order."""
    board = spec.board
    if not (by.is_superuser or rules.has_role(by, board.pk, Role.EQUALITY_LEAD)):
        raise NotAllowed("Only an equality lead of the board can change its templates.")
    with transaction.atomic():
        template = Template.objects.create(board=board, code=spec.code, title=spec.title, version=spec.version,
                                           is_active=False, sign_off_declaration=spec.sign_off_declaration)
        for order, q in enumerate(spec.screening_questions, start=1):
            template.screening_questions.create(code=q.code, text=q.text, help_text=q.help_text,
                                                answer_set=q.answer_set, order=order)
        localities = {locality.code: locality for locality in Locality.objects.filter(board=board)}
        for order, s in enumerate(spec.sections, start=1):
            section = template.sections.create(code=s.code, title=s.title, guidance=s.guidance, order=order,
                                               opened_by=s.opened_by, opened_by_answers=s.opened_by_answers)
            for number, r in enumerate(s.rows, start=1):
                section.rows.create(order=number, code=r.code, label=r.label, group=r.group, guidance=r.guidance,
                                    allows_not_applicable=r.allows_not_applicable,
                                    not_applicable_label=r.not_applicable_label, locality=localities.get(r.locality))
            for number, q in enumerate(s.questions, start=1):
                section.questions.create(code=q.code, label=q.label, kind=q.kind, help_text=q.help_text,
                                         choices=q.choices, required=q.required, required_when=q.required_when,
                                         required_when_answers=q.required_when_answers, published=q.published,
                                         order=number)
        counts = spec.counts()
        audit_record(board=board, actor=by, action="template.import",
                     message=f"Imported {template.code} from a template file: "
                             + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".",
                     data={"code": template.code, "version": template.version, **counts})
        if activate:
            template = template_activate(template=template, by=by)
    return template


def template_activate(*, template: Template, by) -> Template:
    """Make the template the one new screenings and assessments of its board use."""
    _require_lead(by, template)
    with transaction.atomic():
        Template.objects.select_for_update().filter(board=template.board).update(is_active=False)
        Template.objects.filter(pk=template.pk).update(is_active=True)
        audit_record(board=template.board_id, actor=by, action="template.activate",
                     message=f"{template.code} is now the active template.")
    template.refresh_from_db()
    return template


def row_removable(*, row: Row, by) -> bool:
    """Whether ``by`` may remove the row: an equality lead of the board from a template not
    in use; from a template in use, only a superuser, and only a row that no assessment has
    rated (a row added by mistake: the freeze must not keep it for ever)."""
    template = row.section.template
    if not template.in_use:
        return by.is_superuser or rules.has_role(by, template.board_id, Role.EQUALITY_LEAD)
    return by.is_superuser and not row.ratings.exists()


def row_remove(*, row: Row, by) -> None:
    """Remove a row from its template. From a template in use (a repair by a superuser,
    see ``row_removable``) the removal is audited on the board."""
    with transaction.atomic():
        template = Template.objects.select_for_update().get(pk=row.section.template_id)
        row = Row.objects.select_related("section__template").get(pk=row.pk)
        if not row_removable(row=row, by=by):
            raise NotAllowed(f"“{row.label}” cannot be removed: {template.code} is in use and the row is rated, "
                             "or you are not an equality lead of its board.")
        in_use = template.in_use
        row.delete()
        if in_use:
            audit_record(board=template.board_id, actor=by, action="template.row_remove",
                         message=f"Removed the row {row.code} “{row.label}” ({row.section.title}) from {template.code}, "
                                 "which is in use; nothing had been rated on it.")
