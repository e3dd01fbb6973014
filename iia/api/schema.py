"""The OpenAPI schema lists every status an operation can answer, errors included, so a
client (and Schemathesis) can rely on it."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


ERRORS = {
    "400": OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: field name to its messages "
                           "(``non_field_errors`` for the whole request)."),
    "401": OpenApiResponse(ErrorSerializer, description="No valid token or session."),
    "403": OpenApiResponse(ErrorSerializer, description="Your role or your part in the work does not allow this."),
    "404": OpenApiResponse(ErrorSerializer, description="Not found on your boards (or no such page)."),
    "409": OpenApiResponse(ErrorSerializer, description="Someone else has just changed this (the task was "
                           "claimed or completed, or the record was saved meanwhile). Nothing was saved."),
}


class AutoSchema(openapi.AutoSchema):
    def _is_public(self) -> bool:
        return any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _resolve_path_parameters(self, variables):
        """Ids are integers. The routes take any segment (so a malformed id gets a JSON
        404), which would otherwise make the schema call them strings."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] == "id":
                parameter["schema"] = {"type": "integer"}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "404"]
        if not self._is_public():
            codes += ["401", "403"]
        if self.method == "POST":
            codes.append("409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code, direction=direction)
        return responses
