"""Limits hold across worker processes without Redis, and gunicorn's own errors carry headers.

Two gunicorn servers of one worker each, on one SQLite file and no Redis, as two workers of
one server would be: requests alternate between them, so each worker sees only some of them.
"""

import os
import re
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed sign-ins"
SECURITY_HEADERS = [
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
]
MAKE_ACCOUNT = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user("fan", "fan@example.com", {PASSWORD!r})
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SECRET_KEY="tests-only-key-for-the-worker-processes-0123456789",
        # Only so that pages find their static files without a collectstatic run: what is
        # counted, and where, does not depend on it.
        DJANGO_DEBUG="on",
        DJANGO_HTTPS="off",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="1",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not start")


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """The ports of two single-worker gunicorn servers sharing one SQLite file."""
    database = tmp_path_factory.mktemp("shared") / "heatwiki.sqlite3"
    env = environment(database)
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", MAKE_ACCOUNT)
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "heatwiki.wsgi"]
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def sign_in(port: int, login: str, password: str) -> tuple[int, str]:
    """A browser's sign-in: the form (and its CSRF cookie), then the POST."""
    connection = HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", "/accounts/login/")
    form = connection.getresponse()
    form.read()
    cookie = SimpleCookie(form.getheader("Set-Cookie"))["csrftoken"].value
    body = urlencode({"login": login, "password": password, "csrfmiddlewaretoken": cookie})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
    }
    connection.request("POST", "/accounts/login/", body, headers)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_five_failed_sign_ins_lock_the_account_however_many_workers_count_them(workers):
    first, second = workers
    for port in (first, second, first, second, first):
        status, html = sign_in(port, "fan", "not the password")
        assert status == 200 and LOCKED not in html

    for port in (second, first):
        status, html = sign_in(port, "fan", PASSWORD)
        assert status == 200, "signed in despite five failures"
        assert LOCKED in html


def test_gunicorns_own_error_pages_carry_the_security_headers(workers):
    with socket.create_connection(("127.0.0.1", workers[0]), timeout=10) as sock:
        sock.sendall(b"NOT A REQUEST LINE\r\n\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert re.match(r"http/1\.1 4\d\d", head), head
    for header in SECURITY_HEADERS:
        assert f"\r\n{header}: " in head, header
