from django.urls import path

from zhengwei.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("newsroom/", views.home, name="home"),
    path("newsroom/articles/new/", views.article_new, name="article_new"),
    path("newsroom/articles/<int:pk>/", views.article, name="article"),
    path("newsroom/articles/<int:pk>/diff/", views.article_diff, name="diff"),
    path("newsroom/articles/<int:pk>/<str:verb>/", views.article_act, name="article_act"),
    path("newsroom/images/", views.image_upload, name="image_upload"),
    path("newsroom/preview/", views.preview_wechat, name="preview_wechat"),
    path("newsroom/topics/", views.topics, name="topics"),
    path("newsroom/topics/<int:pk>/<str:verb>/", views.topic_act, name="topic_act"),
    path("newsroom/words/", views.words, name="words"),
    path("newsroom/words/<int:pk>/delete/", views.word_delete, name="word_delete"),
    path("newsroom/calendar/", views.calendar, name="calendar"),
    path("newsroom/pushes/<int:pk>/", views.push, name="push"),
    path("newsroom/pushes/<int:pk>/<str:verb>/", views.push_act, name="push_act"),
    path("newsroom/emergency/", views.emergency, name="emergency"),
    path("newsroom/live/", views.live_list, name="live_list"),
    path("newsroom/live/<int:pk>/", views.live_desk, name="live_desk"),
    path("newsroom/metrics/", views.metrics, name="metrics"),
    path("newsroom/chain/", views.chain, name="chain"),
]
