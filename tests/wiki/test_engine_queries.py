"""The engine's pages cost a fixed number of queries, however many revisions a page has.

Each test counts the queries of a page with two revisions, adds 60 more through the revision
service, and expects the same count again. Readers are anonymous.
"""

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.services import record_revision, save_page
from people.models import Role
from tests import factories
from tests.test_queries import BUDGETS as BUILDERS
from tests.wiki.test_views import FACTORIES, change, fresh, seeded

pytestmark = pytest.mark.django_db

MORE = 60
every_kind = pytest.mark.parametrize("model", page_kinds(), ids=lambda m: m.url_namespace)


def queries(client, url: str, budget: int) -> int:
    """The number of queries a GET of ``url`` runs, at most ``budget``."""
    client.get(url)  # Caches filled once per process (content types …) do not count.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) <= budget, [q["sql"] for q in captured]
    return len(captured)


def add_revisions(page, author, count: int = MORE) -> None:
    for n in range(count):
        save_page(page=fresh(page), data={"body": f"Version {n} of the body."}, author=author)


@every_kind
def test_history_query_count_is_fixed(client, editor, django_assert_num_queries, model):
    page = seeded(model)
    change(page, editor, body="The second version.")
    url = page.kind_url("history")
    expected = queries(client, url, budget=4)

    add_revisions(page, editor)

    for number in (1, 2):  # the first page and the last
        with django_assert_num_queries(expected):
            response = client.get(url, {"page": number})
        assert response.status_code == 200
    assert response.context["page_obj"].number == 2


@every_kind
def test_diff_query_count_is_fixed(client, editor, django_assert_num_queries, model):
    page = seeded(model)
    change(page, editor, body="The second version.")
    url = page.kind_url("diff")
    expected = queries(client, f"{url}?from=1&to=2", budget=6)

    add_revisions(page, editor)

    for query in ({"from": 1, "to": 2}, {"from": 1, "to": 2 + MORE}, {}):
        with django_assert_num_queries(expected):
            assert client.get(url, query).status_code == 200


@every_kind
def test_old_revision_query_count_is_fixed(client, editor, django_assert_num_queries, model):
    page = seeded(model)
    change(page, editor, body="The second version.")
    expected = queries(client, page.kind_url("revision", number=1), budget=12)

    add_revisions(page, editor)

    for number in (1, 2, MORE):
        with django_assert_num_queries(expected):
            response = client.get(page.kind_url("revision", number=number))
        assert response.status_code == 200


def build(kind: str, relations: int):
    """A page of the kind with this many of each relation (builders of tests/test_queries.py)."""
    page = BUILDERS[kind][0](relations)
    # person_with() names its roles Role 0, Role 1 …: free the names for the next person.
    suffix = Value(f"-{page.pk}")
    Role.objects.filter(slug__startswith="role-").update(
        slug=Concat("slug", suffix), name=Concat("name", suffix)
    )
    return page


@pytest.mark.parametrize("kind", BUILDERS)
def test_old_revision_query_count_is_fixed_whatever_its_relations(client, editor, kind):
    counts = []
    for relations in (1, 20):
        page = build(kind, relations)
        record_revision(page=page, author=editor, summary="With its relations")
        change(page, editor, body="Changed since.")
        counts.append(queries(client, page.kind_url("revision", number=2), budget=12))
    assert counts[0] == counts[1]


# Works and locations version no relations of their own: theirs belong to scenes, credits …
@pytest.mark.parametrize("kind", [kind for kind in BUILDERS if kind not in {"work", "location"}])
def test_diff_query_count_is_fixed_whatever_the_relations_changed(client, editor, kind):
    counts = []
    for relations in (1, 20):
        page = build(kind, relations)
        record_revision(page=page, author=editor, summary="With its relations")
        counts.append(queries(client, f"{page.kind_url('diff')}?from=1&to=2", budget=6))
    assert counts[0] == counts[1]


@every_kind
def test_links_query_count_is_fixed(client, editor, django_assert_num_queries, model):
    page = seeded(model)
    change(page, editor, body="The second version.")
    link = f"[[{model.url_namespace}:{page.title}]]"
    factories.PersonFactory(body=link)
    url = page.kind_url("links")
    expected = queries(client, url, budget=3)

    add_revisions(page, editor)
    for other in page_kinds():
        FACTORIES[other].create_batch(3, body=link)

    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["linking"]) == 1 + 3 * len(page_kinds())


def test_recent_changes_query_count_is_fixed(client, editor, django_assert_num_queries):
    pages = [seeded(model) for model in page_kinds()]
    change(pages[0], editor, body="The second version.")
    url = reverse("wiki:recent-changes")
    expected = queries(client, url, budget=3)

    for page in pages:
        add_revisions(page, editor, count=MORE // len(pages))

    for query in ({}, {"page": 2}, {"kind": "scenes", "user": "fan", "hideminor": "1"}):
        with django_assert_num_queries(expected):
            assert client.get(url, query).status_code == 200


def test_contributions_query_count_is_fixed(client, editor, django_assert_num_queries):
    pages = [seeded(model) for model in page_kinds()]
    change(pages[0], editor, body="The second version.")
    url = reverse("wiki:contributions", args=["fan"])
    expected = queries(client, url, budget=4)

    for page in pages:
        add_revisions(page, editor, count=MORE // len(pages))

    for query in ({}, {"page": 2}):
        with django_assert_num_queries(expected):
            response = client.get(url, query)
        assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_recent_changes_feed_query_count_is_fixed(client, editor, django_assert_num_queries):
    pages = [seeded(model) for model in page_kinds()]
    url = reverse("wiki:recent-changes-feed")
    expected = queries(client, url, budget=2)

    for page in pages:
        add_revisions(page, editor, count=MORE // len(pages))

    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
