"""A page view costs a fixed number of queries, however many relations the page has."""

import pytest

from heatwiki.works.models import Work
from people.models import Credit, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def scene_with(n: int):
    scene = f.SceneFactory()
    for _ in range(n):
        character = f.CharacterFactory()
        f.CreditFactory(work=scene.work, character=character)
        scene.characters.add(character)
        scene.locations.add(f.LocationFactory())
        f.QuoteFactory(scene=scene, speaker=character)
    return scene


def location_with(n: int):
    location = f.LocationFactory()
    for scene in f.SceneFactory.create_batch(n):
        scene.locations.add(location)
    return location


def person_with(n: int):
    person = f.PersonFactory()
    for i in range(n):
        person.roles.add(Role.objects.create(name=f"Role {i}", slug=f"role-{i}"))
        f.CreditFactory(person=person, source_news=f.NewsItemFactory())
        f.CharacterFactory(inspired_by=person)
        f.NewsItemFactory().people.add(person)
    return person


def character_with(n: int):
    character = f.CharacterFactory(inspired_by=f.PersonFactory())
    for _ in range(n):
        credit = f.CreditFactory(character=character, source_news=f.NewsItemFactory())
        character.works.add(credit.work)
        f.SceneFactory().characters.add(character)
    return character


def work_with(n: int):
    work = f.WorkFactory()
    for _ in range(n):
        f.SceneFactory(work=work)
        f.CreditFactory(work=work, source_news=f.NewsItemFactory())
        f.CreditFactory(work=work, person=None, status=Credit.Status.CASTING)
        f.CharacterFactory().works.add(work)
        f.NewsItemFactory().works.add(work)
    return work


def news_with(n: int):
    item = f.NewsItemFactory()
    for _ in range(n):
        item.people.add(f.PersonFactory())
        item.works.add(f.WorkFactory())
        f.CreditFactory(source_news=item)
    return item


# The page builder and the queries its detail view may run.
BUDGETS = {
    "scene": (scene_with, 5),
    "location": (location_with, 2),
    "person": (person_with, 5),
    "character": (character_with, 4),
    "work": (work_with, 5),
    "news item": (news_with, 4),
}


@pytest.mark.parametrize("kind", BUDGETS)
@pytest.mark.parametrize("relations", [1, 30])
def test_detail_page_query_count_is_fixed(client, django_assert_num_queries, kind, relations):
    build, budget = BUDGETS[kind]
    page = build(relations)
    assert budget <= 6
    with django_assert_num_queries(budget):
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200


def test_home_page_query_count_is_fixed(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200
    work = work_with(30)
    work.status = Work.Status.IN_PRODUCTION
    work.save()
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("kind", ["works", "scenes", "people", "characters", "locations", "news"])
def test_list_page_query_count_is_fixed(client, django_assert_max_num_queries, kind):
    with django_assert_max_num_queries(3):
        assert client.get(f"/{kind}/").status_code == 200
