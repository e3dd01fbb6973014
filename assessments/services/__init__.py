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
from .comments import comment_add
from .delegation import delegation_create, delegation_end, delegation_errors
from .memberships import membership_sync_from_groups
from .monitoring import action_progress_record, progress_blocker
from .plan_changes import plan_change_create
from .retention import leavers, person_anonymise
from .review import (
    ImpactInput,
    assessment_review_confirm,
    assessment_review_new_version,
    assessment_review_withdraw,
    negative_ratings,
    review_blocker,
)
from .screening import screening_propose, screening_review, screening_save, screening_submit

__all__ = [
    "ActionInput",
    "ImpactInput",
    "action_progress_record",
    "actions_save",
    "assessment_approve",
    "assessment_errors",
    "assessment_new_version",
    "assessment_open",
    "assessment_review_confirm",
    "assessment_review_new_version",
    "assessment_review_withdraw",
    "assessment_return",
    "assessment_sign_off",
    "assessment_submit",
    "assessment_withdraw",
    "audit_record",
    "comment_add",
    "delegation_create",
    "delegation_end",
    "delegation_errors",
    "membership_sync_from_groups",
    "evidence_save",
    "leavers",
    "negative_ratings",
    "person_anonymise",
    "plan_change_create",
    "progress_blocker",
    "review_blocker",
    "screening_propose",
    "screening_review",
    "screening_save",
    "screening_submit",
    "section_save",
]
