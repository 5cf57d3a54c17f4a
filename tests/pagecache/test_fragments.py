"""Signed-in readers get the shared parts of pages from the cache, and never an old one or
another reader's."""

import pickle
import re
import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from heatwiki.accounts.blocks import block_account, lift_block
from heatwiki.pagecache import fragments, variants
from heatwiki.wiki.moderation import hide_revision, protect_page, unprotect_page
from scenes.models import Scene
from tests import factories
from tests.pagecache.test_page_cache import pages_in_redis  # noqa: F401 (a fixture)
from tests.wiki.test_views import change

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)

SCENE = "/scenes/coffee-shop-stand-off/"
# What a signed-in reader opens whose shared parts come from the cache, once seen.
SHARED_PAGES = [
    "/",
    SCENE,
    "/people/al-pacino/",
    "/locations/lax/",
    "/characters/vincent-hanna/",
    "/works/heat/",
    "/news/dicaprio-and-bale-join-heat-2/",
    f"{SCENE}history/",
    f"{SCENE}diff/?from=1&to=1",
    "/recent-changes/",
    "/users/HeatWiki/",
]


def scene() -> Scene:
    return Scene.objects.get(slug="coffee-shop-stand-off")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(client: Client, url: str = SCENE) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "private" in response["Cache-Control"]
    return response.content.decode()


