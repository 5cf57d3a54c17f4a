"""How the OpenAPI schema describes every API operation: beside its own answer, the errors
every one of them can give, each with its JSON body."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERRORS = {
    "400": "A parameter is not valid: `detail` says which and why.",
    "401": "The token is unknown or revoked.",
    "404": "No such page, revision or address.",
    "429": "Over the rate limit: `Retry-After` says in how many seconds to try again.",
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, for people.")


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"], direction=direction
                )
                responses[code] = {**response, "description": description}
        return responses


# Text the site refuses at its edge (heatwiki.edge.inputs): control characters but tab and
# newlines. Every string parameter says so, so that clients (and schemathesis) know.
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"


def text_parameters_refuse_control_characters(result: dict, **kwargs) -> dict:
    """drf-spectacular postprocessing hook: the pattern on every free-text parameter."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"pattern", "enum"} & schema.keys():
                    schema["pattern"] = NO_CONTROL_CHARACTERS
    return result
