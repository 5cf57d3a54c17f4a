"""The Markdown editor's preview and upload endpoints, and the widget that points at them."""

import io
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from PIL import Image, PngImagePlugin

from heatwiki.edge.inputs import CONTROL_CHARACTERS
from heatwiki.wiki.editor import UPLOAD_MAX_BYTES, EditorWidget
from heatwiki.wiki.limits import BODY_MAX_BYTES
from heatwiki.wiki.models import FilePage

from .html_safety import script_capable_markup
from .test_markdown import CORPORA, payloads

PREVIEW = "/editor/preview/"
UPLOAD = "/editor/upload/"
STORED = re.compile(r"^!\[(.*)\]\(file:([a-z0-9-]+)\)$")
# What the editor's image dialog asks besides the image.
DIALOG = {"alt": "A red rectangle", "credit": "The tests", "licence": "cc0"}
SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <script>alert(document.cookie)</script><rect width="10" height="10"/>
</svg>"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Uploads go to a fresh folder per test; conftest's staticfiles storage is kept."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root


@pytest.fixture
def editor_client(client, editor) -> Client:
    client.force_login(editor)
    return client


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def image_bytes(fmt: str, mode: str = "RGB", size=(12, 8), **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode in {"RGB", "RGBA"} else 1).save(out, fmt, **options)
    return out.getvalue()


