"""Images the tests make with Pillow, and the file page every test database has."""

import io

from PIL import Image

from heatwiki.wiki.models import FilePage

TEST_FILE_SLUG = "test-still"


def png_bytes(size=(800, 600), colour="steelblue", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(800, 600), colour="darkred", **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **options)
    return out.getvalue()


def seed_test_file() -> FilePage:
    """The file page the seeded test wiki has beside the seeded content (which has no
    images): one page of the file kind for the tests that walk every kind."""
    from heatwiki.wiki.files import create_file_page
    from heatwiki.wiki.services import system_account

    existing = FilePage.objects.filter(slug=TEST_FILE_SLUG).first()
    if existing is not None:
        return existing
    return create_file_page(
        raw=png_bytes(),
        author=system_account(),
        title="Test still",
        alt_text="A blue rectangle standing in for a film still",
        caption="A test still",
        credit="The HeatWiki tests",
        licence=FilePage.Licence.CC0,
    )
