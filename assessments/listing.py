"""What the list of plan changes filters and searches on, kept on each plan change: its
status (the code ``selectors.plan_change_status`` gives) and its searchable text.

Pure functions of plain values, so the service that keeps them and migration 0011 that
filled them in for existing plan changes compute them the same way."""

from collections.abc import Iterable

from .models.assessment import AssessmentState
from .models.screening import ScreeningState

NEW = "new"
SEARCH_CONFIG = "english"  # PostgreSQL's text search configuration of ``PlanChange.search_vector``


def status_code(assessments: Iterable[tuple[int, str]], screenings: Iterable[tuple[object, int, str]]) -> str:
    """The status of a plan change: ``assessment-<state>`` of its newest version
    (``(version, state)`` pairs), else ``screening-<state>`` of its newest screening
    (``(created_at, pk, state)``), else ``new``."""
    assessments, screenings = list(assessments), list(screenings)
    if assessments:
        return f"assessment-{max(assessments)[1]}"
    if screenings:
        return f"screening-{max(screenings)[2]}"
    return NEW


# Every status a plan change can be in, in the order its work goes, in the words the UI
# uses (a screened-in screening opens version 1 in the same transaction, and a version is
# superseded only by a newer one: neither is ever a plan change's status).
STATUSES = [
    (NEW, "New"),
    *[(f"screening-{state.value}", state.label) for state in ScreeningState
      if state != ScreeningState.SCREENED_IN],
    *[(f"assessment-{state.value}", state.label) for state in AssessmentState
      if state != AssessmentState.SUPERSEDED],
]
STATUS_LABELS = dict(STATUSES) | {
    f"screening-{ScreeningState.SCREENED_IN.value}": ScreeningState.SCREENED_IN.label,
    f"assessment-{AssessmentState.SUPERSEDED.value}": AssessmentState.SUPERSEDED.label,
}


def search_text(title: str, description: str, screenings: Iterable[tuple[dict, str]],
                actions: Iterable[str]) -> str:
    """The text the list's search reads, one piece a line, each once: the title, the
    description, each screening's comments on its answers (``(answers, officer_reason)``)
    and its officer's reason, and the description of every mitigating action of every version."""
    pieces = [title, description]
    for answers, reason in screenings:
        pieces += [str(given.get("comment") or "") for given in (answers or {}).values() if isinstance(given, dict)]
        pieces.append(reason)
    pieces += list(actions)
    return "\n".join(dict.fromkeys(piece.strip() for piece in pieces if piece and piece.strip()))
