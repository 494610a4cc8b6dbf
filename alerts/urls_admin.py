"""System administrators' pages about alert delivery (``/alerts/admin/``)."""

from django.urls import path

from . import views_admin

app_name = "alerts_admin"

urlpatterns = [
    path("undelivered/", views_admin.undelivered_list, name="undelivered-list"),
    path("undelivered/<uuid:alert_id>/<slug:channel>/retry/", views_admin.delivery_retry, name="delivery-retry"),
]
