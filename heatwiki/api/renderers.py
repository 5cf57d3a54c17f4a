import json

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework.renderers import BaseRenderer


class NDJSONRenderer(BaseRenderer):
    """A list as newline-delimited JSON, one item a line; anything else (an error) as a line."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        items = data if isinstance(data, list) else [data]
        lines = (json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False) for item in items)
        return "".join(f"{line}\n" for line in lines).encode()
