from django.urls import path

from disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("obligations/", views.obligation_list, name="obligations"),
    path("obligations/<int:pk>/waive/", views.obligation_waive, name="waive"),
    path("events/", views.event_record, name="event"),
    path("disclosures/", views.disclosure_list, name="list"),
    path("disclosures/new/", views.disclosure_new, name="new"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/edit/", views.disclosure_edit, name="edit"),
    path("disclosures/<int:pk>/report.pdf", views.report_form, name="report"),
    path("disclosures/<int:pk>/<str:action>/", views.disclosure_act, name="act"),
    path("ledger/", views.ledger, name="ledger"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
