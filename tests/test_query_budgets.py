"""Every page view runs a fixed number of queries, however big the page it shows.

Each view is opened twice: on a small page (one of each relation, one wiki link in and out, two
revisions) and on a big one (50 of each relation the page has, 50 wiki links in and out, 501
revisions). Both counts must be the number pinned in the budget tables below, one table per
reader: a view whose count grew with its page would fail on the big page.

The pages are built once for both readers: a kind's small page, then its small and big pages;
for the site's views, a small page of every kind, then every kind's small and big pages.

Anonymous counts are of a full render: the caches are emptied right before the counted
request. Pages for anonymous readers are then served from the page cache, and the anonymous
table counts the one query that costs (reading the content generation); opened again, such a
page costs that one query alone.
"""

import itertools
import math
import time
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.db.models import Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve, reverse

from heatwiki.accounts import ratelimit
from heatwiki.news.models import NewsItem
from heatwiki.pagecache import kept
from heatwiki.search.models import SearchDocument
from heatwiki.wiki.changes import CHANGES_PAGE_SIZE
from heatwiki.wiki.models import FilePage, PageLink, Revision, WikiPage
from heatwiki.wiki.services import record_revision
from heatwiki.wiki.views import HISTORY_PAGE_SIZE
from heatwiki.works.models import Work
from people.models import Character, Credit, Person, Role
from scenes.models import Location, Quote, Scene, SceneCharacter
from tests import factories

pytestmark = pytest.mark.django_db

SMALL = {"relations": 1, "revisions": 2}
BIG = {"relations": 50, "revisions": 501}
SIZES = {"small": SMALL, "big": BIG}

KINDS = ["works", "scenes", "people", "characters", "locations", "news", "files"]
# Budgets are named after the views' URL names, "<kind>:history-last" (the last page of a
# history; page 1 on a small page) aside. The views of a kind's pages, in the tables' order:
KIND_VIEWS = ["list", "detail", "history", "history-last", "revision", "diff", "links"]
# A signed-in editor also opens the edit form and the new-page form.
KIND_VIEWS_EDITOR = [*KIND_VIEWS, "edit", "create"]

# What no reader opens as a page: views that only take a POST, the editor's own endpoints,
# the load balancers' health check, and the admin and account pages of other apps.
NOT_PAGE_VIEWS = {"healthz", *(f"{kind}:revert" for kind in KINDS)}
# The undo preview and moderators' forms (delete, protect, hide, block …) are budgeted beside
# their behaviour, in tests/wiki/test_undo.py, test_deletion.py and test_moderation_pages.py.
MODERATOR_FORMS = ("delete", "undelete", "protect", "unprotect", "hide", "unhide")
NOT_PAGE_VIEWS |= {f"{kind}:{view}" for kind in KINDS for view in ("undo", *MODERATOR_FORMS)}
NOT_PAGE_VIEWS |= {"wiki:block", "wiki:unblock", "wiki:rollback", "readyz", "favicon"}
# Stored images' files: budgeted in tests/wiki/test_files.py.
NOT_PAGE_VIEWS |= {"wiki:file-image"}
# A page's history feed is budgeted in tests/wiki/test_discovery_feeds.py.
NOT_PAGE_VIEWS |= {f"{kind}:history-feed" for kind in KINDS}
# The timeline, the map and its data are budgeted in tests/scenes/test_timeline_and_map.py;
# My Heat (a form) in tests/test_spoilers.py.
NOT_PAGE_VIEWS |= {"timeline", "map", "map-geojson", "wiki:my-heat"}
# A work's casting tracker and its feed, in tests/works/test_casting.py.
NOT_PAGE_VIEWS |= {"works:casting", "works:casting-feed"}
# The community's views (watchlist, notifications, talk pages, thanks) have their budgets in
# tests/community/test_budgets.py.
NOT_PAGE_VIEWS |= {
    f"community:{name}"
    for name in (
        "watchlist",
        "mark-all-read",
        "watch",
        "notifications",
        "open-notification",
        "preferences",
        "unsubscribe",
        "talk-changes",
        "thank",
        "thanks",
        "edit-post",
        "post-history",
        "hide-post",
        "lock-topic",
        "follow-topic",
        "talk",
        "topic",
    )
}
# The read API and the dumps page have their budgets in tests/api/.
NOT_PAGE_VIEW_PREFIXES = ("admin/", "accounts/", "editor/", "api/", "dumps/")


