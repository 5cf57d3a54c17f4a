import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.models import Revision
from heatwiki.wiki.services import save_page
from scenes.models import Location
from tests.factories import LocationFactory

from .html_safety import script_capable_markup

CORPORA = Path(os.environ.get("HEATWIKI_SHARED", settings.BASE_DIR.parent / "shared")) / "corpora"


def payloads() -> list[str]:
    files = sorted((CORPORA / "xss").glob("*.txt"))
    assert files, f"the XSS payload lists are missing from {CORPORA / 'xss'}"
    return [line for f in files for line in f.read_text(errors="replace").splitlines() if line]


def test_the_checker_catches_script_capable_markup():
    assert script_capable_markup('<a href=" java\tscript:alert(1)">x</a>')
    assert script_capable_markup('<img src="x" onerror="alert(1)">')
    assert script_capable_markup("<svg><g/></svg>")
    assert script_capable_markup('<p style="x">y</p>')
    assert not script_capable_markup('<a href="https://example.com/">x</a><a href="/rel">y</a>')


@pytest.mark.django_db  # payloads with [[wiki links]] look their pages up
def test_no_payload_survives_the_pipeline():
    survivors = [(p, html) for p in payloads() if script_capable_markup(html := render_markdown(p))]
    assert survivors == []
    assert len(payloads()) > 6000


@pytest.mark.django_db
def test_no_payload_survives_as_a_stored_revision(editor):
    # Through the revision service, one save per payload list, so the stored HTML is checked.
    page = LocationFactory()
    for payload_file in sorted((CORPORA / "xss").glob("*.txt")):
        data = {**page.current_revision.snapshot, "body": payload_file.read_text(errors="replace")}
        outcome = save_page(page=page, data=data, author=editor)
        page = outcome.page
        stored = Location.objects.values_list("body_html", flat=True).get(pk=page.pk)
        assert stored == Revision.objects.get(pk=outcome.revision.pk).body_html
        assert not script_capable_markup(stored), payload_file.name


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_external_links_carry_rel_and_internal_links_do_not():
    html = render_markdown("[out](https://example.com/) [in](/scenes/x/) <https://a.example/>")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert '<a href="/scenes/x/">in</a>' in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "![x](javascript:alert(1))",
        "[x](ftp://example.com/)",
    ],
)
def test_links_to_other_schemes_are_dropped(source):
    html = render_markdown(source)
    assert "href=" not in html
    assert "src=" not in html


def test_mailto_links_are_kept():
    html = render_markdown("[mail](mailto:a@example.com)")
    assert 'href="mailto:a@example.com"' in html


@pytest.mark.parametrize(
    "src",
    [
        "https://example.com/a.jpg",
        "http://example.com/a.jpg",
        "//example.com/a.jpg",
    ],
)
def test_images_from_other_sites_stay_links(src):
    html = render_markdown(f"![still]({src})")
    assert "<img" not in html
    assert ">still</a>" in html


def test_images_of_the_site_itself_are_shown():
    html = render_markdown("![still](/media/uploads/a.png)")
    assert '<img src="/media/uploads/a.png" alt="still">' in html


def test_uploaded_media_in_a_bucket_are_shown(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "heatwiki",
                "custom_domain": "media.heatwiki.example",
                "location": "media",
                "querystring_auth": False,
            },
        },
    }
    media = "https://media.heatwiki.example/media/uploads/a.png"
    assert f'<img src="{media}" alt="still">' in render_markdown(f"![still]({media})")
    assert "<img" not in render_markdown("![still](https://example.com/media/uploads/a.png)")


def test_commonmark_features_render():
    html = render_markdown("# Title\n\n- one\n- two\n\n> quoted\n\n~~gone~~\n\n|a|b|\n|-|-|\n|1|2|")
    for fragment in [
        '<h1 id="h-title">Title</h1>',
        "<li>one</li>",
        "<blockquote>",
        "<s>gone</s>",
        "<td>1</td>",
    ]:
        assert fragment in html


def test_a_body_of_brackets_is_refused_before_rendering():
    from django.core.exceptions import ValidationError

    from heatwiki.wiki.limits import BODY_MAX_BRACKETS, validate_body_size

    validate_body_size("[[Neil McCauley]] " * (BODY_MAX_BRACKETS // 2))
    with pytest.raises(ValidationError, match="opening square brackets; the limit is 5,000"):
        validate_body_size("[" * (BODY_MAX_BRACKETS + 1))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- a\n" * 5_000, "The text has 5,001 lines; the limit is 5,000."),
        ("|a" * 5_001, "The text has 5,001 vertical bars (table cells); the limit is 5,000."),
        ("<a@b.c>" * 5_001, "The text has 5,001 angle brackets (autolinks); the limit is 5,000."),
        (
            "*a **a ***a " * 3_334,
            "The text has 20,004 emphasis marks (*, _ and ~); the limit is 20,000.",
        ),
        (
            "_a ~~a " * 6_667,
            "The text has 20,001 emphasis marks (*, _ and ~); the limit is 20,000.",
        ),
    ],
)
def test_a_body_of_structure_is_refused_before_rendering(body, message):
    from django.core.exceptions import ValidationError

    from heatwiki.wiki.limits import validate_body_size

    with pytest.raises(ValidationError) as refused:
        validate_body_size(body)
    assert refused.value.messages == [message]


