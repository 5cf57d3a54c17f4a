"""Anonymous readers are served rendered pages from the cache, and never an out-of-date one."""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heatwiki.accounts.blocks import block_account, lift_block
from heatwiki.pagecache import variants
from heatwiki.pagecache.invalidation import current_generation
from heatwiki.wiki.moderation import hide_revision, protect_page, unprotect_page
from heatwiki.wiki.services import revert_page, save_page
from scenes.models import Location, Scene
from tests import factories
from tests.accounts.test_limits import REDIS_URL, redis_answers
from tests.formdata import form_data
from tests.test_admin import change_form_data
from tests.wiki.test_views import change, fresh

pytestmark = pytest.mark.django_db

SCENE = "/scenes/coffee-shop-stand-off/"
# What an anonymous reader can open, each served from the cache once seen.
READER_PAGES = [
    "/",
    "/scenes/",
    SCENE,
    "/people/al-pacino/",
    "/locations/lax/",
    "/characters/vincent-hanna/",
    "/works/heat/",
    "/news/dicaprio-and-bale-join-heat-2/",
    f"{SCENE}history/",
    f"{SCENE}history/1/",
    f"{SCENE}diff/?from=1&to=1",
    f"{SCENE}links/",
    "/recent-changes/",
    "/recent-changes/feed/",
    "/news/feed/",
    "/users/HeatWiki/",
    "/sitemap.xml",
]


def scene() -> Scene:
    return Scene.objects.get(slug="coffee-shop-stand-off")