def views(kind: str, *counts: int) -> dict[str, int]:
    """A row of a budget table: the counts of a kind's views, in ``KIND_VIEWS_EDITOR`` order."""
    names = KIND_VIEWS_EDITOR[: len(counts)]
    assert len(names) in {len(KIND_VIEWS), len(KIND_VIEWS_EDITOR)}, counts
    return {f"{kind}:{view}": n for view, n in zip(names, counts, strict=True)}


# PostgreSQL searches in a transaction (settings for the planner and the typo fallback last for
# that transaction only). Tests run inside one, so there it is a savepoint, the planner
# setting and the savepoint's release around the one search a results page runs: its hits
# and its total together. SQLite has none of them.
SEARCH_TRANSACTIONS = 3 if connection.vendor == "postgresql" else 0
# Without Redis, a suggestion's rate counter is one statement in the database.
RATE_COUNTER = 1 if isinstance(caches["default"], DatabaseCache) else 0

# The queries each view runs for an anonymous reader the first time it is opened after a
# change: the page cache's read of the content generation, then the render. Search,
# suggestions and robots.txt are not cached.
ANONYMOUS = {
    "home": 6,
    "wiki:recent-changes": 2,
    "wiki:contributions": 5,
    "wiki:recent-changes-feed": 2,
    "news:feed": 2,
    "search": 4 + SEARCH_TRANSACTIONS,
    "search-suggest": 2 + RATE_COUNTER,
    "sitemap": 3,
    "robots": 0,
    # kind:   list   detail   history   history-last   revision   diff   links
    **views("works", 3, 6, 3, 3, 10, 5, 3),
    **views("scenes", 3, 6, 3, 3, 12, 5, 3),
    **views("people", 4, 7, 3, 3, 13, 6, 3),
    **views("characters", 3, 5, 3, 3, 11, 5, 3),
    **views("locations", 3, 4, 3, 3, 8, 5, 3),
    **views("news", 3, 5, 3, 3, 9, 5, 3),
    **views("files", 3, 3, 3, 3, 7, 4, 3),
}
# Every page built has an infobox image: it comes joined to the page's own row, so a page view
# runs no query for it. An old revision reads the image it had (whether it still exists, then
# the file page with its stored image); a diff reads the two revisions' images (to show them
# side by side when they differ). People and locations read their gallery: one query.
# Opened again, a cached page costs the generation's read alone.
FROM_THE_PAGE_CACHE = 1

# The queries each view runs for a signed-in editor: mostly an anonymous reader's, and the
# session, the user and the header's unread notifications (with, on a page's views, whether
# the editor watches it: heatwiki.community.chrome) on top, and on views with shared fragments
# the content generation (their key). Every view that anonymous readers get from the page cache
# reads the generation for signed-in readers too: it keys the frame their page is stored in
# (heatwiki.pagecache.frames), and so do the reader's standing (the user: feeds read it for
# that alone). Suggestions and robots.txt never read the session.
# A page's own views (detail to links) read one more: whether the editor may edit it (an
# active block, a confirmed address: one query), so that the Edit tab and the Revert form
# are shown only when they would succeed. The forms read the same one query where they read
# two before (the block, then the address).
EDITOR = {
    "home": 9,
    "wiki:recent-changes": 5,
    "wiki:contributions": 8,
    "wiki:recent-changes-feed": 4,
    "news:feed": 4,
    "search": 7 + SEARCH_TRANSACTIONS,
    "search-suggest": 2 + RATE_COUNTER,
    "sitemap": 5,
    "robots": 0,
    "wiki:create": 4,
    # kind:   list   detail   history   history-last   revision   diff   links   edit   create
    **views("works", 6, 10, 7, 7, 14, 9, 7, 6, 5),
    **views("scenes", 6, 10, 7, 7, 16, 9, 7, 12, 9),
    **views("people", 7, 11, 7, 7, 17, 10, 7, 11, 9),
    **views("characters", 6, 9, 7, 7, 15, 9, 7, 9, 7),
    **views("locations", 6, 8, 7, 7, 12, 9, 7, 6, 5),
    **views("news", 6, 9, 7, 7, 13, 9, 7, 10, 7),
    **views("files", 6, 7, 7, 7, 11, 8, 7, 5, 4),
}
# The forms list the file pages an infobox image may be (the picker's options): one query.

