"""The seed_content command: idempotent, and the facts it loads land where they belong."""

from io import StringIO

import pytest
from django.core.management import call_command

from heatwiki.news.models import NewsItem
from heatwiki.works.models import Work
from people.models import Character, Credit, Person, Role
from scenes.models import Location, Quote, Scene

pytestmark = pytest.mark.django_db

PAGE_MODELS = [Work, Scene, Person, Character, Location, NewsItem]
MODELS = [
    *PAGE_MODELS,
    Role,
    Credit,
    Quote,
    Person.roles.through,
    Character.works.through,
    Scene.locations.through,
    Scene.characters.through,
    NewsItem.people.through,
    NewsItem.works.through,
]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


@pytest.fixture(autouse=True)
def seeded() -> None:
    # The session fixture has loaded the content (tests/conftest.py, again after a transactional
    # test emptied the tables); load it here only if it is missing. The tests that load it again
    # say so.
    if not Scene.objects.filter(slug="coffee-shop-stand-off").exists():
        call_command("seed_content", verbosity=0)


def test_running_again_leaves_the_same_rows():
    before = row_counts()
    call_command("seed_content", verbosity=0)
    assert row_counts() == before


def test_running_again_keeps_the_same_pages_and_credits():
    pages = {model: set(model.objects.values_list("id", "slug")) for model in PAGE_MODELS}
    credits = set(Credit.objects.values_list("id", "person", "work", "job", "character"))
    call_command("seed_content", verbosity=0)
    assert {model: set(model.objects.values_list("id", "slug")) for model in PAGE_MODELS} == pages
    assert set(Credit.objects.values_list("id", "person", "work", "job", "character")) == credits


def test_running_again_keeps_what_the_community_edited():
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    scene.body = "Rewritten by a fan."
    scene.save()
    scene.locations.clear()
    call_command("seed_content", verbosity=0)
    scene.refresh_from_db()
    assert scene.body == "Rewritten by a fan."
    assert not scene.locations.exists()


