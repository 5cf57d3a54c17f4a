"""Moves: a changed title or address is a revision that says so and a redirect, so old
addresses answer 301 and ``[[Old title]]`` keeps leading to the page."""

import pytest
from django.urls import reverse

from heatwiki.wiki.models import PageLink, PageRedirect
from heatwiki.wiki.services import revert_page, save_page
from heatwiki.wiki.snapshot import take
from scenes.models import Location, Scene
from tests import factories
from tests.formdata import form_data
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db


def move(page, author, **names):
    fresh = type(page).objects.get(pk=page.pk)
    outcome = save_page(
        page=fresh,
        data={**take(fresh), **names},
        author=author,
        base_revision=fresh.current_revision.number,
    )
    return outcome


@pytest.fixture
def kate(editor):
    """The restaurant, and a scene whose body links to it by title."""
    place = factories.LocationFactory(title="Kate Mantilini", slug="kate-mantilini")
    scene = factories.SceneFactory(title="Coffee", body="They meet at [[Kate Mantilini]].")
    return Location.objects.get(pk=place.pk), Scene.objects.get(pk=scene.pk)


def test_a_rename_by_the_edit_form_is_a_move_with_a_redirect(client, editor, kate):
    place, scene = kate
    client.force_login(editor)
    data = form_data(client.get(place.kind_url("edit")))
    data.update(title="Kate Mantilini restaurant", summary="Its full name")

    response = client.post(place.kind_url("edit"), data)

    assert response.status_code == 302
    revision = Location.objects.get(pk=place.pk).current_revision
    assert revision.summary == "Its full name"
    assert revision.is_move and revision.moved_from_title == "Kate Mantilini"
    history = client.get(Location.objects.get(pk=place.pk).kind_url("history"))
    assert "Moved from “Kate Mantilini”" in history.content.decode()
    assert PageRedirect.objects.filter(page=place, title_key="kate mantilini").exists()
    assert "wikilink--missing" not in Scene.objects.get(pk=scene.pk).body_html


def test_the_old_address_answers_301_to_the_new_one_for_every_view(client, editor, kate):
    place, _ = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")

    for old, new in [
        ("/locations/kate-mantilini/", "/locations/kate-mantilini-restaurant/"),
        ("/locations/kate-mantilini/history/", "/locations/kate-mantilini-restaurant/history/"),
        (
            "/locations/kate-mantilini/diff/?from=1&to=2",
            "/locations/kate-mantilini-restaurant/diff/?from=1&to=2",
        ),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new


def test_a_second_move_leaves_one_hop_from_every_old_address(client, editor, kate):
    place, _ = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")
    move(place, editor, title="Kate Mantilini (Wilshire)", slug="kate-mantilini-wilshire")

    for old in ("/locations/kate-mantilini/", "/locations/kate-mantilini-restaurant/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/locations/kate-mantilini-wilshire/"


def test_a_link_by_the_old_title_stays_blue_and_leads_to_the_new_address(editor, kate):
    place, scene = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")

    body_html = Scene.objects.get(pk=scene.pk).body_html
    assert 'href="/locations/kate-mantilini-restaurant/"' in body_html
    assert "wikilink--missing" not in body_html
    link = PageLink.objects.get(source=scene)
    assert link.target_id == place.pk


def test_what_links_here_lists_links_through_an_old_title(client, editor, kate):
    place, scene = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")

    html = client.get("/locations/kate-mantilini-restaurant/links/").content.decode()

    assert scene.get_absolute_url() in html
    assert "via an old title" in html


def test_a_new_page_takes_over_a_redirects_title_only_when_asked(client, editor, kate):
    place, scene = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")
    client.force_login(editor)
    data = form_data(client.get(reverse("locations:create")))
    data.update(title="Kate Mantilini", slug="kate-mantilini", summary="A new page")

    refused = client.post(reverse("locations:create"), data)

    assert refused.status_code == 400
    assert "old name of “Kate Mantilini restaurant”" in refused.content.decode()
    assert 'type="checkbox" name="replace_redirect"' in refused.content.decode()

    data["replace_redirect"] = "on"
    taken = client.post(reverse("locations:create"), data)

    assert taken.status_code == 302
    new = Location.objects.get(slug="kate-mantilini")
    assert not PageRedirect.objects.filter(slug="kate-mantilini").exists()
    assert client.get("/locations/kate-mantilini/").status_code == 200
    assert 'href="/locations/kate-mantilini/"' in Scene.objects.get(pk=scene.pk).body_html
    assert PageLink.objects.get(source=scene).target_id == new.pk


def test_a_move_reverted_by_revert_comes_back_to_its_old_names(client, editor, kate):
    place, scene = kate
    outcome = move(
        place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant"
    )

    revert_page(page=outcome.page, number=outcome.revision.number - 1, author=editor)

    assert client.get("/locations/kate-mantilini/").status_code == 200
    response = client.get("/locations/kate-mantilini-restaurant/")
    assert response.status_code == 301
    assert response["Location"] == "/locations/kate-mantilini/"
    assert not PageRedirect.objects.filter(slug="kate-mantilini").exists()
    assert 'href="/locations/kate-mantilini/"' in Scene.objects.get(pk=scene.pk).body_html


def test_a_rename_in_the_admin_is_a_move_too(client, moderator, kate):
    place, _ = kate
    url = reverse("admin:scenes_location_change", args=[place.pk])
    client.force_login(moderator)
    data = change_form_data(client.get(url))
    data.update(title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")

    assert client.post(url, data).status_code == 302

    response = client.get("/locations/kate-mantilini/")
    assert response.status_code == 301
    assert response["Location"] == "/locations/kate-mantilini-restaurant/"


def test_the_move_log_lists_moves_only(client, editor, kate):
    place, _ = kate
    move(place, editor, title="Kate Mantilini restaurant", slug="kate-mantilini-restaurant")
    move(place, editor, description="Changed, not moved.")

    response = client.get(reverse("wiki:recent-changes"), {"moves": "1"})

    revisions = list(response.context["revisions"])
    assert [(r.moved_from_title, r.title) for r in revisions] == [
        ("Kate Mantilini", "Kate Mantilini restaurant")
    ]