def test_a_long_real_page_fits_every_limit():
    from heatwiki.wiki.limits import body_size_error

    paragraph = (
        "| Scene | Location |\n| --- | --- |\n| Coffee shop | Kate Mantilini |\n\n"
        "- [[Neil McCauley]] and [[Vincent Hanna]] meet over *coffee*.\n"
        "- The crew's last job goes wrong at the **bank**.\n\n"
        "## Filming\n\nShot on location across Los Angeles, with long takes.\n\n"
    )
    assert body_size_error(paragraph * 300) is None  # 80 KB, 3,000 lines


def test_every_hostile_input_of_the_benchmark_is_a_body_a_fan_may_save():
    # The benchmark times these as the worst a page can hold: a refused one would time nothing.
    from heatwiki.bench.management.commands.bench import hostile_inputs
    from heatwiki.wiki.limits import body_size_error

    refused = {name: body_size_error(text) for name, text in hostile_inputs().items()}
    assert {name: error for name, error in refused.items() if error} == {}


FOOTNOTED = (
    "Pacino and De Niro share two scenes.[^wrap] Both are famous.[^wrap]\n\n"
    "[^wrap]: TheWrap, on the coffee-shop scene.\n"
)


def test_footnotes_render_as_references_and_a_list_of_notes():
    html = render_markdown(FOOTNOTED)
    assert '<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">[1]</a></sup>' in html
    # A second reference to the same note has its own id and the same number.
    assert '<a href="#fn-1" id="fnref-1:1">[1]</a>' in html
    assert '<section class="footnotes">' in html
    assert '<li id="fn-1" class="footnote-item"><p>TheWrap, on the coffee-shop scene.' in html
    assert '<a href="#fnref-1" class="footnote-backref">' in html
    assert not script_capable_markup(html)


def test_headings_get_anchors_with_a_prefix_of_their_own():
    html = render_markdown("# Content\n\n## The heist\n\n## The heist\n\n### Über alles")
    assert '<h1 id="h-content">Content</h1>' in html
    assert '<h2 id="h-the-heist">' in html
    assert '<h2 id="h-the-heist-1">' in html  # never two of one id
    assert '<h3 id="h-uber-alles">' in html


def test_a_table_of_contents_comes_before_the_first_heading_of_three():
    html = render_markdown("Lede.\n\n## One\n\n### One a\n\n## Two\n\nEnd.")
    toc = html[html.index('<nav class="toc"') : html.index("</nav>") + 6]
    assert html.index("<p>Lede.</p>") < html.index('<nav class="toc"') < html.index("<h2")
    assert toc == (
        '<nav class="toc" aria-label="Contents"><p class="toc__title">Contents</p>'
        '<ol><li><a href="#h-one">One</a><ol><li><a href="#h-one-a">One a</a></li></ol></li>'
        '<li><a href="#h-two">Two</a></li></ol></nav>'
    )


def test_two_headings_make_no_table_of_contents():
    assert "<nav" not in render_markdown("## One\n\n## Two")


def test_no_markup_of_a_body_can_set_another_id_or_class():
    # Markdown has no syntax for them, and nh3 keeps only the pipeline's own values.
    from heatwiki.wiki.markdown import _sanitise

    dirty = (
        '<h2 id="content">x</h2><a id="fn1" class="button">y</a><p class="toc">z</p>'
        '<nav aria-label="Page kinds" class="site-nav">n</nav>'
    )
    clean = _sanitise(dirty)
    assert clean.startswith("<h2>x</h2><a")
    for value in ("content", "fn1", "button", "toc", "site-nav", "Page kinds"):
        assert value not in clean


def test_the_site_s_own_ids_never_look_like_the_pipeline_s():
    from heatwiki.wiki.markdown import PIPELINE_ID

    templates = Path(settings.BASE_DIR) / "templates"
    ids = {
        match
        for path in templates.rglob("*.html")
        for match in re.findall(r'\bid="([^"{]+)', path.read_text())
    }
    assert ids, "no ids found in the templates"
    assert {i for i in ids if PIPELINE_ID.match(i)} == set()


@pytest.mark.django_db
def test_footnotes_and_anchors_are_stored_with_the_revision(editor):
    page = LocationFactory()
    body = "## One\n\n## Two\n\n## Three\n\nSaid so.[^1]\n\n[^1]: A source."
    outcome = save_page(
        page=page, data={**page.current_revision.snapshot, "body": body}, author=editor
    )
    for html in (outcome.revision.body_html, Location.objects.get(pk=page.pk).body_html):
        assert '<nav class="toc"' in html
        assert 'id="h-three"' in html
        assert 'id="fn-1"' in html


def test_repeated_headings_get_ids_numbered_on_without_clashing():
    html = render_markdown("# Cast\n\n# Cast\n\n# Cast-1\n\n# Cast\n")

    ids = re.findall(r'<h1 id="([^"]+)"', html)
    assert ids == ["h-cast", "h-cast-1", "h-cast-1-1", "h-cast-2"]


def test_five_thousand_same_headings_get_five_thousand_ids():
    # The most headings a body may have: each numbered once, not searched for from 1 again.
    html = render_markdown("# a\n" * 4_999)

    ids = re.findall(r'<h1 id="([^"]+)"', html)
    assert len(set(ids)) == 4_999 and ids[-1] == "h-a-4998"
