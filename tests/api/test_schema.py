"""The OpenAPI schema, checked against the running API by schemathesis: every operation with a
bounded number of generated requests (a fixed seed), none answered with a 5xx, every answer as
the schema says (status, headers, content type, body).

The schema is generated when the tests are collected (no database is open then), and a test
checks that /api/schema/ serves exactly that schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db

# Generated requests per operation: about forty operations, so a few hundred requests in all.
EXAMPLES = 5

GENERATED = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(GENERATED)
schema.app = get_wsgi_application()


def test_the_served_schema_is_json_and_the_one_tested(client):
    served = client.get(reverse("api-schema")).json()
    assert served == GENERATED
    assert "/api/v1/scenes/{slug}/revisions/{number}/" in served["paths"]
    assert served["info"]["license"]["name"] == "CC BY-SA 4.0"


def test_the_docs_are_served_from_this_site_without_inline_scripts(client):
    page = client.get(reverse("api-docs"))
    html = page.content.decode()
    assert page.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "<script>" not in html and "https://cdn" not in html and "<style" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


@pytest.fixture
def in_process(settings):
    """Requests go straight to the WSGI application, in the test's transaction: as Django's
    test client does, the connection is not closed at the end of each (PostgreSQL would lose
    the test's data), and the limit is not what is tested here."""
    settings.HEATWIKI_API_ANON_RATE = "100000/m"
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_as_its_schema_says(case, in_process):
    case.call_and_validate()
