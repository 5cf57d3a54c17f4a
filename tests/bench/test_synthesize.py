"""manage.py synthesize_wiki: exactly the pages and revisions asked for, and a site that works
on them — the same pages, histories, diffs and searches as content saved by the editors."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import escape, strip_tags

from heatwiki.search.index import body_text, fields_text
from heatwiki.search.models import SearchDocument
from heatwiki.wiki.kinds import kind_model, page_kinds
from heatwiki.wiki.markdown import render
from heatwiki.wiki.models import PageLink, Revision, WikiPage
from heatwiki.wiki.snapshot import take
from heatwiki.wiki.views import HISTORY_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

PAGES, REVISIONS = 60, 400


@pytest.fixture
def synthetic() -> list[WikiPage]:
    """The synthetic pages, each as its own kind's model."""
    first = (WikiPage.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    call_command("synthesize_wiki", pages=PAGES, revisions=REVISIONS, verbosity=0)
    return [
        kind_model(page.page_kind).objects.get(pk=page.pk)
        for page in WikiPage.objects.filter(pk__gte=first).order_by("pk")
    ]


def longest(pages: list[WikiPage]) -> WikiPage:
    return max(pages, key=lambda page: page.current_revision.number)


def busiest_user(pages: list[WikiPage]):
    counts = (
        Revision.objects.filter(page__in=pages)
        .values("author")
        .annotate(edits=Count("id"))
        .order_by("-edits")
    )
    return get_user_model().objects.get(pk=counts[0]["author"])


def test_it_adds_exactly_the_pages_and_revisions_asked_for():
    pages, revisions = WikiPage.objects.count(), Revision.objects.count()

    call_command("synthesize_wiki", pages=PAGES, revisions=REVISIONS, verbosity=0)

    assert WikiPage.objects.count() == pages + PAGES
    assert Revision.objects.count() == revisions + REVISIONS
    assert SearchDocument.objects.count() == pages + PAGES


def test_running_it_again_adds_as_many_more(synthetic):
    pages, revisions = WikiPage.objects.count(), Revision.objects.count()

    call_command("synthesize_wiki", pages=PAGES, revisions=REVISIONS, verbosity=0)

    assert WikiPage.objects.count() == pages + PAGES
    assert Revision.objects.count() == revisions + REVISIONS
    # Ids written by hand do not collide with those the database gives later saves.
    top = WikiPage.objects.aggregate(top=Max("pk"))["top"]
    assert factories.NewsItemFactory().pk > top


def test_it_refuses_fewer_revisions_than_pages():
    with pytest.raises(CommandError, match="at least as many"):
        call_command("synthesize_wiki", pages=10, revisions=5, verbosity=0)


def test_every_kind_has_pages_with_relations(synthetic):
    kinds = {page.page_kind for page in synthetic}
    assert kinds == {model.url_namespace for model in page_kinds()}
    scenes = [page for page in synthetic if page.page_kind == "scenes"]
    assert all(scene.work_id and scene.characters.exists() for scene in scenes)
    assert all(scene.locations.exists() for scene in scenes)
    people = [page for page in synthetic if page.page_kind == "people"]
    assert all(person.credits.exists() for person in people)
    assert PageLink.objects.filter(source__in=synthetic, target__isnull=False).exists()
    assert PageLink.objects.filter(source__in=synthetic, target__isnull=True).exists()


def test_pages_are_what_their_current_revision_says(synthetic):
    for page in synthetic:
        revision = page.current_revision
        numbers = list(page.revisions.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert revision.number == numbers[-1]
        assert revision.snapshot == take(page)
        html, found = render(page.body)
        assert page.body_html == revision.body_html == html
        stored = set(PageLink.objects.filter(source=page).values_list("target_key", "target"))
        assert stored == {(target.key, getattr(p, "pk", None)) for target, p in found.items()}
        assert revision.size == len(page.body.encode())
        document = SearchDocument.objects.get(page=page)
        assert document.fields_text == fields_text(type(page), revision.snapshot)
        assert document.body_text == body_text(html)


def test_sizes_and_size_changes_follow_each_other(synthetic):
    page = longest(synthetic)
    previous = 0
    for revision in page.revisions.order_by("number"):
        assert revision.size == len(revision.snapshot["body"].encode())
        assert revision.size_change == revision.size - previous
        previous = revision.size


def test_a_few_users_and_pages_have_much_more_than_the_rest(synthetic):
    assert longest(synthetic).current_revision.number > HISTORY_PAGE_SIZE
    edits = Revision.objects.filter(page__in=synthetic).values("author").annotate(n=Count("id"))
    counts = sorted((row["n"] for row in edits), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]


def test_the_site_works_on_synthetic_pages(client, synthetic):
    for model in page_kinds():
        page = next(p for p in synthetic if p.page_kind == model.url_namespace)
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        assert escape(page.title) in response.content.decode()


def test_history_old_revisions_and_diffs_of_a_long_history(client, synthetic):
    page = longest(synthetic)
    latest = page.current_revision.number
    last_page = (latest + HISTORY_PAGE_SIZE - 1) // HISTORY_PAGE_SIZE

    first = client.get(page.kind_url("history"))
    last = client.get(page.kind_url("history"), {"page": last_page})
    old = client.get(page.kind_url("revision", number=1))
    diff = client.get(page.kind_url("diff"), {"from": 1, "to": 2})

    assert first.status_code == last.status_code == old.status_code == diff.status_code == 200
    assert [r.number for r in first.context["revisions"]][0] == latest
    assert [r.number for r in last.context["revisions"]][-1] == 1
    assert "(edit 1)." in old.content.decode()
    assert [change["name"] for change in diff.context["changes"]] == ["body"]
    new_note = page.revisions.get(number=2).snapshot["body"].split("\n\n")[-1]
    assert escape(new_note) in strip_tags(diff.content.decode())


def test_recent_changes_and_contributions_show_synthetic_edits(client, synthetic):
    user = busiest_user(synthetic)
    edits = Revision.objects.filter(author=user).count()

    changes = client.get(reverse("wiki:recent-changes"), {"user": user.username})
    contributions = client.get(reverse("wiki:contributions", args=[user.username]))

    assert changes.status_code == contributions.status_code == 200
    assert {r.author for r in changes.context["revisions"]} == {user}
    assert f"· {edits} edits" in contributions.content.decode()
    newest = Revision.objects.filter(author=user).order_by("-created_at", "-id").first()
    assert contributions.context["revisions"][0] == newest


def test_search_finds_synthetic_pages(client, synthetic):
    for page in synthetic[:: len(synthetic) // 6]:
        response = client.get(reverse("search"), {"q": page.title})
        assert response.status_code == 200
        assert f'href="{page.get_absolute_url()}"' in response.content.decode()
