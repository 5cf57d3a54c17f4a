"""Concurrent saves of pages that link to each other, on PostgreSQL, as a wiki's pages are.

Each thread has its own connection and saves the way the edit form does: it reads the page,
edits its own line, and saves with the revision it read as its base. No error may reach an
editor; every accepted save is a revision, numbered without gaps; overlapping edits conflict.
"""

import random
import threading

import pytest
from django.db import connection

from heatwiki.wiki.models import PageLink, Revision, WikiPage
from heatwiki.wiki.services import SaveOutcome, save_page
from heatwiki.wiki.snapshot import take
from people.models import Character
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent row locks need PostgreSQL"
    ),
]

THREADS = 6
SAVES_PER_THREAD = 6


def lines(title: str, links: list[str]) -> str:
    linked = " ".join(f"[[{link}]]" for link in links)
    return "\n\n".join([f"{title} links to {linked}."] + [f"Line {i}." for i in range(THREADS)])


def run_threads(work, count: int = THREADS) -> list:
    """``work(index)`` in ``count`` threads at once; what each returned or raised."""
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def edit_own_line(pages: list[WikiPage], author, seed: int) -> list[SaveOutcome]:
    """One editor's saves: each of a random page, changing that editor's own line."""
    chooser = random.Random(seed)
    outcomes = []
    for n in range(SAVES_PER_THREAD):
        page = Character.objects.select_related("current_revision").get(pk=chooser.choice(pages).pk)
        data = take(page)
        data["body"] = data["body"].replace(f"Line {seed}.", f"Line {seed}, edit {n}.", 1)
        data["body"] = data["body"].replace(
            f"Line {seed}, edit {n - 1}.", f"Line {seed}, edit {n}."
        )
        outcomes.append(
            save_page(
                page=page,
                data=data,
                author=author,
                summary=f"{seed}.{n}",
                base_revision=page.current_revision.number,
            )
        )
    return outcomes


def check(pages: list[WikiPage], results: list) -> list[SaveOutcome]:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    outcomes = [outcome for result in results for outcome in result]
    accepted = [o for o in outcomes if o.revision is not None]
    assert all(o.revision or o.conflicts or o.unchanged for o in outcomes)
    for page in pages:
        numbers = list(
            Revision.objects.filter(page_id=page.pk)
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
        fresh = Character.objects.get(pk=page.pk)
        assert fresh.current_revision.number == numbers[-1]
        # Every editor's last accepted edit of this page is in it.
        for thread in range(THREADS):
            mine = [
                o
                for o in accepted
                if o.page.pk == page.pk and o.revision.summary.startswith(f"{thread}.")
            ]
            if mine:
                last = max(mine, key=lambda o: o.revision.number).revision.summary.split(".")[1]
                assert f"Line {thread}, edit" in fresh.body, (thread, last)
    assert len(accepted) == sum(Revision.objects.filter(page_id=p.pk).count() - 1 for p in pages)
    return accepted


def make_pages(links: dict[str, list[str]]) -> list[WikiPage]:
    pages = [
        factories.CharacterFactory(title=title, body=lines(title, to))
        for title, to in links.items()
    ]
    return [Character.objects.get(pk=page.pk) for page in pages]


def test_saves_of_pages_linking_both_ways_never_fail():
    pages = make_pages({"Alpha": ["Beta"], "Beta": ["Alpha"]})
    author = factories.UserFactory(username="racer")

    results = run_threads(lambda i: edit_own_line(pages, author, i))

    accepted = check(pages, results)
    assert len(accepted) >= THREADS
    assert PageLink.objects.filter(target__isnull=False).count() == 2


def test_saves_of_a_cycle_of_three_linked_pages_never_fail():
    pages = make_pages({"Alpha": ["Beta"], "Beta": ["Gamma"], "Gamma": ["Alpha"]})
    author = factories.UserFactory(username="racer")

    results = run_threads(lambda i: edit_own_line(pages, author, i))

    check(pages, results)
    linked = set(PageLink.objects.values_list("source__title", "target__title"))
    assert linked == {("Alpha", "Beta"), ("Beta", "Gamma"), ("Gamma", "Alpha")}


def test_saves_of_a_page_linking_to_itself_never_fail():
    pages = make_pages({"Ouroboros": ["Ouroboros"]})
    author = factories.UserFactory(username="racer")

    results = run_threads(lambda i: edit_own_line(pages, author, i))

    check(pages, results)
    assert PageLink.objects.get().target_id == pages[0].pk


def test_concurrent_renames_of_linked_pages_keep_every_link_resolved():
    pages = make_pages({"Alpha": ["Beta"], "Beta": ["Alpha"]})
    author = factories.UserFactory(username="racer")
    rounds = 5

    def rename(index: int) -> list[SaveOutcome]:
        page_pk = pages[index % 2].pk
        outcomes = []
        for n in range(rounds):
            page = Character.objects.select_related("current_revision").get(pk=page_pk)
            data = {**take(page), "slug": f"{page.slug.split('-')[0]}-{index}-{n}"}
            outcomes.append(
                save_page(
                    page=page,
                    data=data,
                    author=author,
                    summary=f"{index}.{n}",
                    base_revision=page.current_revision.number,
                )
            )
        return outcomes

    results = run_threads(rename, count=4)

    assert [r for r in results if isinstance(r, BaseException)] == []
    for page in pages:
        fresh = Character.objects.get(pk=page.pk)
        other = Character.objects.exclude(pk=page.pk).get()
        # The link on each page points at the other page's address as it is now.
        assert f'href="{other.get_absolute_url()}"' in fresh.body_html
        numbers = list(fresh.revisions.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