BUDGETS = {"anonymous": ANONYMOUS, "editor": EDITOR}


# Building pages small and big ------------------------------------------------------------------

_numbers = itertools.count(1)


def new_page(model, **fields):
    """A page made without the revision service: a relation of the page under test.

    Only the page under test needs revisions and rendered text; its relations are shown by
    title and address. Titles share the word "Budget", which search and suggestions look for.
    """
    n = next(_numbers)
    name = model._meta.model_name
    if model is Work:
        fields.setdefault("kind", Work.Kind.FILM)
    return model.objects.create(
        title=f"Budget {name} {n}", slug=f"budget-{name}-{n}", description="A relation.", **fields
    )


def new_pages(model, count: int, **fields) -> list:
    return [new_page(model, **fields) for _ in range(count)]


def new_credits(count: int, **fields) -> list[Credit]:
    """Actor credits, each with its own person, character and work unless given."""
    credits = []
    for _ in range(count):
        values = {
            "person": new_page(Person),
            "character": new_page(Character),
            "work": new_page(Work),
            "source_news": new_page(NewsItem),
            **fields,
        }
        credits.append(Credit(job=Credit.Job.ACTOR, **values))
    return Credit.objects.bulk_create(credits)


def with_work(page: Work, n: int) -> None:
    for position in range(1, n + 1):
        new_page(Scene, work=page, position=position)
    page.characters.add(*new_pages(Character, n))
    for item in new_pages(NewsItem, n):
        item.works.add(page)
    new_credits(n, work=page)
    # Roles still being cast: no person yet.
    Credit.objects.bulk_create(
        Credit(work=page, character=character, status=Credit.Status.CASTING)
        for character in new_pages(Character, n)
    )


def with_scene(page: Scene, n: int) -> None:
    page.locations.add(*new_pages(Location, n))
    characters = new_pages(Character, n)
    SceneCharacter.objects.bulk_create(
        SceneCharacter(scene=page, character=character) for character in characters
    )
    # Who plays each character in the scene's work.
    for character in characters:
        new_credits(1, work=page.work, character=character)
    Quote.objects.bulk_create(
        Quote(scene=page, speaker=character, text=f"Line {i}.", position=i)
        for i, character in enumerate(characters, start=1)
    )


def with_person(page: Person, n: int) -> None:
    roles = Role.objects.bulk_create(
        Role(name=f"Budget role {i}", slug=f"budget-role-{i}")
        for i in (next(_numbers) for _ in range(n))
    )
    page.roles.add(*roles)
    new_credits(n, person=page)
    new_pages(Character, n, inspired_by=page)
    for item in new_pages(NewsItem, n):
        item.people.add(page)


def with_character(page: Character, n: int) -> None:
    page.inspired_by = new_page(Person)
    page.save(update_fields=["inspired_by"])
    page.works.add(*new_pages(Work, n, kind=Work.Kind.NOVEL))
    new_credits(n, character=page)
    work = new_page(Work)
    for position in range(1, n + 1):
        scene = new_page(Scene, work=work, position=position)
        SceneCharacter.objects.create(scene=scene, character=page)


def with_location(page: Location, n: int) -> None:
    work = new_page(Work)
    for position in range(1, n + 1):
        new_page(Scene, work=work, position=position).locations.add(page)


def with_file(page: FilePage, n: int) -> None:
    # Pages that show the file as their infobox image: where it is used.
    for model in itertools.islice(itertools.cycle([Work, Person, Location, NewsItem]), n):
        new_page(model, image=page)


def with_news(page: NewsItem, n: int) -> None:
    page.people.add(*new_pages(Person, n))
    page.works.add(*new_pages(Work, n))
    new_credits(n, source_news=page)


BUILDERS = {
    "works": (factories.WorkFactory, with_work),
    "scenes": (factories.SceneFactory, with_scene),
    "people": (factories.PersonFactory, with_person),
    "characters": (factories.CharacterFactory, with_character),
    "locations": (factories.LocationFactory, with_location),
    "news": (factories.NewsItemFactory, with_news),
    "files": (factories.FilePageFactory, with_file),
}


