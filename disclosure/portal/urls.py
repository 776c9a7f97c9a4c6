"""The residents' portal on a community's sub-domain (no login).

Other parts of the product link to ``portal:detail`` and ``portal:verify`` (the printed notice's QR
code points at the latter): keep these names and paths.
"""

from django.urls import path

from disclosure.portal import feeds, notices, screens, views
from tenants.i18n import chinese_only

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("disclosures/", views.disclosure_list, name="list"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/verify/", views.verify, name="verify"),
    path("disclosures/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("disclosures/<int:pk>/receipts/<int:receipt_pk>/", views.receipt, name="receipt"),
    path("disclosures/<int:pk>/notice.pdf", chinese_only(notices.notice), name="notice"),
    path("text-size/", views.text_size, name="text_size"),
    # Atom feeds: everything published, or one category (党务、政务、事务、财务、服务)
    path("feed/", feeds.CommunityFeed(), name="feed"),
    path("feed/<str:category>/", feeds.CommunityFeed(), name="feed_category"),
    # 电子屏 and 触摸屏 (000 第九条): kiosks that need no typing
    path("screen/", chinese_only(screens.screen), name="screen"),
    path("screen/state.json", chinese_only(screens.screen_state), name="screen_state"),
    path("touch/", chinese_only(screens.touch_home), name="touch"),
    path("touch/overview/", chinese_only(screens.touch_overview), name="touch_overview"),
    path("touch/services/", chinese_only(screens.touch_services), name="touch_services"),
    path("touch/category/<str:category>/", chinese_only(screens.touch_list), name="touch_list"),
    path("touch/disclosures/<int:pk>/", chinese_only(screens.touch_detail), name="touch_detail"),
]
