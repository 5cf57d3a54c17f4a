"""What every API response carries: validators with 304s, CORS for reading only, rate limits
with Retry-After; and personal tokens: made on the account page, shown once, stored hashed,
revocable, with the higher limit."""

import re

import pytest
from django.urls import reverse

from heatwiki.accounts import ratelimit
from heatwiki.api.models import ApiToken, hash_token
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from scenes.models import Scene
from tests import factories

pytestmark = pytest.mark.django_db

SCENE = "coffee-shop-stand-off"


def scene_url() -> str:
    return reverse("api:scenes-detail", kwargs={"slug": SCENE})


# Conditional requests -----------------------------------------------------------------------


def test_a_response_is_not_sent_again_while_it_has_not_changed(client):
    first = client.get(scene_url())
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(scene_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    since = client.get(scene_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_an_edit_makes_a_new_etag(client, editor):
    first = client.get(scene_url())
    scene = Scene.objects.get(slug=SCENE)
    save_page(page=scene, data={**take(scene), "description": "New words."}, author=editor)
    after = client.get(scene_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert after.json()["description"] == "New words."


# CORS ---------------------------------------------------------------------------------------


def test_any_site_may_read_the_api(client):
    response = client.get(scene_url(), HTTP_ORIGIN="https://maps.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_offers_reading_only(client):
    response = client.options(
        scene_url(),
        HTTP_ORIGIN="https://maps.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "Authorization" in response["Access-Control-Allow-Headers"]


def test_other_methods_and_the_site_get_no_cors_headers(client):
    assert "Access-Control-Allow-Origin" not in client.post(
        scene_url(), HTTP_ORIGIN="https://x.example"
    )
    assert "Access-Control-Allow-Origin" not in client.get(
        f"/scenes/{SCENE}/", HTTP_ORIGIN="https://x.example"
    )


# Rate limits --------------------------------------------------------------------------------


class StoppedClock:
    """``time`` for the rate limiter, stopped 20 seconds into a minute: the counts of a test
    never straddle two windows."""

    @staticmethod
    def time() -> float:
        return 1_800_000_020.0


@pytest.fixture
def stopped_clock(monkeypatch):
    monkeypatch.setattr(ratelimit, "time", StoppedClock)


def test_anonymous_readers_over_the_limit_get_429_with_retry_after(client, settings, stopped_clock):
    settings.HEATWIKI_API_ANON_RATE = "3/m"
    statuses = [client.get(scene_url()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(scene_url())
    assert limited.status_code == 429 and limited["Retry-After"] == "40"
    assert "throttled" in limited.json()["detail"].lower()


def test_addresses_are_limited_apart(client, settings, stopped_clock):
    settings.HEATWIKI_API_ANON_RATE = "1/m"
    assert client.get(scene_url(), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(scene_url(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(scene_url(), REMOTE_ADDR="10.0.0.2").status_code == 200


# Tokens -------------------------------------------------------------------------------------


def make_token(client, user, name: str = "map app") -> str:
    client.force_login(user)
    response = client.post(reverse("api-tokens"), {"name": name})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    key = re.search(r'id="new-token">([^<]+)<', response.content.decode())[1]
    client.logout()
    return key


def test_a_token_is_shown_once_and_stored_hashed(client, editor):
    key = make_token(client, editor)
    token = ApiToken.objects.get(user=editor)
    assert token.key_hash == hash_token(key) and key not in token.key_hash
    assert key.startswith(token.prefix) and len(key) > 40
    client.force_login(editor)
    page = client.get(reverse("api-tokens")).content.decode()
    assert key not in page and token.prefix in page and "map app" in page


def test_the_token_page_is_for_signed_in_readers(client):
    response = client.get(reverse("api-tokens"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_a_token_raises_the_limit(client, editor, settings, stopped_clock):
    settings.HEATWIKI_API_ANON_RATE, settings.HEATWIKI_API_USER_RATE = "1/m", "3/m"
    key = make_token(client, editor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert [client.get(scene_url(), **auth).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(scene_url()).status_code == 200  # the address's own count


def test_a_revoked_token_no_longer_works(client, editor):
    key = make_token(client, editor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(scene_url(), **auth).status_code == 200
    client.force_login(editor)
    token = ApiToken.objects.get(user=editor)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 302
    client.logout()
    response = client.get(scene_url(), **auth)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_revoked_only_by_their_owner(client, editor):
    token, _ = ApiToken.issue(user=factories.UserFactory(username="other"), name="theirs")
    client.force_login(editor)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Bearer a b", "Token hw_x"])
def test_unknown_or_malformed_tokens_are_401s(client, header):
    assert client.get(scene_url(), HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_records_when_it_was_last_used(client, editor):
    token, key = ApiToken.issue(user=editor, name="bot")
    client.get(scene_url(), HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at is not None