def add_revisions(page: WikiPage, upto: int) -> None:
    """Copies of the page's current revision, numbered on up to ``upto``, made current.

    Saving 500 revisions through ``save_page`` would render, link and index each one: minutes
    of a test run. The views counted here only read revisions, so copies written in one
    ``bulk_create`` serve as well; each has its own number and time, as history, diffs and
    recent changes need. The snapshot and the rendered body are then copied in the database,
    in one UPDATE: sent from here, psycopg quotes the big page's 500 of each character by
    character, seconds of a run on PostgreSQL.
    """
    current = page.current_revision
    copies = Revision.objects.bulk_create(
        Revision(
            page_id=page.pk,
            number=number,
            author_id=current.author_id,
            summary=f"Copy {number}",
            title=current.title,
            size=current.size,
            size_change=0,
            snapshot={},
            body_html="",
        )
        for number in range(current.number + 1, upto + 1)
    )
    if copies:
        of_current = Revision.objects.filter(pk=current.pk)
        Revision.objects.filter(page=page, number__gt=current.number).update(
            snapshot=Subquery(of_current.values("snapshot")),
            body_html=Subquery(of_current.values("body_html")),
        )
        latest = Revision.objects.get(page=page, number=upto)
        WikiPage.objects.filter(pk=page.pk).update(current_revision=latest)


def link_in(page: WikiPage, count: int) -> None:
    """``count`` pages whose text links to ``page``, their links stored as saving them would."""
    models = [Work, Person, Character, Location, NewsItem]
    sources = [new_page(models[i % len(models)]) for i in range(count)]
    PageLink.objects.bulk_create(
        PageLink(source=source, target_key=page.title_key, target=page) for source in sources
    )


def index(pages) -> None:
    """Search documents for pages made without the revision service."""
    SearchDocument.objects.bulk_create(
        SearchDocument(page_id=page.pk, title=page.title, body_text=page.description)
        for page in pages
    )


def build(kind: str, size: dict, author) -> WikiPage:
    """A page of the kind with ``size`` relations of each sort, links in and out, revisions.

    Revision 1 has no relations; revision 2 has them all (so the diff of 1 and the latest
    lists every one), and the copies after it too.
    """
    factory, relate = BUILDERS[kind]
    n = size["relations"]
    page = factory(title=f"Budget page {next(_numbers)}")
    if page.has_infobox_image:
        # Every page shows an infobox image: it costs a page view no query of its own.
        page.image = factories.FilePageFactory(title=f"Budget image {next(_numbers)}")
        page.save(update_fields=["image"])
    relate(page, n)
    # Wiki links out: to pages that exist (blue) and to one that does not (red).
    targets = list(WikiPage.objects.exclude(pk=page.pk).order_by("-pk")[:n])
    links = " ".join(f"[[{target.page_kind}:{target.title}]]" for target in targets)
    type(page).objects.filter(pk=page.pk).update(body=f"Links: {links} [[No such page]].")
    record_revision(page=page, author=author, summary="With its relations")
    page = type(page).objects.select_related("current_revision").get(pk=page.pk)
    add_revisions(page, size["revisions"])
    latest = page.revisions.get(number=size["revisions"])
    assert (latest.snapshot, latest.body_html) == (
        page.current_revision.snapshot,
        page.current_revision.body_html,
    )
    link_in(page, n)
    index(
        WikiPage.objects.filter(title__startswith="Budget ").exclude(search_document__isnull=False)
    )
    # The page is as big as it says: its revisions, its links out (and the red one), its links in.
    assert page.revisions.count() == size["revisions"]
    assert PageLink.objects.filter(source=page).count() == n + 1
    assert PageLink.objects.filter(target=page).count() == n
    return type(page).objects.get(pk=page.pk)


# Counting --------------------------------------------------------------------------------------


