"""What one save costs: the revision service stays within a fixed number of queries for a
scene with several locations, characters and quotes, and moves the generation on once."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from heatwiki.search.models import SearchDocument
from heatwiki.wiki.services import record_revision, save_page
from heatwiki.wiki.snapshot import take
from people.models import Character
from scenes.models import Location, Scene
from tests import factories

SAVE_BUDGET = 20
real_on_commit = transaction.on_commit


@pytest.fixture
def after_commit(monkeypatch, django_capture_on_commit_callbacks):
    """What runs after the commit (the generation bump, search indexing) runs once the block
    ends, as it does in production, rather than at once as in other database tests."""
    monkeypatch.setattr(transaction, "on_commit", real_on_commit)
    return django_capture_on_commit_callbacks


@pytest.fixture
def busy_scene(editor):
    """A scene with 3 locations, 5 characters, 2 quotes and wiki links in its body."""
    scene = factories.SceneFactory(body="Neil meets [[Vincent Hanna]] at [[Kate Mantilini]].")
    scene.locations.set(Location.objects.all()[:3])
    characters = list(Character.objects.all()[:5])
    scene.characters.set(characters)
    for position, speaker in enumerate(characters[:2], start=1):
        factories.QuoteFactory(scene=scene, speaker=speaker, position=position)
    record_revision(page=scene, author=editor)
    return Scene.objects.get(pk=scene.pk)


def edited(scene: Scene) -> dict:
    data = take(scene)
    data["body"] += "\n\nA new paragraph linking [[Chris Shiherlis]]."
    data["locations"] = data["locations"][:2]
    return data


@pytest.mark.django_db
def test_a_save_of_a_busy_scene_stays_within_budget(busy_scene, editor, after_commit):
    data = edited(busy_scene)

    with CaptureQueriesContext(connection) as queries, after_commit(execute=True):
        outcome = save_page(page=busy_scene, data=data, author=editor, base_revision=2)

    assert outcome.revision.number == 3
    assert len(queries) <= SAVE_BUDGET, "\n".join(q["sql"][:120] for q in queries)


@pytest.mark.django_db
def test_a_save_moves_the_generation_on_once_and_indexes_after_commit(
    busy_scene, editor, after_commit
):
    with CaptureQueriesContext(connection) as queries, after_commit(execute=True) as callbacks:
        save_page(page=busy_scene, data=edited(busy_scene), author=editor, base_revision=2)
        indexed_before_commit = SearchDocument.objects.get(page_id=busy_scene.pk).body_text

    bumps = [q for q in queries if 'UPDATE "pagecache_contentgeneration"' in q["sql"]]
    assert len(bumps) == 1
    assert len(callbacks) == 2  # the bump and the revision-committed hook
    assert "Chris Shiherlis" not in indexed_before_commit
    assert "Chris Shiherlis" in SearchDocument.objects.get(page_id=busy_scene.pk).body_text
