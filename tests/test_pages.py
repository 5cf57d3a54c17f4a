"""Every kind has a list and a detail page, reachable by anyone, showing relations both ways."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from heatwiki.wiki.kinds import page_kinds

pytestmark = pytest.mark.django_db

KINDS = [model.url_namespace for model in page_kinds()]


def test_every_kind_is_a_page_kind():
    assert KINDS == ["works", "scenes", "people", "characters", "locations", "news", "files"]


@pytest.mark.parametrize("kind", KINDS)
def test_list_page_shows_the_pages_of_its_kind(client, kind):
    model = next(m for m in page_kinds() if m.url_namespace == kind)
    response = client.get(reverse(f"{kind}:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for page in model.objects.all()[:24]:
        assert page.get_absolute_url() in html


@pytest.mark.parametrize("kind", KINDS)
def test_every_detail_page_answers_with_its_content(client, kind):
    model = next(m for m in page_kinds() if m.url_namespace == kind)
    pages = list(model.objects.all())
    assert pages, f"no seeded {kind}"
    for page in pages:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        assert response.context["object"] == page
        html = response.content.decode()
        assert f"<h1>{escape(page.title)}</h1>" in html
        assert page.body_html in html


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_slug_is_a_styled_404(client, kind):
    response = client.get(reverse(f"{kind}:detail", kwargs={"slug": "no-such-page"}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no" in html and "called “No Such Page” yet" in html
    assert 'class="site-header"' in html
    # Visitors are offered to sign in and create it, and a search for its words.
    assert "to create the" in html
    assert "/search/?q=no+such+page" in html


def test_list_pages_are_paginated(client):
    from tests.factories import PersonFactory

    PersonFactory.create_batch(30)
    first = client.get(reverse("people:list"))
    assert len(first.context["object_list"]) == 24
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("people:list"), {"page": 2})
    assert second.status_code == 200
    assert client.get(reverse("people:list"), {"page": 99}).status_code == 404


def test_scene_page_shows_work_locations_characters_actors_and_quotes(client):
    html = client.get(reverse("scenes:detail", kwargs={"slug": "coffee-shop-stand-off"}))
    html = html.content.decode()
    assert reverse("works:detail", kwargs={"slug": "heat"}) in html
    assert "Scene " in html
    assert reverse("characters:detail", kwargs={"slug": "neil-mccauley"}) in html
    assert "played by" in html and "Robert De Niro" in html and "Al Pacino" in html
    assert "30 seconds flat" in html


def test_scene_names_the_actor_of_its_own_work_only(client):
    html = client.get(reverse("scenes:detail", kwargs={"slug": "showdown-at-lax"})).content
    html = html.decode()
    assert "Robert De Niro" in html
    assert "Stephen Graham" not in html, "Graham plays McCauley in Heat 2, not in Heat (1995)"


def test_location_page_shows_scenes_and_coordinates(client):
    html = client.get(reverse("locations:detail", kwargs={"slug": "fifth-and-flower"}))
    html = html.content.decode()
    assert reverse("scenes:detail", kwargs={"slug": "downtown-bank-heist"}) in html
    assert "34.05" in html and "-118.25" in html


def test_person_page_groups_credits_by_work_with_status_and_source(client):
    html = client.get(reverse("people:detail", kwargs={"slug": "leonardo-dicaprio"}))
    html = html.content.decode()
    assert reverse("works:detail", kwargs={"slug": "heat-2-film"}) in html
    assert "Chris Shiherlis" in html
    assert "Joined, deal not finalised" in html
    assert "source: TheWrap" in html


def test_character_page_shows_who_plays_it_in_each_work(client):
    html = client.get(reverse("characters:detail", kwargs={"slug": "vincent-hanna"}))
    html = html.content.decode()
    assert "Al Pacino" in html and "Christian Bale" in html
    assert reverse("people:detail", kwargs={"slug": "chuck-adamson"}) in html


def test_work_page_shows_scenes_in_order_and_cast_with_status(client):
    heat = client.get(reverse("works:detail", kwargs={"slug": "heat"})).content.decode()
    assert heat.index("crew") < heat.index("LAX")
    sequel = client.get(reverse("works:detail", kwargs={"slug": "heat-2-film"})).content.decode()
    for text in ["Leonardo DiCaprio", "In talks", "In negotiations", "Not yet cast"]:
        assert text in sequel


def test_news_page_shows_source_claim_people_and_works(client):
    from heatwiki.news.models import NewsItem

    item = NewsItem.objects.filter(source_name="TheWrap").first()
    html = client.get(item.get_absolute_url()).content.decode()
    assert "TheWrap" in html
    assert item.get_claim_status_display() in html
    for related in [*item.people.all(), *item.works.all()]:
        assert related.get_absolute_url() in html


def test_home_shows_featured_scene_news_and_heat_2_casting(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("scenes:detail", kwargs={"slug": "coffee-shop-stand-off"}) in html
    assert "Latest news" in html
    casting = html[html.index("Casting:") :]
    for text in ["Chris Shiherlis", "Leonardo DiCaprio", "Vincent Hanna", "Christian Bale",
                 "Stephen Graham", "In talks", "Adam Driver", "In negotiations",
                 "Charlene Shiherlis", "Not yet cast"]:  # fmt: skip
        assert text in casting


def test_navigation_reaches_every_kind_and_marks_the_current_one(client):
    html = client.get(reverse("scenes:list")).content.decode()
    for kind in KINDS:
        assert f'href="{reverse(f"{kind}:list")}"' in html
    assert f'href="{reverse("scenes:list")}" aria-current="page"' in html


@pytest.mark.parametrize("visit", ["first", "from the page cache"])
def test_security_headers_are_sent(client, visit):
    response = client.get(reverse("home"))
    if visit == "from the page cache":
        response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_form_without_its_csrf_token_gets_a_clear_403():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    assert "That form could not be accepted" in response.content.decode()


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_an_unknown_host_gets_the_styled_400_not_a_500():
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "HeatWiki" in response.content.decode()


def test_home_shows_a_bounded_cast_with_a_link_to_the_whole_cast(client):
    from heatwiki.views import HOME_CAST
    from heatwiki.works.models import Work
    from tests import factories

    work = factories.WorkFactory(title="Heat 3", status=Work.Status.ANNOUNCED, year=2030)
    for _ in range(HOME_CAST + 5):
        factories.CreditFactory(work=work)
    html = client.get(reverse("home")).content.decode()
    casting = html[html.index(f'href="{work.get_absolute_url()}">Heat 3</a></h2>') :]
    casting = casting[: casting.index("</section>")]
    assert casting.count('class="casting"') == HOME_CAST
    assert "The whole cast of Heat 3" in casting
