"""The signed-in person's delay alerts (``/alerts/``)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="alert-list"),
    path("<uuid:alert_id>/", views.alert_detail, name="alert-detail"),
    path("<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("<uuid:alert_id>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("<uuid:alert_id>/read/", views.alert_read, name="alert-read"),
]
