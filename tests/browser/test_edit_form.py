"""The edit form as a fan uses it, in Chromium: relation pickers that keep every pick, quote
rows added in place, images uploaded by a button, footnotes and a table of contents, a warning
before unsaved work is lost, and no Edit tab for an account that may not edit."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from heatwiki.accounts.blocks import block_account
from heatwiki.wiki import forms
from heatwiki.wiki.services import save_page
from scenes.models import Scene
from tests.factories import UserFactory

from .test_editing import PREVIEW_TIMEOUT, WIDTHS, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "coffee-shop-stand-off"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_content", verbosity=0)


def open_edit(page, live_server, slug=SLUG):
    page.goto(f"{live_server.url}/scenes/{slug}/edit/")
    # The pickers are set up: tom-select has put its own control beside the select.
    expect(page.locator("#id_characters-ts-control")).to_be_visible()
    return page


def characters_on(page, live_server, slug=SLUG) -> list[str]:
    page.goto(f"{live_server.url}/scenes/{slug}/")
    return sorted(page.locator("#characters-heading + .cast-list > li > a").all_inner_texts())


def test_the_character_picker_adds_by_mouse_and_keyboard_and_removes_only_explicitly(
    browser_problems, seeded, signed_in_page, live_server, artifacts
):
    page = open_edit(signed_in_page, live_server)
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    picker = page.locator("#id_characters-ts-control")
    picks = page.locator(".field--characters .ts-control .picker__item")
    expect(picks).to_have_count(2)

    # By mouse: type, click an option. The picks already there stay.
    picker.click()
    picker.press_sequentially("Ead", delay=20)
    page.locator(".field--characters .ts-dropdown .option", has_text="Eady").click()
    expect(picks).to_have_count(3)

    # By keyboard: type, arrow to the option, Enter. Enter does not submit the form.
    picker.focus()
    picker.press_sequentially("Shiher", delay=20)
    expect(
        page.locator(".field--characters .ts-dropdown .option", has_text="Chris Shiherlis")
    ).to_be_visible()
    picker.press("Enter")
    expect(picks).to_have_count(4)
    assert page.url.endswith("/edit/")
    # Backspace in the empty search box removes nothing, and Enter with nothing open neither
    # submits nor removes.
    picker.press("Backspace")
    picker.press("Backspace")
    picker.press("Enter")
    expect(picks).to_have_count(4)
    assert page.url.endswith("/edit/")
    expect(page.locator(".field--characters [aria-live]")).to_contain_text("Added Chris Shiherlis")

    overflowing = screenshots(page, artifacts, "edit-pickers")
    assert not overflowing, f"the edit form scrolls sideways at {overflowing} px"

    page.get_by_label("Summary").fill("Eady and Chris were there too")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    assert characters_on(page, live_server) == [
        "Chris Shiherlis", "Eady", "Neil McCauley", "Vincent Hanna"
    ]  # fmt: skip

    # Removing is explicit: the pick's own Remove button, here from the keyboard.
    open_edit(page, live_server)
    remove = page.get_by_role("button", name="Remove Eady")
    remove.focus()
    remove.press("Enter")
    expect(picks).to_have_count(3)
    expect(page.locator(".field--characters [aria-live]")).to_contain_text("Removed Eady")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    assert characters_on(page, live_server) == ["Chris Shiherlis", "Neil McCauley", "Vincent Hanna"]
    scene = Scene.objects.get(slug=SLUG)
    assert sorted(c.title for c in scene.characters.all()) == [
        "Chris Shiherlis", "Neil McCauley", "Vincent Hanna"
    ]  # fmt: skip
    assert browser_problems == []


def test_a_quote_row_is_added_in_place_filled_and_saved(
    browser_problems, seeded, signed_in_page, live_server, artifacts
):
    page = open_edit(signed_in_page, live_server)
    rows = page.locator("fieldset[data-rows=quotes] [data-row]")
    before = rows.count()
    page.get_by_role("button", name="Add quote").click()
    expect(rows).to_have_count(before + 1)
    row = rows.last
    text = row.locator("textarea")
    expect(text).to_be_focused()
    text.fill("I do what I do best, I take scores.")
    speaker = row.locator(".ts-control input")
    speaker.click()
    speaker.press_sequentially("Neil", delay=20)
    page.locator(".field--speaker .ts-dropdown .option", has_text="Neil McCauley").first.click()
    # Its place follows the rows on screen.
    expect(row.locator("input[name$='-position']")).to_have_value(str(before + 1))
    screenshots(page, artifacts, "edit-quote-row", settle=lambda: page.wait_for_timeout(300))

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    quote = page.locator(".quote", has_text="I take scores")
    expect(quote).to_contain_text("Neil McCauley")

    # A removed row is struck through until the save, and then gone.
    open_edit(page, live_server)
    saved = page.locator("fieldset[data-rows=quotes] [data-row]", has_text="").filter(
        has=page.locator("textarea", has_text="I take scores")
    )
    saved.get_by_role("button", name="Remove", exact=True).click()
    expect(saved).to_have_class(re.compile("row-form--removed"))
    expect(saved.get_by_role("button", name="Keep this row")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    expect(page.locator(".quote", has_text="I take scores")).to_have_count(0)
    assert browser_problems == []


def test_an_image_uploaded_by_the_button_goes_on_its_own_line(
    browser_problems, seeded, signed_in_page, live_server, artifacts, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = open_edit(signed_in_page, live_server)
    editor = page.locator("textarea.markdownx-editor")
    preview = page.locator(".markdownx-preview")
    original = editor.input_value()
    # The caret at the end of the first paragraph's text, with no line break after it.
    first_break = original.index("\n")
    editor.evaluate("(el, at) => el.setSelectionRange(at, at)", first_break)
    png = tmp_path / "crew-at-the-diner.png"
    png.write_bytes(png_bytes())
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add image").click()
    chooser.value.set_files(str(png))
    # The image becomes a file page: the dialog asks what it shows, who made it, its licence.
    dialog = page.get_by_role("dialog", name="About this image")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Alt text").fill("crew at the diner")
    dialog.get_by_label("Author or credit").fill("A fan")
    dialog.get_by_label("Licence").select_option(label="CC BY 4.0")
    with page.expect_response("**/editor/upload/") as upload:
        dialog.get_by_role("button", name="Upload").click()
    assert upload.value.status == 200
    expect(page.locator("[data-upload-status]")).to_contain_text("Image added")

    value = editor.input_value()
    image_code = r"!\[crew at the diner\]\(file:(crew-at-the-diner)\)"
    match = re.search(r"\n\n" + image_code + r"\n\n", value)
    assert match, value
    # Between two paragraphs, a blank line either side; the rest of the text as it was.
    assert value.replace(match[0], "\n\n", 1) == original
    image = preview.locator(f'p a[href="/files/{match[1]}/"] img[alt="crew at the diner"]')
    expect(image).to_be_visible(timeout=PREVIEW_TIMEOUT)
    screenshots(page, artifacts, "edit-upload")
    assert browser_problems == []


def test_a_refused_upload_says_why_and_leaves_the_text_alone(
    browser_problems, seeded, signed_in_page, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = open_edit(signed_in_page, live_server)
    editor = page.locator("textarea.markdownx-editor")
    original = editor.input_value()
    error = page.locator("[data-upload-error]")

    # Not an image at all, named as one: the server refuses it.
    fake = tmp_path / "not-really.png"
    fake.write_bytes(b"GIF89a this is not a PNG")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add image").click()
    chooser.value.set_files(str(fake))
    dialog = page.get_by_role("dialog", name="About this image")
    dialog.get_by_label("Alt text").fill("not really an image")
    dialog.get_by_label("Author or credit").fill("A fan")
    dialog.get_by_label("Licence").select_option(label="CC0 (no rights reserved)")
    with page.expect_response("**/editor/upload/") as upload:
        dialog.get_by_role("button", name="Upload").click()
    assert upload.value.status == 400
    expect(error).to_contain_text("not a valid PNG or JPEG image")
    expect(error).to_contain_text("Nothing was added to the text.")
    assert editor.input_value() == original

    # A type the browser knows is wrong never leaves the page.
    text = tmp_path / "notes.txt"
    text.write_text("just words")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add image").click()
    chooser.value.set_files(str(text))
    expect(error).to_contain_text("“notes.txt” is not a PNG or JPEG image.")
    assert editor.input_value() == original
    assert "Invalid response" not in editor.input_value()
    # The refused upload's 400 is the one failed request.
    assert [p for p in browser_problems if "/editor/upload/" not in p] == []


def test_footnotes_and_a_table_of_contents_in_the_preview_and_on_the_page(
    browser_problems, seeded, signed_in_page, live_server, artifacts
):
    page = open_edit(signed_in_page, live_server)
    editor = page.locator("textarea.markdownx-editor")
    preview = page.locator(".markdownx-preview")
    body = (
        "Pacino and De Niro share the screen here for the first time.[^1]\n\n"
        "## Before\n\nThe chase.\n\n## At the table\n\nThe talk.\n\n## After\n\n"
        + "Long text.\n\n" * 60
        + "[^1]: TheWrap, on the scene's 25th anniversary.\n"
    )
    editor.fill(body)
    toc = preview.locator("nav.toc")
    expect(toc).to_be_visible(timeout=PREVIEW_TIMEOUT)
    expect(toc.get_by_role("link")).to_have_text(["Before", "At the table", "After"])
    expect(preview.locator("sup.footnote-ref a")).to_have_text("[1]")
    expect(preview.locator(".footnotes li")).to_contain_text("TheWrap")

    # The toolbar's footnote button numbers the next note and puts its text at the end.
    editor.evaluate(
        "el => { const at = el.value.indexOf('The chase.') + 9; el.setSelectionRange(at, at); }"
    )
    page.get_by_role("button", name="Footnote").click()
    page.keyboard.type("Mann's commentary.")
    assert "The chase[^2]." in editor.input_value()
    assert editor.input_value().rstrip().endswith("[^2]: Mann's commentary.")

    page.get_by_label("Summary").fill("Sections and a source")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    content = page.locator(".page__body")
    expect(content.locator("nav.toc")).to_be_visible()
    expect(content.locator(".footnotes li")).to_have_count(2)

    # The contents' links jump to their sections, and a note's number to the note.
    content.locator("nav.toc").get_by_role("link", name="After").click()
    expect(page).to_have_url(re.compile("#h-after$"))
    assert page.evaluate("document.getElementById('h-after').getBoundingClientRect().top") < 200
    content.locator("sup.footnote-ref a").first.click()
    expect(page).to_have_url(re.compile("#fn-1$"))
    expect(page.locator("#fn-1")).to_be_in_viewport()
    screenshots(page, artifacts, "page-toc-footnotes")
    assert browser_problems == []


def test_leaving_with_unsaved_changes_asks_first(
    browser_problems, seeded, signed_in_page, live_server
):
    page = open_edit(signed_in_page, live_server)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    # Unchanged: Cancel leaves at once.
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    assert dialogs == []

    open_edit(page, live_server)
    page.get_by_label("Summary").fill("Half-written")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/edit/")
    assert page.get_by_label("Summary").input_value() == "Half-written"
    assert browser_problems == []


def test_a_blocked_account_sees_why_instead_of_an_edit_tab(
    browser_problems, seeded, signed_in_page, live_server, artifacts
):
    page = signed_in_page
    scene_url = f"{live_server.url}/scenes/{SLUG}/"
    page.goto(scene_url)
    tabs = page.get_by_role("navigation", name="This page")
    expect(tabs.get_by_role("link", name="Edit")).to_be_visible()

    fan = UserFactory(username="browser-fan")
    scene = Scene.objects.get(slug=SLUG)
    data = {**scene.current_revision.snapshot, "description": "A second revision."}
    save_page(page=scene, data=data, author=fan)
    moderator = UserFactory(username="browser-moderator", is_staff=True)
    until = timezone.now() + timedelta(days=7)
    block_account(user=fan, moderator=moderator, reason="Edit warring", expires_at=until)
    page.goto(scene_url)
    expect(tabs.get_by_role("link", name="Edit")).to_have_count(0)
    expect(tabs).to_contain_text(f"Blocked until {until:%-d %B %Y}")
    # Nor a revert form on an old revision.
    page.goto(scene_url + "history/1/")
    expect(page.get_by_text("Revert to this revision")).to_have_count(0)
    screenshots(page, artifacts, "blocked-tabs")
    assert browser_problems == []


def test_a_picker_finds_by_their_titles_the_pages_it_does_not_list(
    browser_problems, seeded, signed_in_page, live_server, monkeypatch
):
    """On a big wiki a picker lists the pages chosen and the first few others (two here); the
    rest come from the title suggestions as the fan types, and save like any other."""
    monkeypatch.setattr(forms, "PICKER_OPTIONS", 2)
    page = open_edit(signed_in_page, live_server)
    chosen = Scene.objects.get(slug=SLUG).characters.count()
    assert page.locator("#id_characters option").count() <= chosen + 2
    expect(page.locator("#id_characters option", has_text="Eady")).to_have_count(0)
    picker = page.locator("#id_characters-ts-control")
    picker.click()
    picker.press_sequentially("Ead", delay=20)
    page.locator(".field--characters .ts-dropdown .option", has_text="Eady").click()
    expect(page.locator(".field--characters .ts-control .picker__item")).to_have_count(chosen + 1)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/scenes/{SLUG}/")
    assert "Eady" in characters_on(page, live_server)
    assert browser_problems == []