def test_prints_a_one_line_summary():
    out = StringIO()
    call_command("seed_content", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    for kind in ["works", "scenes", "people", "characters", "locations", "news items", "credits"]:
        assert kind in lines[0]


@pytest.mark.parametrize(
    ("model", "minimum"),
    [(Work, 3), (Scene, 7), (Location, 5), (Person, 16), (Character, 8), (NewsItem, 5)],
)
def test_minimum_counts(model, minimum):
    assert model.objects.count() >= minimum


@pytest.mark.parametrize("model", PAGE_MODELS)
def test_every_page_has_a_description_and_rendered_body(model):
    for page in model.objects.all():
        assert page.body_html.strip(), page.slug
        assert 0 < len(page.description) <= 300, page.slug
        assert "[[" not in page.body, page.slug


def test_works():
    heat = Work.objects.get(slug="heat")
    assert (heat.title, heat.kind, heat.year, heat.status) == ("Heat", "film", 1995, "released")
    novel = Work.objects.get(slug="heat-2-novel")
    assert (novel.title, novel.kind, novel.year, novel.status) == (
        "Heat 2 (novel)",
        "novel",
        2022,
        "released",
    )
    film = Work.objects.get(slug="heat-2-film")
    assert (film.title, film.kind, film.year, film.status) == (
        "Heat 2 (film)",
        "film",
        None,
        "in_production",
    )
    assert "November 2026" in film.body


def test_scenes_of_heat_in_film_order():
    heat_scenes = list(Scene.objects.filter(work__slug="heat").order_by("position"))
    slugs = [scene.slug for scene in heat_scenes]
    assert slugs.index("coffee-shop-stand-off") < slugs.index("downtown-bank-heist")
    assert slugs.index("downtown-bank-heist") < slugs.index("showdown-at-lax")
    assert slugs[-1] == "showdown-at-lax"
    assert all(scene.locations.exists() and scene.characters.exists() for scene in heat_scenes)


def test_coffee_shop_scene():
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    assert scene.featured
    assert set(scene.characters.values_list("slug", flat=True)) == {
        "neil-mccauley",
        "vincent-hanna",
    }
    quote = scene.quotes.get(text__contains="30 seconds flat")
    assert quote.speaker.slug == "neil-mccauley"
    assert quote.speaker.title == "Neil McCauley"


def test_bank_heist_and_lax_scenes():
    heist = Scene.objects.get(slug="downtown-bank-heist")
    assert heist.locations.filter(slug="fifth-and-flower").exists()
    assert "North Valleys" in heist.body
    lax = Scene.objects.get(slug="showdown-at-lax")
    assert lax.locations.filter(slug="lax").exists()
    assert {"vincent-hanna", "neil-mccauley"} <= set(lax.characters.values_list("slug", flat=True))


def test_hanna_marriage_quote():
    quote = Quote.objects.get(text__contains="remnants of dead people")
    assert quote.speaker.slug == "justine-hanna"


def test_locations():
    corner = Location.objects.get(slug="fifth-and-flower")
    assert corner.has_coordinates
    assert round(float(corner.latitude), 2) == 34.05
    assert round(float(corner.longitude), 2) == -118.26
    assert corner.still_standing is True
    assert corner.city == "Los Angeles"
    assert Location.objects.get(slug="lax").has_coordinates
    assert Location.objects.filter(title__icontains="Bob's Big Boy").exists()
    assert Location.objects.filter(title__icontains="Sheriff").exists()


def test_people_have_roles():
    assert set(Person.objects.get(slug="michael-mann").roles.values_list("slug", flat=True)) >= {
        "director",
        "writer",
    }
    assert Person.objects.get(slug="dante-spinotti").roles.filter(slug="cinematographer").exists()
    assert Person.objects.get(slug="neil-mccauley").title == "Neil McCauley"
    assert not Person.objects.filter(roles__isnull=True).exists()


def test_characters_inspired_by_real_people():
    hanna = Character.objects.get(slug="vincent-hanna")
    assert hanna.inspired_by.slug == "chuck-adamson"
    neil = Character.objects.get(slug="neil-mccauley")
    assert neil.inspired_by == Person.objects.get(slug="neil-mccauley")
    assert set(neil.works.values_list("slug", flat=True)) == {
        "heat",
        "heat-2-novel",
        "heat-2-film",
    }
    assert Character.objects.get(slug="otis-wardell").works.filter(slug="heat-2-film").exists()


def test_heat_credits():
    heat = Work.objects.get(slug="heat")
    credits = Credit.objects.filter(work=heat)
    assert set(credits.values_list("status", flat=True)) == {"confirmed"}
    mann_jobs = set(credits.filter(person__slug="michael-mann").values_list("job", flat=True))
    assert mann_jobs == {"director", "writer"}
    assert credits.filter(person__slug="dante-spinotti", job="cinematographer").exists()
    cast = dict(credits.actors().values_list("person__slug", "character__slug"))
    assert cast["al-pacino"] == "vincent-hanna"
    assert cast["robert-de-niro"] == "neil-mccauley"
    assert cast["val-kilmer"] == "chris-shiherlis"
    assert cast["kevin-gage"] == "waingro"
    assert cast["amy-brenneman"] == "eady"


def test_novel_credit():
    assert Credit.objects.filter(
        work__slug="heat-2-novel", person__slug="michael-mann", job="writer"
    ).exists()


def test_dicaprio_joined_heat_2_as_chris_shiherlis_reported_by_thewrap():
    credit = Credit.objects.get(work__slug="heat-2-film", person__slug="leonardo-dicaprio")
    assert credit.job == "actor"
    assert credit.character.slug == "chris-shiherlis"
    assert credit.status == "joined"
    assert credit.source_news.source_name == "TheWrap"
    assert credit.source_news.source_url == ""
    assert credit.source_news.published_on is None
    assert credit.source_news.people.filter(slug="leonardo-dicaprio").exists()


@pytest.mark.parametrize(
    ("person", "character", "status"),
    [
        ("christian-bale", "vincent-hanna", "joined"),
        ("stephen-graham", "neil-mccauley", "in_talks"),
        ("adam-driver", "otis-wardell", "in_negotiations"),
    ],
)
def test_heat_2_film_casting(person, character, status):
    credit = Credit.objects.get(work__slug="heat-2-film", person__slug=person)
    assert (credit.character.slug, credit.status) == (character, status)
    assert credit.source_news.people.filter(slug=person).exists()


def test_charlene_is_still_being_cast():
    credit = Credit.objects.get(work__slug="heat-2-film", character__slug="charlene-shiherlis")
    assert credit.person is None
    assert credit.status == "casting"
    assert credit.source_news.claim_status == "rumour"


def test_every_heat_2_film_credit_has_a_source_news_item():
    credits = Credit.objects.filter(work__slug="heat-2-film")
    assert credits.count() >= 5
    for credit in credits:
        assert credit.source_news is not None, credit
        assert credit.source_news.works.filter(slug="heat-2-film").exists()


def test_news_items():
    for item in NewsItem.objects.all():
        assert item.claim_status in NewsItem.ClaimStatus.values
        assert item.works.exists(), item.slug
        assert item.source_url == ""
        assert item.published_on is None
    novel_news = NewsItem.objects.get(works__slug="heat-2-novel")
    assert novel_news.claim_status == "confirmed"
    assert NewsItem.objects.filter(title__contains="November 2026").exists()
