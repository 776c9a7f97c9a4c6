"""The residents' portal on a community's sub-domain (no login). The pages every anonymous visitor
sees alike are served from the cache (``public_cached``: the portal's, the feeds, the kiosks').

Other parts of the product link to ``portal:detail`` and ``portal:verify`` (the printed notice's QR
code points at the latter): keep these names and paths.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path

from disclosure.portal import feeds, notices, screens, sms, views
from disclosure.portal.caching import public_cached
from tenants.i18n import chinese_only

app_name = "portal"

cached = public_cached


def kiosk(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A kiosk's page: always Chinese, so one cache entry whatever the visitor's language."""
    return chinese_only(public_cached(view))


urlpatterns = [
    path("", cached(views.home), name="home"),
    path("disclosures/", cached(views.disclosure_list), name="list"),
    path("results/", views.results, name="results"),  # not cached: an approved result shows at once
    path("disclosures/<int:pk>/", cached(views.disclosure_detail), name="detail"),
    path("disclosures/<int:pk>/verify/", views.verify, name="verify"),
    path("disclosures/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("disclosures/<int:pk>/receipts/<int:receipt_pk>/", views.receipt, name="receipt"),
    path("disclosures/<int:pk>/notice.pdf", chinese_only(notices.notice), name="notice"),
    # Atom feeds: everything published, or one category (党务、政务、事务、财务、服务)
    path("feed/", cached(feeds.CommunityFeed()), name="feed"),
    path("feed/<str:category>/", cached(feeds.CommunityFeed()), name="feed_category"),
    # 短信订阅: not cached (a form, and a resident's own session)
    path("sms/", sms.subscribe, name="sms"),
    path("sms/stop/", sms.stop, name="sms_stop"),
    path("sms/stop/<str:token>/", sms.stop_link, name="sms_stop_token"),
    # 电子屏 and 触摸屏 (000 第九条): kiosks that need no typing
    path("screen/", kiosk(screens.screen), name="screen"),
    path("screen/state.json", chinese_only(screens.screen_state), name="screen_state"),
    path("touch/", kiosk(screens.touch_home), name="touch"),
    path("touch/overview/", kiosk(screens.touch_overview), name="touch_overview"),
    path("touch/services/", kiosk(screens.touch_services), name="touch_services"),
    path("touch/category/<str:category>/", kiosk(screens.touch_list), name="touch_list"),
    path("touch/disclosures/<int:pk>/", kiosk(screens.touch_detail), name="touch_detail"),
]
