"""Every error answer carries the security headers, whichever layer made it."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from heatwiki.pagecache import cache as page_cache
from tests.security.test_reported_requests import assert_refused_cleanly

pytestmark = pytest.mark.django_db


def client(**kwargs) -> Client:
    return Client(raise_request_exception=False, **kwargs)


def test_400_for_a_disallowed_host():
    response = client().get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_refused_cleanly(response, response.status_code)


@override_settings(SECURE_SSL_REDIRECT=True)
def test_400_for_a_disallowed_host_on_the_https_redirect():
    # Raised inside SecurityMiddleware itself, which then adds no headers of its own.
    response = client().get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_refused_cleanly(response, response.status_code)


def test_403_for_a_failed_csrf_check():
    response = client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert response.status_code == 403
    assert_refused_cleanly(response, response.status_code)


def test_404():
    response = client().get("/no-such-place/")
    assert response.status_code == 404
    assert_refused_cleanly(response, response.status_code)


def test_405():
    response = client().post(reverse("search"))
    assert response.status_code == 405
    assert_refused_cleanly(response, response.status_code)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_413_for_a_body_too_large():
    response = client().post(reverse("account_login"), {"login": "x" * 5000})
    assert response.status_code == 413
    assert_refused_cleanly(response, response.status_code)
    assert "larger than the wiki accepts" in response.content.decode()


def test_429(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    data = {"username": "a", "email": "a@example.com", "password1": "x", "password2": "y"}
    for _ in range(2):
        response = client().post(reverse("account_signup"), data)
    assert response.status_code == 429
    assert_refused_cleanly(response, response.status_code)


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_500_from_a_view():
    response = client().get("/test-fails/")
    assert response.status_code == 500
    assert_refused_cleanly(response, response.status_code)


def test_500_from_a_middleware(monkeypatch):
    def broken():
        raise RuntimeError("the page cache fails, on purpose")

    monkeypatch.setattr(page_cache, "current_generation", broken)
    response = client().get("/")
    assert response.status_code == 500
    assert_refused_cleanly(response, response.status_code)


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_503():
    response = client().get("/test-unavailable/")
    assert response.status_code == 503
    assert_refused_cleanly(response, response.status_code)
