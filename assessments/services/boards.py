"""Creating a board (an IJB) with its localities and their planning groups, without code
or a data migration (``manage.py create_board``; docs/new-board.md)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ..exceptions import NotAllowed, RuleViolation
from ..models import Board, Locality, LocalityPlanningGroup
from ..models.boards import DEFAULT_RESULTS_PUBLICATION_DAYS
from .audit import audit_record

# s.29(3)(a) of the Public Bodies (Joint Working) (Scotland) Act 2014: two localities at least
FEWEST_LOCALITIES = 2
PLANNING_GROUP_NAME = "{locality} Locality Planning Group"
REFERENCE_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,11}$")


@dataclass(frozen=True)
class LocalityInput:
    code: str
    name: str


def _messages(error: ValidationError, what: str) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{what} {field}: {message}" if field != "__all__" else f"{what}: {message}"
                for field, messages in error.message_dict.items() for message in messages]
    return [f"{what}: {message}" for message in error.messages]


def board_create(*, by, slug: str, name: str, short_name: str, reference_prefix: str,
                 localities: list[LocalityInput], constituent_authorities: str = "",
                 results_publication_days: int = DEFAULT_RESULTS_PUBLICATION_DAYS,
                 planning_group_name: str = PLANNING_GROUP_NAME) -> Board:
    """Create the board, its localities in the order given and a locality planning group
    for each (s.41: the people consulted on a decision that affects the locality), checked
    by the models' own rules. Only a site administrator creates a board. Raises
    ``RuleViolation`` with every problem found."""
    if not by.is_superuser:
        raise NotAllowed("Only a site administrator can create a board.")
    errors: list[str] = []
    board = Board(slug=slug, name=name.strip(), short_name=short_name.strip(), reference_prefix=reference_prefix,
                  constituent_authorities=constituent_authorities.strip(),
                  results_publication_days=results_publication_days)
    try:
        board.full_clean()
    except ValidationError as error:
        errors += _messages(error, "the board's")
    if not REFERENCE_PREFIX.match(reference_prefix or ""):
        errors.append(f"the reference prefix {reference_prefix!r}: give capital letters and digits, e.g. INV "
                      "(plan changes are numbered INV-0001).")
    else:
        taken = Board.objects.filter(reference_prefix=reference_prefix).first()
        if taken is not None:
            errors.append(f"the reference prefix {reference_prefix} is {taken}'s already: choose another.")
    if len(localities) < FEWEST_LOCALITIES:
        errors.append(f"a board has {FEWEST_LOCALITIES} localities at least (s.29 of the 2014 Act); "
                      f"{len(localities)} given.")
    codes = [locality.code for locality in localities]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(f"the locality code {code} is given twice.")
    if "{locality}" not in planning_group_name:
        errors.append("the planning groups' name must contain {locality}, e.g. \"{locality} Locality Planning Group\".")
    for number, given in enumerate(localities, start=1):
        try:
            Locality(board=board, code=given.code, name=given.name.strip(), order=number).full_clean(exclude=["board"])
        except ValidationError as error:
            errors += _messages(error, f"locality {given.code or number}'s")
    if errors:
        raise RuleViolation({"__all__": errors})
    with transaction.atomic():
        board.save()
        for number, given in enumerate(localities, start=1):
            locality = Locality.objects.create(board=board, code=given.code, name=given.name.strip(), order=number)
            LocalityPlanningGroup.objects.create(board=board, locality=locality, order=number,
                                                 name=planning_group_name.replace("{locality}", locality.name)[:200])
        audit_record(board=board, actor=by, action="board.create",
                     message=f"Created {board.name} ({board.slug}) with {len(localities)} localities: "
                             + ", ".join(f"{g.code} {g.name}" for g in localities) + ".",
                     data={"slug": board.slug, "localities": codes,
                           "results_publication_days": board.results_publication_days})
    return board
