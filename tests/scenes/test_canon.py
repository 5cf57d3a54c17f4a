"""Canon and certainty badges: a scene's source (its work's kind unless the editor sets one),
and a credit's (production, or reporting with its news item's claim status)."""

from django.test import Client

from people.models import Credit
from scenes.models import Scene
from tests.factories import CreditFactory, NewsItemFactory, SceneFactory, UserFactory, WorkFactory
from tests.formdata import form_data


def test_a_scene_shows_its_works_kind_until_an_editor_sets_its_source(db):
    novel = WorkFactory(title="Zq Book", slug="zq-book", kind="novel", year=2100)
    scene = SceneFactory(title="Zq told", slug="zq-told", work=novel, position=1)
    page = Client().get(scene.get_absolute_url()).content.decode()
    assert 'class="canon canon--novel"' in page
    client = Client()
    client.force_login(UserFactory(username="canon-editor"))
    data = form_data(client.get(scene.kind_url("edit")))
    data.update(canon="production", summary="known from filming")
    assert client.post(scene.kind_url("edit"), data).status_code == 302
    assert Scene.objects.get(pk=scene.pk).canon == "production"
    page = Client().get(scene.get_absolute_url()).content.decode()
    assert 'class="canon canon--production"' in page and ">Production<" in page
    # Under revision like every field: the diff names it.
    diff = Client().get(scene.kind_url("diff")).content.decode()
    assert "Production" in diff


def test_seeded_novel_scenes_are_marked_as_the_novels(db):
    scene = Scene.objects.get(slug="after-the-shootout")
    assert scene.canon == "novel"
    assert 'canon--novel"' in Client().get(scene.get_absolute_url()).content.decode()


def test_credits_show_production_or_reporting_with_the_claim(db):
    work = WorkFactory(title="Zq Next", slug="zq-next", year=None, status="in_production")
    rumour = NewsItemFactory(title="Zq Rumour", slug="zq-rumour", claim_status="rumour")
    credit = CreditFactory(work=work, status=Credit.Status.IN_TALKS, source_news=rumour)
    CreditFactory(work=work, status=Credit.Status.IN_TALKS)
    html = Client().get(work.get_absolute_url()).content.decode()
    assert 'class="canon canon--reporting canon--rumour"' in html and "Reporting: rumour" in html
    assert 'class="canon canon--production"' in html
    assert credit.person.title in html
