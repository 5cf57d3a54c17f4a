import re

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.templatetags.static import static

        url = static("css/heatwiki.css")
    assert re.fullmatch(r"/static/css/heatwiki\.[0-9a-f]{12}\.css", url)
    hashed = tmp_path / url.removeprefix("/static/")
    assert hashed.exists()
    assert hashed.with_name(hashed.name + ".gz").exists()
