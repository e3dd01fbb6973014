"""Writing an assessment's Easy Read summary (docs/adr/0020-easy-read-summaries-and-other-formats.md)."""

from django.db import transaction

from .. import rules
from ..exceptions import NotAllowed, RuleViolation
from ..models import Assessment, EasyReadSummary
from ..models.easy_read import EASY_READ_MAX_CHARS
from ..text import clean_text
from .assessment import _audit, _locked


def easy_read_current(assessment: Assessment) -> EasyReadSummary | None:
    """The wording in force: the newest."""
    return assessment.easy_read_versions.order_by("-written_at", "-pk").first()


def easy_read_write(*, assessment: Assessment, by, text: str) -> EasyReadSummary:
    """Write a new wording of the assessment's Easy Read summary. Earlier wordings are kept,
    never changed; the audit event records that the summary was written or changed."""
    text = clean_text(text)
    if not text:
        raise RuleViolation({"text": ["Write the Easy Read summary."]})
    if len(text) > EASY_READ_MAX_CHARS:
        raise RuleViolation({"text": [f"Keep the Easy Read summary to {EASY_READ_MAX_CHARS} characters or fewer "
                                      f"(this is {len(text)})."]})
    with transaction.atomic():
        assessment = _locked(assessment)
        if not rules.can_write_easy_read(by, assessment):
            raise NotAllowed("Only an officer or an equality lead of the board can write the Easy Read summary "
                             "of an assessment being written or signed off.")
        current = easy_read_current(assessment)
        if current is not None and current.text == text:
            raise RuleViolation({"text": ["This is the wording already in force: change it, or leave it."]})
        summary = EasyReadSummary.objects.create(
            assessment=assessment, text=text, written_by=by,
            written_by_name=by.get_full_name() or by.get_username())
        _audit(assessment, by, "assessment.easy_read",
               "Changed the Easy Read summary." if current else "Wrote the Easy Read summary.",
               data={"easy_read_summary": summary.pk, "previous": current.pk if current else None})
    return summary
