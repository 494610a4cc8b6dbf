"""The user's own notifications (``/notifications/``)."""

from django.urls import path

from .views import notifications

app_name = "notifications"

urlpatterns = [
    path("", notifications.notification_list, name="list"),
    path("<uuid:notification_id>/", notifications.notification_open, name="open"),
    path("read-all/", notifications.notification_read_all, name="read-all"),
]
