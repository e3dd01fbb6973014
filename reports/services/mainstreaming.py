"""The signed mainstreaming report (PDF) of a board's mainstreaming evidence."""

import io

from django.utils import timezone

from assessments import rules
from assessments.models import Role
from assessments.selectors import job_title

from ..mainstreaming import MainstreamingFigures
from ..pdf import signing
from ..pdf.common import person
from ..pdf.mainstreaming import MainstreamingReportPdf


def producer_role(user, board_id: int) -> str:
    """The role the report is produced in, as its signature block names it: the user's job
    title as a senior officer of the board, or else as its equality lead."""
    role = Role.SENIOR_OFFICER if rules.has_role(user, board_id, Role.SENIOR_OFFICER) else Role.EQUALITY_LEAD
    return job_title(user, board_id, role)


def mainstreaming_report_pdf(*, figures: MainstreamingFigures, by) -> tuple[bytes, int]:
    """The mainstreaming report as a tagged PDF, signed with the board's key as an
    incremental update (``pdf.signing.sign``, as the assessments are): (bytes, pages).
    Nothing is stored: the figures are counted again each time it is asked for."""
    board = figures.board
    name, role = person(by), producer_role(by, board.pk)
    produced_at = f"{timezone.localtime(figures.counted_at):%-d %B %Y, %H:%M} (UK time)"
    buffer = io.BytesIO()
    pages = MainstreamingReportPdf(figures, produced_by=f"{name}, {role}", produced_at=produced_at).render(buffer)
    signed = signing.sign(buffer.getvalue(), board_slug=board.slug, reason=f"Mainstreaming report produced by {name}, "
                          f"{role}", location=board.name, signer_name=name)
    return signed, pages
