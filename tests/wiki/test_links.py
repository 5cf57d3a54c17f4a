"""[[Wiki links]]: resolving titles to pages, red links, keeping stored pages current."""

import re
from html.parser import HTMLParser
from unittest import mock

import pytest

from heatwiki.wiki.markdown import _parser, render, render_markdown
from heatwiki.wiki.models import PageLink
from heatwiki.wiki.services import record_revision, relink_pages_linking_to, save_page
from heatwiki.wiki.snapshot import take
from heatwiki.works.models import Work
from people.models import Character, Person
from tests import factories

from .html_safety import script_capable_markup

pytestmark = pytest.mark.django_db


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.anchors.append(self._open)

    def handle_endtag(self, tag) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data) -> None:
        if self._open is not None:
            self._open["text"] += data


def anchors(html: str) -> list[dict]:
    """Every link of the HTML: its attributes, unescaped, and its text."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.anchors


def link(markdown: str) -> dict:
    (anchor,) = anchors(render_markdown(markdown))
    return anchor


def is_red(anchor: dict) -> bool:
    return anchor["class"] == "wikilink wikilink--missing" and anchor["rel"] == "nofollow"


def is_blue(anchor: dict) -> bool:
    return anchor["class"] == "wikilink" and "rel" not in anchor


# Resolving


def test_a_title_links_to_its_page_whatever_the_case_and_spacing():
    assert link("[[heat]]")["href"] == "/works/heat/"
    assert link("[[  HEAT  ]]")["href"] == "/works/heat/"
    assert is_blue(link("[[Heat]]"))


@pytest.mark.parametrize(
    "title, href",
    [
        ("heat 2 (novel)", "/works/heat-2-novel/"),
        ("the coffee-shop stand-off", "/scenes/coffee-shop-stand-off/"),
        ("AL PACINO", "/people/al-pacino/"),
        ("vincent hanna", "/characters/vincent-hanna/"),
        ("los angeles international airport (lax)", "/locations/lax/"),
        ("Michael Mann publishes the novel Heat 2", "/news/mann-publishes-heat-2-novel/"),
    ],
)
def test_a_title_links_to_a_page_of_any_kind(title, href):
    assert link(f"[[{title}]]")["href"] == href


def test_the_link_text_is_the_title_as_written():
    assert link("[[heat]]")["text"] == "heat"


def test_a_label_after_a_bar_is_shown_instead_of_the_title():
    anchor = link("[[Heat|Mann's film]]")

    assert anchor["text"] == "Mann's film"
    assert anchor["href"] == "/works/heat/"


def test_a_person_and_a_character_share_the_title_neil_mccauley():
    assert Person.objects.filter(title="Neil McCauley").exists()
    assert Character.objects.filter(title="Neil McCauley").exists()


def test_a_kind_prefix_picks_that_kind_when_titles_are_shared():
    assert link("[[character:Neil McCauley]]")["href"] == "/characters/neil-mccauley/"
    assert link("[[person:Neil McCauley]]")["href"] == "/people/neil-mccauley/"


@pytest.mark.parametrize("prefix", ["character", "characters", "Character", " characters "])
def test_a_kind_may_be_named_by_model_verbose_or_url_name(prefix):
    assert link(f"[[{prefix}:Neil McCauley]]")["href"] == "/characters/neil-mccauley/"


@pytest.mark.parametrize("prefix", ["news item", "news", "newsitem"])
def test_news_items_may_be_named_several_ways(prefix):
    assert link(f"[[{prefix}:Michael Mann publishes the novel Heat 2]]")["href"] == (
        "/news/mann-publishes-heat-2-novel/"
    )


def test_a_kind_prefix_shows_only_the_title_as_link_text():
    assert link("[[character:Neil McCauley]]")["text"] == "Neil McCauley"


def test_a_bare_shared_title_goes_to_the_character_before_the_person():
    assert link("[[Neil McCauley]]")["href"] == "/characters/neil-mccauley/"
    assert link("[[person:Neil McCauley]]")["href"] == "/people/neil-mccauley/"


def test_a_colon_that_names_no_kind_is_part_of_the_title():
    page = factories.WorkFactory(title="Heat: The Making Of", slug="heat-making-of")

    assert link("[[Heat: The Making Of]]")["href"] == page.get_absolute_url()


def test_render_reports_each_linked_page():
    _, found = render("[[Heat]] and [[character:Neil McCauley]] and [[Nowhere]]")

    assert {str(target): getattr(page, "slug", None) for target, page in found.items()} == {
        "Heat": "heat",
        "characters:Neil McCauley": "neil-mccauley",
        "Nowhere": None,
    }


# Red links


def test_a_missing_page_is_a_red_link_to_the_kind_chooser():
    anchor = link("[[Public Enemies]]")

    assert is_red(anchor)
    assert anchor["href"] == "/new/?title=Public+Enemies"
    assert anchor["text"] == "Public Enemies"


def test_a_missing_page_of_a_named_kind_is_a_red_link_to_that_kinds_create_form():
    anchor = link("[[character:Nate]]")

    assert is_red(anchor)
    assert anchor["href"] == "/characters/new/?title=Nate"


def test_a_kind_prefix_that_does_not_match_the_page_kind_is_red():
    anchor = link("[[location:Heat]]")

    assert is_red(anchor)
    assert anchor["href"] == "/locations/new/?title=Heat"


def test_the_red_link_create_form_has_the_title_filled_in(client, editor):
    client.force_login(editor)
    href = link("[[work:Public Enemies]]")["href"]

    response = client.get(href)

    assert response.status_code == 200
    assert 'value="Public Enemies"' in response.content.decode()


# Keeping stored pages current


@pytest.fixture
def linking_page():
    """A page linking to a work that does not exist yet."""
    return factories.CharacterFactory(
        title="Vincent's lieutenant", slug="lieutenant", body="Seen in [[Collateral]]."
    )


def create_collateral(author) -> Work:
    data = {
        "title": "Collateral",
        "slug": "collateral",
        "description": "",
        "body": "",
        "kind": "film",
        "year": 2004,
        "status": "released",
    }
    return save_page(page=Work(), data=data, author=author).page


def stored_link(page) -> dict:
    page.refresh_from_db()
    (anchor,) = anchors(page.body_html)
    return anchor


def test_creating_a_page_turns_red_links_to_it_blue_in_stored_pages(linking_page, editor):
    assert is_red(stored_link(linking_page))

    create_collateral(editor)

    anchor = stored_link(linking_page)
    assert is_blue(anchor)
    assert anchor["href"] == "/works/collateral/"
    assert PageLink.objects.get(source=linking_page).target.slug == "collateral"


def test_the_page_view_shows_the_blue_link_without_rendering_markdown(client, linking_page, editor):
    create_collateral(editor)

    with mock.patch(
        "heatwiki.wiki.markdown._parser.render", side_effect=AssertionError("rendered")
    ) as rendered:
        response = client.get("/characters/lieutenant/")

    assert response.status_code == 200
    assert rendered.call_count == 0
    (anchor,) = [a for a in anchors(response.content.decode()) if "data-wikilink" in a]
    assert is_blue(anchor) and anchor["href"] == "/works/collateral/"


def test_creating_a_page_renders_no_other_page(linking_page, editor):
    with mock.patch.object(_parser, "render", wraps=_parser.render) as rendered:
        create_collateral(editor)

    # Only the new page's own body.
    assert rendered.call_count == 1


def test_renaming_a_page_keeps_links_to_the_old_title_and_turns_the_new_blue(linking_page, editor):
    work = create_collateral(editor)
    new_title_link = factories.PersonFactory(body="Cast in [[Collateral (2004)]].")
    assert is_red(stored_link(new_title_link))

    save_page(
        page=work,
        data={**take(work), "title": "Collateral (2004)"},
        author=editor,
        base_revision=1,
    )

    # The old title is a redirect now: links made with it still lead to the page.
    assert is_blue(stored_link(linking_page))
    assert stored_link(linking_page)["href"] == "/works/collateral/"
    assert PageLink.objects.get(source=linking_page).target_id == work.pk
    assert is_blue(stored_link(new_title_link))
    assert stored_link(new_title_link)["href"] == "/works/collateral/"


def test_deleting_a_page_turns_links_to_it_red_again(linking_page, editor):
    create_collateral(editor).delete()

    assert is_red(stored_link(linking_page))
    assert PageLink.objects.get(source=linking_page).target is None


def test_relinking_reports_how_many_pages_it_updated(linking_page, editor):
    factories.PersonFactory(body="[[collateral]] twice: [[COLLATERAL|again]]")
    create_collateral(editor)

    assert relink_pages_linking_to({"collateral"}) == 2


def test_changing_a_pages_address_updates_the_links_to_it_in_stored_pages(linking_page, editor):
    work = create_collateral(editor)

    save_page(
        page=work, data={**take(work), "slug": "collateral-2004"}, author=editor, base_revision=1
    )

    assert stored_link(linking_page)["href"] == "/works/collateral-2004/"


def test_an_address_changed_in_the_admin_updates_the_links_once_recorded(linking_page, editor):
    work = create_collateral(editor)
    work.slug = "collateral-film"
    work.save()

    record_revision(page=work, author=editor, summary="Edited in the admin")

    assert stored_link(linking_page)["href"] == "/works/collateral-film/"


def test_links_page_lists_the_pages_that_link_here(client, linking_page, editor):
    create_collateral(editor)

    response = client.get("/works/collateral/links/")

    assert response.status_code == 200
    listed = [a for a in anchors(response.content.decode()) if a["text"] == "Vincent's lieutenant"]
    assert [a["href"] for a in listed] == ["/characters/lieutenant/"]


def test_links_page_forgets_a_link_removed_by_a_later_edit(client, linking_page, editor):
    create_collateral(editor)
    save_page(
        page=linking_page,
        data={**take(linking_page), "body": "No link any more."},
        author=editor,
        base_revision=1,
    )

    html = client.get("/works/collateral/links/").content.decode()

    assert "/characters/lieutenant/" not in html
    assert "No page links here yet" in html


def test_links_page_of_a_seeded_page_lists_seeded_pages_linking_to_it(client):
    factories.SceneFactory(title="A linking scene", slug="linking-scene", body="See [[Heat]].")

    html = client.get("/works/heat/links/").content.decode()

    assert "/scenes/linking-scene/" in html


def test_a_link_to_a_kind_is_not_a_link_to_a_page_of_another_kind_with_the_title(client, editor):
    factories.PersonFactory(title="Linker", slug="linker", body="[[character:Neil McCauley]]")

    people = client.get("/people/neil-mccauley/links/").content.decode()
    characters = client.get("/characters/neil-mccauley/links/").content.decode()

    assert "/people/linker/" not in people
    assert "/people/linker/" in characters


# Hostile and odd link text


@pytest.mark.parametrize(
    "source",
    [
        "[[<script>alert(1)</script>]]",
        "[[x|<img src=x onerror=alert(1)>]]",
        '[[" onmouseover="alert(1)]]',
        "[[x|\" onmouseover='alert(1)']]",
        "[[character:<svg onload=alert(1)>]]",
        "[[javascript:alert(1)]]",
        '[[a"><script>alert(1)</script>|b]]',
    ],
)
def test_hostile_link_text_comes_out_escaped(source):
    html = render_markdown(source)

    assert script_capable_markup(html) == []
    (anchor,) = anchors(html)
    assert anchor["href"].startswith("/new/?title=") or anchor["href"].startswith("/characters/")
    assert set(anchor) <= {"data-wikilink", "href", "class", "rel", "title", "text"}


def test_hostile_link_text_is_shown_as_text():
    anchor = link("[[x|<img src=x onerror=alert(1)>]]")

    assert anchor["text"] == "<img src=x onerror=alert(1)>"
    assert "&lt;img" in render_markdown("[[x|<img src=x onerror=alert(1)>]]")


def test_quotes_in_a_title_stay_in_the_link():
    factories.WorkFactory(title='The "Heat" Diaries', slug="heat-diaries")

    anchor = link('[[the "heat" diaries]]')
    missing = link('[[Mann\'s "other" film]]')

    assert anchor["href"] == "/works/heat-diaries/"
    assert anchor["text"] == 'the "heat" diaries'
    assert is_red(missing)
    assert missing["href"] == "/new/?title=Mann%27s+%22other%22+film"
    assert missing["data-wikilink"] == 'Mann\'s "other" film'


def test_stored_hostile_links_stay_escaped_after_relinking(editor):
    page = factories.PersonFactory(body='[[<b>"Heat"</b>]] and [[Collateral|<i>x</i>]]')

    create_collateral(editor)

    html = Person.objects.get(pk=page.pk).body_html
    assert script_capable_markup(html) == []
    assert "<b>" not in html and "<i>" not in html
    red, blue = anchors(html)
    assert is_red(red) and red["text"] == '<b>"Heat"</b>'
    assert is_blue(blue) and blue["text"] == "<i>x</i>"


@pytest.mark.parametrize(
    "source", ["[[]]", "[[|x]]", "[[ ]]", "[[ |x]]", "[[x|]]", "[[\n]]", "[[x\ny]]"]
)
def test_empty_targets_make_no_link(source):
    html = render_markdown(source)

    assert "<a" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[[" * 5_000,
        "[[a" * 5_000,
        "[[a|" * 5_000,
        "[" * 10_000 + "]" * 10,
        "[[x]" * 5_000,
    ],
)
def test_unclosed_brackets_render_without_links(source):
    html = render_markdown(source)

    assert "<a" not in html
    assert html.startswith("<p>")


def test_long_titles_are_not_links():
    assert "<a" not in render_markdown(f"[[{'x' * 201}]]")
    assert link(f"[[{'x' * 200}]]")["href"].startswith("/new/?title=xxx")


def test_links_are_found_in_lists_tables_and_emphasis():
    html = render_markdown("- *[[Heat]]*\n\n| a |\n|---|\n| [[Heat 2 (novel)]] |\n")

    assert [a["href"] for a in anchors(html)] == ["/works/heat/", "/works/heat-2-novel/"]


def test_links_in_code_are_not_links():
    html = render_markdown("`[[Heat]]`\n\n    [[Heat]]\n")

    assert "<a" not in html
    assert html.count("[[Heat]]") == 2


def test_a_wikilink_lookalike_typed_as_text_is_not_resolved():
    html = render_markdown('&lt;a data-wikilink="Heat"&gt; <a data-wikilink="Heat">')

    assert not re.search(r"<a\b", html)
