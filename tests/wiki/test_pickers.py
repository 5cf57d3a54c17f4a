"""A page picker lists the pages chosen and the first few others; any other page of its kind is
found by typing (tests/browser/test_edit_form.py) and saved like a listed one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heatwiki.wiki import forms
from heatwiki.wiki.services import save_page
from heatwiki.works.models import Work
from people.models import Character, Person
from scenes.models import Scene
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

LISTED = 1


@pytest.fixture
def scene(db, monkeypatch) -> Scene:
    """A seeded scene, its pickers listing one page besides those chosen."""
    monkeypatch.setattr(forms, "PICKER_OPTIONS", LISTED)
    return Scene.objects.get(slug="coffee-shop-stand-off")


def options(html: str, name: str) -> list[tuple[bool, str]]:
    """(selected, title) of each page option of the <select> called ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [
        (bool(s), t) for s, t in re.findall(r'<option value="\d+"( selected)?>([^<]+)<', select)
    ]


def test_the_pages_chosen_are_listed_and_a_few_others(client, editor, scene):
    client.force_login(editor)
    html = client.get(scene.kind_url("edit")).content.decode()
    characters = options(html, "characters")
    chosen = {c.title for c in scene.characters.all()}
    assert {title for selected, title in characters if selected} == chosen
    assert len(characters) <= len(chosen) + LISTED
    assert Character.objects.count() > len(chosen) + LISTED  # so some were left out
    # Each quote's row lists its own speaker.
    for n, quote in enumerate(scene.quotes.select_related("speaker").order_by("position")):
        speakers = options(html, f"quotes-{n}-speaker")
        assert (True, quote.speaker.title) in speakers
        assert len(speakers) <= LISTED + 1


def test_a_page_not_listed_is_saved_when_posted(client, editor, scene):
    client.force_login(editor)
    response = client.get(scene.kind_url("edit"))
    listed = {title for _, title in options(response.content.decode(), "characters")}
    other = Character.objects.exclude(title__in=listed).first()
    data = form_data(response)
    data["characters"] = [*data["characters"], str(other.pk)]
    data["summary"] = "One more character"
    assert client.post(scene.kind_url("edit"), data).status_code == 302
    assert other in Scene.objects.get(pk=scene.pk).characters.all()


def test_rows_read_the_pages_they_hold_beyond_the_list_together(client, editor, monkeypatch):
    """A person's credits each hold a work (and a character): with none of them listed, a
    picker reads them for all rows at once, not a query per row."""
    person = Person.objects.get(slug="michael-mann")
    works = list(Work.objects.order_by("pk")[:3])
    credit = {"job": "director", "character": None, "status": "confirmed", "source_news": None}
    credits = [{**credit, "work": work.pk, "source_url": ""} for work in works]
    data = {**person.current_revision.snapshot, "credits": credits}
    save_page(page=person, data=data, author=editor, summary="Three works")
    client.force_login(editor)
    monkeypatch.setattr(forms, "PICKER_OPTIONS", 0)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(person.kind_url("edit")).content.decode()
    # One query for the rows' works, however many rows hold one.
    assert sum('FROM "works_work"' in query["sql"] for query in queries) == 1
    for n, work in enumerate(works):
        assert options(html, f"credits-{n}-work") == [(True, work.title)]
