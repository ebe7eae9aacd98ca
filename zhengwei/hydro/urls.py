from django.urls import path

from zhengwei.hydro import views

app_name = "hydro"

urlpatterns = [
    # The 汛情实况 menu (public, no sign-in).
    path("flood/", views.flood_index, name="live"),
    path("flood/rain/", views.flood_rain, name="live_rain"),
    path("flood/water/", views.flood_water, name="live_water"),
    path("flood/typhoon/", views.flood_typhoon, name="live_typhoon"),
    path("flood/typhoon/<str:tfid>/", views.flood_typhoon, name="live_typhoon_one"),
    path("flood/typhoon/<str:tfid>.json", views.flood_typhoon_json, name="live_typhoon_json"),
    path("flood/stations.geojson", views.flood_stations_json, name="live_stations"),
    # Console.
    path("hydro/imports/", views.import_list, name="imports"),
    path("hydro/imports/<int:pk>/rejects/", views.import_rejects, name="import_rejects"),
    path("hydro/briefings/", views.briefing_list, name="briefings"),
    path("hydro/briefings/<int:pk>/", views.briefing_detail, name="briefing"),
    path("hydro/briefings/<int:pk>/offer/", views.briefing_offer, name="briefing_offer"),
    path(
        "hydro/briefings/<int:pk>/chart/<str:kind>.png", views.briefing_chart, name="briefing_chart"
    ),
    path("hydro/rows/", views.rows, name="rows"),
]
