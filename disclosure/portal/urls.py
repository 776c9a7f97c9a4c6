"""The residents' portal on a community's sub-domain (no login).

Other parts of the product link to ``portal:detail`` and ``portal:verify`` (the printed notice's QR
code points at the latter): keep these names and paths.
"""

from django.urls import path

from disclosure.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("disclosures/", views.disclosure_list, name="list"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/verify/", views.verify, name="verify"),
    path("disclosures/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("text-size/", views.text_size, name="text_size"),
]
