"""``::: spoiler <work>`` containers through the Markdown pipeline: sanitised like everything
else (the XSS corpus inside containers, in their names, around them), withheld cleanly, and an
unclosed or nameless container is a message in the preview, not broken HTML."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from heatwiki.wiki.layers import Reading, known_layers, strip_spoilers, withhold_html
from heatwiki.wiki.markdown import render_markdown, spoiler_problems
from tests.factories import UserFactory

from .html_safety import script_capable_markup
from .test_markdown import payloads

VOID = {"br", "hr", "img", "input", "meta", "link"}


class Balance(HTMLParser):
    """Whether every element opened is closed, in order: well-formed HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.broken = False

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.broken = True


def balanced(html: str) -> bool:
    parser = Balance()
    parser.feed(html)
    parser.close()
    return not parser.broken and not parser.stack


def novel_hidden() -> Reading:
    known = known_layers()
    return Reading(known, frozenset(lay.slug for lay in known if lay.slug != "heat-2-novel"))


@pytest.mark.django_db
def test_no_payload_survives_inside_around_or_as_the_name_of_a_container():
    reading = novel_hidden()
    survivors = []
    for payload in payloads():
        for source in (
            f"::: spoiler heat-2-novel\n{payload}\n:::\n",
            f"::: spoiler {payload}\ntext\n:::\n",
            f"{payload}\n::: spoiler heat\n{payload}\n",
        ):
            html = render_markdown(source)
            for shown in (html, withhold_html(html, reading), strip_spoilers(html)):
                if script_capable_markup(shown):
                    survivors.append((source, shown))
    assert survivors == []


def test_a_container_renders_as_a_marked_section():
    html = render_markdown("Before.\n\n::: spoiler heat-2-novel\nThe *secret*.\n:::\n\nAfter.")
    assert '<section class="spoiler" data-layer="heat-2-novel">' in html
    assert "<em>secret</em>" in html and balanced(html)


def test_only_a_slug_is_kept_as_the_work():
    html = render_markdown('::: spoiler heat" onmouseover="x\ntext\n:::')
    assert 'data-layer=""' in html and "onmouseover" not in html.split(">")[0]


@pytest.mark.django_db
def test_withholding_leaves_well_formed_html():
    reading = novel_hidden()
    source = (
        "# Top\n\n:::: spoiler heat\nOuter\n\n::: spoiler heat-2-novel\nInner secret\n:::\n\n"
        "Outer again\n::::\n\n::: spoiler heat-2-novel\n- one\n- two\n:::\n\n"
        "Text[^1]\n\n[^1]: A note."
    )
    html = render_markdown(source)
    shown = withhold_html(html, reading)
    assert "Inner secret" not in shown and "one" not in shown.split("hidden")[-1]
    assert "Outer again" in shown and "A note." in shown
    assert "2 paragraphs about the novel Heat 2 hidden" in shown
    assert balanced(shown) and balanced(strip_spoilers(html))


def test_an_unclosed_container_is_a_problem_and_still_well_formed_html():
    source = "Intro\n\n::: spoiler heat-2-novel\nNever closed\n\n- a list"
    assert balanced(render_markdown(source))
    assert spoiler_problems(source) == [
        "The spoiler container opened on line 3 is not closed: end it with a line of :::."
    ]
    assert spoiler_problems("::: spoiler heat\nclosed\n:::") == []
    assert "names no work" in spoiler_problems("::: spoiler\ntext\n:::")[0]


@pytest.mark.django_db
def test_the_preview_says_what_is_wrong(editor):
    client = Client()
    client.force_login(editor)
    response = client.post("/editor/preview/", {"content": "::: spoiler heat-2-novel\nOpen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="preview-problems" role="alert">' in html
    assert "is not closed" in html and balanced(html)
    unknown = client.post("/editor/preview/", {"content": "::: spoiler nope\nx\n:::"})
    assert "no work has the address “nope”" in unknown.content.decode()
    fine = client.post("/editor/preview/", {"content": "::: spoiler heat\nx\n:::"})
    assert "preview-problems" not in fine.content.decode()


@pytest.mark.django_db
def test_a_save_with_an_unclosed_container_is_refused_with_the_text_kept():
    from scenes.models import Location
    from tests.formdata import form_data

    place = Location.objects.get(slug="lax")
    client = Client()
    client.force_login(UserFactory(username="container-editor"))
    data = form_data(client.get(place.kind_url("edit")))
    data.update(body="::: spoiler heat\nNot closed", summary="try")
    response = client.post(place.kind_url("edit"), data)
    assert response.status_code == 400
    assert "is not closed" in response.content.decode()
    assert "Not closed" in response.content.decode()
    assert Location.objects.get(pk=place.pk).body != "::: spoiler heat\nNot closed"
