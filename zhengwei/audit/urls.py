from django.urls import path

from zhengwei.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<int:pk>/", views.audit_detail, name="detail"),
    path("purges/", views.purge_report, name="purges"),
    path("export.csv", views.audit_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.audit_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
