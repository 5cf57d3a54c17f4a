"""Snapshots: a page's whole state as JSON, restored exactly, shown as it was, described."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heatwiki.news.models import NewsItem
from heatwiki.wiki.describe import describe, describe_many
from heatwiki.wiki.models import FilePage, PageLink, Revision, WikiPage
from heatwiki.wiki.replay import as_page
from heatwiki.wiki.services import record_revision, revert_page, save_page
from heatwiki.wiki.snapshot import take
from heatwiki.works.models import Work
from people.models import Character, Credit, Person, Role
from scenes.models import Location, Quote, Scene
from tests import factories

pytestmark = pytest.mark.django_db

# Columns the engine keeps itself; they are not part of a page's content.
ENGINE_COLUMNS = {
    "page_kind",
    "protected_at",
    "protected_by",
    "protection_reason",
    "protected_until",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
    "title_key",
    "body_html",
    "current_revision",
    "created_at",
    "updated_at",
}


def seeded(model, slug: str):
    return model.objects.get(slug=slug)


def db_state(page: WikiPage) -> dict:
    """The page's rows as the database holds them, read with the ORM, not with snapshots.

    Every column of the page (engine columns aside), every many-to-many relation and every
    column of every owned row (its id and its link back to the page aside).
    """
    model = type(page)
    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in engine_columns(model)
    ]
    state = model.objects.filter(pk=page.pk).values(*columns).get()
    fresh = model.objects.get(pk=page.pk)
    for f in model._meta.many_to_many:
        state[f.name] = sorted(getattr(fresh, f.name).values_list("pk", flat=True))
    for name in model.owned_rows:
        relation = model._meta.get_field(name)
        row_columns = [
            f.attname
            for f in relation.related_model._meta.concrete_fields
            if not f.primary_key and f != relation.field
        ]
        rows = getattr(fresh, name).values_list(*row_columns)
        state[name] = sorted(rows, key=repr)
    return state


def content_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in engine_columns(model)
    ]


def engine_columns(model) -> set[str]:
    # File pages have no infobox image of their own: the column is always empty.
    return ENGINE_COLUMNS | (set() if model.has_infobox_image else {"image"})


# Each kind: a page with a non-default value in every field, relations and owned rows set
# (saved by other means and recorded, as the admin does), and a snapshot changing all of it.


def work_case() -> tuple[WikiPage, dict]:
    page = factories.WorkFactory(
        image=image(),
        title="Thief",
        slug="thief-test",
        description="Michael Mann's first feature.",
        body="A safecracker wants out.\n\nSee [[Heat]].",
        kind=Work.Kind.NOVEL,
        year=1981,
        status=Work.Status.IN_PRODUCTION,
    )
    changed = {
        "title": "Thief (1981 film)",
        "slug": "thief-1981",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "kind": "film",
        "year": 1982,
        "status": "announced",
    }
    return page, changed


def scene_case() -> tuple[WikiPage, dict]:
    work, other_work = factories.WorkFactory(), factories.WorkFactory()
    page = factories.SceneFactory(
        image=image(),
        title="The drive-in",
        slug="drive-in-test",
        description="A scene made by the tests.",
        body="Neil drives.",
        work=work,
        position=3,
        start_timecode=timedelta(hours=1, minutes=2, seconds=3),
        end_timecode=timedelta(hours=1, minutes=9, seconds=30, microseconds=500000),
        featured=True,
        story_date=date(1995, 6, 1),
        story_period="Summer 1995",
        canon="film",
    )
    neil, hanna, eady = (seeded(Character, s) for s in ["neil-mccauley", "vincent-hanna", "eady"])
    page.locations.set([seeded(Location, "lax"), seeded(Location, "fifth-and-flower")])
    page.characters.set([neil, hanna])
    Quote.objects.create(scene=page, position=1, speaker=neil, text="Line one.")
    Quote.objects.create(scene=page, position=2, speaker=hanna, text="Line two.\nAnd more.")
    changed = {
        "title": "The drive-in, later",
        "slug": "drive-in-later",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "work": other_work.pk,
        "position": 4,
        "start_timecode": "00:10:00",
        "end_timecode": "00:12:00",
        "featured": False,
        "story_date": "1988-01-01",
        "story_period": "1988",
        "canon": "novel",
        "locations": [seeded(Location, "hanna-house").pk],
        "characters": [eady.pk],
        "quotes": [{"position": 7, "speaker": None, "text": "Another line."}],
    }
    return page, changed


def location_case() -> tuple[WikiPage, dict]:
    page = factories.LocationFactory(
        image=image(),
        title="Union Station",
        slug="union-station-test",
        description="A station.",
        body="Trains.",
        address="800 N Alameda St",
        city="Los Angeles",
        latitude=Decimal("34.05610"),
        longitude=Decimal("-118.23650"),
        stands_for="A hotel lobby",
        still_standing=False,
        visitor_notes="Open daily.\nFree to enter.",
    )
    changed = {
        "title": "Union Station (LA)",
        "slug": "union-station-la",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "address": "Alameda St",
        "city": "LA",
        "latitude": "-33.50000",
        "longitude": "151.25000",
        "stands_for": "An airport",
        "still_standing": True,
        "visitor_notes": "Closed.",
    }
    return page, changed


def person_case() -> tuple[WikiPage, dict]:
    page = factories.PersonFactory(
        image=image(),
        title="Wes Studi",
        slug="wes-studi-test",
        description="Actor.",
        body="Plays a cop.",
    )
    heat, heat_2 = seeded(Work, "heat"), seeded(Work, "heat-2-film")
    news = seeded(NewsItem, "heat-2-filming-november-2026")
    page.roles.set([Role.objects.get(slug="actor"), Role.objects.get(slug="criminal")])
    Credit.objects.create(
        person=page,
        work=heat_2,
        job=Credit.Job.ACTOR,
        character=seeded(Character, "otis-wardell"),
        status=Credit.Status.IN_TALKS,
        source_news=news,
        source_url="https://example.com/wes-studi-in-talks",
    )
    Credit.objects.create(person=page, work=heat, job=Credit.Job.TECHNICAL_ADVISOR)
    changed = {
        "title": "Wes Studi (actor)",
        "slug": "wes-studi-actor",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "roles": [Role.objects.get(slug="writer").pk],
        "credits": [
            {
                "work": seeded(Work, "heat-2-novel").pk,
                "job": "writer",
                "character": None,
                "status": "rumoured",
                "source_news": None,
                "source_url": "",
            }
        ],
    }
    return page, changed


def character_case() -> tuple[WikiPage, dict]:
    page = factories.CharacterFactory(
        image=image(),
        title="Sergeant Casals",
        slug="casals-test",
        description="A detective.",
        body="Works with Hanna.",
        inspired_by=seeded(Person, "chuck-adamson"),
    )
    page.works.set([seeded(Work, "heat"), seeded(Work, "heat-2-novel")])
    changed = {
        "title": "Sammy Casals",
        "slug": "sammy-casals",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "inspired_by": seeded(Person, "neil-mccauley").pk,
        "works": [seeded(Work, "heat-2-film").pk],
    }
    return page, changed


def news_case() -> tuple[WikiPage, dict]:
    page = factories.NewsItemFactory(
        image=image(),
        title="Heat 2 adds a cast member",
        slug="heat-2-adds-test",
        description="News.",
        body="Reported.",
        published_on=date(2025, 2, 28),
        source_name="Variety",
        source_url="https://example.com/heat-2-cast",
        claim_status=NewsItem.ClaimStatus.CONFIRMED,
    )
    page.people.set([seeded(Person, "adam-driver"), seeded(Person, "michael-mann")])
    page.works.set([seeded(Work, "heat-2-film")])
    changed = {
        "title": "Heat 2 cast news, corrected",
        "slug": "heat-2-cast-corrected",
        "description": "Changed.",
        "body": "Changed body.",
        "image": image().pk,
        "published_on": "2026-01-02",
        "source_name": "Deadline",
        "source_url": "http://example.org/other",
        "claim_status": "denied",
        "people": [seeded(Person, "al-pacino").pk],
        "works": [seeded(Work, "heat").pk, seeded(Work, "heat-2-novel").pk],
    }
    return page, changed


def image() -> FilePage:
    """A new file page, as an infobox image."""
    return factories.FilePageFactory()


def file_case() -> tuple[WikiPage, dict]:
    page = factories.FilePageFactory(
        title="Union Station at night",
        slug="union-station-night",
        description="A photograph.",
        body="Taken in [[Union Station]].",
        alt_text="The station's hall, lit",
        caption="The hall at night",
        credit="A. Photographer",
        source_url="https://example.com/union-station",
        licence=FilePage.Licence.FAIR_USE,
        rationale="Shows the location as filmed.",
    )
    changed = {
        "title": "Union Station hall",
        "slug": "union-station-hall",
        "description": "Changed.",
        "body": "Changed body.",
        "upload": image().upload_id,
        "alt_text": "Another view",
        "caption": "Changed",
        "credit": "B. Photographer",
        "source_url": "http://example.org/other",
        "licence": "cc0",
        "rationale": "",
    }
    return page, changed


@dataclass(frozen=True)
class Case:
    model: type
    build: Callable[[], tuple[WikiPage, dict]]


CASES = {
    "works": Case(Work, work_case),
    "scenes": Case(Scene, scene_case),
    "locations": Case(Location, location_case),
    "people": Case(Person, person_case),
    "characters": Case(Character, character_case),
    "news": Case(NewsItem, news_case),
    "files": Case(FilePage, file_case),
}


@pytest.fixture(params=list(CASES))
def recorded(request, editor):
    """(page, its full snapshot as recorded in revision 2, its rows, the changing snapshot).

    Relations and owned rows are added after the factory made revision 1, so every kind is
    recorded again, as the admin does, even when the factory already set everything.
    """
    case = CASES[request.param]
    page, changed = case.build()
    page.description += " Recorded."
    page.save()
    revision = record_revision(page=page, author=editor, summary="Every field and relation set")
    assert revision.number == 2
    page = case.model.objects.get(pk=page.pk)
    return page, revision.snapshot, db_state(page), changed


def test_every_kind_has_a_round_trip_case():
    from heatwiki.wiki.kinds import page_kinds

    assert {model.url_namespace for model in page_kinds()} == set(CASES)


def test_snapshot_holds_every_field_relation_and_owned_row_of_the_kind(recorded):
    page, original, _, changed = recorded

    assert take(page) == original
    assert set(original) == set(changed)


def test_cases_give_every_field_a_non_default_value_and_change_every_key(recorded):
    page, original, _, changed = recorded

    for f in content_fields(type(page)):
        assert original[f.name] not in (None, "", [], f.get_default()), f.name
    for name, value in original.items():
        if isinstance(value, list):
            assert value, name
        assert changed[name] != value, name


def test_revert_restores_every_field_relation_and_owned_row(recorded, editor):
    page, original, original_rows, changed = recorded

    outcome = save_page(page=page, data=changed, author=editor, base_revision=2)
    assert outcome.revision.number == 3
    assert take(outcome.page) == changed
    changed_rows = db_state(outcome.page)
    assert all(changed_rows[name] != value for name, value in original_rows.items())

    reverted = revert_page(page=outcome.page, number=2, author=editor)

    assert reverted.revision.number == 4
    assert reverted.revision.snapshot == original
    page = type(page).objects.get(pk=page.pk)
    assert take(page) == original
    assert db_state(page) == original_rows


def test_revert_restores_the_rendered_body_and_title_key(recorded, editor):
    page, original, _, changed = recorded
    body_html = page.body_html

    outcome = save_page(page=page, data=changed, author=editor, base_revision=2)
    revert_page(page=outcome.page, number=2, author=editor)

    page.refresh_from_db()
    assert page.body_html == body_html
    assert page.title_key == original["title"].casefold()


def test_scene_relations_and_quotes_after_revert_are_the_original_rows(editor):
    page, changed = scene_case()
    record_revision(page=page, author=editor)
    save_page(page=page, data={**take(page), **changed}, author=editor, base_revision=2)

    revert_page(page=page, number=2, author=editor)

    scene = Scene.objects.get(pk=page.pk)
    assert sorted(scene.locations.values_list("slug", flat=True)) == ["fifth-and-flower", "lax"]
    assert sorted(scene.characters.values_list("slug", flat=True)) == [
        "neil-mccauley",
        "vincent-hanna",
    ]
    assert list(scene.quotes.values_list("position", "speaker__slug", "text")) == [
        (1, "neil-mccauley", "Line one."),
        (2, "vincent-hanna", "Line two.\nAnd more."),
    ]
    assert scene.start_timecode == timedelta(hours=1, minutes=2, seconds=3)
    assert scene.end_timecode == timedelta(hours=1, minutes=9, seconds=30, microseconds=500000)


def test_person_credits_after_revert_include_the_sourced_credit(editor):
    page, changed = person_case()
    record_revision(page=page, author=editor)
    save_page(page=page, data={**take(page), **changed}, author=editor, base_revision=2)

    revert_page(page=page, number=2, author=editor)

    credits = Credit.objects.filter(person=page).order_by("job")
    assert list(
        credits.values_list(
            "work__slug", "job", "character__slug", "status", "source_news__slug", "source_url"
        )
    ) == [
        (
            "heat-2-film",
            "actor",
            "otis-wardell",
            "in_talks",
            "heat-2-filming-november-2026",
            "https://example.com/wes-studi-in-talks",
        ),
        ("heat", "technical_advisor", None, "confirmed", None, ""),
    ]


def test_location_coordinates_and_unknown_standing_survive_a_revert(editor):
    page, _ = location_case()  # revision 1: still_standing False, coordinates set
    unknown = {**take(page), "still_standing": None, "latitude": None, "longitude": None}
    save_page(page=page, data=unknown, author=editor, base_revision=1)
    assert Location.objects.get(pk=page.pk).still_standing is None

    revert_page(page=page, number=1, author=editor)

    location = Location.objects.get(pk=page.pk)
    assert location.still_standing is False
    assert (location.latitude, location.longitude) == (Decimal("34.05610"), Decimal("-118.23650"))

    revert_page(page=page, number=2, author=editor)
    assert Location.objects.get(pk=page.pk).still_standing is None


# as_page: an old revision, shown as it was


@pytest.fixture
def scene_with_history(editor):
    """The coffee-shop scene at revision 1, then changed: a location and a quote edited."""
    scene = seeded(Scene, "coffee-shop-stand-off")
    data = take(scene)
    data["locations"] = [seeded(Location, "lax").pk]
    data["quotes"] = [{**row, "text": "A rewritten line."} for row in data["quotes"]]
    data["title"] = "The coffee-shop stand-off (renamed)"
    save_page(page=scene, data=data, author=editor, base_revision=1)
    return Scene.objects.get(pk=scene.pk)


def test_as_page_shows_relations_and_owned_rows_as_they_were(scene_with_history):
    old = scene_with_history.revisions.get(number=1)

    shown = as_page(scene_with_history, old.snapshot)

    assert shown.title == "The coffee-shop stand-off"
    assert [loc.slug for loc in shown.relations["locations"]] == ["stand-off-coffee-shop"]
    quote = shown.relations["quotes"][0]
    assert quote.text.startswith("Don't let yourself get attached")
    assert quote.speaker.title == "Neil McCauley"
    assert shown.work.slug == "heat"


def test_as_page_writes_nothing(scene_with_history):
    old = scene_with_history.revisions.get(number=1)
    before = db_state(scene_with_history)
    revisions = Revision.objects.count()

    with CaptureQueriesContext(connection) as queries:
        shown = as_page(scene_with_history, old.snapshot)
        shown.relations["locations"], shown.relations["quotes"], shown.relations["characters"]

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert db_state(scene_with_history) == before
    assert Revision.objects.count() == revisions


def test_old_revision_view_shows_a_location_removed_since_and_the_old_quote(
    client, scene_with_history
):
    revisions, links = Revision.objects.count(), PageLink.objects.count()
    before = db_state(scene_with_history)

    response = client.get("/scenes/coffee-shop-stand-off/history/1/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "The coffee shop of the stand-off" in html
    assert "/locations/stand-off-coffee-shop/" in html
    assert "Don&#x27;t let yourself get attached" in html
    assert "A rewritten line." not in html
    assert "This is an old revision of this page" in html
    assert (Revision.objects.count(), PageLink.objects.count()) == (revisions, links)
    assert db_state(scene_with_history) == before


def test_current_page_shows_the_relations_of_today(client, scene_with_history):
    html = client.get("/scenes/coffee-shop-stand-off/").content.decode()

    assert "/locations/stand-off-coffee-shop/" not in html
    assert "A rewritten line." in html


def test_old_revision_of_a_person_shows_its_credits_as_they_were(client, editor):
    person = seeded(Person, "stephen-graham")
    data = take(person)
    data["credits"] = []
    save_page(page=person, data=data, author=editor, base_revision=1)

    old = client.get("/people/stephen-graham/history/1/").content.decode()
    now = client.get("/people/stephen-graham/").content.decode()

    assert "/characters/neil-mccauley/" in old
    assert "/characters/neil-mccauley/" not in now


# describe_many: what diffs and conflicts show


def views_by_name(model, data: dict) -> dict:
    return {view.name: view for view in describe(model, data)}


def test_describe_shows_choice_labels_not_stored_values():
    work = seeded(Work, "heat-2-film")
    views = views_by_name(Work, {**take(work), "status": "in_production", "kind": "novel"})

    assert views["status"].text == "In production"
    assert views["kind"].text == "Novel"
    assert views["status"].label == "status"


def test_describe_shows_foreign_keys_and_relations_by_title():
    scene = seeded(Scene, "coffee-shop-stand-off")
    views = views_by_name(Scene, take(scene))

    assert views["work"].text == "Heat"
    assert views["locations"].is_list
    assert views["locations"].items == ["The coffee shop of the stand-off"]
    assert views["characters"].items == ["Neil McCauley", "Vincent Hanna"]
    assert views["body"].is_body


def test_describe_shows_booleans_as_yes_and_no_and_unknown_as_empty():
    location = seeded(Location, "lax")
    data = take(location)

    yes, no, unknown = describe_many(
        Location,
        [
            {**data, "still_standing": True},
            {**data, "still_standing": False},
            {**data, "still_standing": None},
        ],
    )

    standing = [next(v.text for v in views if v.name == "still_standing") for views in (yes, no)]
    assert standing == ["Yes", "No"]
    assert next(v.text for v in unknown if v.name == "still_standing") == ""
    assert views_by_name(Scene, take(seeded(Scene, "coffee-shop-stand-off")))["featured"].text == (
        "Yes"
    )


def test_describe_shows_owned_rows_readably():
    person = seeded(Person, "stephen-graham")
    views = views_by_name(Person, take(person))

    assert views["credits"].items == [
        "Heat 2 (film) · Actor · Neil McCauley · In talks · "
        "Stephen Graham in talks to play Neil McCauley in Heat 2"
    ]
    scene = seeded(Scene, "coffee-shop-stand-off")
    (quote,) = views_by_name(Scene, take(scene))["quotes"].items
    assert quote.startswith("1 · Neil McCauley · Don't let yourself")


def test_describe_shows_roles_by_name_and_a_deleted_target_as_deleted():
    person = seeded(Person, "al-pacino")
    data = {**take(person), "roles": [Role.objects.get(slug="actor").pk]}
    data["credits"] = [{**data["credits"][0], "character": 999_999}]

    views = views_by_name(Person, data)

    assert views["roles"].items == ["Actor"]
    assert "(deleted #999999)" in views["credits"].items[0]


def test_describe_many_reads_each_related_model_once_for_all_snapshots(
    django_assert_max_num_queries,
):
    scenes = [take(scene) for scene in Scene.objects.all()]

    with django_assert_max_num_queries(4):
        views = describe_many(Scene, scenes)

    assert len(views) == len(scenes)


def credit_headings(html: str) -> list[str]:
    return re.findall(r'<h3 class="credits__work"><a href="[^"]*">([^<]*)</a></h3>', html)


def test_old_revision_groups_a_persons_credits_by_work_as_the_page_does(client, editor):
    person = seeded(Person, "michael-mann")
    save_page(
        page=person,
        data={**take(person), "description": "Changed."},
        author=editor,
        base_revision=1,
    )

    now = credit_headings(client.get("/people/michael-mann/").content.decode())
    old = credit_headings(client.get("/people/michael-mann/history/1/").content.decode())

    assert now == ["Heat", "Heat 2 (novel)"]
    assert old == now


def test_old_revision_lists_quotes_in_their_order(client, editor):
    scene = seeded(Scene, "neil-drives-home")
    data = take(scene)
    data["quotes"] = [
        {"position": position, "speaker": None, "text": f"Line at {position}."}
        for position in (10, 2, 1)
    ]
    save_page(page=scene, data=data, author=editor, base_revision=1)
    save_page(page=scene, data={**data, "quotes": []}, author=editor, base_revision=2)

    html = client.get("/scenes/neil-drives-home/history/2/").content.decode()

    assert re.findall(r"Line at (\d+)\.", html) == ["1", "2", "10"]


def test_revert_keeps_a_credit_whose_source_news_was_deleted_since(editor):
    person = seeded(Person, "stephen-graham")
    save_page(page=person, data={**take(person), "credits": []}, author=editor, base_revision=1)
    seeded(NewsItem, "stephen-graham-in-talks-for-neil-mccauley").delete()

    revert_page(page=person, number=1, author=editor)

    assert list(
        Credit.objects.filter(person=person).values_list(
            "work__slug", "character__slug", "status", "source_news"
        )
    ) == [("heat-2-film", "neil-mccauley", "in_talks", None)]


def test_revert_keeps_a_quote_whose_speaker_was_deleted_since(editor):
    scene = seeded(Scene, "hanna-comes-home")
    save_page(page=scene, data={**take(scene), "quotes": []}, author=editor, base_revision=1)
    seeded(Character, "justine-hanna").delete()

    revert_page(page=scene, number=1, author=editor)

    assert list(Quote.objects.filter(scene=scene).values_list("text", "speaker")) == [
        ("…remnants of dead people.", None)
    ]


def test_revert_drops_a_credit_whose_work_was_deleted_since(editor):
    person = factories.PersonFactory()
    work = factories.WorkFactory()
    Credit.objects.create(person=person, work=work, job=Credit.Job.DIRECTOR)
    record_revision(page=person, author=editor)
    save_page(page=person, data={**take(person), "credits": []}, author=editor, base_revision=2)
    work.delete()

    outcome = revert_page(page=person, number=2, author=editor)

    assert outcome.unchanged
    assert not Credit.objects.filter(person=person).exists()


def test_old_revision_shows_a_since_deleted_relation_as_absent(client, editor):
    scene = seeded(Scene, "hanna-comes-home")
    save_page(page=scene, data={**take(scene), "quotes": []}, author=editor, base_revision=1)
    seeded(Character, "justine-hanna").delete()

    response = client.get("/scenes/hanna-comes-home/history/1/")

    assert response.status_code == 200
    assert "…remnants of dead people." in response.content.decode()
    assert "/characters/justine-hanna/" not in response.content.decode()


def test_as_page_reads_only_the_related_rows_the_snapshot_names(scene_with_history):
    old = scene_with_history.revisions.get(number=1)

    with CaptureQueriesContext(connection) as queries:
        as_page(scene_with_history, old.snapshot)

    character_reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "people_character"' in q["sql"]
    ]
    assert character_reads and all(" WHERE " in sql for sql in character_reads)
