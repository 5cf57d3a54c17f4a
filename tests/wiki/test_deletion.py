"""Deletion and undeletion: a deleted page answers 410 with the reason and leaves lists,
search, the sitemap and suggestions; its links turn red; undeletion brings all of it back,
history unchanged. Moderators only, with a reason, and a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from heatwiki.accounts.models import ModerationLog
from heatwiki.wiki.models import Revision
from scenes.models import Location, Scene
from tests import factories

pytestmark = pytest.mark.django_db

DELETE_CONFIRMATION_BUDGET = 9


@pytest.fixture
def place(editor):
    """A location another page links to."""
    page = factories.LocationFactory(title="Wilshire diner", slug="wilshire-diner")
    factories.SceneFactory(title="Late coffee", body="At the [[Wilshire diner]].")
    return Location.objects.get(pk=page.pk)


def linking_html() -> str:
    return Scene.objects.get(title="Late coffee").body_html


def delete(client, page, reason="Spam page"):
    return client.post(page.kind_url("delete"), {"reason": reason})


def test_a_moderator_deletes_a_page_with_a_reason(client, moderator, place):
    client.force_login(moderator)

    response = delete(client, place)

    assert response.status_code == 302
    fresh = Location._base_manager.get(pk=place.pk)
    assert fresh.is_deleted and fresh.deletion_reason == "Spam page"
    entry = ModerationLog.objects.get(action=ModerationLog.Action.DELETE)
    assert (entry.moderator, entry.reason) == (moderator, "Spam page")


def test_a_deleted_page_answers_410_with_the_reason(client, moderator, place):
    client.force_login(moderator)
    delete(client, place)
    reader = Client()

    response = reader.get(place.get_absolute_url())

    assert response.status_code == 410
    assert "Spam page" in response.content.decode()
    for view in ("history", "links", "edit"):
        assert reader.get(place.kind_url(view)).status_code in {302, 410}, view


def test_a_deleted_page_leaves_lists_search_sitemap_and_suggestions(client, moderator, place):
    client.force_login(moderator)
    delete(client, place)
    reader = Client()

    assert "Wilshire diner" not in reader.get(reverse("locations:list")).content.decode()
    results = reader.get("/search/", {"q": "Wilshire diner"}).content.decode()
    assert place.get_absolute_url() not in results
    assert "wilshire-diner" not in reader.get("/sitemap.xml").content.decode()
    suggestions = reader.get("/search/suggest/", {"q": "Wilshire"}).json()
    assert not any("Wilshire" in str(item) for item in suggestions.get("results", suggestions))


def test_links_turn_red_on_delete_and_blue_again_on_undelete(client, moderator, place):
    client.force_login(moderator)
    assert "wikilink--missing" not in linking_html()

    delete(client, place)
    assert "wikilink--missing" in linking_html()

    client.post(place.kind_url("undelete"), {"reason": "Not spam after all"})
    assert "wikilink--missing" not in linking_html()
    assert f'href="{place.get_absolute_url()}"' in linking_html()


def test_undelete_restores_the_page_and_its_history_exactly(client, moderator, place):
    before = list(Revision.objects.filter(page=place).values("number", "snapshot", "author"))
    client.force_login(moderator)
    delete(client, place)

    response = client.post(place.kind_url("undelete"), {"reason": "Mistake"})

    assert response.status_code == 302
    assert Client().get(place.get_absolute_url()).status_code == 200
    after = list(Revision.objects.filter(page=place).values("number", "snapshot", "author"))
    assert after == before
    results = Client().get("/search/", {"q": "Wilshire"}).content.decode()
    assert place.get_absolute_url() in results
    assert ModerationLog.objects.filter(action=ModerationLog.Action.UNDELETE).exists()


def test_moderators_still_read_a_deleted_pages_history(client, moderator, place):
    client.force_login(moderator)
    delete(client, place)

    assert client.get(place.kind_url("history")).status_code == 200
    assert client.get(place.kind_url("revision", number=1)).status_code == 200


def test_the_confirmation_names_the_pages_that_link_here(client, moderator, place):
    client.force_login(moderator)

    response = client.get(place.kind_url("delete"))

    assert response.status_code == 200
    assert "Late coffee" in response.content.decode()
    assert "1 page links here" in response.content.decode()


def test_a_delete_without_a_reason_is_refused(client, moderator, place):
    client.force_login(moderator)

    response = delete(client, place, reason="  ")

    assert response.status_code == 400
    assert not Location._base_manager.get(pk=place.pk).is_deleted


@pytest.mark.parametrize("view", ["delete", "undelete"])
@pytest.mark.parametrize(
    "role,status", [("anonymous", 302), ("editor", 403), ("moderator", None), ("superuser", None)]
)
def test_who_may_delete_and_undelete(client, moderator, editor, place, view, role, status):
    users = {
        "editor": editor,
        "moderator": moderator,
        "superuser": factories.UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    if view == "undelete":
        staff = Client()
        staff.force_login(moderator)
        delete(staff, place)
    if role != "anonymous":
        client.force_login(users[role])

    response = client.post(place.kind_url(view), {"reason": "Because"})

    deleted = Location._base_manager.get(pk=place.pk).is_deleted
    if status is None:
        assert response.status_code == 302
        assert deleted == (view == "delete")
    else:
        assert response.status_code == status
        assert deleted == (view == "undelete"), "nothing changed"


@pytest.mark.parametrize("view", ["delete", "undelete"])
def test_delete_and_undelete_need_the_csrf_token(moderator, place, view):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(moderator)

    response = staff.post(place.kind_url(view), {"reason": "Because"})

    assert response.status_code == 403
    assert not Location._base_manager.get(pk=place.pk).is_deleted


def test_the_delete_confirmation_costs_a_fixed_number_of_queries(
    client, moderator, place, django_assert_max_num_queries
):
    client.force_login(moderator)

    with django_assert_max_num_queries(DELETE_CONFIRMATION_BUDGET):
        assert client.get(place.kind_url("delete")).status_code == 200
