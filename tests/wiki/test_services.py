"""The revision service: revisions, no-op saves, reverts, three-way merges, concurrent saves."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from heatwiki.wiki.models import PageLink, Revision, WikiPage
from heatwiki.wiki.services import (
    SaveOutcome,
    record_revision,
    revert_page,
    save_page,
    system_account,
)
from heatwiki.wiki.snapshot import take
from heatwiki.works.models import Work
from people.models import Character
from scenes.models import Location, Scene
from tests import factories


def seeded(model, slug: str):
    return model.objects.get(slug=slug)


def numbers(page: WikiPage) -> list[int]:
    return sorted(Revision.objects.filter(page_id=page.pk).values_list("number", flat=True))


def new_work_data(**changes) -> dict:
    data = {
        "title": "Collateral",
        "slug": "collateral",
        "description": "A taxi driver and a hit man.",
        "body": "Max drives a cab. Café au lait: ünïcode counts in bytes.",
        "kind": "film",
        "year": 2004,
        "status": "released",
        "image": None,
    }
    return {**data, **changes}


# Creating and editing


@pytest.mark.django_db
def test_creating_a_page_makes_revision_1_with_author_summary_size_and_html(editor):
    outcome = save_page(page=Work(), data=new_work_data(), author=editor, summary="New film")

    revision = outcome.revision
    body = new_work_data()["body"]
    assert revision.number == 1
    assert revision.author == editor
    assert revision.summary == "New film"
    assert revision.title == "Collateral"
    assert revision.size == len(body.encode()) > len(body)
    assert revision.size_change == revision.size
    assert revision.body_html.startswith("<p>Max drives a cab.")
    assert revision.snapshot == take(outcome.page) == new_work_data()
    assert not outcome.merged and not outcome.conflicts


@pytest.mark.django_db
def test_created_page_points_at_its_revision_and_stores_its_html(editor):
    outcome = save_page(page=Work(), data=new_work_data(), author=editor)

    page = Work.objects.get(slug="collateral")
    assert page.current_revision == outcome.revision
    assert outcome.page.current_revision == outcome.revision
    assert page.body_html == outcome.revision.body_html
    assert page.title_key == "collateral"
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_each_edit_makes_the_next_revision_with_its_signed_size_change(editor):
    page = save_page(page=Work(), data=new_work_data(body="12345"), author=editor).page

    grown = save_page(page=page, data=new_work_data(body="1234567890"), author=editor)
    shrunk = save_page(page=page, data=new_work_data(body="123"), author=editor, minor=True)

    assert (grown.revision.number, grown.revision.size, grown.revision.size_change) == (2, 10, 5)
    assert (shrunk.revision.number, shrunk.revision.size, shrunk.revision.size_change) == (
        3,
        3,
        -7,
    )
    assert shrunk.revision.minor and not grown.revision.minor
    assert numbers(page) == [1, 2, 3]
    assert Work.objects.get(pk=page.pk).current_revision == shrunk.revision


@pytest.mark.django_db
def test_editing_a_field_other_than_the_body_has_a_zero_size_change(editor):
    page = seeded(Work, "heat")

    outcome = save_page(
        page=page, data={**take(page), "year": 1996}, author=editor, base_revision=1
    )

    assert outcome.revision.number == 2
    assert outcome.revision.size_change == 0
    assert outcome.revision.snapshot["year"] == 1996


@pytest.mark.django_db
def test_a_save_that_changes_nothing_makes_no_revision(editor):
    page = seeded(Scene, "coffee-shop-stand-off")

    outcome = save_page(page=page, data=take(page), author=editor, base_revision=1)

    assert outcome.unchanged
    assert outcome.revision is None and not outcome.conflicts
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_a_partial_save_repeating_current_values_makes_no_revision(editor):
    page = seeded(Work, "heat")

    outcome = save_page(page=page, data={"year": 1995}, author=editor)

    assert outcome.unchanged
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_relations_listed_in_another_order_are_no_change(editor):
    page = seeded(Scene, "downtown-bank-heist")
    data = take(page)
    data["characters"] = list(reversed(data["characters"]))

    outcome = save_page(page=page, data=data, author=editor, base_revision=1)

    assert outcome.unchanged
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_reverting_to_the_current_revision_makes_no_revision(editor):
    page = seeded(Work, "heat")

    outcome = revert_page(page=page, number=1, author=editor)

    assert outcome.unchanged
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_after_a_revert_saving_the_same_content_again_makes_no_revision(editor):
    page = seeded(Work, "heat")
    original = take(page)
    save_page(page=page, data={**original, "year": 1996}, author=editor, base_revision=1)
    assert revert_page(page=page, number=1, author=editor).revision.number == 3

    again = save_page(page=page, data=original, author=editor, base_revision=3)
    revert_again = revert_page(page=page, number=1, author=editor)

    assert again.unchanged and revert_again.unchanged
    assert numbers(page) == [1, 2, 3]


# Reverting


@pytest.mark.django_db
def test_revert_restores_relations_and_owned_rows(editor):
    scene = seeded(Scene, "coffee-shop-stand-off")
    original = take(scene)
    changed = {
        **original,
        "locations": [seeded(Location, "lax").pk],
        "characters": [seeded(Character, "eady").pk],
        "quotes": [{"position": 2, "speaker": None, "text": "Rewritten."}],
    }
    save_page(page=scene, data=changed, author=editor, base_revision=1)

    outcome = revert_page(page=scene, number=1, author=editor)

    scene = Scene.objects.get(pk=scene.pk)
    assert take(scene) == original
    assert list(scene.locations.values_list("slug", flat=True)) == ["stand-off-coffee-shop"]
    assert sorted(scene.characters.values_list("slug", flat=True)) == [
        "neil-mccauley",
        "vincent-hanna",
    ]
    assert list(scene.quotes.values_list("position", "speaker__slug")) == [(1, "neil-mccauley")]
    assert outcome.revision.number == 3
    assert outcome.revision.author == editor


@pytest.mark.django_db
def test_revert_summary_names_the_revision_reverted_to(editor):
    page = seeded(Work, "heat")
    save_page(page=page, data={**take(page), "year": 1996}, author=editor, base_revision=1)

    outcome = revert_page(page=page, number=1, author=editor)

    assert outcome.revision.summary == "Reverted to revision 1"
    assert Work.objects.get(pk=page.pk).year == 1995


@pytest.mark.django_db
def test_a_revert_to_a_title_taken_since_raises_and_writes_nothing(editor):
    page = seeded(Work, "heat")
    save_page(
        page=page, data={**take(page), "title": "Heat (1995)"}, author=editor, base_revision=1
    )
    factories.WorkFactory(title="Heat", slug="heat-remake")

    with pytest.raises(IntegrityError):
        revert_page(page=page, number=1, author=editor)

    assert numbers(page) == [1, 2]
    assert Work.objects.get(pk=page.pk).title == "Heat (1995)"


# Three-way merges


@pytest.mark.django_db
def test_edits_of_different_fields_from_the_same_revision_merge(editor, moderator):
    page = seeded(Work, "heat-2-film")
    base = take(page)
    first = save_page(
        page=page, data={**base, "status": "announced"}, author=moderator, base_revision=1
    )

    second = save_page(
        page=page, data={**base, "description": "Changed."}, author=editor, base_revision=1
    )

    assert not first.merged
    assert second.merged and second.revision.number == 3
    work = Work.objects.get(pk=page.pk)
    assert (work.status, work.description) == ("announced", "Changed.")
    assert second.revision.snapshot == take(work)


BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


@pytest.fixture
def page_with_paragraphs(editor):
    page = factories.WorkFactory(body=BODY)
    assert page.current_revision.number == 1
    return page


@pytest.mark.django_db
def test_edits_of_different_body_paragraphs_merge(page_with_paragraphs, editor, moderator):
    page = page_with_paragraphs
    base = take(page)
    save_page(
        page=page,
        data={**base, "body": BODY.replace("First", "1st")},
        author=moderator,
        base_revision=1,
    )

    outcome = save_page(
        page=page,
        data={**base, "body": BODY.replace("Third", "3rd")},
        author=editor,
        base_revision=1,
    )

    assert outcome.merged
    assert Work.objects.get(pk=page.pk).body == (
        "1st paragraph.\n\nSecond paragraph.\n\n3rd paragraph.\n"
    )
    assert outcome.revision.body_html.count("<p>") == 3


@pytest.mark.django_db
def test_the_same_body_line_edited_differently_conflicts_and_writes_nothing(
    page_with_paragraphs, editor, moderator
):
    page = page_with_paragraphs
    base = take(page)
    save_page(
        page=page,
        data={**base, "body": BODY.replace("Second", "Their second")},
        author=moderator,
        base_revision=1,
    )
    revisions = Revision.objects.count()

    outcome = save_page(
        page=page,
        data={**base, "body": BODY.replace("Second", "My second"), "year": 1999},
        author=editor,
        base_revision=1,
    )

    assert outcome.revision is None and not outcome.unchanged
    assert [c.field for c in outcome.conflicts] == ["body"]
    assert "My second" in outcome.conflicts[0].mine
    assert "Their second" in outcome.conflicts[0].theirs
    assert Revision.objects.count() == revisions
    work = Work.objects.get(pk=page.pk)
    assert "Their second" in work.body and work.year == 1995
    assert work.current_revision.number == 2


@pytest.mark.django_db
def test_the_same_field_changed_differently_conflicts(editor, moderator):
    page = seeded(Work, "heat")
    base = take(page)
    save_page(page=page, data={**base, "year": 1996}, author=moderator, base_revision=1)

    outcome = save_page(page=page, data={**base, "year": 1997}, author=editor, base_revision=1)

    assert [(c.field, c.base, c.theirs, c.mine) for c in outcome.conflicts] == [
        ("year", 1995, 1996, 1997)
    ]
    assert numbers(page) == [1, 2]


@pytest.mark.django_db
def test_conflicts_come_in_the_order_of_the_pages_fields(editor, moderator):
    # PostgreSQL's jsonb keeps keys in its own order; the conflicts follow the form's.
    page = seeded(Location, "lax")
    base = take(page)
    fields = ["title", "description", "city", "visitor_notes", "body"]
    save_page(
        page=page,
        data={**base, **{name: f"Theirs {name}" for name in fields}},
        author=moderator,
        base_revision=1,
    )

    outcome = save_page(
        page=page,
        data={**base, **{name: f"Mine {name}" for name in reversed(fields)}},
        author=editor,
        base_revision=1,
    )

    assert [c.field for c in outcome.conflicts] == fields
    assert list(outcome.data) == list(base)


@pytest.mark.django_db
def test_relation_edits_from_both_sides_merge(editor, moderator):
    scene = seeded(Scene, "coffee-shop-stand-off")
    base = take(scene)
    coffee_shop, lax = seeded(Location, "stand-off-coffee-shop"), seeded(Location, "lax")
    save_page(
        page=scene,
        data={**base, "locations": [coffee_shop.pk, lax.pk]},
        author=moderator,
        base_revision=1,
    )

    outcome = save_page(page=scene, data={**base, "locations": []}, author=editor, base_revision=1)

    assert outcome.merged
    assert list(Scene.objects.get(pk=scene.pk).locations.all()) == [lax]


@pytest.mark.django_db
def test_owned_row_edits_from_both_sides_merge(editor, moderator):
    scene = seeded(Scene, "coffee-shop-stand-off")
    base = take(scene)
    (quote,) = base["quotes"]
    added = {"position": 2, "speaker": seeded(Character, "vincent-hanna").pk, "text": "Dreams."}
    save_page(
        page=scene, data={**base, "quotes": [quote, added]}, author=moderator, base_revision=1
    )

    edited = {**quote, "text": "Don't get attached."}
    outcome = save_page(
        page=scene, data={**base, "quotes": [edited]}, author=editor, base_revision=1
    )

    assert outcome.merged
    assert sorted(Scene.objects.get(pk=scene.pk).quotes.values_list("text", flat=True)) == [
        "Don't get attached.",
        "Dreams.",
    ]


@pytest.mark.django_db
def test_a_merged_edit_that_repeats_what_was_saved_meanwhile_makes_no_revision(editor, moderator):
    page = seeded(Work, "heat")
    base = take(page)
    save_page(page=page, data={**base, "year": 1996}, author=moderator, base_revision=1)

    outcome = save_page(page=page, data={**base, "year": 1996}, author=editor, base_revision=1)

    assert outcome.unchanged
    assert numbers(page) == [1, 2]


# The admin's path: record what is already in the database


@pytest.mark.django_db
def test_record_revision_makes_no_revision_when_nothing_changed(moderator):
    page = seeded(Work, "heat")

    assert record_revision(page=page, author=moderator, summary="Edited in the admin") is None
    assert numbers(page) == [1]


@pytest.mark.django_db
def test_record_revision_records_a_change_made_by_other_means(moderator):
    page = seeded(Scene, "coffee-shop-stand-off")
    page.description = "Changed in the admin."
    page.save()
    page.locations.add(seeded(Location, "lax"))

    revision = record_revision(page=page, author=moderator, summary="Edited in the admin")

    assert (revision.number, revision.author, revision.summary) == (
        2,
        moderator,
        "Edited in the admin",
    )
    assert revision.snapshot["description"] == "Changed in the admin."
    assert seeded(Location, "lax").pk in revision.snapshot["locations"]
    assert Scene.objects.get(pk=page.pk).current_revision == revision
    assert record_revision(page=page, author=moderator) is None


@pytest.mark.django_db
def test_record_revision_of_a_page_without_revisions_makes_revision_1():
    page = Work.objects.create(title="Miami Vice", slug="miami-vice", kind="film", year=2006)

    revision = record_revision(page=page, author=system_account(), summary="Initial content")

    assert revision.number == 1
    assert Work.objects.get(pk=page.pk).body_html == revision.body_html


# Concurrent saves of one page (PostgreSQL: SQLite has no row locks)

N = 8
PARAGRAPHS = "\n\n".join(f"Paragraph {i} as it was." for i in range(N)) + "\n"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent row locks need PostgreSQL"
)


def save_all_at_once(page: WikiPage, bodies: list[str]) -> list[SaveOutcome | BaseException]:
    """Every body saved by its own thread and connection, all from revision 1, all at once.

    Seeded pages are not used: transactional tests empty the database afterwards and may
    run after one another.
    """
    model, base = type(page), take(page)
    author = factories.UserFactory(username="racer")
    barrier = threading.Barrier(len(bodies), timeout=30)
    results: list = [None] * len(bodies)

    def save(index: int) -> None:
        try:
            mine = model.objects.get(pk=page.pk)
            barrier.wait()
            results[index] = save_page(
                page=mine,
                data={**base, "body": bodies[index]},
                author=author,
                summary=f"Edit {index}",
                base_revision=1,
            )
        except BaseException as error:  # noqa: BLE001 - reported by the test
            barrier.abort()
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def check_outcomes(page: WikiPage, results: list) -> tuple[list, list]:
    """The accepted and the conflicting saves; checks the revisions they left."""
    assert all(isinstance(result, SaveOutcome) for result in results), results
    accepted = [r for r in results if r.revision is not None]
    conflicted = [r for r in results if r.conflicts]
    assert all(bool(r.revision) != bool(r.conflicts) for r in results)
    assert len(accepted) + len(conflicted) == N
    count = 1 + len(accepted)
    assert numbers(page) == list(range(1, count + 1))
    assert sorted(r.revision.number for r in accepted) == list(range(2, count + 1))
    fresh = type(page).objects.get(pk=page.pk)
    assert fresh.current_revision.number == count
    assert fresh.current_revision.snapshot == take(fresh)
    return accepted, conflicted


@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_concurrent_edits_of_different_paragraphs_all_merge(attempt):
    page = factories.WorkFactory(body=PARAGRAPHS)
    bodies = [
        PARAGRAPHS.replace(f"Paragraph {i} as it was.", f"Paragraph {i} edited by {i}.")
        for i in range(N)
    ]

    results = save_all_at_once(page, bodies)

    accepted, conflicted = check_outcomes(page, results)
    assert (len(accepted), len(conflicted)) == (N, 0)
    assert sum(r.merged for r in accepted) == N - 1
    body = type(page).objects.get(pk=page.pk).body
    for i in range(N):
        assert f"Paragraph {i} edited by {i}." in body
    assert body.count("Paragraph") == N


@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_concurrent_edits_of_the_same_line_one_wins_the_rest_conflict(attempt):
    page = factories.WorkFactory(body=PARAGRAPHS)
    bodies = [PARAGRAPHS.replace("Paragraph 3 as it was.", f"Edit {i}.") for i in range(N)]

    results = save_all_at_once(page, bodies)

    accepted, conflicted = check_outcomes(page, results)
    assert (len(accepted), len(conflicted)) == (1, N - 1)
    (winner,) = accepted
    assert type(page).objects.get(pk=page.pk).body == winner.revision.snapshot["body"]
    assert all([c.field for c in r.conflicts] == ["body"] for r in conflicted)


@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_concurrent_edits_mixing_merges_and_conflicts_lose_no_accepted_edit(attempt):
    page = factories.WorkFactory(body=PARAGRAPHS)
    # Even threads edit paragraph 0 (one of them wins); odd threads each edit their own.
    bodies = [
        PARAGRAPHS.replace("Paragraph 0 as it was.", f"Paragraph 0 by {i}.")
        if i % 2 == 0
        else PARAGRAPHS.replace(f"Paragraph {i} as it was.", f"Paragraph {i} by {i}.")
        for i in range(N)
    ]

    results = save_all_at_once(page, bodies)

    accepted, conflicted = check_outcomes(page, results)
    assert len(accepted) == N // 2 + 1
    body = type(page).objects.get(pk=page.pk).body
    for outcome in accepted:
        index = int(outcome.revision.summary.removeprefix("Edit "))
        assert f"Paragraph {0 if index % 2 == 0 else index} by {index}." in body


def waiting_for_locks() -> int:
    """How many other connections to the test database wait for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_relinking_does_not_undo_a_concurrent_edit_of_the_linking_page():
    author = factories.UserFactory(username="racer")
    linking = factories.CharacterFactory(body="Seen in [[Collateral]].")
    edited, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def edit_linking_page() -> None:
        # Saves a new body without the link, and commits only when told to.
        try:
            with transaction.atomic():
                page = type(linking).objects.get(pk=linking.pk)
                save_page(
                    page=page,
                    data={**take(page), "body": "No longer linked."},
                    author=author,
                    base_revision=1,
                )
                edited.set()
                assert release.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            edited.set()
            connection.close()

    def create_linked_page() -> None:
        try:
            data = {"title": "Collateral", "slug": "collateral", "kind": "film", "body": ""}
            save_page(page=Work(), data=data, author=author)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    editor_thread = threading.Thread(target=edit_linking_page)
    editor_thread.start()
    assert edited.wait(30)
    creator_thread = threading.Thread(target=create_linked_page)
    creator_thread.start()
    # The creator reaches the linking page's row, which the uncommitted edit holds.
    for _ in range(300):
        if waiting_for_locks() or not creator_thread.is_alive():
            break
        time.sleep(0.01)
    release.set()
    editor_thread.join(30)
    creator_thread.join(30)

    assert errors == []
    page = type(linking).objects.get(pk=linking.pk)
    assert page.current_revision.number == 2
    assert page.body_html == page.current_revision.body_html == "<p>No longer linked.</p>\n"
    assert not PageLink.objects.filter(source=page).exists()
    assert Work.objects.filter(slug="collateral").exists()
