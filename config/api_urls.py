"""Every API route under /api/v1/. Unknown routes under /api/ answer with the JSON error shape."""

from django.urls import path, re_path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import MeApi, OrganisationListApi
from casework.api import CaseDetailApi, CaseListApi
from config.api_errors import not_found_response


class NotFoundApi(APIView):
    schema = None

    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return not_found_response()

    post = put = patch = delete = get


urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("organisations/", OrganisationListApi.as_view(), name="organisation-list"),
    path("cases/", CaseListApi.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", CaseDetailApi.as_view(), name="case-detail"),
    re_path(r"^.*$", NotFoundApi.as_view(), name="not-found"),
]
