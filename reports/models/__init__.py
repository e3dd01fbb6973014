"""Models of the reports app."""

from .delegated import DelegatedDecision, ImmutableDecision
from .directions import ISSUED_STATUSES, Direction, DirectionEffect, DirectionNumberCounter, DirectionStatus
from .documents import (
    CODE_ALPHABET,
    DocumentKind,
    DocumentStatus,
    ImmutableDocument,
    SignedDocument,
    new_verification_code,
)
from .format_requests import FormatRequest, FormatRequestStatus, OtherFormat
from .meetings import AgendaItem, AgendaPack, Committee, CommitteeKind, Decision, ItemKind, Meeting, MeetingStatus, PackStatus
from .reports import (
    DecisionSought,
    DirectionTo,
    Publication,
    Report,
    ReportNumberCounter,
    ReportStatus,
    ReportWording,
)

__all__ = [
    "CODE_ALPHABET",
    "AgendaItem",
    "AgendaPack",
    "Committee",
    "CommitteeKind",
    "Decision",
    "DecisionSought",
    "DelegatedDecision",
    "Direction",
    "DirectionEffect",
    "DirectionNumberCounter",
    "DirectionStatus",
    "DirectionTo",
    "DocumentKind",
    "ISSUED_STATUSES",
    "DocumentStatus",
    "ImmutableDecision",
    "FormatRequest",
    "FormatRequestStatus",
    "ImmutableDocument",
    "ItemKind",
    "Meeting",
    "MeetingStatus",
    "OtherFormat",
    "PackStatus",
    "Publication",
    "Report",
    "ReportNumberCounter",
    "ReportStatus",
    "ReportWording",
    "SignedDocument",
    "new_verification_code",
]
