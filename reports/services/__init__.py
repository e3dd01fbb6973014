"""Every write of the reports app: signed documents, IJB reports, meetings and agendas,
agenda packs and publication."""

from .documents import (
    Verification,
    document_by_code,
    document_issue,
    document_request_for_assessment,
    document_request_for_screening,
    document_verify,
    preview,
    public_urls,
    render,
)
from .meetings import (
    agenda_add_report,
    agenda_move,
    agenda_remove,
    item_decide,
    meeting_create,
    meeting_gate,
    meeting_publish,
    pack_request,
)
from .packs import appendix_document, pack_build
from .reports import (
    DirectionInput,
    agenda_gate,
    policy_implications,
    report_create,
    report_number_allocate,
    report_submit,
    report_update,
)

__all__ = [
    "DirectionInput",
    "agenda_add_report",
    "agenda_gate",
    "agenda_move",
    "agenda_remove",
    "appendix_document",
    "item_decide",
    "meeting_create",
    "meeting_gate",
    "meeting_publish",
    "pack_build",
    "pack_request",
    "policy_implications",
    "report_create",
    "report_number_allocate",
    "report_submit",
    "report_update",
    "Verification",
    "document_by_code",
    "document_issue",
    "document_request_for_assessment",
    "document_request_for_screening",
    "document_verify",
    "preview",
    "public_urls",
    "render",
]
