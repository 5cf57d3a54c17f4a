import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic with hashed, compressed names, run once (compressing takes seconds).

    Without the third-party bundles (the API docs' Swagger UI and ReDoc, the accessibility
    test's axe-core): megabytes that cost a minute to compress and that no page of ours
    refers to from its CSS."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=STORAGES):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["drf_spectacular_sidecar", "axe-core"],
        )
    return root


def test_collectstatic_writes_hashed_and_compressed_files(static_root):
    with override_settings(STATIC_ROOT=static_root, STORAGES=STORAGES):
        from django.templatetags.static import static

        url = static("css/heatwiki.css")
    assert re.fullmatch(r"/static/css/heatwiki\.[0-9a-f]{12}\.css", url)
    hashed = static_root / url.removeprefix("/static/")
    assert hashed.exists()
    assert hashed.with_name(hashed.name + ".gz").exists()


def test_hashed_static_files_are_served_compressed_and_cached_for_a_year(static_root):
    production = {"WHITENOISE_USE_FINDERS": False, "WHITENOISE_AUTOREFRESH": False}
    with override_settings(STATIC_ROOT=static_root, STORAGES=STORAGES, **production):
        from django.templatetags.static import static

        url = static("css/heatwiki.css")
        whitenoise = WhiteNoiseMiddleware(get_response=lambda request: HttpResponse(status=404))
        response = whitenoise(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
    assert max_age >= 365 * 24 * 3600
