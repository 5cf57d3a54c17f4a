"""Abuse limits: sign-in lockouts, sign-ups and edits, counted in the (shared) cache."""

import os
import re
import time
import uuid
from datetime import timedelta

import allauth.core.internal.ratelimit as allauth_ratelimit
import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts import ratelimit
from heatwiki.accounts.adapter import LOCKED_OUT
from heatwiki.accounts.ratelimit import edit_rate_exceeded, parse_rate
from scenes.models import Location
from tests import factories
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = reverse("account_login")
SIGNUP = reverse("account_signup")


class ShiftedClock:
    """``time`` as seen by a rate limiter, with a clock that can be moved forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def __getattr__(self, name):  # monotonic, sleep …: the real ones
        return getattr(time, name)


@pytest.fixture
def allauth_clock(monkeypatch) -> ShiftedClock:
    """allauth keeps the time of each failed try and drops those older than the window."""
    clock = ShiftedClock()
    monkeypatch.setattr(allauth_ratelimit, "time", clock)
    return clock


@pytest.fixture
def edit_clock(monkeypatch) -> ShiftedClock:
    clock = ShiftedClock()
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


def sign_in(client: Client, login: str, password: str = PASSWORD, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"login": login, "password": password}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def form_errors(response) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get("__all__", [])]


def fail(client: Client, login: str, times: int, ip: str = "127.0.0.1") -> None:
    for _ in range(times):
        response = sign_in(client, login, "not the password", ip=ip)
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated


# Sign-in lockout --------------------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_account_with_a_clear_message(client, editor):
    fail(client, "fan", 5)

    response = sign_in(client, "fan")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert form_errors(response) == [LOCKED_OUT]
    assert "Too many failed sign-ins" in response.content.decode()


def test_four_failed_sign_ins_do_not_lock_the_account(client, editor):
    fail(client, "fan", 4)
    assert signed_in(sign_in(client, "fan"))


def test_a_locked_account_does_not_lock_others_on_the_same_address(client, editor):
    factories.UserFactory(username="neighbour")
    fail(client, "fan", 5)

    assert signed_in(sign_in(Client(), "neighbour"))
    assert not signed_in(sign_in(Client(), "fan"))


def test_a_locked_account_stays_locked_from_another_address(client, editor):
    fail(client, "fan", 5, ip="10.0.0.1")
    assert not signed_in(sign_in(Client(), "fan", ip="10.9.9.9"))


def test_username_and_email_count_against_the_same_account(client, editor):
    """Typing the e-mail address instead of the username gives no fresh tries."""
    fail(client, "fan", 3)
    fail(client, "FAN@example.com", 2)

    for login in ("fan", "fan@example.com", "Fan"):
        response = sign_in(Client(), login)
        assert not signed_in(response), login
        assert form_errors(response) == [LOCKED_OUT]


def test_a_successful_sign_in_does_not_reset_the_failures(client, editor):
    """allauth rolls back the successful try only: an attacker cannot slip in good sign-ins."""
    fail(client, "fan", 4)
    assert signed_in(sign_in(Client(), "fan"))
    fail(client, "fan", 1)
    assert not signed_in(sign_in(Client(), "fan"))


def test_many_failures_from_one_address_lock_the_address(client, editor):
    for n in range(20):  # a different unknown account each time: the address is the common part
        response = sign_in(client, f"nobody{n}", "guess")
        assert form_errors(response) != [LOCKED_OUT]

    locked = sign_in(Client(), "fan")
    assert not signed_in(locked)
    assert form_errors(locked) == [LOCKED_OUT]
    assert signed_in(sign_in(Client(), "fan", ip="10.20.30.40"))


def test_the_account_signs_in_again_after_the_cool_off(client, editor, allauth_clock):
    fail(client, "fan", 5)
    allauth_clock.advance(4 * 60)
    assert not signed_in(sign_in(Client(), "fan"))

    allauth_clock.advance(61)  # five minutes after the failures

    assert signed_in(sign_in(Client(), "fan"))


def test_the_address_signs_in_again_after_the_cool_off(client, editor, allauth_clock):
    for n in range(20):
        sign_in(client, f"nobody{n}", "guess")
    allauth_clock.advance(14 * 60)
    assert not signed_in(sign_in(Client(), "fan"))

    allauth_clock.advance(61)  # fifteen minutes after the failures

    assert signed_in(sign_in(Client(), "fan"))


def test_a_password_reset_unlocks_the_account(client, editor):
    fail(client, "fan", 5)
    client.post(reverse("account_reset_password"), {"email": "fan@example.com"})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]
    new_password = "a brand new passphrase"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    assert signed_in(sign_in(Client(), "fan", new_password))


# Sign-ups ---------------------------------------------------------------------------------------


def signup_data(n: int) -> dict:
    password = "a sturdy passphrase 42"
    return {
        "username": f"newfan{n}",
        "email": f"newfan{n}@example.com",
        "password1": password,
        "password2": password,
    }


def test_sign_ups_over_the_limit_get_a_429_with_a_clear_message(settings, db):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        assert Client().post(SIGNUP, signup_data(n)).status_code == 302

    response = Client().post(SIGNUP, signup_data(2))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Slow down a little" in html
    assert "too many times in a short while" in html
    assert 'class="site-header"' in html  # the site's own 429 page
    assert not factories.UserFactory._meta.model.objects.filter(username="newfan2").exists()


def test_the_sign_up_limit_is_per_address(settings, db):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    assert Client().post(SIGNUP, signup_data(0), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert Client().post(SIGNUP, signup_data(1), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert Client().post(SIGNUP, signup_data(2), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_the_sign_up_page_itself_is_never_limited(settings, db):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    Client().post(SIGNUP, signup_data(0))
    assert Client().get(SIGNUP).status_code == 200


# Edits ------------------------------------------------------------------------------------------


def edit_form(client: Client, url: str) -> dict:
    """What a browser sends back for the edit form at ``url``, untouched."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response)


