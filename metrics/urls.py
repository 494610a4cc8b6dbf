"""The performance pages, mounted at ``/metrics/``. URL names: ``metrics:<thing>``."""

from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definitions/", views.definitions, name="definitions"),
    path("mine/", views.mine, name="mine"),
    path("export.csv", views.export_csv, name="export"),
    path("<str:metric_id>/cases/", views.cases, name="cases"),
]