def kind_urls(page: WikiPage, revisions: int) -> dict[str, list[str]]:
    """The URLs of a kind's views on ``page``; all the URLs of one view share its budget."""
    kind = page.page_kind
    history = page.kind_url("history")
    diff = page.kind_url("diff")
    last = math.ceil(revisions / HISTORY_PAGE_SIZE)
    return {
        f"{kind}:list": [reverse(f"{kind}:list")],
        f"{kind}:detail": [page.get_absolute_url()],
        f"{kind}:history": [history],
        f"{kind}:history-last": [f"{history}?page={last}"],
        # Revision 2 and the latest have every relation. (Revision 1 has none, so nothing to
        # fetch: it runs fewer queries.)
        f"{kind}:revision": [page.kind_url("revision", number=n) for n in (2, revisions)],
        # Every relation added; a change of the body only; the latest change (the default).
        f"{kind}:diff": [f"{diff}?from=1&to={revisions}", f"{diff}?from=1&to=2", diff],
        f"{kind}:links": [page.kind_url("links")],
    }


def site_urls(editor, reader: str) -> dict[str, list[str]]:
    changes = reverse("wiki:recent-changes")
    contributions = reverse("wiki:contributions", args=[editor.username])
    feed = reverse("wiki:recent-changes-feed")
    filters = f"kind=scenes&user={editor.username}&hideminor=1"
    urls = {
        "home": [reverse("home")],
        "wiki:recent-changes": [changes, f"{changes}?page=2", f"{changes}?{filters}"],
        # Page 2 only where there is one: past the end, the first page is fetched instead.
        "wiki:contributions": [contributions]
        + [f"{contributions}?page=2"] * (editor.revisions.count() > CHANGES_PAGE_SIZE),
        "wiki:recent-changes-feed": [feed, f"{feed}?{filters}"],
        "news:feed": [reverse("news:feed")],
        "search": [f"{reverse('search')}?q=budget", f"{reverse('search')}?q=budget&page=2"],
        # No title starts with "page", so suggestions look for titles containing it too.
        "search-suggest": [f"{reverse('search-suggest')}?q=page"],
        "sitemap": [reverse("sitemap")],
        "robots": [reverse("robots")],
    }
    if reader == "editor":
        # Where a red link without a kind leads: which kind of page to create.
        urls["wiki:create"] = [f"{reverse('wiki:create')}?title=Budget"]
    return urls


# The views each kind of reader has opened in this process; see ``count``.
WARMED: set[tuple[bool, str]] = set()


def count(client, url: str) -> tuple[int, list[str]]:
    """The queries a GET of ``url`` runs, as a reader opening it in a running site would.

    A first request fills what a process caches once (content types, …): one of each view,
    for each kind of reader, in this process, and a test's first, with its new client. The
    cache is cleared after it, so the counted request renders the page in full.
    """
    anonymous = settings.SESSION_COOKIE_NAME not in client.cookies
    view = (anonymous, resolve(url.split("?")[0]).view_name)
    if view not in WARMED or not getattr(client, "warmed", False):
        assert client.get(url).status_code == 200, url
        WARMED.add(view)
        client.warmed = True
    for alias in ("default", "pages"):
        caches[alias].clear()
    kept.forget_everything()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    cached = getattr(resolve(url.split("?")[0]).func, "cached_for_readers", False)
    assert response.has_header("ETag") == (cached and anonymous), url
    if response.has_header("ETag"):  # stored in the page cache for anonymous readers
        with CaptureQueriesContext(connection) as again:
            assert client.get(url).content == response.content
        assert len(again) == FROM_THE_PAGE_CACHE, [query["sql"] for query in again]
    return len(captured), [query["sql"] for query in captured]


def check(client, reader: str, urls_by_size: dict) -> None:
    """Each view's count on the pages of each size, against the reader's budget table.

    ``urls_by_size`` maps "small" or "big" to a function that returns the views' URLs by name
    on the pages of that size. On failure, the queries of each view over budget are shown.
    """
    counts, queries = {}, {}
    for size, urls in urls_by_size.items():
        counts[size], queries[size] = {}, {}
        for name, variants in urls().items():
            measured = [count(client, url) for url in variants]
            found = sorted({n for n, _ in measured})
            # One count when every URL of the view runs as many queries, else all of them.
            counts[size][name] = found[0] if len(found) == 1 else found
            queries[size][name] = max(measured)[1]
    *_, last = counts
    budget = {name: BUDGETS[reader].get(name) for name in counts[last]}
    report = []
    for name, n in budget.items():
        found = {size: counts[size][name] for size in counts}
        if all(value == n for value in found.values()):
            continue
        pages = ", ".join(f"{size} page {value}" for size, value in found.items())
        report.append(f"{name}: budget {n}, {pages}; on the {last} page:")
        report.extend(f"    {sql}" for sql in queries[last][name])
    assert counts == dict.fromkeys(counts, budget), "\n".join(report)


