from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

handler403 = "zhengwei.console.views.permission_denied"
handler404 = "zhengwei.console.views.not_found"
handler500 = "zhengwei.console.views.server_error"

urlpatterns = [
    path("", include("zhengwei.console.urls")),
    path("", include("zhengwei.access.urls")),
    path("audit/", include("zhengwei.audit.urls")),
    path("wechat/", include("zhengwei.wechat.inbound.urls")),
    path("wechat/", include("zhengwei.wechat.outbound.urls")),
    path("", include("zhengwei.reports.urls")),
    path("", include("zhengwei.duty.urls")),
    path("", include("zhengwei.interactions.urls")),
    path("", include("zhengwei.hydro.urls")),
    path("", include("zhengwei.procurement.urls")),
    path("", include("zhengwei.newsroom.urls")),
    path("", include("zhengwei.newsroom.live_urls")),
    path("", include("zhengwei.notify.urls")),
    path("", include("zhengwei.performance.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
    # The local WeChat simulator: 404 unless SIMULATOR_ENABLED (./run's simulator process).
    path("sim/", include("zhengwei.simulator.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
