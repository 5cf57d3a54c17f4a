"""Signed-in readers' pages come from frames stored for all, with each reader's own parts
rendered for them: byte for byte the page they would get rendered in full."""

import re

import pytest
from django.core.cache import caches
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from heatwiki.community.models import Notification, Watch
from heatwiki.pagecache import frames, kept
from heatwiki.wiki.moderation import protect_page
from tests import factories
from tests.pagecache.test_fragments import SCENE, SHARED_PAGES, read, scene, signed_in
from tests.pagecache.test_page_cache import pages_in_redis  # noqa: F401 (a fixture)
from tests.wiki.test_views import change

pytestmark = pytest.mark.django_db

# Besides the pages with shared fragments: lists, an old revision, links, the timeline, a feed.
FRAMED_PAGES = [
    *SHARED_PAGES,
    "/scenes/",
    f"{SCENE}history/1/",
    f"{SCENE}links/",
    "/timeline/",
    "/map/",
    "/recent-changes/feed/",
]


def without_tokens(html: str) -> str:
    """The page without what differs between two requests of one reader: the CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def forget_frames() -> None:
    kept.forget_everything()
    for key in [key for key in caches["pages"]._cache if ":frame:" in key]:
        caches["pages"].delete(key.split(":", 2)[2])


def stored_frames() -> int:
    return sum(":frame:" in key for key in caches["pages"]._cache)


@pytest.mark.parametrize("url", FRAMED_PAGES)
def test_a_page_from_a_frame_is_the_page_rendered_for_that_reader(reader_pair, url):
    first, second = reader_pair
    read(first, url)  # stores the frame, with the first reader's own parts as holes
    assert stored_frames() == 1
    from_frame = read(second, url)
    forget_frames()
    rendered = read(second, url)
    assert without_tokens(from_frame) == without_tokens(rendered)
    assert "<!--own:" not in from_frame and "<!--own:" not in rendered


@pytest.fixture
def reader_pair(editor):
    other = factories.UserFactory(username="second-reader")
    return signed_in(editor), signed_in(other)


def test_each_reader_gets_their_own_name_bell_and_watch_state(editor):
    other = factories.UserFactory(username="other-reader")
    Watch.objects.create(user=other, page=scene(), whole_page=True)
    Notification.objects.create(user=other, kind=Notification.Kind.THANKS, text="Thanks", url="/")
    mine = read(signed_in(editor), SCENE)
    theirs = read(signed_in(other), SCENE)
    assert stored_frames() == 1
    name = f'href="/users/{editor.username}/">{editor.username}</a>'
    assert name in mine and "other-reader" not in mine
    assert "other-reader" in theirs and name not in theirs
    assert 'data-watch="off"' in mine and 'data-watch="on"' in theirs
    assert "data-bell-count" not in mine and re.search(r"data-bell-count>1<", theirs)


def test_moderators_and_editors_never_share_a_frame(editor, moderator):
    editors = read(signed_in(editor), SCENE)
    moderators = read(signed_in(moderator), SCENE)
    assert stored_frames() == 2
    assert ">Protect<" in moderators and ">Protect<" not in editors
    assert ">Moderate<" in moderators and ">Moderate<" not in editors


def test_an_edit_refusal_is_the_reader_s_own(editor, moderator):
    protect_page(page=scene(), moderator=moderator, reason="Edit war")
    fan = signed_in(editor)
    assert "Protected: moderators only" in read(fan, SCENE)
    assert 'href="/scenes/coffee-shop-stand-off/edit/"' in read(signed_in(moderator), SCENE)
    assert "Protected: moderators only" in read(fan, SCENE)


def test_a_change_is_seen_at_once_by_a_reader_served_from_a_frame(editor):
    client = signed_in(editor)
    read(client, SCENE)
    change(scene(), editor, body="A sentence added from another browser.")
    assert "A sentence added from another browser." in read(client, SCENE)


def test_messages_are_shown_once_on_a_page_from_a_frame(editor, client):
    client.force_login(editor)
    read(client, SCENE)  # the frame
    response = client.post(reverse("community:watch", args=[scene().pk]), {"action": "watch"})
    assert response.status_code == 302
    page = read(client, SCENE)
    assert 'class="messages"' in page
    assert 'class="messages"' not in read(client, SCENE)


def test_a_reader_s_own_part_may_not_sit_in_a_shared_one():
    template = Template(
        '{% load fragments %}{% shared "x" %}{% own "name" %}{{ user }}{% endown %}{% endshared %}'
    )
    request = RequestFactory().get("/")
    request.shared_fragments = type("F", (), {"get": lambda *a: None, "put": lambda *a: None})()
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"request": request}))


def test_marks_are_the_process_s_own_and_text_cannot_forge_them():
    """Only marks with this process's nonce make holes: the same text with another is text."""
    hole = frames.Hole("base.html", "me", {})
    forged = "<!--own:0000000000000000:0-->forged<!--/own:0000000000000000:0-->"
    frame, page = frames.split(f"a{forged}b", [hole])
    assert frame == [f"a{forged}b"] and page == f"a{forged}b"
    real = f"<!--own:{frames._NONCE}:0-->mine<!--/own:{frames._NONCE}:0-->"
    frame, page = frames.split(f"a{real}b", [hole])
    assert frame == ["a", hole, "b"] and page == "amineb"


def test_a_frame_from_another_release_is_rendered_in_full(editor):
    """A frame naming a hole this release's templates lack (another release shares the cache
    during a deploy) is not served: the page is rendered and stored again."""
    client = signed_in(editor)
    read(client, SCENE)
    (key,) = [key.split(":", 2)[2] for key in caches["pages"]._cache if ":frame:" in key]
    frame, headers = caches["pages"].get(key)
    gone = frames.Hole("includes/page_tabs.html", "a-hole-of-another-release", {})
    caches["pages"].set(key, ([*frame, gone], headers))
    kept.forget_everything()
    page = read(client, SCENE)
    assert editor.username in page and "a-hole-of-another-release" not in page
    assert caches["pages"].get(key)[0][-1] != gone


def test_a_reader_s_part_in_a_template_made_from_a_string_keeps_the_page_out_of_frames():
    """Such a block could not be found again to render for the next reader."""
    recorder = frames.Recorder()
    request = RequestFactory().get("/")
    request.page_frame = recorder
    html = Template('{% load fragments %}{% own "name" %}mine{% endown %}').render(
        Context({"request": request})
    )
    assert html == "mine"
    assert not recorder.storable and recorder.holes == []


def test_a_frame_stored_on_one_app_server_serves_readers_on_another(
    editor,
    pages_in_redis,  # noqa: F811
    monkeypatch,
):
    server, prefix = pages_in_redis
    other = factories.UserFactory(username="reader-on-another-server")
    read(signed_in(editor), SCENE)
    assert any(b":frame:" in key for key in server.scan_iter(f"{prefix}:*"))
    # Another app server: its own connection to Redis, nothing kept in its memory.
    del caches["pages"]
    kept.forget_everything()
    assembled = []
    assemble = frames.assemble
    monkeypatch.setattr(frames, "assemble", lambda *args: assembled.append(1) or assemble(*args))
    page = read(signed_in(other), SCENE)
    assert assembled and "reader-on-another-server" in page
    assert f">{editor.username}</a>" not in page
    change(scene(), editor, body="Saved on the first server.")
    assert "Saved on the first server." in read(signed_in(other), SCENE)
