from django.urls import path

from zhengwei.simulator import views
from zhengwei.simulator.api import api_view

app_name = "simulator"

urlpatterns = [
    path("", views.index, name="index"),
    path("citizens/new/", views.new_citizen, name="new_citizen"),
    path("account/", views.account_settings, name="account_settings"),
    path("account/mass-failure/", views.mass_failure, name="mass_failure"),
    path("phone/<str:openid>/", views.phone_page, name="phone"),
    path("phone/<str:openid>/thread/", views.phone_thread, name="thread"),
    path("phone/<str:openid>/<slug:action>/", views.phone_action, name="action"),
    path("media/<str:media_id>", views.media, name="media"),
    path("article/<int:msg_data_id>/<int:idx>/", views.article, name="article"),
    path("draft/<str:media_id>/<int:index>/", views.draft_preview, name="draft_preview"),
    path("api/<path:path>", api_view, name="api"),
]
