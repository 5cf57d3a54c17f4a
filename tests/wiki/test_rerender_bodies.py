"""`manage.py rerender_bodies`: stored HTML made again by today's pipeline, where it differs."""

from io import StringIO

import pytest
from django.core.management import call_command

from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.services import save_page
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

OLD_PIPELINE_HTML = "<h2>One</h2>\n<p>No footnotes yet[^1].</p>\n"


def rerender() -> str:
    out = StringIO()
    call_command("rerender_bodies", stdout=out)
    return out.getvalue()


def html_of_everything() -> dict:
    return {
        **{("page", pk): html for pk, html in WikiPage.objects.values_list("pk", "body_html")},
        **{("rev", pk): html for pk, html in Revision.objects.values_list("pk", "body_html")},
    }


def test_bodies_rendered_by_this_pipeline_are_left_alone():
    before = html_of_everything()
    assert rerender().strip() == "Rendered again: 0 page bodies and 0 revisions had changed."
    assert html_of_everything() == before


def test_only_bodies_whose_html_differs_are_written():
    page = WikiPage.objects.exclude(body="").order_by("pk").first()
    revision = page.current_revision
    WikiPage.objects.filter(pk=page.pk).update(body_html=OLD_PIPELINE_HTML)
    Revision.objects.filter(pk=revision.pk).update(body_html=OLD_PIPELINE_HTML)
    before = html_of_everything()

    assert "1 page bodies and 1 revisions had changed" in rerender()

    after = html_of_everything()
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {("page", page.pk), ("rev", revision.pk)}
    assert after[("page", page.pk)] == render_markdown(page.body)
    assert after[("rev", revision.pk)] == render_markdown(page.body)


def test_where_a_wiki_link_points_today_is_no_reason_to_write(editor):
    # Links are resolved against today's pages when shown; a stored href that is out of date
    # is the revision service's business (relinking), not the pipeline's.
    page = LocationFactory()
    data = {**page.current_revision.snapshot, "body": "See [[Heat]] and [[No such page]]."}
    page = save_page(page=page, data=data, author=editor).page
    stale = page.body_html.replace('class="wikilink"', 'class="wikilink wikilink--missing"', 1)
    WikiPage.objects.filter(pk=page.pk).update(body_html=stale)
    assert "0 page bodies" in rerender()
    assert WikiPage.objects.get(pk=page.pk).body_html == stale
