"""The Markdown editor's server side: live preview, image upload and the widget that uses them.

django-markdownx's own views are open to anonymous visitors and trust the client's content
type, so HeatWiki does not mount ``markdownx.urls``. These views require an editor (and a CSRF
token, enforced by the middleware), render previews through the one sanitising pipeline, and
accept only PNG and JPEG images, which are decoded and re-encoded before anything is stored.
"""

import io
import secrets
import struct
import zlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_POST
from markdownx.widgets import MarkdownxWidget
from PIL import Image, ImageOps

from heatwiki.accounts.ratelimit import within_rate
from heatwiki.wiki.layers import body_problems
from heatwiki.wiki.limits import body_size_error
from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.permissions import editor_endpoint

UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
UPLOAD_DIRECTORY = "uploads"
# Detected Pillow format -> stored file extension. Nothing else is accepted.
UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg"}
JPEG_QUALITY = 90

# What Pillow raises on hostile or broken input. Listed, rather than a bare Exception, so
# real bugs still surface; DecompressionBombError is a subclass of none of these.
_UNREADABLE = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,  # Pillow's "broken PNG file" and friends
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    zlib.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


_TOO_MANY_PIXELS = f"Images may have at most {UPLOAD_MAX_PIXELS // 1_000_000} megapixels."


class UploadRefused(Exception):
    """The upload is not an image HeatWiki will store; the message says why."""


@editor_endpoint(as_json=False)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Markdown in, sanitised HTML out: exactly what the page will show once saved."""
    text = request.POST.get("content", "")
    if message := body_size_error(text):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    html = render_markdown(text)
    if problems := body_problems(text):
        # Said above the preview, which still shows the text as it would be saved.
        items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
        html = f'<div class="preview-problems" role="alert"><ul>{items}</ul></div>\n{html}'
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@editor_endpoint(as_json=True)
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """Store a PNG or JPEG, re-encoded without metadata, and answer with its Markdown."""
    if not within_rate(f"upload:{request.user.pk}", settings.HEATWIKI_UPLOAD_RATE):
        return JsonResponse(
            {"error": "You have uploaded many images in a short while: wait a little."},
            status=429,
        )
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return _refuse("Choose an image to upload.")
    if not uploaded.size:
        return _refuse("The file is empty.")
    if uploaded.size > UPLOAD_MAX_BYTES:
        return _refuse(
            f"The image is {uploaded.size / 1024 / 1024:.1f} MB; "
            f"the limit is {UPLOAD_MAX_BYTES // 1024 // 1024} MB."
        )
    try:
        data, extension = _reencode(uploaded.read())
    except UploadRefused as refusal:
        return _refuse(str(refusal))
    name = default_storage.save(f"{UPLOAD_DIRECTORY}/{secrets.token_hex(16)}.{extension}", data)
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})


def _refuse(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _reencode(raw: bytes) -> tuple[ContentFile, str]:
    """Decode ``raw`` as a PNG or JPEG and encode it afresh; the type is detected, never told."""
    unreadable = "The file is not a valid PNG or JPEG image."
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            detected = probe.format
            if detected in UPLOAD_FORMATS:
                _check_dimensions(probe.size)
                probe.verify()
    except Image.DecompressionBombError as error:
        raise UploadRefused(_TOO_MANY_PIXELS) from error
    except _UNREADABLE as error:
        raise UploadRefused(unreadable) from error
    if detected not in UPLOAD_FORMATS:
        raise UploadRefused(
            f"Only PNG and JPEG images can be uploaded, not {detected or 'this file type'}."
        )

    # verify() leaves the image unusable, so open again and decode the pixels for real.
    try:
        with Image.open(io.BytesIO(raw), formats=[detected]) as img:
            _check_dimensions(img.size)
            img.load()
            clean, options = _without_metadata(img, detected)
            out = io.BytesIO()
            clean.save(out, format=detected, **options)
    except _UNREADABLE as error:
        raise UploadRefused(unreadable) from error
    return ContentFile(out.getvalue()), UPLOAD_FORMATS[detected]


def _check_dimensions(size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise UploadRefused("The image has no pixels.")
    if width * height > UPLOAD_MAX_PIXELS:
        raise UploadRefused(f"The image is {width} × {height} pixels. {_TOO_MANY_PIXELS}")


def _without_metadata(img: Image.Image, fmt: str) -> tuple[Image.Image, dict]:
    """A copy of ``img`` with no EXIF, ICC, text chunks or comments, and the save options."""
    # Photos are often stored sideways with an EXIF rotation; apply it before EXIF goes.
    clean = ImageOps.exif_transpose(img)
    if fmt == "JPEG":
        clean = clean.convert("RGB")
        options = {"quality": JPEG_QUALITY, "optimize": True}
    else:
        if clean.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            has_alpha = "A" in clean.getbands() or "transparency" in clean.info
            clean = clean.convert("RGBA" if has_alpha else "RGB")
        options = {"optimize": True}
        # Transparency is image data, not metadata; it is the only info entry carried over.
        if "transparency" in clean.info:
            options["transparency"] = clean.info["transparency"]
    if clean is img:
        clean = img.copy()
    # Pillow's PNG writer copies icc_profile (and the JPEG writer the comment) from info.
    clean.info = {}
    return clean, options


class EditorWidget(MarkdownxWidget):
    """The markdownx editor, posting to HeatWiki's own locked-down preview and upload views."""

    def render(self, name, value, attrs=None, renderer=None):
        # The parent updates ``attrs`` in place and fails when it is None.
        return super().render(name, value, dict(attrs or {}), renderer)

    @staticmethod
    def add_markdownx_attrs(attrs):
        attrs = MarkdownxWidget.add_markdownx_attrs(dict(attrs or {}))
        attrs["data-markdownx-urls-path"] = reverse("editor:preview")
        attrs["data-markdownx-upload-urls-path"] = reverse("editor:upload")
        attrs["data-upload-max-bytes"] = str(UPLOAD_MAX_BYTES)
        return attrs