def png_with_size(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims ``width`` × ``height`` (a bomb's shape)."""
    data = bytearray(image_bytes("PNG", "L", (1, 1)))
    # Signature (8), IHDR length (4) and type (4), then width and height; CRC after 13 bytes.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload(client: Client, content: bytes, name="picture.png", content_type="image/png", **fields):
    image = SimpleUploadedFile(name, content, content_type)
    return client.post(UPLOAD, {"image": image, **DIALOG, **fields})


def stored_image(response, root: Path) -> tuple[Path, str]:
    """The file the upload response points at, and its extension; checks the URL's shape."""
    assert response.status_code == 200, response.content
    match = STORED.match(response.json()["image_code"])
    assert match, response.json()
    stored = FilePage.objects.get(slug=match[2]).upload
    path = root / "files" / stored.key / stored.original_name
    assert stored_files(root) == [path]  # a small image: no thumbnail is wider than it
    return path, stored.format


# Who may call the endpoints.


@pytest.mark.django_db
def test_anonymous_preview_is_sent_to_sign_in(client):
    response = client.post(PREVIEW, {"content": "**x**"})
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


@pytest.mark.django_db
def test_anonymous_upload_is_sent_to_sign_in_and_stores_nothing(client, media_root):
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
    assert stored_files(media_root) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, data",
    [
        (PREVIEW, {"content": "**x**"}),
        (UPLOAD, {"image": SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")}),
    ],
)
def test_posts_without_a_csrf_token_are_refused(editor, media_root, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(url, data)
    assert response.status_code == 403
    assert stored_files(media_root) == []


# Preview.


@pytest.mark.django_db
def test_preview_renders_markdown(editor_client):
    response = editor_client.post(PREVIEW, {"content": "**x**"})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>x</strong></p>\n"


@pytest.mark.django_db
def test_preview_accepts_only_post(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405


def preview_sample() -> list[str]:
    """The payloads the preview view is tried with, one request each.

    test_markdown runs every payload of the corpus (~6,600) through the renderer the view
    calls; here the view itself gets the most dangerous ones, every Markdown-specific payload
    and every payload with a Markdown link or image, a wiki link, or a scheme that can run
    script, and a fixed sample of the rest, the same on every run.
    """
    markdown = (CORPORA / "xss" / "markdown-xss-payloads.txt").read_text(errors="replace")
    dangerous = re.compile(r"\]\(|\[\[|javascript:|vbscript:|data:", re.IGNORECASE)
    chosen = {line for line in markdown.splitlines() if line}
    chosen |= {payload for payload in payloads() if dangerous.search(payload)}
    rest = sorted(set(payloads()) - chosen)
    return sorted(chosen) + random.Random(PREVIEW_SAMPLE_SEED).sample(rest, PREVIEW_SAMPLE_SIZE)


PREVIEW_SAMPLE_SEED, PREVIEW_SAMPLE_SIZE = 1995, 150


@pytest.mark.django_db
def test_no_xss_payload_survives_the_preview(editor):
    # One request per payload of the sample. Through the routed view with its decorators, but
    # not the middleware stack; the whole-file test below goes through it with every payload.
    view, factory, survivors = resolve(PREVIEW).func, RequestFactory(), []
    sample = preview_sample()
    for payload in sample:
        request = factory.post(PREVIEW, {"content": payload})
        request.user = editor
        response = view(request)
        assert response.status_code == 200, payload
        html = response.content.decode()
        if script_capable_markup(html):
            survivors.append((payload, html))
    assert survivors == []
    assert len(sample) > 250  # the dangerous ones and the sample: the corpus was read
    assert len(payloads()) > 6000


@pytest.mark.django_db
def test_whole_xss_corpus_files_render_safely_in_the_preview(editor_client):
    # Payloads side by side also interact (an unclosed bracket or fence swallowing the next
    # line), so each file is sent whole too, in pieces below the body limit.
    for corpus in sorted((CORPORA / "xss").glob("*.txt")):
        text, pieces = corpus.read_text(errors="replace"), []
        while text:
            cut = text.rfind("\n", 0, BODY_MAX_BYTES // 4) + 1 or len(text)
            pieces.append(text[:cut])
            text = text[cut:]
        for piece in pieces:
            response = editor_client.post(PREVIEW, {"content": piece})
            if CONTROL_CHARACTERS.search(piece):
                # Refused before the preview (heatwiki.edge.middleware): no text holds them. The
                # rest of the piece must render safely all the same.
                assert response.status_code == 400, corpus.name
                piece = CONTROL_CHARACTERS.sub("", piece)
                response = editor_client.post(PREVIEW, {"content": piece})
            assert response.status_code == 200, corpus.name
            assert script_capable_markup(response.content.decode()) == [], corpus.name


@pytest.mark.django_db
def test_preview_refuses_text_over_the_body_limit(editor_client):
    response = editor_client.post(PREVIEW, {"content": "é" * 125_000})  # 250,000 bytes
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "The text is 250 KB; the limit is 100 KB."


# Upload: what is accepted.


@pytest.mark.django_db
def test_png_upload_is_stored_as_png(editor_client, media_root):
    path, extension = stored_image(upload(editor_client, image_bytes("PNG", "RGBA")), media_root)
    assert extension == "png"
    with Image.open(path) as stored:
        assert stored.format == "PNG"
        assert stored.mode == "RGBA"
        assert stored.size == (12, 8)


@pytest.mark.django_db
def test_jpeg_upload_is_stored_as_jpeg_without_exif(editor_client, media_root):
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"  # Make
    exif[0x0131] = "SecretSoftware 1.0"  # Software
    original = image_bytes("JPEG", exif=exif.tobytes(), comment=b"a private note")
    with Image.open(io.BytesIO(original)) as sent:
        assert dict(sent.getexif())  # the test image really does carry EXIF
    response = upload(editor_client, original, "photo.jpg", "image/jpeg")
    path, extension = stored_image(response, media_root)
    assert extension == "jpg"
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert "comment" not in stored.info
    raw = path.read_bytes()
    assert b"Spy Camera" not in raw
    assert b"private note" not in raw


@pytest.mark.django_db
def test_png_text_chunks_and_icc_profile_are_stripped(editor_client, media_root):
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "someone private")
    original = image_bytes("PNG", pnginfo=text, icc_profile=b"not really a profile")
    path, _ = stored_image(upload(editor_client, original), media_root)
    with Image.open(path) as stored:
        assert "Author" not in stored.info
        assert "icc_profile" not in stored.info
    assert b"someone private" not in path.read_bytes()


@pytest.mark.django_db
def test_the_detected_type_wins_over_the_clients_name_and_content_type(editor_client, media_root):
    response = upload(editor_client, image_bytes("PNG"), "x.jpg", "image/jpeg")
    path, extension = stored_image(response, media_root)
    assert extension == "png"
    with Image.open(path) as stored:
        assert stored.format == "PNG"


# Upload: what is refused, with a message and nothing stored.


def _truncated_png() -> bytes:
    data = image_bytes("PNG", size=(64, 64))
    return data[: len(data) // 2]


def _corrupt_png() -> bytes:
    data = bytearray(image_bytes("PNG", size=(64, 64)))
    data[44:52] = b"\xff" * 8  # inside IDAT's data: the chunk's CRC no longer matches
    return bytes(data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, name, content_type, message",
    [
        (SVG, "drawing.svg", "image/svg+xml", "not a valid PNG or JPEG"),
        (SVG, "drawing.png", "image/png", "not a valid PNG or JPEG"),
        (b"<html><script>alert(1)</script></html>", "page.png", "image/png", "not a valid"),
        (b"just some words", "notes.txt", "text/plain", "not a valid PNG or JPEG"),
        (image_bytes("GIF"), "anim.gif", "image/gif", "Only PNG and JPEG"),
        (image_bytes("GIF"), "anim.png", "image/png", "Only PNG and JPEG"),
        (image_bytes("WEBP"), "pic.png", "image/png", "Only PNG and JPEG"),
        (_truncated_png(), "cut.png", "image/png", "not a valid PNG or JPEG"),
        (_corrupt_png(), "bad.png", "image/png", "not a valid PNG or JPEG"),
        (image_bytes("JPEG")[:200], "cut.jpg", "image/jpeg", "not a valid PNG or JPEG"),
        (b"", "empty.png", "image/png", "The file is empty"),
    ],
    ids=[
        "svg",
        "svg-named-png",
        "html-named-png",
        "text",
        "gif",
        "gif-named-png",
        "webp",
        "truncated-png",
        "corrupt-png",
        "truncated-jpeg",
        "empty-file",
    ],
)
def test_upload_refuses(editor_client, media_root, content, name, content_type, message):
    response = upload(editor_client, content, name, content_type)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_upload_refuses_files_over_5_mb(editor_client, media_root):
    content = image_bytes("PNG") + b"\0" * (UPLOAD_MAX_BYTES + 1)
    response = upload(editor_client, content)
    assert response.status_code == 400
    assert "the limit is 5 MB" in response.json()["error"]
    assert stored_files(media_root) == []


@pytest.mark.django_db
@pytest.mark.parametrize("width, height", [(8000, 6000), (30_000, 30_000)])
def test_upload_refuses_decompression_bombs(editor_client, media_root, width, height):
    response = upload(editor_client, png_with_size(width, height))
    assert response.status_code == 400
    assert "at most 40 megapixels" in response.json()["error"]
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_upload_without_an_image_field_is_refused(editor_client, media_root):
    response = editor_client.post(UPLOAD, {"picture": "nothing"})
    assert response.status_code == 400
    assert response.json()["error"]
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_upload_accepts_only_post(editor_client):
    assert editor_client.get(UPLOAD).status_code == 405


# The widget.


def test_editor_widget_points_at_our_endpoints():
    html = EditorWidget().render("body", "Some *text*")
    assert f'data-markdownx-urls-path="{reverse("editor:preview")}"' in html
    assert f'data-markdownx-upload-urls-path="{reverse("editor:upload")}"' in html
    assert reverse("editor:preview") == PREVIEW
    assert reverse("editor:upload") == UPLOAD
    assert "/markdownx/" not in html
    assert 'class="markdownx-editor"' in html


def test_uploads_beyond_the_rate_answer_429_and_store_nothing(editor_client, media_root, settings):
    settings.HEATWIKI_UPLOAD_RATE = "2/h"
    for _ in range(2):
        assert upload(editor_client, image_bytes("PNG")).status_code == 200

    refused = upload(editor_client, image_bytes("PNG"))

    assert refused.status_code == 429
    assert "wait a little" in refused.json()["error"]
    assert len(list((media_root / "files").iterdir())) == 2


def test_preview_refuses_a_body_of_brackets_with_400(editor_client):
    response = editor_client.post(reverse("editor:preview"), {"content": "[" * 10_000})

    assert response.status_code == 400
    assert "square brackets" in response.content.decode()
