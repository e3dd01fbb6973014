"""Models of the reports app."""

from .documents import (
    CODE_ALPHABET,
    DocumentKind,
    DocumentStatus,
    ImmutableDocument,
    SignedDocument,
    new_verification_code,
)
from .meetings import AgendaItem, AgendaPack, Committee, CommitteeKind, Decision, ItemKind, Meeting, MeetingStatus, PackStatus
from .reports import (
    DecisionSought,
    Direction,
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
    "Direction",
    "DirectionTo",
    "DocumentKind",
    "DocumentStatus",
    "ImmutableDocument",
    "ItemKind",
    "Meeting",
    "MeetingStatus",
    "PackStatus",
    "Publication",
    "Report",
    "ReportNumberCounter",
    "ReportStatus",
    "ReportWording",
    "SignedDocument",
    "new_verification_code",
]
