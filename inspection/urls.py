from django.urls import path

from inspection.views import (
    accountability,
    assessments,
    briefings,
    complaints,
    dashboard,
    drilldown,
    evaluations,
    rectifications,
    reimbursements,
    spot_checks,
    surveys,
)
from tenants.i18n import chinese_only

app_name = "inspection"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("communities/<slug:code>/", drilldown.community_detail, name="community"),
    path(
        "communities/<slug:code>/disclosures/<int:pk>/",
        drilldown.community_disclosure,
        name="community_disclosure",
    ),
    path("spot-checks/", spot_checks.spot_checks, name="spot_checks"),
    path("spot-checks/<int:pk>/", spot_checks.spot_check_record, name="spot_check"),
    path("spot-checks/draws/<int:pk>/redraw/", spot_checks.spot_check_redraw, name="spot_check_redraw"),
    path("rectifications/", rectifications.rectifications, name="rectifications"),
    path("surveys/", surveys.surveys, name="surveys"),
    path("assessments/", assessments.assessments, name="assessments"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("evaluations/", evaluations.evaluations, name="evaluations"),
    path("standards/", assessments.standards, name="standards"),
    path("accountability/", accountability.accountability_rules, name="accountability"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/slips/", chinese_only(surveys.survey_slips), name="survey_slips"),
    path("rectifications/<int:pk>/", rectifications.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/files/<int:file_pk>/",
        rectifications.rectification_file,
        name="rectification_file",
    ),
    path(
        "rectifications/<int:pk>/minutes/<int:talk_pk>/",
        rectifications.rectification_minutes,
        name="rectification_minutes",
    ),
    path("reimbursements/", reimbursements.queue, name="reimbursements"),
    path(
        "reimbursements/<slug:code>/<int:pk>/receipts/<int:receipt_pk>/",
        reimbursements.receipt,
        name="reimbursement_receipt",
    ),
    path("complaints/", complaints.inbox, name="complaints"),
    path("complaints/<int:pk>/", complaints.detail, name="complaint"),
    path("complaints/<int:pk>/conclude/", complaints.conclude, name="complaint_conclude"),
    path("briefings/", briefings.briefings, name="briefings"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing"),
    path("briefings/<int:pk>/edit/", briefings.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/briefing.pdf", chinese_only(briefings.briefing_pdf_staff), name="briefing_pdf"),
]
