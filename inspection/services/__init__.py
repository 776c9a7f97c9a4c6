"""Writes of the street-office layer, one module per sub-domain. The public functions are
re-exported here, so callers keep writing ``services.survey_close(...)``."""

from inspection.services.accountability import (
    Evaluated,
    accountability_evaluate,
    accountability_evaluate_community,
)
from inspection.services.accountability_rules import (
    Rule,
    rule_for,
    rules_all,
    rules_default_entries,
    rules_for,
    rules_revise,
)
from inspection.services.assessments import (
    SCORING_ITEM_FIELDS,
    assessment_approve,
    assessment_open,
    assessment_score,
    assessment_self_assess,
    template_for,
    template_new_version,
    template_revise,
    template_seed_default,
)
from inspection.services.briefings import (
    StreetBriefingEdited,
    community_briefing_generate,
    street_briefing_edit,
    street_briefing_generate,
    street_briefing_review,
    street_briefing_submit,
)
from inspection.services.complaints import complaint_conclude, complaint_note_add, complaint_submit
from inspection.services.compliance import compliance_refresh
from inspection.services.evaluations import evaluation_approve, evaluation_compute, evaluation_vetoes_set
from inspection.services.heatmap import heatmap_rebuild
from inspection.services.rectifications import (
    admonishment_record,
    criticism_publish,
    rectification_answer,
    rectification_cured,
    rectification_issue,
    rectification_verify,
    rectifications_escalate,
    referral_record,
)
from inspection.services.spot_checks import (
    CHECKLIST,
    draw_sample,
    spot_check_draw,
    spot_check_record,
    spot_check_redraw,
)
from inspection.services.staff import require_street_staff
from inspection.services.surveys import (
    normalise_code,
    satisfaction_rate,
    survey_close,
    survey_open,
    vote_cast,
)

__all__ = [
    "CHECKLIST",
    "SCORING_ITEM_FIELDS",
    "Evaluated",
    "Rule",
    "StreetBriefingEdited",
    "accountability_evaluate",
    "accountability_evaluate_community",
    "admonishment_record",
    "assessment_approve",
    "assessment_open",
    "assessment_score",
    "assessment_self_assess",
    "community_briefing_generate",
    "complaint_conclude",
    "complaint_note_add",
    "complaint_submit",
    "compliance_refresh",
    "criticism_publish",
    "draw_sample",
    "evaluation_approve",
    "evaluation_compute",
    "evaluation_vetoes_set",
    "heatmap_rebuild",
    "normalise_code",
    "rectification_answer",
    "rectification_cured",
    "rectification_issue",
    "rectification_verify",
    "rectifications_escalate",
    "referral_record",
    "require_street_staff",
    "rule_for",
    "rules_all",
    "rules_default_entries",
    "rules_for",
    "rules_revise",
    "satisfaction_rate",
    "spot_check_draw",
    "spot_check_record",
    "spot_check_redraw",
    "street_briefing_edit",
    "street_briefing_generate",
    "street_briefing_review",
    "street_briefing_submit",
    "survey_close",
    "survey_open",
    "template_for",
    "template_new_version",
    "template_revise",
    "template_seed_default",
    "vote_cast",
]
