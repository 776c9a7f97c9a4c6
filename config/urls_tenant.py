"""A community's site on ``<code>.<base>`` (its own schema)."""

from django.urls import include, path

from communities import views
from config.urls_common import urlpatterns as common
from disclosure.views import workspace as disclosure_workspace
from inspection.views import voting as inspection_voting

urlpatterns = [
    path("", include("disclosure.portal.urls")),
    path("workspace/inspection/", include("inspection.urls_community")),
    path("vote/", inspection_voting.vote, name="vote"),
    path("feedback/", include("disclosure.feedback.urls_public")),
    path("workspace/feedback/", include("disclosure.feedback.urls_staff")),
    path("consultations/", include("disclosure.feedback.urls_consult")),
    path("workspace/consultations/", include("disclosure.feedback.urls_consult_staff")),
    path("workspace/", disclosure_workspace.workspace, name="workspace"),
    path("workspace/profile/", views.profile_edit, name="profile_edit"),
    path("workspace/notifications/", include("communities.urls_notifications")),
    path("workspace/", include("disclosure.urls")),
    *common,
]
