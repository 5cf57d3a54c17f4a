"""Settings come from the environment, safe by default. Each case starts a fresh process."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7Kq2-production-like-key-for-the-deploy-check-9fLm3vRt8wYz1aBcDeFgHi",
    "DJANGO_ALLOWED_HOSTS": "heatwiki.example",
}


def run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess:
    ours = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_", "HEATWIKI_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean["DJANGO_SETTINGS_MODULE"] = "heatwiki.settings"
    return subprocess.run(
        [sys.executable, *code_or_args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_setting(name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_by_default():
    assert read_setting("DEBUG", DJANGO_SECRET_KEY="k" * 50) == "False"


def test_debug_turns_on_only_when_asked():
    assert read_setting("DEBUG", DJANGO_DEBUG="on") == "True"


def test_missing_secret_key_without_debug_fails_with_one_clear_line():
    result = run(["manage.py", "check"])
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "HeatWiki: set DJANGO_SECRET_KEY (a long random string) or DJANGO_DEBUG=on "
        "for local development."
    )


def test_https_settings_are_on_by_default_without_debug():
    assert read_setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert read_setting("SECURE_SSL_REDIRECT", **PRODUCTION, DJANGO_HTTPS="off") == "False"


def test_database_url_selects_postgresql():
    engine = read_setting(
        "DATABASES['default']['ENGINE']",
        **PRODUCTION,
        DATABASE_URL="postgres://wiki@db.example:5432/heatwiki",
    )
    assert engine == "django.db.backends.postgresql"


def test_sqlite_under_var_is_the_default_database():
    name = read_setting("DATABASES['default']['NAME']", **PRODUCTION)
    assert name.endswith("var/heatwiki.sqlite3")


def test_redis_url_makes_redis_the_cache():
    backend = read_setting(
        "CACHES['default']['BACKEND']", **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert backend == "heatwiki.edge.cache.ResilientRedisCache"


def test_the_benchmark_app_is_installed_only_when_asked():
    assert "'heatwiki.bench'" not in read_setting("INSTALLED_APPS", **PRODUCTION)
    assert "'heatwiki.bench'" in read_setting("INSTALLED_APPS", **PRODUCTION, HEATWIKI_BENCH="on")


def test_the_benchmark_app_is_installed_in_development():
    assert "'heatwiki.bench'" in read_setting("INSTALLED_APPS", DJANGO_DEBUG="on")


def test_check_deploy_is_clean_with_production_variables():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_cache_lives_in_redis_when_configured():
    import redis

    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('settings-test', 'in redis', 30); print(cache.get('settings-test'))"
    )
    result = run(["-c", code], **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.stdout.strip() == "in redis", result.stderr
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("heatwiki:*settings-test")
    assert keys, "the value was written to Redis"


def test_uploads_go_to_an_s3_bucket_when_one_is_named():
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; print(type(s).__name__, s.bucket_name, s.url('uploads/a.png'))"
    )
    bucket = {
        "DJANGO_MEDIA_S3_BUCKET": "heatwiki-media",
        "DJANGO_MEDIA_S3_CUSTOM_DOMAIN": "media.heatwiki.example",
    }
    result = run(["-c", code], **PRODUCTION, **bucket)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "heatwiki-media",
        "https://media.heatwiki.example/media/uploads/a.png",
    ]


def test_uploads_stay_on_the_local_disk_by_default():
    assert read_setting("STORAGES['default']['BACKEND']", **PRODUCTION) == (
        "django.core.files.storage.FileSystemStorage"
    )


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_rendered_pages_are_shared_through_redis_when_configured():
    code = (
        "import django; django.setup(); from django.core.cache import caches; "
        "print(type(caches['pages']).__name__, type(caches['default']).__name__)"
    )
    result = run(["-c", code], **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.stdout.split() == ["ResilientRedisCache", "ResilientRedisCache"], result.stderr
