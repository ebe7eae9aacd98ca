"""Public live coverage pages (图文直播): no sign-in, by design — only office-checked entries."""

from django.urls import path

from zhengwei.newsroom import live_views

app_name = "newsroom_live"

urlpatterns = [
    path("live/<slug:slug>/", live_views.page, name="page"),
    path("live/<slug:slug>/feed/", live_views.feed, name="feed"),
    path("live/<slug:slug>/photo/<int:pk>/", live_views.photo, name="photo"),
]
