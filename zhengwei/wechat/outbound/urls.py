from django.urls import path

from zhengwei.wechat.outbound import views

app_name = "wechat_outbound"
urlpatterns = [
    path("menu/", views.menu, name="menu"),
    path("api-calls/", views.api_log, name="api_log"),
    path("stats/", views.stats, name="stats"),
]
