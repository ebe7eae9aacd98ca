from django.urls import path

from zhengwei.duty import views

app_name = "duty"
urlpatterns = [
    path("duty/", views.console, name="console"),
    path("duty/changes/", views.changes, name="changes"),
    path("duty/emergency/", views.emergency, name="emergency"),
    path("duty/emergency/history/", views.emergency_history, name="emergency_history"),
    path("duty/reports/<str:ticket>/<slug:verb>/", views.report_act, name="report_act"),
    path("duty/map/", views.map_page, name="map"),
    path("duty/map/reports.geojson", views.map_data, name="map_data"),
    path("duty/metrics/", views.metrics_page, name="metrics"),
    path("duty/metrics/data.json", views.metrics_data, name="metrics_data"),
]
