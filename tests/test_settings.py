"""Settings come from the environment, safe by default.

Each environment is read in a fresh process, and one process per environment answers all the
questions the tests ask of it: every setting in ``SETTINGS``, and the environment's ``PROBES``
(code whose printed output is the answer). Starting Django costs far more than the questions.
"""

import functools
import json
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
BUCKET = {
    "DJANGO_MEDIA_S3_BUCKET": "heatwiki-media",
    "DJANGO_MEDIA_S3_CUSTOM_DOMAIN": "media.heatwiki.example",
}
ENVIRONMENTS = {
    "secret key only": {"DJANGO_SECRET_KEY": "k" * 50},
    "debug": {"DJANGO_DEBUG": "on"},
    "production": PRODUCTION,
    "production over plain HTTP": {**PRODUCTION, "DJANGO_HTTPS": "off"},
    "production on PostgreSQL": {
        **PRODUCTION,
        "DATABASE_URL": "postgres://wiki@db.example:5432/heatwiki",
    },
    "production with Redis": {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/15"},
    "production with an S3 bucket": {**PRODUCTION, **BUCKET},
    "production with the benchmark": {**PRODUCTION, "HEATWIKI_BENCH": "on"},
}
# Read in every environment.
SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "DATABASES['default']['ENGINE']",
    "DATABASES['default']['NAME']",
    "CACHES['default']['BACKEND']",
    "STORAGES['default']['BACKEND']",
    "INSTALLED_APPS",
]
# Run only where asked: what the code prints is the answer.
PROBES = {
    "production": {
        "check --deploy": (
            "from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING')"
        ),
    },
    "production with Redis": {
        "cache round trip": (
            "from django.core.cache import cache; "
            "cache.set('settings-test', 'in redis', 120); print(cache.get('settings-test'))"
        ),
        "cache classes": (
            "from django.core.cache import caches; "
            "print(type(caches['pages']).__name__, type(caches['default']).__name__)"
        ),
    },
    "production with an S3 bucket": {
        "default storage": (
            "from django.core.files.storage import storages; s = storages['default']; "
            "print(type(s).__name__, s.bucket_name, s.url('uploads/a.png'))"
        ),
    },
}
# The process's script: every question is answered on its own, so one that fails (say, Redis
# down) shows as that answer's error and leaves the others alone. Settings are read from the
# settings module itself; the apps are loaded only for probes, which need them.
ANSWER_ALL = """
import contextlib, io, json, sys, traceback
import django
from django.conf import settings
names, probes = json.loads(sys.argv[1])
if probes:
    django.setup()
answers = {}
for name in names:
    try:
        answers[name] = {"ok": str(eval("settings." + name))}
    except Exception:
        answers[name] = {"error": traceback.format_exc()}
for name, code in probes.items():
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(code, {})
        answers[name] = {"ok": out.getvalue()}
    except BaseException:
        answers[name] = {"error": out.getvalue() + traceback.format_exc()}
print(json.dumps(answers))
"""


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


@functools.cache
def answers(environment: str) -> dict[str, dict[str, str]]:
    """All the answers of one fresh process started with the environment's variables."""
    questions = json.dumps([SETTINGS, PROBES.get(environment, {})])
    result = run(["-c", ANSWER_ALL, questions], **ENVIRONMENTS[environment])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def answer(environment: str, question: str) -> str:
    """A setting's value (as text) or what a probe printed, in that environment."""
    found = answers(environment)[question]
    assert "error" not in found, found["error"]
    return found["ok"]


def read_setting(name: str, environment: str) -> str:
    return answer(environment, name).strip()


def test_debug_is_off_by_default():
    assert read_setting("DEBUG", "secret key only") == "False"


def test_debug_turns_on_only_when_asked():
    assert read_setting("DEBUG", "debug") == "True"


def test_missing_secret_key_without_debug_fails_with_one_clear_line():
    result = run(["manage.py", "check"])
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "HeatWiki: set DJANGO_SECRET_KEY (a long random string) or DJANGO_DEBUG=on "
        "for local development."
    )


def test_https_settings_are_on_by_default_without_debug():
    assert read_setting("SECURE_SSL_REDIRECT", "production") == "True"
    assert read_setting("SECURE_SSL_REDIRECT", "production over plain HTTP") == "False"


def test_database_url_selects_postgresql():
    engine = read_setting("DATABASES['default']['ENGINE']", "production on PostgreSQL")
    assert engine == "django.db.backends.postgresql"


def test_sqlite_under_var_is_the_default_database():
    name = read_setting("DATABASES['default']['NAME']", "production")
    assert name.endswith("var/heatwiki.sqlite3")


def test_redis_url_makes_redis_the_cache():
    backend = read_setting("CACHES['default']['BACKEND']", "production with Redis")
    assert backend == "heatwiki.edge.cache.ResilientRedisCache"


def test_the_benchmark_app_is_installed_only_when_asked():
    assert "'heatwiki.bench'" not in read_setting("INSTALLED_APPS", "production")
    assert "'heatwiki.bench'" in read_setting("INSTALLED_APPS", "production with the benchmark")


def test_the_benchmark_app_is_installed_in_development():
    assert "'heatwiki.bench'" in read_setting("INSTALLED_APPS", "debug")


def test_check_deploy_is_clean_with_production_variables():
    assert "System check identified no issues" in answer("production", "check --deploy")


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_cache_lives_in_redis_when_configured():
    import redis

    assert answer("production with Redis", "cache round trip").strip() == "in redis"
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("heatwiki:*settings-test")
    assert keys, "the value was written to Redis"


def test_uploads_go_to_an_s3_bucket_when_one_is_named():
    assert answer("production with an S3 bucket", "default storage").split() == [
        "S3Storage",
        "heatwiki-media",
        "https://media.heatwiki.example/media/uploads/a.png",
    ]


def test_uploads_stay_on_the_local_disk_by_default():
    assert read_setting("STORAGES['default']['BACKEND']", "production") == (
        "django.core.files.storage.FileSystemStorage"
    )


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_rendered_pages_are_shared_through_redis_when_configured():
    classes = answer("production with Redis", "cache classes")
    assert classes.split() == ["ResilientRedisCache", "ResilientRedisCache"]
