"""The casting tracker: each role's history read back from its credit's revisions and the
news cited, including a status that went backwards; its feed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from heatwiki.wiki.layers import COOKIE
from heatwiki.wiki.models import Revision
from heatwiki.wiki.services import record_revision, system_account
from people.models import Credit
from tests.factories import CharacterFactory, NewsItemFactory, PersonFactory, WorkFactory


@pytest.fixture
def board(db):
    work = WorkFactory(title="Zq Sequel", slug="zq-sequel", year=None, status="in_production")
    chris = CharacterFactory(title="Zq Chris", slug="zq-chris")
    wardell = CharacterFactory(title="Zq Wardell", slug="zq-wardell")
    star = PersonFactory(title="Zq Star", slug="zq-star")
    villain = PersonFactory(title="Zq Villain", slug="zq-villain")
    news = {
        name: NewsItemFactory(title=f"Zq {name}", slug=f"zq-{name}", source_name=f"Paper {name}")
        for name in ["rumour", "talks", "walked-back", "joined"]
    }
    for item in news.values():
        item.works.set([work])
    credit = Credit.objects.create(
        person=star, work=work, character=chris, status="rumoured", source_news=news["rumour"]
    )
    start = timezone.now() - timedelta(days=10)

    def record(page, day: int, summary: str) -> Revision:
        revision = record_revision(page=page, author=system_account(), summary=summary)
        Revision.objects.filter(pk=revision.pk).update(created_at=start + timedelta(days=day))
        return revision

    Revision.objects.filter(page__in=[star, villain]).update(created_at=start)
    record(star, 1, "rumoured")
    Credit.objects.filter(pk=credit.pk).update(status="in_talks", source_news=news["talks"])
    record(star, 2, "in talks")
    Credit.objects.filter(pk=credit.pk).update(status="rumoured", source_news=news["walked-back"])
    record(star, 3, "talks reported off")
    Credit.objects.filter(pk=credit.pk).update(
        status="joined", source_news=news["joined"], source_url="https://example.com/joined"
    )
    record(star, 4, "joined")
    Credit.objects.create(person=villain, work=work, character=wardell, status="in_negotiations")
    record(villain, 5, "villain")
    # A minor edit elsewhere on the page is no step.
    PersonFactory._meta.model.objects.filter(pk=star.pk).update(description="Changed.")
    record(star, 6, "description")
    return {"work": work, "news": news, "star": star, "villain": villain}


def test_history_is_read_back_from_revisions_and_sources(board):
    from heatwiki.works.casting import casting

    roles = {role.name: role for role in casting(board["work"])}
    chris = roles["Zq Chris"]
    assert chris.current.person == board["star"] and chris.current.status == "joined"
    assert [s.status for s in chris.steps] == ["rumoured", "in_talks", "rumoured", "joined"]
    assert [s.backwards for s in chris.steps] == [False, False, True, False]
    news = board["news"]
    expected = [news["rumour"], news["talks"], news["walked-back"], news["joined"]]
    assert [s.source_news for s in chris.steps] == expected
    assert chris.steps[-1].source_url == "https://example.com/joined"
    numbers = [s.revision.number for s in chris.steps]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    assert chris.steps[0].revision_url == f"/people/zq-star/history/{numbers[0]}/"
    assert [s.status for s in roles["Zq Wardell"].steps] == ["in_negotiations"]


def test_a_role_left_is_a_step(board):
    from heatwiki.works.casting import casting

    Credit.objects.filter(person=board["villain"]).delete()
    record_revision(page=board["villain"], author=system_account(), summary="dropped out")
    roles = {role.name: role for role in casting(board["work"])}
    assert [s.status for s in roles["Zq Wardell"].steps] == ["in_negotiations", "left"]
    assert roles["Zq Wardell"].current is None


def test_hidden_revisions_are_not_steps(board):
    from heatwiki.works.casting import casting

    talks = Revision.objects.get(page=board["star"], summary="in talks")
    Revision.objects.filter(pk=talks.pk).update(hidden_at=timezone.now())
    chris = next(r for r in casting(board["work"]) if r.name == "Zq Chris")
    assert "in_talks" not in [s.status for s in chris.steps]


def test_the_page_links_each_step_to_its_source_and_revision(board):
    html = Client().get("/works/zq-sequel/casting/").content.decode()
    assert "Casting of Zq Sequel" in html
    for item in board["news"].values():
        assert item.get_absolute_url() in html
    assert "/people/zq-star/history/" in html
    assert html.count("casting-step--backwards") == 1
    assert "(went back)" in html


def test_the_feed_lists_changes_newest_first(board):
    response = Client().get("/works/zq-sequel/casting/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    titles = body.split("<title>")[2:]
    assert titles[0].startswith("Zq Wardell: Zq Villain, in negotiations")
    assert "Zq Chris: Zq Star, joined, deal not finalised" in body
    assert "/people/zq-star/history/" in body


def test_a_reader_who_left_the_work_out_gets_no_casting(board):
    client = Client()
    client.cookies[COOKIE] = "heat"
    page = client.get("/works/zq-sequel/casting/").content.decode()
    assert "Zq Star" not in page and "hidden" in page
    assert client.get("/works/zq-sequel/casting/feed/").status_code == 404


def test_unknown_work_is_404(db):
    assert Client().get("/works/no-such-work/casting/").status_code == 404


def test_seeded_heat_2_casting(db):
    html = Client().get("/works/heat-2-film/casting/").content.decode()
    for name in ["Leonardo DiCaprio", "Christian Bale", "Adam Driver", "Otis Wardell"]:
        assert name in html


def test_casting_queries_do_not_grow_with_steps(board):
    """Found, read and shown in a fixed number of queries however many revisions and roles."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(address: str) -> int:
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(address).status_code == 200
        return len(queries)

    addresses = ["/works/zq-sequel/casting/", "/works/zq-sequel/casting/feed/"]
    before = [count(address) for address in addresses]
    for n in range(3):
        person = PersonFactory(title=f"Zq extra {n}", slug=f"zq-extra-{n}")
        Credit.objects.create(
            person=person,
            work=board["work"],
            character=CharacterFactory(title=f"Zq role {n}", slug=f"zq-role-{n}"),
            status="rumoured",
            source_news=board["news"]["rumour"],
        )
        record_revision(page=person, author=system_account(), summary="cast")
    assert [count(address) for address in addresses] == before
    assert before[0] <= 9
