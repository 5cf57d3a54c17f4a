"""Images in Chromium, at a phone's width: a portrait uploaded from a person's edit form shows
in the infobox with its caption and credit."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from heatwiki.wiki.models import FilePage
from people.models import Person
from tests.images import jpeg_bytes

from .test_editing import screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_content", verbosity=0)


def test_an_editor_uploads_a_portrait_from_the_edit_form_on_a_phone(
    browser_problems, seeded, signed_in_page, live_server, artifacts, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = signed_in_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/people/al-pacino/edit/")
    portrait = tmp_path / "al-pacino.jpg"
    portrait.write_bytes(jpeg_bytes((900, 1200), colour="sienna"))

    page.get_by_label("Or upload a new image").set_input_files(str(portrait))
    page.get_by_label("Alt text of the new image").fill("Al Pacino, looking to the side")
    page.get_by_label("Caption of the new image").fill("Al Pacino in 1995")
    page.get_by_label("Author or credit of the new image").fill("A HeatWiki fan")
    page.get_by_label("Licence of the new image").select_option(label="CC BY 4.0")
    page.get_by_label("Summary").fill("A portrait")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/people/al-pacino/")

    figure = page.locator(".infobox .infobox__image")
    image = figure.get_by_role("img", name="Al Pacino, looking to the side")
    expect(image).to_be_visible()
    expect(figure).to_contain_text("Al Pacino in 1995")
    expect(figure).to_contain_text("A HeatWiki fan")
    # Loaded (a thumbnail that fits the phone), and no wider than the screen.
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.getBoundingClientRect().right") <= PHONE["width"]
    assert "/images/" in image.evaluate("img => img.currentSrc")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    person = Person.objects.get(slug="al-pacino")
    assert person.image == FilePage.objects.get(alt_text="Al Pacino, looking to the side")
    # The file page it made says who made it and where it is used.
    figure.get_by_role("link", name="CC BY 4.0").click()
    expect(page.locator("main")).to_contain_text("A HeatWiki fan")
    expect(page.get_by_role("region", name="Where this file is used")).to_contain_text("Al Pacino")
    screenshots(page, artifacts, "file-page")
    assert browser_problems == []
