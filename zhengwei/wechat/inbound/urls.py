from django.urls import path

from zhengwei.wechat.inbound import views

app_name = "wechat_inbound"
urlpatterns = [
    # Served by the lean handler in zhengwei/wsgi.py in production; this route serves the same
    # protocol code under runserver and the test client.
    path("callback/<str:original_id>/", views.callback, name="callback"),
    path("messages/", views.messages, name="messages"),
    path("replies/", views.replies, name="replies"),
    path("replies/keywords/new/", views.keyword_edit, name="keyword_new"),
    path("replies/keywords/<int:pk>/", views.keyword_edit, name="keyword_edit"),
    path("replies/keywords/<int:pk>/delete/", views.keyword_delete, name="keyword_delete"),
    path("replies/menu/new/", views.menu_edit, name="menu_new"),
    path("replies/menu/<int:pk>/", views.menu_edit, name="menu_edit"),
    path("replies/menu/<int:pk>/delete/", views.menu_delete, name="menu_delete"),
    path("replies/changes/", views.change_list, name="changes"),
    path("replies/changes/<int:pk>/", views.change_detail, name="change"),
    path("replies/changes/<int:pk>/<slug:verb>/", views.change_act, name="change_act"),
]
