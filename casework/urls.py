from django.urls import path

from .views import cases

app_name = "casework"

urlpatterns = [
    path("", cases.case_list, name="case-list"),
    path("<uuid:case_id>/", cases.case_detail, name="case-detail"),
]
