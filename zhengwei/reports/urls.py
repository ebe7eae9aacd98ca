from django.urls import path, re_path

from zhengwei.reports import open311, views

app_name = "reports"
FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    # Console (signed-in staff).
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.phone_in, name="phone_in"),
    path("reports/export.<str:fmt>", views.export, name="export"),
    path("reports/metrics.json", views.metrics_json, name="metrics_json"),
    path("reports/counts/", views.counts, name="counts"),
    path("reports/initial/", views.initial_report, name="initial_report"),
    path("reports/initial.xlsx", views.initial_report_xlsx, name="initial_report_xlsx"),
    path("reports/routing/", views.routing, name="routing"),
    path("reports/routing/<int:pk>/delete/", views.routing_delete, name="routing_delete"),
    path("reports/photo/<int:pk>/<str:variant>/", views.photo, name="photo"),
    path("reports/<str:ticket>/", views.report_detail, name="detail"),
    path("reports/<str:ticket>/phone/", views.reveal_phone, name="reveal_phone"),
    path("reports/<str:ticket>/act/<str:verb>/", views.act, name="act"),
    # Citizens (no sign-in).
    path("h5/report/", views.h5_form, name="h5_form"),
    path("h5/jssdk/", views.h5_jssdk, name="h5_jssdk"),
    path("r/<str:ticket>/<str:token>/", views.status_page, name="status"),
    # Open311 GeoReport v2. An identifier is anything up to the format, so that an unknown or
    # malformed one still gets the spec's error list in the asked format, not the HTML 404 page.
    re_path(rf"^open311/v2/discovery\.{FMT}$", open311.discovery, name="open311_discovery"),
    re_path(rf"^open311/v2/services\.{FMT}$", open311.service_list, name="open311_services"),
    re_path(
        rf"^open311/v2/services/(?P<code>[^/]+)\.{FMT}$",
        open311.service_definition,
        name="open311_service",
    ),
    re_path(rf"^open311/v2/requests\.{FMT}$", open311.requests, name="open311_requests"),
    re_path(
        rf"^open311/v2/requests/(?P<request_id>[^/]+)\.{FMT}$",
        open311.request_detail,
        name="open311_request",
    ),
    re_path(rf"^open311/v2/tokens/(?P<token>[^/]+)\.{FMT}$", open311.token, name="open311_token"),
]
