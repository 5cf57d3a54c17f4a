"""An editor in a real browser: sign in, edit a scene with the live preview, save, compare
two revisions in the history, and revert to the first one."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from scenes.models import Scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "coffee-shop-stand-off"
ORIGINAL_OPENING = "Vincent Hanna and Neil McCauley, hunter and hunted"
REPLACED, REPLACEMENT = "hunter and hunted", "cop and robber"
ADDED = (
    " **Live preview works** in the editor.\n\n"
    "See also [[Neil McCauley]] and [[character:Neil McCauley|the character]]."
)
SUMMARY = "Try the editor from a real browser"
WIDTHS = (390, 1280)
# The preview comes 0.5 s after the last keystroke; allow for a busy test machine.
PREVIEW_TIMEOUT = 15_000

HAS_HORIZONTAL_OVERFLOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def screenshots(page, artifacts, name, settle=None):
    """Full-page screenshots at a phone's and a desktop's width; the widths that scroll
    sideways are returned. ``settle()`` runs after each resize, before the screenshot."""
    overflowing = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if settle:
            settle()
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
        if page.evaluate(HAS_HORIZONTAL_OVERFLOW):
            overflowing.append(width)
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    return overflowing


def test_editor_previews_saves_compares_and_reverts(
    browser_problems, signed_in_page, live_server, artifacts
):
    call_command("seed_content", verbosity=0)
    page = signed_in_page
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    scene_url = f"{live_server.url}/scenes/{SLUG}/"

    # Edit: the markdownx editor renders the current text in the preview on load, then again
    # while typing, through /editor/preview/.
    page.goto(scene_url + "edit/")
    editor = page.locator("textarea.markdownx-editor")
    preview = page.locator(".markdownx .markdownx-preview")
    expect(editor).to_have_value(re.compile(re.escape(ORIGINAL_OPENING)))
    expect(preview.get_by_role("heading", name="A real conversation")).to_be_visible(
        timeout=PREVIEW_TIMEOUT
    )

    # Select three words of the first paragraph and type over them, then add to the end.
    start = ORIGINAL_OPENING.index(REPLACED)
    editor.focus()
    editor.evaluate("(el, [a, b]) => el.setSelectionRange(a, b)", [start, start + len(REPLACED)])
    editor.press_sequentially(REPLACEMENT, delay=5)
    expect(preview).to_contain_text(f"McCauley, {REPLACEMENT}, sit across", timeout=PREVIEW_TIMEOUT)
    editor.press("Control+End")
    with page.expect_response("**/editor/preview/") as preview_response:
        editor.press_sequentially(ADDED, delay=5)
    assert preview_response.value.status == 200
    expect(preview.locator("strong", has_text="Live preview works")).to_be_visible(
        timeout=PREVIEW_TIMEOUT
    )
    # A bare title shared by a character and a real person goes to the character.
    link = preview.locator("a.wikilink", has_text="Neil McCauley")
    expect(link).to_have_attribute("href", "/characters/neil-mccauley/")
    expect(link).to_have_attribute("class", "wikilink")
    expect(preview.get_by_role("link", name="the character")).to_have_attribute(
        "href", "/characters/neil-mccauley/"
    )
    assert "<strong>Live preview works</strong>" in preview.inner_html()

    summary = page.get_by_label("Summary")
    summary.fill(SUMMARY)

    def refit_editor():
        # markdownx fits the textarea to its text on focus and input, not on resize: give it
        # focus, as a reader at this width would, then put the focus back on the summary.
        # Wait for the preview that focusing asks for, so no request is cut off by the save.
        with page.expect_response("**/editor/preview/"):
            editor.focus()
        summary.focus()

    overflowing = screenshots(page, artifacts, "edit-preview", settle=refit_editor)
    assert not overflowing, f"the edit form scrolls sideways at {overflowing} px"

    # Save: back on the scene, with a message and the new text.
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(scene_url)
    expect(page.locator(".messages")).to_contain_text("Saved as revision 2.")
    body = page.locator(".page__body")
    expect(body.locator("strong", has_text="Live preview works")).to_be_visible()
    expect(body.get_by_role("link", name="the character")).to_have_attribute(
        "href", "/characters/neil-mccauley/"
    )

    # History: compare revision 1 with revision 2 through the radio buttons.
    page.get_by_role("navigation", name="This page").get_by_role("link", name="History").click()
    page.wait_for_url(scene_url + "history/")
    expect(page.locator(".history__table tbody tr")).to_have_count(2)
    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 2").check()
    page.get_by_role("button", name="Compare selected revisions").click()
    page.wait_for_url(
        lambda url: (
            urlsplit(url).path.endswith("/diff/")
            and parse_qs(urlsplit(url).query) == {"from": ["1"], "to": ["2"]}
        )
    )
    heads = page.locator(".diff-head")
    expect(heads.first).to_contain_text("Revision 1")
    expect(heads.last).to_contain_text(SUMMARY)
    # The changed words are marked inside the changed lines; only the body changed.
    expect(page.locator(".diff-field h2")).to_have_text(["Body"])
    deleted = page.locator(".diff-line--delete del").all_inner_texts()
    inserted = page.locator(".diff-line--insert ins").all_inner_texts()
    assert {"hunter", "hunted"} <= set(deleted)  # "and" is in both, so it stays unmarked
    assert {"cop", "robber"} <= set(inserted)
    assert any("**Live preview works** in the editor." in text for text in inserted)
    expect(
        page.locator(".diff-line--insert", has_text="See also [[Neil McCauley]] and")
    ).to_be_visible()
    overflowing = screenshots(page, artifacts, "diff")
    assert not overflowing, f"the diff page scrolls sideways at {overflowing} px"

    # An old revision, reverted to: the page shows the original text again.
    page.goto(scene_url + "history/1/")
    expect(page.locator(".banner--old")).to_contain_text("This is an old revision")
    expect(page.locator(".page__body")).not_to_contain_text("Live preview works")
    # Reverting takes two steps and a reason: the form opens, then the revert is confirmed.
    page.get_by_text("Revert to this revision…").click()
    reason = page.get_by_label("Reason")
    expect(reason).to_be_visible()
    assert page.locator(".revert__form input[name=base_revision]").input_value() == "2"
    reason.fill("Back to revision 1: the test edit undone")
    page.get_by_role("button", name="Revert", exact=True).click()
    page.wait_for_url(scene_url)
    expect(page.locator(".messages")).to_contain_text(
        "Reverted to revision 1, saved as revision 3."
    )
    expect(body).to_contain_text(ORIGINAL_OPENING)
    expect(body).not_to_contain_text("Live preview works")

    page.goto(scene_url + "history/")
    rows = page.locator(".history__table tbody tr")
    expect(rows).to_have_count(3)
    # The summary names revision 1 (the reason, once the revert view takes it).
    expect(rows.first).to_contain_text("revision 1")
    expect(rows.nth(1)).to_contain_text(SUMMARY)

    # The revert's own diff marks the words it took out and put back.
    page.goto(scene_url + "diff/?from=2&to=3")
    assert {"hunter", "hunted"} <= set(page.locator(".diff-line--insert ins").all_inner_texts())
    assert {"cop", "robber"} <= set(page.locator(".diff-line--delete del").all_inner_texts())

    scene = Scene.objects.get(slug=SLUG)
    assert scene.current_revision.number == 3
    assert "Live preview works" not in scene.body
    assert browser_problems == []