@contextmanager
def rolled_back():
    """A transaction that each test's own nests in (as a savepoint), rolled back at the end.

    Marked as a test case's, as Django's TestCase marks its own: code that waits for the
    commit (the page cache's bump of the content generation) runs at once, as in any test.
    """
    atomic = transaction.atomic()
    atomic._from_testcase = True
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# What the tests count on: each kind's pages on their own, and every kind's for the site's views.
KIND_PAGES = [((kind,), size) for kind in KINDS for size in SIZES]
SITE_PAGES = [(tuple(KINDS), size) for size in SIZES]


def pages_id(pages: tuple) -> str:
    kinds, size = pages
    return f"{'site' if len(kinds) > 1 else kinds[0]}-{size}"


@pytest.fixture(scope="module")
def built(request, django_db_setup, django_db_blocker):
    """The pages of the kinds asked for, built once for every test that counts on them.

    ``request.param`` is the kinds and a size. "small": a small page of each kind. "big":
    those, and a big page of each kind on top. Built, with the editor who saves them, in a
    transaction rolled back once their tests have run: pytest runs all the tests of one
    ``param`` before it builds the next.
    """
    kinds, size = request.param
    with django_db_blocker.unblock(), rolled_back():
        editor = factories.UserFactory(username="fan")
        every = {kind: [build(kind, SMALL, editor)] for kind in kinds}
        if size == "big":
            for kind in kinds:
                every[kind].append(build(kind, BIG, editor))
        pages = {kind: built[-1] for kind, built in every.items()}
        yield SimpleNamespace(size=size, editor=editor, pages=pages, every=every)


@pytest.fixture
def editor(built):
    """The editor who saved the pages: contributions, and the signed-in reader."""
    return built.editor


@pytest.fixture(autouse=True)
def _one_rate_window(monkeypatch):
    """Rate counters stay in one window throughout: the first hit of a window also clears
    the counters of past ones, a query more that a minute's turn would add to a count."""
    fixed = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: fixed))


@pytest.fixture(params=["anonymous", "editor"])
def reader(request, client, editor):
    if request.param == "editor":
        client.force_login(editor)
    return request.param


@pytest.mark.parametrize("built", KIND_PAGES, ids=pages_id, indirect=True)
def test_page_views_of_each_kind(client, built, reader):
    ((kind, page),) = built.pages.items()

    def urls():
        urls = kind_urls(page, SIZES[built.size]["revisions"])
        if reader == "editor":
            urls[f"{kind}:edit"] = [page.kind_url("edit")]
            urls[f"{kind}:create"] = [reverse(f"{kind}:create")]
        return urls

    check(client, reader, {built.size: urls})


@pytest.mark.parametrize("built", SITE_PAGES, ids=pages_id, indirect=True)
def test_site_views(client, built, reader):
    """Home, recent changes, feeds, search … with a small page of each kind, then big ones too.

    The works built are in production (the home page lists their cast) and the scenes featured.
    """

    def urls():
        works, scenes = ([page.pk for page in built.every[kind]] for kind in ("works", "scenes"))
        Work.objects.filter(pk__in=works).update(status=Work.Status.IN_PRODUCTION)
        Scene.objects.filter(pk__in=scenes).update(featured=True)
        return site_urls(built.editor, reader)

    check(client, reader, {built.size: urls})


def url_names(patterns, namespace: str = "", prefix: str = "") -> set[str]:
    """The names of the site's URL patterns, with their namespaces ("works:detail" …)."""
    names = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(NOT_PAGE_VIEW_PREFIXES):
            continue
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner, route)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_page_view_has_a_budget():
    """A new view (or a new kind) gets its budgets here, or a place in ``NOT_PAGE_VIEWS``."""
    views = url_names(get_resolver().url_patterns) - NOT_PAGE_VIEWS
    forms = {f"{kind}:{form}" for kind in KINDS for form in ("edit", "create")} | {"wiki:create"}
    assert views - EDITOR.keys() == set()
    # Anonymous readers are sent to sign in for the forms.
    assert views - ANONYMOUS.keys() == forms
