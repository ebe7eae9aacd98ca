from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

handler403 = "zhengwei.console.views.permission_denied"
handler404 = "zhengwei.console.views.not_found"
handler500 = "zhengwei.console.views.server_error"

urlpatterns = [
    path("", include("zhengwei.console.urls")),
    path("", include("zhengwei.access.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