def save_edit(client: Client, page, body: str):
    data = edit_form(client, page.kind_url("edit"))
    data.update(body=body, summary="Rate test")
    return client.post(page.kind_url("edit"), data)


@pytest.fixture
def page():
    return factories.LocationFactory()


def test_saves_over_the_new_account_rate_get_a_429(client, editor, page, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    client.force_login(editor)
    assert save_edit(client, page, "First.").status_code == 302
    assert save_edit(client, page, "Second.").status_code == 302

    response = save_edit(client, page, "Third.")

    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent 2 edits in a short while" in html
    assert "new accounts have a lower limit" in html
    page = Location.objects.get(pk=page.pk)
    assert page.body == "Second."
    assert page.current_revision.number == 3
    # Reading and opening the form are not limited; only saving is.
    assert client.get(page.kind_url("edit")).status_code == 200


def test_creating_and_reverting_count_as_edits(client, editor, page, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    client.force_login(editor)
    save_edit(client, page, "Changed.")
    revert = reverse("locations:revert", kwargs={"slug": page.slug, "number": 1})
    assert client.post(revert).status_code == 302

    data = edit_form(client, reverse("locations:create"))
    data.update(title="A new spot", slug="a-new-spot", city="Los Angeles", body="New.")
    response = client.post(reverse("locations:create"), data)

    assert response.status_code == 429
    assert not Location.objects.filter(slug="a-new-spot").exists()
    assert client.post(revert).status_code == 429


def test_older_accounts_get_the_higher_rate(client, page, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "1/h"
    settings.HEATWIKI_EDIT_RATE = "3/h"
    veteran = factories.UserFactory(date_joined=timezone.now() - timedelta(days=2))
    client.force_login(veteran)
    for n in range(3):
        assert save_edit(client, page, f"Edit {n}.").status_code == 302

    response = save_edit(client, page, "One too many.")

    assert response.status_code == 429
    assert "You have sent 3 edits" in response.content.decode()
    assert "new accounts" not in response.content.decode()


def test_saves_are_allowed_again_in_the_next_window(client, editor, page, settings, edit_clock):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "1/h"
    client.force_login(editor)
    assert save_edit(client, page, "First.").status_code == 302
    assert save_edit(client, page, "Second.").status_code == 429

    edit_clock.advance(3600)

    assert save_edit(client, page, "Second, later.").status_code == 302


@pytest.mark.parametrize(
    "rate, expected",
    [
        ("60/h", (60, 3600)),
        ("10/h", (10, 3600)),
        ("5/s", (5, 1)),
        ("30/m", (30, 60)),
        ("500/d", (500, 86400)),
        ("100/15m", (100, 900)),
        ("2/1h", (2, 3600)),
        (" 7 / 2d ", (7, 172800)),
    ],
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize(
    "rate", ["", "60", "60/", "/h", "60/w", "sixty/h", "60/h/ip", "0/h", "10/0m", "-1/h", "1.5/h"]
)
def test_parse_rate_refuses_malformed_rates_clearly(rate):
    with pytest.raises(ValueError, match="not of the form"):
        parse_rate(rate)


def test_new_accounts_get_the_new_account_rate(settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    settings.HEATWIKI_EDIT_RATE = "4/h"
    newcomer = factories.UserFactory(date_joined=timezone.now() - timedelta(hours=23))
    veteran = factories.UserFactory(date_joined=timezone.now() - timedelta(hours=25))

    new_results = [edit_rate_exceeded(newcomer) for _ in range(3)]
    old_results = [edit_rate_exceeded(veteran) for _ in range(5)]

    assert new_results[:2] == [None, None]
    assert "new accounts have a lower limit for their first day" in new_results[2]
    assert old_results[:4] == [None] * 4
    assert old_results[4].startswith("You have sent 4 edits")
    assert "new accounts" not in old_results[4]


def test_each_account_has_its_own_edit_count(settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "1/h"
    first, second = factories.UserFactory(), factories.UserFactory()
    assert edit_rate_exceeded(first) is None
    assert edit_rate_exceeded(second) is None
    assert edit_rate_exceeded(first) is not None


# Shared cache: the counters hold across app servers ----------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no Redis, no test
        return False


@pytest.fixture
def shared_cache(settings):
    """The cache in Redis, as on servers with REDIS_URL set, under a prefix of its own.

    The prefix's keys are deleted afterwards, rather than flushing a Redis others may use.
    """
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    import redis

    prefix = f"heatwiki-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}:{alias}",
        }
        for alias in ("default", "pages")
    }
    server = redis.Redis.from_url(REDIS_URL)
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def another_app_server() -> None:
    """Forget this process's cache connection: the next request connects afresh, as another
    app server would, so whatever it sees must have come from Redis."""
    del caches["default"]


def test_failed_sign_ins_are_counted_across_app_servers(editor, shared_cache):
    server, prefix = shared_cache
    first, second = Client(), Client()
    fail(first, "fan", 3, ip="10.0.0.1")
    another_app_server()
    fail(second, "fan", 2, ip="10.0.0.2")
    another_app_server()

    assert server.keys(f"{prefix}:*allauth:rl:allauth.account:login_failed*")
    assert form_errors(sign_in(first, "fan", ip="10.0.0.1")) == [LOCKED_OUT]
    assert form_errors(sign_in(second, "fan", ip="10.0.0.2")) == [LOCKED_OUT]


def test_sign_ups_are_counted_across_app_servers(db, settings, shared_cache):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    assert Client().post(SIGNUP, signup_data(0)).status_code == 302
    another_app_server()
    assert Client().post(SIGNUP, signup_data(1)).status_code == 302
    another_app_server()
    assert Client().post(SIGNUP, signup_data(2)).status_code == 429


def test_edits_are_counted_across_app_servers(editor, page, settings, shared_cache):
    server, prefix = shared_cache
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(editor)

    assert save_edit(first, page, "From the first server.").status_code == 302
    another_app_server()
    assert save_edit(second, page, "From the second server.").status_code == 302
    another_app_server()

    assert server.keys(f"{prefix}:*rate:edit:{editor.pk}:*")
    assert save_edit(first, page, "Third.").status_code == 429
    assert save_edit(second, page, "Fourth.").status_code == 429
