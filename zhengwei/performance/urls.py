from django.urls import path

from zhengwei.performance import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.overview, name="overview"),
    path("performance/scorecards/", views.scorecards, name="scorecards"),
    path("performance/scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("performance/scorecards/<int:pk>/sign/", views.scorecard_sign, name="scorecard_sign"),
    path(
        "performance/scorecards/<int:pk>/acceptance.pdf",
        views.acceptance_pdf,
        name="acceptance_pdf",
    ),
    path("performance/items/<int:pk>/<slug:verb>/", views.item_act, name="item_act"),
    path("performance/evidence/", views.evidence, name="evidence"),
    path("performance/dashboard/", views.dashboard, name="dashboard"),
    path("performance/dashboard.json", views.dashboard_data, name="dashboard_data"),
    path("performance/compare.json", views.compare_data, name="compare_data"),
    path("performance/model-change/", views.model_change, name="model_change"),
    path("performance/incidents/", views.incidents, name="incidents"),
    path("performance/records/", views.records, name="records"),
    path("performance/annual.xlsx", views.annual_report, name="annual_report"),
    path("performance/annual.pdf", views.annual_report_pdf, name="annual_report_pdf"),
]
