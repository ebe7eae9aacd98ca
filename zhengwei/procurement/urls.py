from django.urls import path

from zhengwei.procurement import views

app_name = "procurement"

urlpatterns = [
    path("procurement/", views.purchase_list, name="list"),
    path("procurement/<int:pk>/", views.purchase_detail, name="detail"),
    path("procurement/<int:pk>/do/<str:action>/", views.purchase_act, name="act"),
    path("procurement/<int:pk>/score/", views.score, name="score"),
    path("procurement/<int:pk>/documents/<str:kind>.<str:fmt>", views.document, name="document"),
    path("procurement/evaluations/", views.evaluations, name="evaluations"),
    path("procurement/suppliers/", views.supplier_list, name="suppliers"),
    path("procurement/suppliers/<int:pk>/", views.supplier_detail, name="supplier"),
    path("procurement/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("procurement/thresholds/", views.threshold_list, name="thresholds"),
    # Public, no sign-in: the OCDS packages.
    path("ocds/releases.json", views.ocds_releases, name="ocds_releases"),
    path("ocds/records.json", views.ocds_records, name="ocds_records"),
]
