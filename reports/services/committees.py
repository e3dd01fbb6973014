"""A new board's committees and report wording (``manage.py create_board``)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.exceptions import NotAllowed, RuleViolation
from assessments.models import Board
from assessments.services import audit_record

from ..models import Committee, ReportWording
from ..models.meetings import CommitteeKind


@dataclass(frozen=True)
class CommitteeInput:
    kind: str  # CommitteeKind
    name: str
    report_prefix: str
    publication_days: int = 7


def committees_errors(committees: list[CommitteeInput], *, board: Board | None = None) -> list[str]:
    """What is wrong with the committees, by the model's own rules (the board itself is
    one of them: its reports go to it)."""
    errors = []
    kinds = [c.kind for c in committees]
    if CommitteeKind.IJB not in kinds:
        errors.append("give the board's own committee (the IJB), which its reports go to.")
    for kind in sorted({k for k in kinds if kinds.count(k) > 1}):
        errors.append(f"the committee {kind} is given twice.")
    for given in committees:
        try:
            Committee(board=board, kind=given.kind, name=given.name.strip(), report_prefix=given.report_prefix,
                      publication_days=given.publication_days).full_clean(exclude=["board"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors += [f"the {given.kind} committee's {field}: {message}" for message in messages]
    return errors


def board_committees_create(*, board: Board, committees: list[CommitteeInput], by) -> list[Committee]:
    """Create a new board's committees and its Policy Implications wording (the defaults,
    edited in the admin afterwards). Only a site administrator sets up a board."""
    if not by.is_superuser:
        raise NotAllowed("Only a site administrator can set up a board's committees.")
    errors = committees_errors(committees, board=board)
    if errors:
        raise RuleViolation({"__all__": errors})
    with transaction.atomic():
        made = [Committee.objects.create(board=board, kind=c.kind, name=c.name.strip(), report_prefix=c.report_prefix,
                                         publication_days=c.publication_days) for c in committees]
        ReportWording.objects.get_or_create(board=board)
        audit_record(board=board, actor=by, action="board.committees",
                     message="Set up " + "; ".join(
                         f"{c.name} (reports {c.report_prefix}, agenda out {c.publication_days} days before)"
                         for c in made) + ".",
                     data={"committees": [c.kind for c in made]})
    return made
