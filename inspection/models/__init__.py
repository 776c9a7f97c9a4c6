"""Public schema: what the street office knows about every community without entering its schema.

One module per sub-domain; every model is re-exported here, so ``inspection.models.X`` stays the
name that migrations, the API and the other apps use."""

from inspection.models.accountability import AccountabilityRules
from inspection.models.assessments import (
    SCORE_NOTE_LIMIT,
    Assessment,
    AssessmentGroupObjectPermission,
    AssessmentScore,
    AssessmentUserObjectPermission,
    ScoringItem,
    ScoringTemplate,
)
from inspection.models.briefings import StreetOfficeBriefing
from inspection.models.complaints import Complaint, ComplaintNote
from inspection.models.compliance import ComplianceSummary, HeatmapRow, StreetOfficeYear
from inspection.models.evaluations import Evaluation, EvaluationWeights
from inspection.models.rectifications import (
    Admonishment,
    Rectification,
    RectificationEvent,
    RectificationFile,
)
from inspection.models.spot_checks import (
    REDRAW_REASON_LIMIT,
    SpotCheck,
    SpotCheckDraw,
    SpotCheckGroupObjectPermission,
    SpotCheckPhoto,
    SpotCheckUserObjectPermission,
)
from inspection.models.surveys import VOTE_COMMENT_LIMIT, Survey, Vote, VotingCode

__all__ = [
    "REDRAW_REASON_LIMIT",
    "SCORE_NOTE_LIMIT",
    "VOTE_COMMENT_LIMIT",
    "AccountabilityRules",
    "Admonishment",
    "Assessment",
    "AssessmentGroupObjectPermission",
    "AssessmentScore",
    "AssessmentUserObjectPermission",
    "Complaint",
    "ComplaintNote",
    "ComplianceSummary",
    "Evaluation",
    "EvaluationWeights",
    "HeatmapRow",
    "Rectification",
    "RectificationEvent",
    "RectificationFile",
    "ScoringItem",
    "ScoringTemplate",
    "SpotCheck",
    "SpotCheckDraw",
    "SpotCheckGroupObjectPermission",
    "SpotCheckPhoto",
    "SpotCheckUserObjectPermission",
    "StreetOfficeBriefing",
    "StreetOfficeYear",
    "Survey",
    "Vote",
    "VotingCode",
]
