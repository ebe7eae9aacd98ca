from django.urls import path

from zhengwei.notify import views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notification_read, name="read"),
    path("notifications/poll/", views.notification_poll, name="poll"),
    path("notifications/deliveries/", views.delivery_log, name="deliveries"),
]
