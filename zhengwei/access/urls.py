from django.contrib.auth import views as auth_views
from django.urls import path

from zhengwei.access import views

app_name = "access"
urlpatterns = [
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signin/otp/", views.otp_verify, name="otp"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/security/", views.security, name="security"),
]
