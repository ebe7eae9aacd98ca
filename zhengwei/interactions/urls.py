from django.urls import path

from zhengwei.interactions import views

app_name = "interactions"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.conversation, name="conversation"),
    path("inbox/<int:pk>/act/<slug:verb>/", views.conversation_act, name="conversation_act"),
    path("inbox/replies/<int:pk>/<slug:verb>/", views.draft_act, name="draft_act"),
    path("inbox/templates/", views.templates, name="templates"),
    path("inbox/comments/", views.comments, name="comments"),
]
