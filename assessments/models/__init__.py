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
from .boards import Board, Locality, Membership, Role
from .catalogue import Question, Row, ScreeningQuestion, Section, Template
from .plan_change import ChangeType, PlanChange
from .plans import PlanAction, PlanPriority, StrategicPlan
from .screening import Outcome, Screening, ScreeningState

__all__ = [
    "Assessment",
    "AssessmentState",
    "AuditEvent",
    "Board",
    "ChangeType",
    "ImpactRating",
    "Locality",
    "Membership",
    "MitigatingAction",
    "Outcome",
    "PartProgress",
    "PlanAction",
    "PlanChange",
    "PlanPriority",
    "Question",
    "RiskLevel",
    "Role",
    "Row",
    "Screening",
    "ScreeningQuestion",
    "ScreeningState",
    "Section",
    "SectionAnswer",
    "StrategicPlan",
    "Template",
]
