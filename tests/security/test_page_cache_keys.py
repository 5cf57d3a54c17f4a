"""The page cache keys only the query parameters a view reads: strangers cannot fill it."""

import pytest
from django.core.cache import caches
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def stored(kind: str) -> int:
    """Entries of the pages cache (local memory, as in the tests' settings) of one kind."""
    return sum(f":{kind}:" in key for key in caches["pages"]._cache)


def stored_pages() -> int:
    return len(caches["pages"]._cache) - stored("fragment") - stored("standing") - stored("frame")


@pytest.mark.parametrize(
    "url",
    ["/scenes/", "/scenes/coffee-shop-stand-off/", "/recent-changes/", "/recent-changes/feed/"],
)
def test_fifty_junk_query_strings_make_one_stored_page(url):
    first = Client().get(url)
    assert first.status_code == 200
    assert stored_pages() == 1

    for n in range(50):
        junk = f"utm_source=spam{n}&x{n}={n}&fbclid={'a' * n}"
        response = Client().get(f"{url}?{junk}")
        assert response.status_code == 200
        assert response.content == first.content, "the view never saw the junk"
        assert response["ETag"] == first["ETag"]

    assert stored_pages() == 1
    assert stored("fragment") <= 1  # the view's shared parts, if it has any


def test_a_parameter_the_view_reads_still_makes_its_own_page(editor):
    for n in range(60):  # two pages of changes
        factories.LocationFactory(title=f"Spot {n}", slug=f"spot-{n}")
    first = Client().get("/recent-changes/")
    second = Client().get("/recent-changes/?page=2&utm=1")
    assert second.status_code == 200
    assert second.content != first.content
    assert stored_pages() == 2
    assert Client().get("/recent-changes/?utm=2&page=2").content == second.content
    assert stored_pages() == 2


def test_dropped_parameters_do_not_appear_in_the_stored_page():
    response = Client().get("/scenes/?page=1&tracker=leaked-value")
    assert b"leaked-value" not in response.content
    assert b"tracker" not in response.content
    html = Client().get("/scenes/?page=1").content
    assert html == response.content


def test_signed_in_readers_keep_every_parameter(client, editor):
    client.force_login(editor)
    response = client.get("/recent-changes/?kind=scenes&tracker=kept")
    assert response.status_code == 200
    assert response.wsgi_request.GET["tracker"] == "kept"
    assert stored_pages() == 0
    # The shared parts are keyed by the parameters the view reads alone, and hold none other.
    assert stored("fragment") == 1
    for n in range(20):
        assert client.get(f"/recent-changes/?kind=scenes&tracker=t{n}").status_code == 200
    assert stored("fragment") == 1
    # So are the frames of signed-in readers' pages (the reader's own parts keep the address).
    assert stored("frame") == 1
    assert "tracker" not in repr(list(caches["pages"]._cache.values()))
