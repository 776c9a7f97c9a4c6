from django.urls import path

from disclosure.views import (
    confirm,
    editor,
    imports,
    ledger,
    listing,
    obligations,
    pushes,
    renewals,
    steps,
    workspace,
)
from tenants.i18n import chinese_only

app_name = "disclosure"

urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    path("obligations/", obligations.obligation_list, name="obligations"),
    path("obligations/<int:pk>/waive/", obligations.obligation_waive, name="waive"),
    path("obligations/<int:pk>/renew/", renewals.renewal, name="renew"),
    path("obligations/<int:pk>/renew/revise/", renewals.renewal_revise, name="renew_revise"),
    path("events/", obligations.event_record, name="event"),
    path("disclosures/", listing.disclosure_list, name="list"),
    path("disclosures/new/", editor.disclosure_new, name="new"),
    path("disclosures/import-template/", imports.import_template, name="import_template"),
    path("disclosures/<int:pk>/", steps.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/edit/", editor.disclosure_edit, name="edit"),
    path("disclosures/<int:pk>/report.pdf", chinese_only(ledger.report_form), name="report"),
    path("disclosures/<int:pk>/confirm/<str:action>/", confirm.disclosure_confirm, name="confirm"),
    path("disclosures/<int:pk>/receipts/<int:receipt_pk>/", steps.receipt_download, name="receipt"),
    path("disclosures/<int:pk>/<str:action>/", steps.disclosure_act, name="act"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("catalogue/", obligations.catalogue, name="catalogue"),
    path("group-pushes/", pushes.group_webhooks, name="group_webhooks"),
    path("group-pushes/<int:pk>/remove/", pushes.group_webhook_remove, name="group_webhook_remove"),
    path("attachments/<int:pk>/", steps.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", steps.attachment_delete, name="attachment_delete"),
]
