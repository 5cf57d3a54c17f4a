"""Images as wiki content: file pages, the infobox image of every kind, images in bodies,
thumbnails, serving, moderation and galleries."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from heatwiki.wiki.files import create_file_page
from heatwiki.wiki.images import THUMBNAIL_WIDTHS
from heatwiki.wiki.models import FilePage, Revision, StoredImage
from heatwiki.wiki.moderation import hide_revision, unhide_revision
from heatwiki.wiki.services import revert_page, save_page
from heatwiki.wiki.snapshot import take
from people.models import Person
from scenes.models import Location
from tests import factories
from tests.images import jpeg_bytes, png_bytes

from .test_editor import SVG, _truncated_png, png_with_size

pytestmark = pytest.mark.django_db

NEW_FILE = "/files/new/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def file_form(**fields) -> dict:
    image = fields.pop("image", None) or SimpleUploadedFile("still.png", png_bytes(), "image/png")
    return {
        "title": "Diner still",
        "description": "",
        "body": "",
        "alt_text": "Two men at a diner table",
        "caption": "The diner",
        "credit": "A fan",
        "source_url": "",
        "licence": FilePage.Licence.OWN_WORK,
        "rationale": "",
        "summary": "",
        "image_file": image,
        **fields,
    }


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def new_file(editor, raw=None, **fields) -> FilePage:
    values = {
        "title": "A still",
        "alt_text": "A still of the film",
        "credit": "A fan",
        "licence": FilePage.Licence.CC_BY,
        **fields,
    }
    return create_file_page(raw=raw or png_bytes((1600, 1200)), author=editor, **values)


def infobox(html: str) -> str:
    return re.search(r'<aside class="infobox".*?</aside>', html, re.S)[0]


def body_of(html: str) -> str:
    return re.search(r'<div class="page__body prose">.*?</div>\s*</div>', html, re.S)[0]


def image_urls(html: str) -> set[str]:
    return set(re.findall(r"/images/[0-9a-f]{32}/[a-z0-9]+\.(?:png|jpg|webp)", html))


# Upload, history, revert ---------------------------------------------------------------------


def test_upload_makes_a_file_page_with_alt_text_credit_and_licence(editor_client, editor):
    response = editor_client.post(NEW_FILE, file_form())

    page = FilePage.objects.get(title="Diner still")
    assert response.status_code == 302
    assert response["Location"] == page.get_absolute_url() == "/files/diner-still/"
    assert (page.alt_text, page.credit, page.licence) == (
        "Two men at a diner table",
        "A fan",
        FilePage.Licence.OWN_WORK,
    )
    assert page.current_revision.author == editor
    assert page.current_revision.snapshot["upload"] == page.upload_id
    assert page.upload.file_page == page
    html = editor_client.get(page.get_absolute_url()).content.decode()
    assert 'alt="Two men at a diner table"' in html
    assert "A fan" in html and "Own work, CC BY-SA 4.0" in html
    assert editor_client.get(page.upload.url("original.png")).status_code == 200


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("alt_text", "", "This field is required."),
        ("credit", "", "This field is required."),
        ("licence", "", "This field is required."),
        ("licence", "all-rights-reserved", "not one of the available choices"),
        ("rationale", "", "A fair-use screenshot needs its rationale."),
    ],
)
def test_a_file_without_alt_text_credit_or_licence_is_refused(
    editor_client, media_root, field, value, message
):
    fields = {field: value}
    if field == "rationale":
        fields["licence"] = FilePage.Licence.FAIR_USE
    response = editor_client.post(NEW_FILE, file_form(**fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FilePage.objects.filter(title="Diner still").exists()
    assert stored_files(media_root) == []


def test_a_fair_use_screenshot_with_its_rationale_is_accepted(editor_client):
    fields = {"licence": FilePage.Licence.FAIR_USE, "rationale": "Illustrates the scene."}
    assert editor_client.post(NEW_FILE, file_form(**fields)).status_code == 302
    assert FilePage.objects.get(title="Diner still").rationale == "Illustrates the scene."


def test_a_file_page_needs_an_image(editor_client):
    data = file_form()
    data.pop("image_file")
    response = editor_client.post(NEW_FILE, data)
    assert response.status_code == 400
    assert response.context["form"].errors["image_file"]


def test_a_reupload_is_a_new_revision_and_the_old_image_is_still_served_and_revertable(
    editor_client, editor, client
):
    editor_client.post(NEW_FILE, file_form())
    page = FilePage.objects.get(title="Diner still")
    first = page.upload
    edit = page.kind_url("edit")
    data = {**file_form(image=SimpleUploadedFile("new.jpg", jpeg_bytes(), "image/jpeg"))}
    data.pop("title")
    data.update(title="Diner still", base_revision="1", summary="A sharper still")

    response = editor_client.post(edit, data)

    assert response.status_code == 302
    page = FilePage.objects.get(pk=page.pk)
    second = page.upload
    assert second != first and second.format == "jpg"
    assert page.current_revision.number == 2
    # The old image: in revision 1's page, and still served.
    old = client.get(page.kind_url("revision", number=1)).content.decode()
    assert any(url.startswith(f"/images/{first.key}/") for url in image_urls(old))
    assert not any(url.startswith(f"/images/{second.key}/") for url in image_urls(old))
    assert client.get(first.url("original.png")).status_code == 200
    # The diff shows both images side by side.
    diff = client.get(page.kind_url("diff") + "?from=1&to=2").content.decode()
    assert 'class="diff-images"' in diff
    assert first.key in diff and second.key in diff

    revert_page(page=page, number=1, author=editor)

    page = FilePage.objects.get(pk=page.pk)
    assert page.upload == first
    assert page.current_revision.number == 3
    current = client.get(page.get_absolute_url()).content.decode()
    assert any(url.startswith(f"/images/{first.key}/") for url in image_urls(current))


def test_an_edit_without_a_new_image_keeps_the_image(editor_client):
    editor_client.post(NEW_FILE, file_form())
    page = FilePage.objects.get(title="Diner still")
    data = file_form(caption="The diner at night")
    data.pop("image_file")
    data["base_revision"] = "1"

    assert editor_client.post(page.kind_url("edit"), data).status_code == 302
    changed = FilePage.objects.get(pk=page.pk)
    assert (changed.upload_id, changed.caption) == (page.upload_id, "The diner at night")


# Thumbnails ------------------------------------------------------------------------------------


def test_every_width_is_made_in_webp_and_the_original_format(editor, media_root):
    page = new_file(editor, png_bytes((1600, 1200)))
    stored = page.upload

    assert stored.widths == list(THUMBNAIL_WIDTHS)
    for width in THUMBNAIL_WIDTHS:
        for extension, fmt in (("webp", "WEBP"), ("png", "PNG")):
            with default_storage.open(stored.storage_name(f"{width}.{extension}")) as f:
                with Image.open(f) as thumbnail:
                    assert thumbnail.format == fmt
                    assert thumbnail.size == (width, round(1200 * width / 1600))
    assert len(stored_files(media_root)) == 1 + 2 * len(THUMBNAIL_WIDTHS)


def test_no_thumbnail_is_wider_than_the_image(editor):
    stored = new_file(editor, png_bytes((500, 300))).upload
    assert stored.widths == [160, 320]


def jpeg_with_gps_and_orientation() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (34.0, 3.0, 7.5)
    gps[3] = "W"
    gps[4] = (118.0, 14.0, 37.0)
    raw = jpeg_bytes((800, 400), exif=exif.tobytes())
    with Image.open(io.BytesIO(raw)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the test image really carries GPS
    return raw


def test_gps_and_all_exif_are_gone_from_every_stored_file_and_orientation_is_applied(
    editor, media_root
):
    stored = new_file(editor, jpeg_with_gps_and_orientation()).upload

    # Turned upright: 800 × 400 sideways is 400 × 800.
    assert (stored.width, stored.height) == (400, 800)
    files = stored_files(media_root)
    assert len(files) == 1 + 2 * len(stored.widths)
    for path in files:
        raw = path.read_bytes()
        assert b"Spy Camera" not in raw
        with Image.open(path) as image:
            assert not dict(image.getexif()), path.name
            assert "exif" not in image.info, path.name
            assert image.height > image.width, path.name


def test_pages_give_srcset_sizes_and_dimensions(editor, client):
    file_page = new_file(editor, png_bytes((1600, 1200)), caption="The diner")
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "image": file_page.pk}, author=editor)

    html = client.get(person.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="infobox__image">.*?</figure>', html, re.S)[0]
    assert 'srcset="' in figure and 'type="image/webp"' in figure
    for width in (160, 320, 640):
        assert f"/images/{file_page.upload.key}/{width}.webp {width}w" in figure
        assert f"/images/{file_page.upload.key}/{width}.png {width}w" in figure
    assert 'sizes="(max-width: 40em) 90vw, 320px"' in figure
    assert 'width="320" height="240"' in figure
    # The infobox image is at the top of the page: not lazy.
    assert 'loading="lazy"' not in figure
    assert "The diner" in figure and "A fan" in figure and "CC BY 4.0" in figure


@pytest.mark.parametrize(
    "content, name, message",
    [
        (png_with_size(30_000, 30_000), "bomb.png", "at most 40 megapixels"),
        (SVG, "drawing.svg", "not a valid PNG or JPEG"),
        (b"<html><script>alert(1)</script></html>", "page.png", "not a valid PNG or JPEG"),
        (_truncated_png(), "cut.png", "not a valid PNG or JPEG"),
    ],
    ids=["30000x30000", "svg", "html-named-png", "truncated-png"],
)
def test_bad_images_are_refused_with_400_and_nothing_stored(
    editor_client, media_root, content, name, message
):
    image = SimpleUploadedFile(name, content, "image/png")
    response = editor_client.post(NEW_FILE, file_form(image=image))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_files(media_root) == []
    assert not FilePage.objects.filter(title="Diner still").exists()


# Serving ---------------------------------------------------------------------------------------


def test_images_are_served_inline_with_long_caching_and_safe_headers(editor, client):
    stored = new_file(editor).upload
    for name, content_type in (("original.png", "image/png"), ("320.webp", "image/webp")):
        response = client.get(stored.url(name))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert b"".join(response.streaming_content)[:4] in {b"\x89PNG", b"RIFF"}


@pytest.mark.parametrize("name", ["999.png", "original.webp", "../original.png", "x", "320.gif"])
def test_names_a_stored_image_does_not_have_answer_404(editor, client, name):
    stored = new_file(editor).upload
    assert client.get(f"/images/{stored.key}/{name}").status_code == 404
    assert client.get(f"/images/{'0' * 32}/original.png").status_code == 404


def test_storage_goes_through_djangos_storage_api(editor, client, settings):
    # An in-memory storage stands for S3 (django-storages' S3Storage in production): nothing
    # reads or writes the disk itself, and serving reads through the storage too.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    stored = new_file(editor).upload
    assert default_storage.exists(stored.storage_name("640.webp"))
    response = client.get(stored.url("640.webp"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


# Infobox image ---------------------------------------------------------------------------------


def test_an_old_revision_shows_its_own_infobox_image_and_the_diff_names_the_change(editor, client):
    first = new_file(editor, title="Pacino in 1995", caption="In 1995")
    second = new_file(editor, title="Pacino in 2020", caption="In 2020")
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "image": first.pk}, author=editor)
    person = Person.objects.get(pk=person.pk)
    save_page(page=person, data={**take(person), "image": second.pk}, author=editor)
    person = Person.objects.get(pk=person.pk)
    assert person.image == second
    old, new = person.current_revision.number - 1, person.current_revision.number

    then = infobox(client.get(person.kind_url("revision", number=old)).content.decode())
    now = infobox(client.get(person.get_absolute_url()).content.decode())

    assert first.upload.key in then and "In 1995" in then and second.upload.key not in then
    assert second.upload.key in now and "In 2020" in now and first.upload.key not in now
    diff = client.get(f"{person.kind_url('diff')}?from={old}&to={new}")
    changes = diff.context["changes"]
    assert {"label": "infobox image", "name": "image"}.items() <= changes[0].items()
    html = diff.content.decode()
    assert "1995" in html and "2020" in html
    assert first.upload.key in html and second.upload.key in html  # side by side


def test_an_image_uploaded_from_a_pages_edit_form_becomes_its_file_page_and_infobox_image(
    editor_client, editor
):
    person = Person.objects.get(slug="al-pacino")
    form = editor_client.get(person.kind_url("edit"))
    assert 'enctype="multipart/form-data"' in form.content.decode()
    from tests.formdata import form_data

    data = form_data(form)
    data.update(
        new_image=SimpleUploadedFile("pacino.jpg", jpeg_bytes((600, 800)), "image/jpeg"),
        new_image_alt="Al Pacino, smiling",
        new_image_caption="Pacino in 1995",
        new_image_credit="A photographer",
        new_image_licence=FilePage.Licence.CC_BY,
        summary="Portrait",
    )

    response = editor_client.post(person.kind_url("edit"), data)

    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    file_page = person.image
    assert (file_page.title, file_page.alt_text, file_page.credit) == (
        "Al Pacino",
        "Al Pacino, smiling",
        "A photographer",
    )
    assert person.current_revision.snapshot["image"] == file_page.pk
    html = editor_client.get(person.get_absolute_url()).content.decode()
    assert "Pacino in 1995" in html and file_page.upload.key in html


def test_a_new_image_in_the_edit_form_needs_its_alt_text(editor_client, media_root):
    person = Person.objects.get(slug="al-pacino")
    from tests.formdata import form_data

    data = form_data(editor_client.get(person.kind_url("edit")))
    data.update(
        new_image=SimpleUploadedFile("pacino.png", png_bytes(), "image/png"),
        new_image_credit="A photographer",
        new_image_licence=FilePage.Licence.CC_BY,
    )
    response = editor_client.post(person.kind_url("edit"), data)

    assert response.status_code == 400
    assert "A new image needs alt text" in response.content.decode()
    assert Person.objects.get(pk=person.pk).image is None
    assert stored_files(media_root) == []


# Images in bodies ------------------------------------------------------------------------------


def test_both_embed_syntaxes_show_the_thumbnail_linking_to_the_file_page(editor, client):
    file_page = new_file(editor, title="Diner still")
    location = Location.objects.get(slug="lax")
    body = "![The diner](file:diner-still)\n\n[[File:Diner still|Where they meet]]\n"
    save_page(page=location, data={**take(location), "body": body}, author=editor)

    html = client.get(location.get_absolute_url()).content.decode()

    figures = re.findall(
        r'<span class="wiki-image">.*?</a>(?:<span class=.*?</span>)?', body_of(html)
    )
    assert len(figures) == 2
    for figure in figures:
        assert f'href="{file_page.get_absolute_url()}"' in figure
        assert 'srcset="' in figure and 'loading="lazy"' in figure and 'width="320"' in figure
    assert 'alt="The diner"' in figures[0]
    assert "Where they meet" in figures[1]
    # Where it is used, and the location's gallery.
    used = client.get(file_page.get_absolute_url()).content.decode()
    assert f'href="{location.get_absolute_url()}"' in used
    assert 'aria-labelledby="gallery-heading"' in html


def test_external_images_are_left_as_the_sanitiser_allows_and_file_urls_never_reach_html(
    editor, client
):
    from heatwiki.wiki.markdown import render_markdown

    html = render_markdown("![x](file:///etc/passwd) ![y](FILE:nothing-here)")
    assert "file:" not in html.replace('data-file="embed"', "")
    assert "src=" not in html


def test_a_missing_file_is_a_red_link(editor, client):
    location = Location.objects.get(slug="lax")
    save_page(page=location, data={**take(location), "body": "![x](file:nope)"}, author=editor)
    html = client.get(location.get_absolute_url()).content.decode()
    assert "wikilink--missing" in html and "(no such file)" in html


def test_a_person_shows_a_gallery_of_files_used_on_the_page_or_linking_to_it(editor, client):
    person = Person.objects.get(slug="al-pacino")
    portrait = new_file(editor, title="Portrait")
    linking = new_file(editor, title="On set", body="Shows [[Al Pacino]] on set.")
    save_page(page=person, data={**take(person), "image": portrait.pk}, author=editor)

    html = client.get(person.get_absolute_url()).content.decode()

    gallery = re.search(r'<section class="relations gallery".*?</section>', html, re.S)[0]
    assert portrait.get_absolute_url() in gallery and linking.get_absolute_url() in gallery


# Moderation ------------------------------------------------------------------------------------


def test_a_hidden_file_revision_is_never_served_to_readers_but_moderators_see_it(
    editor, moderator, client
):
    first = new_file(editor, title="Diner still")
    page = FilePage.objects.get(pk=first.pk)
    bad = save_page(
        page=page,
        data={**take(page), "upload": new_file(editor, title="Other").upload_id},
        author=editor,
    ).page
    bad_image = FilePage.objects.get(pk=bad.pk).upload
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "image": page.pk}, author=editor)
    location = Location.objects.get(slug="lax")
    save_page(
        page=location, data={**take(location), "body": "![x](file:diner-still)"}, author=editor
    )
    revision = Revision.objects.get(page=page, number=2)

    hide_revision(revision=revision, moderator=moderator, reason="Not ours to show")

    bad_image.refresh_from_db()
    assert bad_image.is_hidden
    for name in bad_image.file_names():
        assert client.get(bad_image.url(name)).status_code == 410
    # The page went back to the image before; the hidden one appears nowhere for readers.
    for url in (person.get_absolute_url(), location.get_absolute_url(), page.get_absolute_url()):
        assert bad_image.key not in client.get(url).content.decode()
    # Moderators still see it, never from a shared cache.
    client.force_login(moderator)
    response = client.get(bad_image.url("original.png"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert bad_image.key in client.get(page.kind_url("revision", number=2)).content.decode()

    unhide_revision(revision=revision, moderator=moderator)
    bad_image.refresh_from_db()
    assert not bad_image.is_hidden


def test_an_image_hidden_while_shown_becomes_a_placeholder_on_pages(editor, moderator, client):
    shown = new_file(editor, title="Diner still")
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "image": shown.pk}, author=editor)
    location = Location.objects.get(slug="lax")
    save_page(
        page=location, data={**take(location), "body": "![x](file:diner-still)"}, author=editor
    )
    # The image is hidden (its stored row, as hiding the revision that uploaded it does when
    # an earlier visible revision is there to go back to).
    StoredImage.objects.filter(pk=shown.upload_id).update(hidden_at="2026-01-01T00:00:00Z")

    for url in (person.get_absolute_url(), location.get_absolute_url()):
        html = client.get(url).content.decode()
        assert shown.upload.key not in html
        assert "Image unavailable" in html
    client.force_login(moderator)
    html = client.get(person.get_absolute_url()).content.decode()
    assert shown.upload.key in html and "Hidden from readers by a moderator." in html


def test_a_deleted_file_page_is_gone_from_pages_and_its_images_are_not_served(
    editor, moderator, client
):
    from heatwiki.wiki.moderation import delete_page

    shown = new_file(editor, title="Diner still")
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "image": shown.pk}, author=editor)

    delete_page(page=shown, moderator=moderator, reason="Copyright")

    assert client.get(shown.get_absolute_url()).status_code == 410
    assert client.get(shown.upload.url("original.png")).status_code == 410
    assert shown.upload.key not in client.get(person.get_absolute_url()).content.decode()


# Query budgets ---------------------------------------------------------------------------------


def queries_of(client, url: str) -> int:
    client.get(url)  # what a process reads once
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_an_infobox_image_costs_a_page_view_no_query(editor, client):
    person = Person.objects.get(slug="al-pacino")
    without = queries_of(client, person.get_absolute_url())
    save_page(page=person, data={**take(person), "image": new_file(editor).pk}, author=editor)
    # The image comes joined to the page's own row; the gallery query runs either way.
    assert queries_of(client, person.get_absolute_url()) == without


def test_twenty_embedded_images_cost_what_one_does(editor, client):
    files = [new_file(editor, png_bytes((200, 150)), title=f"Still {n}") for n in range(20)]
    location = Location.objects.get(slug="lax")
    save_page(page=location, data={**take(location), "body": "![a](file:still-0)"}, author=editor)
    one = queries_of(client, location.get_absolute_url())
    body = "\n\n".join(f"![a](file:{f.slug})" for f in files)
    location = Location.objects.get(pk=location.pk)
    save_page(page=location, data={**take(location), "body": body}, author=editor)

    html = client.get(location.get_absolute_url()).content.decode()
    assert body_of(html).count('<span class="wiki-image">') == 20
    assert queries_of(client, location.get_absolute_url()) == one


def test_an_editor_upload_makes_a_file_page_and_answers_its_markup(editor_client):
    image = SimpleUploadedFile("diner.png", png_bytes(), "image/png")
    response = editor_client.post(
        reverse("editor:upload"),
        {"image": image, "alt": "The [diner]", "credit": "A fan", "licence": "cc0"},
    )
    assert response.status_code == 200
    page = FilePage.objects.get(title="diner")
    assert response.json()["image_code"] == f"![The \\[diner\\]](file:{page.slug})"


def test_an_editor_upload_without_alt_text_is_refused(editor_client, media_root):
    image = SimpleUploadedFile("diner.png", png_bytes(), "image/png")
    response = editor_client.post(
        reverse("editor:upload"), {"image": image, "credit": "A fan", "licence": "cc0"}
    )
    assert response.status_code == 400
    assert "alt text" in response.json()["error"]
    assert stored_files(media_root) == []


def test_factories_make_file_pages(editor):
    assert factories.FilePageFactory().upload.widths == [160, 320]


def test_serving_an_image_costs_one_query_and_answers_head(
    editor, client, django_assert_num_queries
):
    stored = new_file(editor).upload
    with django_assert_num_queries(1):
        response = client.get(stored.url("640.webp"))
        b"".join(response.streaming_content)
    assert client.head(stored.url("640.webp")).status_code == 200
    assert client.post(stored.url("640.webp")).status_code == 405


def test_the_news_feed_shows_embedded_images_as_links_to_their_file_pages(editor, client):
    from heatwiki.news.models import NewsItem

    file_page = new_file(editor, title="Diner still")
    item = NewsItem.objects.order_by("-created_at").first()
    body = "![The diner](file:diner-still)"
    save_page(page=item, data={**take(item), "body": body}, author=editor)

    feed = client.get(reverse("news:feed")).content.decode()

    assert "data-file" not in feed
    assert f'href="{file_page.get_absolute_url()}" class="wikilink"&gt;The diner' in feed
