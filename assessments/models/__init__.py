"""Models of the assessments app, one module per concept group."""

from .assessment import (
    Assessment,
    AssessmentState,
    ImpactRating,
    MitigatingAction,
    PartProgress,
    RiskLevel,
    SectionAnswer,
)
from .audit import AuditEvent
from .boards import Board, Locality, LocalityPlanningGroup, Membership, MembershipSource, Role, SignOnGroupRole
from .catalogue import Question, Row, ScreeningQuestion, Section, Template
from .comment import SCREENING_PART, Comment, CommentTampering
from .delegation import Delegation
from .easy_read import EasyReadSummary
from .evidence import EvidenceCitation, EvidenceFile, EvidencePart, EvidenceSource
from .monitoring import ActionProgress
from .plan_change import ChangeType, PlanChange
from .plans import PlanAction, PlanPriority, StrategicPlan
from .review import ActualImpact, AssessmentReview, ReviewedImpact, ReviewOutcome
from .screening import Outcome, Screening, ScreeningState

__all__ = [
    "ActionProgress",
    "ActualImpact",
    "Assessment",
    "AssessmentReview",
    "AssessmentState",
    "AuditEvent",
    "Board",
    "ChangeType",
    "Comment",
    "CommentTampering",
    "Delegation",
    "EasyReadSummary",
    "EvidenceCitation",
    "EvidenceFile",
    "EvidencePart",
    "EvidenceSource",
    "ImpactRating",
    "Locality",
    "LocalityPlanningGroup",
    "Membership",
    "MembershipSource",
    "MitigatingAction",
    "Outcome",
    "PartProgress",
    "PlanAction",
    "PlanChange",
    "PlanPriority",
    "Question",
    "ReviewOutcome",
    "ReviewedImpact",
    "RiskLevel",
    "Role",
    "Row",
    "SCREENING_PART",
    "Screening",
    "ScreeningQuestion",
    "ScreeningState",
    "Section",
    "SectionAnswer",
    "SignOnGroupRole",
    "StrategicPlan",
    "Template",
]
