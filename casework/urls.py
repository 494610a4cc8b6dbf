from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<uuid:case_id>/", views.case_detail, name="case-detail"),
]