def read(client: Client, url: str = SCENE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", READER_PAGES)
def test_a_page_seen_once_is_served_from_the_cache_with_one_query(
    client, django_assert_num_queries, url
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the content generation
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"] and "no-cache" in again["Cache-Control"]
    assert "Cookie" in again["Vary"]


def test_readers_of_different_variants_never_share_a_stored_page(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(variants, "_parts", [])
    variants.varies_by(lambda request: request.COOKIES.get("seen", "all"))
    client.cookies["seen"] = "film"
    client.get(SCENE)
    with django_assert_num_queries(1):  # the same variant: the stored page
        client.get(SCENE)
    other = Client()
    other.cookies["seen"] = "novel"
    with CaptureQueriesContext(connection) as rendered:
        other.get(SCENE)
    assert len(rendered) > 1  # another variant: rendered, not the stored page
    with django_assert_num_queries(1):
        other.get(SCENE)


def test_headers_the_view_set_are_kept_in_the_cache(client):
    first = client.get("/sitemap.xml")
    assert client.get("/sitemap.xml")["X-Robots-Tag"] == first["X-Robots-Tag"]


def test_an_unchanged_page_answers_304_to_its_etag(client, django_assert_num_queries):
    etag = client.get(SCENE)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(SCENE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_changed_page_answers_200_to_its_old_etag(client, editor):
    etag = client.get(SCENE)["ETag"]
    change(scene(), editor, body="A rewritten account of the meeting.")
    response = client.get(SCENE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "A rewritten account of the meeting." in response.content.decode()


def test_other_pages_etags_do_not_answer_for_this_one(client):
    etag = client.get("/people/al-pacino/")["ETag"]
    assert client.get(SCENE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_edit_through_the_form_is_seen_by_readers_at_once(client, editor):
    reader = Client()
    assert "Typed by a fan just now." not in read(reader)
    assert "Typed by a fan just now." not in read(reader, "/recent-changes/")
    client.force_login(editor)
    edit_url = f"{SCENE}edit/"
    data = {**form_data(client.get(edit_url)), "body": "Typed by a fan just now."}
    data["summary"] = "Fan edit"
    assert client.post(edit_url, data).status_code == 302

    assert "Typed by a fan just now." in read(reader)
    assert "Fan edit" in read(reader, "/recent-changes/")
    assert "Fan edit" in read(reader, f"{SCENE}history/")
    assert "fan" in read(reader, "/")


def test_a_revert_is_seen_by_readers_at_once(client, editor):
    original = scene().body
    change(scene(), editor, body="Vandalised.")
    assert "Vandalised." in read(client)
    revert_page(page=fresh(scene()), number=1, author=editor)
    page = read(client)
    assert "Vandalised." not in page
    assert original.split("\n")[0][:40] in page


def test_protection_is_seen_by_readers_at_once(client, moderator):
    assert "Only moderators can edit this page." not in read(client)
    protect_page(page=scene(), moderator=moderator, reason="Edit war over the diner")
    assert "Edit war over the diner" in read(client)
    unprotect_page(page=scene(), moderator=moderator)
    assert "Only moderators can edit this page." not in read(client)


def test_a_hidden_revision_disappears_for_readers_at_once(client, editor, moderator):
    vandalism = change(scene(), editor, summary="SPAM-SUMMARY", body="SPAM-BODY everywhere")
    for url in (SCENE, f"{SCENE}history/", "/recent-changes/"):
        assert "SPAM-" in read(client, url)
    revision_url = f"{SCENE}history/{vandalism.number}/"
    assert "SPAM-BODY" in read(client, revision_url)

    hide_revision(revision=vandalism, moderator=moderator, reason="Vandalism")

    for url in (SCENE, f"{SCENE}history/", "/recent-changes/"):
        assert "SPAM-" not in read(client, url), url
    assert client.get(revision_url).status_code == 403


def test_a_red_link_turns_blue_for_readers_when_its_page_is_created(client, editor):
    change(scene(), editor, body="They later meet at [[Kate Mantilini]].")
    assert 'class="wikilink wikilink--missing"' in read(client)
    factories.LocationFactory(title="Kate Mantilini", slug="kate-mantilini")
    page = read(client)
    assert 'href="/locations/kate-mantilini/"' in page
    assert "wikilink--missing" not in page


def test_a_related_page_renamed_is_seen_on_the_pages_that_show_it(client, editor):
    location = scene().locations.first()
    assert location.title in read(client)
    change(location, editor, title="Kate Mantilini, Beverly Hills")
    assert "Kate Mantilini, Beverly Hills" in read(client)


def test_an_admin_change_is_seen_by_readers_at_once(client, moderator):
    location = Location.objects.get(slug="lax")
    url = "/locations/lax/"
    assert "Changed in the admin." not in read(client, url)
    admin = Client()
    admin.force_login(moderator)
    admin_url = f"/admin/scenes/location/{location.pk}/change/"
    data = {**change_form_data(admin.get(admin_url)), "body": "Changed in the admin."}
    assert admin.post(admin_url, data).status_code == 302
    assert "Changed in the admin." in read(client, url)


def test_blocks_and_their_lifting_move_the_generation_on(moderator):
    user = factories.UserFactory(username="vandal")
    before = current_generation()
    block = block_account(user=user, moderator=moderator, reason="Vandalism")
    blocked = current_generation()
    lift_block(block=block, moderator=moderator)
    assert before < blocked < current_generation()


def test_a_sign_in_does_not_empty_the_cache(client):
    user = factories.UserFactory(username="reader")
    before = current_generation()
    Client().force_login(user)
    user.refresh_from_db()
    assert user.last_login is not None
    assert current_generation() == before


def test_signed_in_readers_get_their_own_fresh_page(client, editor, moderator):
    anonymous = read(Client())
    assert "Sign in" in anonymous

    client.force_login(editor)
    response = client.get(SCENE)
    mine = response.content.decode()
    assert "fan" in mine and f"{SCENE}edit/" in mine
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response

    other = Client()
    other.force_login(moderator)
    theirs = other.get(SCENE).content.decode()
    assert 'href="/users/mod/"' in theirs
    assert 'href="/users/fan/"' not in theirs
    assert 'href="/users/fan/"' not in read(Client())


def test_a_signed_in_page_is_never_served_to_readers(client, editor):
    client.force_login(editor)
    client.get(SCENE)
    assert 'href="/users/fan/"' not in read(Client())


def test_a_signed_in_reader_is_not_answered_304_from_the_readers_etag(client, editor):
    etag = client.get(SCENE)["ETag"]
    client.force_login(editor)
    response = client.get(SCENE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert 'href="/users/fan/"' in response.content.decode()


def test_a_reader_with_messages_waiting_gets_a_fresh_page(client, editor):
    read(client)
    client.force_login(editor)
    client.post("/accounts/logout/")
    response = client.get(SCENE)
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in read(Client())


def test_error_pages_are_not_cached(client, editor):
    assert client.get("/scenes/not-yet-written/").status_code == 404
    factories.SceneFactory(title="Not yet written", slug="not-yet-written")
    assert client.get("/scenes/not-yet-written/").status_code == 200


def test_a_user_renamed_in_the_admin_is_seen_in_history(client, editor):
    change(scene(), editor, body="A fan's version.")
    assert 'href="/users/fan/"' in read(client, f"{SCENE}history/")
    editor.username = "renamed"
    editor.save()
    assert 'href="/users/renamed/"' in read(client, f"{SCENE}history/")


def test_migrate_moves_the_generation_on(db):
    from django.core.management import call_command

    before = current_generation()
    call_command("migrate", verbosity=0)
    assert current_generation() > before


@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_on_when_the_change_commits_not_before(client):
    """The real after-commit path: a reader rendering during the transaction still sees the
    old rows, so the page it caches must be replaced once the change commits."""
    page = factories.LocationFactory(title="Kate Mantilini", slug="kate-mantilini")
    url = page.get_absolute_url()
    author = factories.UserFactory(username="committer")
    assert "Sandwiches." not in read(client, url)
    before = current_generation()
    with transaction.atomic():
        save_page(page=fresh(page), data={"body": "Sandwiches."}, author=author)
        assert current_generation() == before
    assert current_generation() > before
    assert "Sandwiches." in read(client, url)


@pytest.fixture
def pages_in_redis(settings):
    """The page cache in Redis, as on app servers with REDIS_URL set, under its own prefix."""
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    import redis

    prefix = f"heatwiki-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    server = redis.Redis.from_url(REDIS_URL)
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_app_servers_share_rendered_pages_through_redis(
    client, editor, pages_in_redis, django_assert_num_queries
):
    server, prefix = pages_in_redis
    first = client.get(SCENE)
    assert list(server.scan_iter(f"{prefix}:*")), "the page was stored in Redis"
    del caches["pages"]  # another app server: its own connection to Redis
    with django_assert_num_queries(1):
        assert Client().get(SCENE).content == first.content
    change(scene(), editor, body="Seen on every server.")
    del caches["pages"]
    assert "Seen on every server." in read(Client())