def without_token(html: str) -> str:
    """The page without what differs between two requests of one reader: the CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def reader(db):
    """A confirmed account that never edits: its name appears on no page but its own."""
    return factories.UserFactory(username=f"reader-{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("url", SHARED_PAGES)
def test_a_signed_in_page_seen_once_takes_four_queries_at_most(
    reader, django_assert_max_num_queries, url
):
    client = signed_in(reader)
    first = read(client, url)
    # The session, the content generation (which keys the shared parts and the reader's
    # standing, a block and a confirmed address, alike) and the header's unread notifications
    # (with whether the reader watches the page); a user's page counts their thanks too.
    with django_assert_max_num_queries(4 if url.startswith("/users/") else 3):
        again = read(client, url)
    assert without_token(again) == without_token(first)
    assert reader.username in again  # the header is the reader's own


def test_another_reader_gets_the_shared_parts_with_their_own_header(
    reader, editor, django_assert_max_num_queries
):
    read(signed_in(reader), SCENE)
    other = signed_in(editor)
    # The session, the generation, the editor's account and standing, and their notifications.
    with django_assert_max_num_queries(5):
        page = read(other, SCENE)
    assert editor.username in page
    assert reader.username not in page


def stored_fragments() -> str:
    """Everything the pages cache holds, as text (the local-memory cache keeps it pickled)."""
    cache = caches["pages"]
    values = [pickle.loads(value) for value in cache._cache.values()]
    return repr(values)


def test_no_reader_s_name_or_token_is_ever_stored_in_a_shared_part(reader):
    client = signed_in(reader)
    for url in SHARED_PAGES:
        read(client, url)
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    stored = stored_fragments()
    assert "fragment:" in "".join(caches["pages"]._cache)
    assert reader.username not in stored
    assert "csrfmiddlewaretoken" not in stored
    if token:
        assert token not in stored


def test_a_moderator_s_view_of_a_hidden_revision_never_reaches_an_editor(reader, editor, moderator):
    vandalism = change(scene(), editor, summary="SPAM-SUMMARY", body="SPAM-BODY everywhere")
    hide_revision(revision=vandalism, moderator=moderator, reason="Vandalism")
    mod, fan = signed_in(moderator), signed_in(reader)
    diff = f"{SCENE}diff/?from={vandalism.number - 1}&to={vandalism.number}"
    # The moderator first, so their parts are stored before the reader asks; then again.
    for _ in range(2):
        for url in (f"{SCENE}history/", "/recent-changes/", f"/users/{editor.username}/"):
            assert "SPAM-SUMMARY" in read(mod, url), url
            assert "SPAM-SUMMARY" not in read(fan, url), url
        assert "SPAM-BODY" in read(mod, diff)
        assert fan.get(diff).status_code == 403
        assert "/hide/" in read(mod, f"{SCENE}history/")
        assert "/hide/" not in read(fan, f"{SCENE}history/")


def test_an_edit_is_seen_by_every_signed_in_reader_at_once(reader, editor):
    fan, other = signed_in(reader), signed_in(editor)
    for url in (SCENE, f"{SCENE}history/", "/recent-changes/", "/"):
        read(fan, url), read(other, url)
    revision = change(scene(), editor, summary="Diner fixed", body="Seen at once.")
    for client in (fan, other):
        assert "Seen at once." in read(client)
        assert "Diner fixed" in read(client, f"{SCENE}history/")
        assert "Diner fixed" in read(client, "/recent-changes/")
        assert f"Revision {revision.number}</a>" in read(client, f"{SCENE}diff/")


def test_a_related_page_renamed_is_seen_on_the_scene_at_once(reader, editor):
    fan = signed_in(reader)
    location = scene().locations.first()
    assert location.title in read(fan)
    change(location, editor, title="Kate Mantilini, Beverly Hills")
    assert "Kate Mantilini, Beverly Hills" in read(fan)


def test_protection_is_seen_by_every_signed_in_reader_at_once(reader, moderator):
    fan, mod = signed_in(reader), signed_in(moderator)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(fan)
    read(mod)
    protect_page(page=scene(), moderator=moderator, reason="Edit war over the diner")
    page = read(fan)
    assert "Edit war over the diner" in page
    assert "Protected: moderators only" in page
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' not in page
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(mod)  # moderators still edit
    unprotect_page(page=scene(), moderator=moderator)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(fan)
    assert "Edit war over the diner" not in read(fan)


def test_a_block_is_seen_at_once_by_the_blocked_reader(reader, moderator):
    fan = signed_in(reader)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(fan)
    block = block_account(user=reader, moderator=moderator, reason="Vandalism")
    page = read(fan)
    assert "Blocked indefinitely" in page
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' not in page
    lift_block(block=block, moderator=moderator)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(fan)


def test_a_confirmed_address_is_seen_at_once_by_its_owner(db):
    newcomer = factories.UserFactory(
        username=f"new-{uuid.uuid4().hex[:8]}", email_address__verified=False
    )
    fan = signed_in(newcomer)
    assert "Confirm your e-mail to edit" in read(fan)
    address = EmailAddress.objects.get(user=newcomer)
    address.verified = True
    address.save()
    page = read(fan)
    assert "Confirm your e-mail to edit" not in page
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in page


def test_a_block_that_runs_out_ends_at_once_though_nothing_announces_it(
    reader, moderator, monkeypatch
):
    fan = signed_in(reader)
    block_account(
        user=reader, moderator=moderator, reason="Cool off", expires_at=timezone.now() + DAY
    )
    assert "Blocked until" in read(fan)
    # Two days on, its end has come by itself: no save, no signal, the generation as it was.
    later = timezone.now() + 2 * DAY
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(fan)


def test_shared_parts_vary_by_the_reader_s_variant(
    reader, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(variants, "_parts", [])
    seen = []

    def works_seen(request) -> str:
        seen.append(request.user.is_authenticated)
        return request.COOKIES.get("seen", "all")

    variants.varies_by(works_seen)
    client = signed_in(reader)
    read(client)
    with django_assert_max_num_queries(4):  # the same variant: the stored parts
        read(client)
    keys = set(caches["pages"]._cache)
    client.cookies["seen"] = "heat-1995"
    read(client)
    added = set(caches["pages"]._cache) - keys
    # Another variant: its own parts, and its own frame (heatwiki.pagecache.frames).
    assert sorted(key.split(":")[2] for key in added) == ["fragment", "frame"]
    assert fragments.fragment_key is not None and seen


def test_a_save_on_one_app_server_is_seen_on_another_at_once(
    reader,
    editor,
    pages_in_redis,  # noqa: F811
):
    server, prefix = pages_in_redis
    fan = signed_in(reader)
    read(fan)
    read(fan, f"{SCENE}history/")
    assert any(b"fragment:" in key for key in server.scan_iter(f"{prefix}:*"))
    del caches["pages"]  # another app server: its own connection to Redis
    change(scene(), editor, summary="From the other server", body="Seen on every server.")
    assert "Seen on every server." in read(fan)
    assert "From the other server" in read(fan, f"{SCENE}history/")


def test_a_diff_seen_by_a_reader_then_signed_in_offers_thanks(reader, editor):
    """A stored comparison keeps the revisions' numbers alone: readers of another standing
    (here signed in, with Thank buttons) get an entry of their own."""
    change(scene(), editor, body="A second account of the meeting.")
    url = f"{SCENE}diff/?from=1&to=2"
    assert Client().get(url).status_code == 200
    page = read(signed_in(reader), url)
    assert "data-thank" in page
