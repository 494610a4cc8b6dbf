"""Shared OpenAPI descriptions of the one JSON error shape (``config.api_errors``)."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()), required=False
                ),
            },
        )
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="The request was not valid; `fields` says what to correct."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in, or the token is missing, wrong or revoked."),
    403: OpenApiResponse(ErrorSerializer, description="Signed in, but not allowed to do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record, or it is outside what you may see."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; slow down."),
}
