"""Every write of the assessments app. Each service runs in one transaction, locks the
row it changes, checks the rule, applies the transition and writes the audit event."""

from .assessment import (
    ActionInput,
    actions_save,
    assessment_approve,
    assessment_errors,
    assessment_new_version,
    assessment_open,
    assessment_return,
    assessment_sign_off,
    assessment_submit,
    assessment_withdraw,
    evidence_save,
    section_save,
)
from .audit import audit_record
from .plan_changes import plan_change_create
from .retention import leavers, person_anonymise
from .screening import screening_propose, screening_review, screening_save, screening_submit

__all__ = [
    "ActionInput",
    "actions_save",
    "assessment_approve",
    "assessment_errors",
    "assessment_new_version",
    "assessment_open",
    "assessment_return",
    "assessment_sign_off",
    "assessment_submit",
    "assessment_withdraw",
    "audit_record",
    "evidence_save",
    "leavers",
    "person_anonymise",
    "plan_change_create",
    "screening_propose",
    "screening_review",
    "screening_save",
    "screening_submit",
    "section_save",
]
