"""Uploaded images: verified, re-encoded without metadata, thumbnailed and stored.

Everything happens with Pillow at upload time, in the request: the original is decoded (PNG
and JPEG only, the type detected and never told), turned upright by its EXIF orientation,
encoded afresh with no metadata at all (EXIF with GPS, ICC, text chunks, comments), and
scaled to the fixed widths in ``THUMBNAIL_WIDTHS``, each in WebP and in the original's
format. A thumbnail library (easy-thumbnails, sorl-thumbnail) makes sizes lazily on first
render, asking the storage whether each exists: on S3 that is a request per image per page
view, and it cannot tell a hidden image from another. Made once at upload, the names and
sizes are known from the database row alone, so a page with twenty images costs one query.

Files go through Django's storage API (``default_storage``): the local disk, or the S3
bucket of ``DJANGO_MEDIA_S3_BUCKET``. They are served by ``files.serve_image``, which
refuses hidden images to readers, never straight from the storage's own address.
"""

import io
import secrets
import struct
import zlib
from html import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from .models import StoredImage

UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
# Detected Pillow format -> stored file extension. Nothing else is accepted.
UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
JPEG_QUALITY = 90
WEBP_QUALITY = 82
THUMBNAIL_WIDTHS = (160, 320, 640, 1280)

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


def size_refusal(size: int) -> str | None:
    if not size:
        return "The file is empty."
    if size > UPLOAD_MAX_BYTES:
        return (
            f"The image is {size / 1024 / 1024:.1f} MB; "
            f"the limit is {UPLOAD_MAX_BYTES // 1024 // 1024} MB."
        )
    return None


def clean_image(raw: bytes) -> tuple[Image.Image, str, dict]:
    """Decode ``raw`` as a PNG or JPEG: the upright pixels with no metadata, the Pillow
    format, and the options to encode it in that format. UploadRefused says why not."""
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
    except _UNREADABLE as error:
        raise UploadRefused(unreadable) from error
    return clean, detected, options


def reencode(raw: bytes) -> tuple[ContentFile, str]:
    """``raw`` encoded afresh in its own format, without metadata, and its file extension."""
    clean, detected, options = clean_image(raw)
    return ContentFile(_encode(clean, detected, options)), UPLOAD_FORMATS[detected]


def _encode(img: Image.Image, fmt: str, options: dict) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


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


def _thumbnail(img: Image.Image, width: int) -> Image.Image:
    height = max(1, round(img.height * width / img.width))
    # Palette and 1-bit images are scaled in full colour: resampling needs it.
    if img.mode not in {"RGB", "RGBA", "L", "LA"}:
        img = img.convert("RGBA" if "transparency" in img.info or "A" in img.getbands() else "RGB")
    scaled = img.resize((width, height), Image.Resampling.LANCZOS)
    scaled.info = {}
    return scaled


def store_upload(raw: bytes, *, uploaded_by=None) -> StoredImage:
    """Verify, re-encode and thumbnail ``raw`` and store every file: the new ``StoredImage``
    row (saved, not yet on a file page). UploadRefused when it is no image we take."""
    clean, detected, options = clean_image(raw)
    extension = UPLOAD_FORMATS[detected]
    stored = StoredImage(
        key=secrets.token_hex(16),
        format=extension,
        width=clean.width,
        height=clean.height,
        widths=[w for w in THUMBNAIL_WIDTHS if w < clean.width],
        uploaded_by=uploaded_by,
    )
    original = _encode(clean, detected, options)
    stored.size = len(original)
    files = {stored.original_name: original}
    for width in stored.widths:
        small = _thumbnail(clean, width)
        files[f"{width}.webp"] = _encode(small, "WEBP", {"quality": WEBP_QUALITY, "method": 4})
        small_options = {"quality": JPEG_QUALITY, "optimize": True} if detected == "JPEG" else {}
        if detected == "JPEG":
            small = small.convert("RGB")
        files[f"{width}.{extension}"] = _encode(small, detected, small_options)
    for name, data in files.items():
        # The key is random and new, so nothing is overwritten: the names are kept as asked.
        default_storage.save(stored.storage_name(name), ContentFile(data))
    stored.save()
    return stored


# ---- Markup ------------------------------------------------------------------------------


def candidates(stored: StoredImage, *, max_width: int | None = None) -> list[tuple[int, str]]:
    """(width, name) of the sizes in the image's own format, and the original when it is no
    wider than the largest thumbnail; the widest first is never beyond ``max_width``."""
    sizes = [(w, f"{w}.{stored.format}") for w in stored.widths]
    if stored.width <= THUMBNAIL_WIDTHS[-1]:
        sizes.append((stored.width, stored.original_name))
    if max_width:
        fitting = [size for size in sizes if size[0] <= max_width]
        sizes = fitting or sizes[:1]
    return sizes


def picture_html(
    stored: StoredImage,
    *,
    alt: str,
    sizes: str,
    display_width: int,
    lazy: bool = True,
    css_class: str = "",
) -> str:
    """A <picture> with WebP and original-format ``srcset``s, the intrinsic width and height
    (so the page does not jump as it loads) and lazy loading below the fold."""
    own = candidates(stored, max_width=max(display_width * 2, THUMBNAIL_WIDTHS[0]))
    webp = [(w, f"{w}.webp") for w in stored.widths if w <= own[-1][0]]
    fallback_width, fallback_name = next(((w, n) for w, n in own if w >= display_width), own[-1])
    width = min(display_width, fallback_width)
    height = max(1, round(stored.height * width / stored.width))

    def srcset(items: list[tuple[int, str]]) -> str:
        return ", ".join(f"{escape(stored.url(n))} {w}w" for w, n in items)

    source = (
        f'<source type="image/webp" srcset="{srcset(webp)}" sizes="{escape(sizes)}">'
        if webp
        else ""
    )
    loading = ' loading="lazy"' if lazy else ""
    return (
        f"<picture>{source}"
        f'<img src="{escape(stored.url(fallback_name))}" srcset="{srcset(own)}" '
        f'sizes="{escape(sizes)}" width="{width}" height="{height}" alt="{escape(alt)}"'
        f'{loading} decoding="async"'
        f"{f' class={chr(34)}{escape(css_class)}{chr(34)}' if css_class else ''}>"
        "</picture>"
    )
