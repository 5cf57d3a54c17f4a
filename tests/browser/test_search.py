"""Title suggestions in a real browser (static/js/suggest.js): the header search box, picked with
the keyboard or the mouse, a plain search with highlighted snippets, and [[wiki links]]
completed in the Markdown editor."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENE = "coffee-shop-stand-off"
# Suggestions come 0.15 s after the last keystroke and the preview 0.5 s; allow for a busy machine.
TIMEOUT = 15_000

HAS_HORIZONTAL_OVERFLOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def header_box(page):
    return page.locator("input#site-search-q[data-suggest]")


def listbox_of(page, field):
    """The listbox the field controls (aria-controls), checked to be a ul.suggestions."""
    list_id = field.get_attribute("aria-controls")
    assert list_id, "suggest.js did not attach a listbox to the field"
    listbox = page.locator(f"ul.suggestions[role=listbox]#{list_id}")
    expect(listbox).to_have_count(1)
    return listbox


def option_texts(listbox) -> list[tuple[str, str]]:
    """(title, kind) of every option, in order."""
    options = listbox.get_by_role("option")
    return list(
        zip(
            options.locator(".suggestions__title").all_inner_texts(),
            options.locator(".suggestions__kind").all_inner_texts(),
            strict=True,
        )
    )


def select_with_arrows(field, listbox, index: int, count: int) -> None:
    """Walk down past the wanted option (wrapping round the end), then back up one."""
    for _ in range(index + 2):
        field.press("ArrowDown")
    field.press("ArrowUp")
    selected = listbox.locator("[role=option][aria-selected=true]")
    expect(selected).to_have_count(1)
    expect(listbox.get_by_role("option").nth(index % count)).to_have_attribute(
        "aria-selected", "true"
    )
    expect(field).to_have_attribute("aria-activedescendant", selected.get_attribute("id"))


def settled_boxes(page, *locators, tries: int = 30) -> list:
    """The elements' boxes once the layout has stopped moving (the editor grows its text area
    with the text a frame after the keystroke; a loaded machine takes longer to get there)."""
    boxes = [locator.bounding_box() for locator in locators]
    for _ in range(tries):
        page.wait_for_timeout(100)
        again = [locator.bounding_box() for locator in locators]
        if again == boxes:
            break
        boxes = again
    return boxes


def check_placement(page, field, listbox, *, below, name: str) -> None:
    """The open listbox sits just under ``below``, starts at the field's left edge and is
    wholly on screen, with nothing over its first option."""
    box, anchor, field_box = settled_boxes(page, listbox, below, field)
    viewport = page.viewport_size
    assert box and anchor and field_box, f"{name}: listbox or field not rendered"
    assert abs(box["y"] - (anchor["y"] + anchor["height"])) <= 8, (
        f"{name}: the listbox top {box['y']:.0f} is not just under the field "
        f"(bottom {anchor['y'] + anchor['height']:.0f})"
    )
    assert abs(box["x"] - field_box["x"]) <= 2, f"{name}: listbox not aligned with the field"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (
        f"{name}: the listbox ({box['x']:.0f}…{box['x'] + box['width']:.0f}) leaves the "
        f"{viewport['width']} px viewport"
    )
    assert box["y"] >= -1 and box["y"] + box["height"] <= viewport["height"] + 1, (
        f"{name}: the listbox ({box['y']:.0f}…{box['y'] + box['height']:.0f}) is not on the "
        f"{viewport['height']} px high screen"
    )
    # Whatever is on top at the listbox's first option is the option itself (no overlap).
    first = listbox.get_by_role("option").first.bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('[role=option]') !== null",
        [first["x"] + first["width"] / 2, first["y"] + first["height"] / 2],
    )
    assert on_top, f"{name}: something covers the first suggestion"


def contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text against its own (or the list's) background."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
            let bg = getComputedStyle(el).backgroundColor, node = el;
            while (rgb(bg).length === 4 && rgb(bg)[3] === 0 && node.parentElement) {
                node = node.parentElement;
                bg = getComputedStyle(node).backgroundColor;
            }
            const lum = (c) => {
                const [r, g, b] = rgb(c).slice(0, 3).map((v) => {
                    v /= 255;
                    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const [a, b] = [lum(getComputedStyle(el).color), lum(bg)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""",
        selector,
    )


# At a phone's width, where the list is most likely to leave the screen; the mouse test below
# is at a desktop's.
@pytest.mark.parametrize("width", [390])
def test_header_suggestion_picked_with_the_keyboard(
    browser_problems, live_server, page, artifacts, width
):
    call_command("seed_content", verbosity=0)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    box = header_box(page)
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox = listbox_of(page, box)
    expect(listbox).to_be_hidden()

    box.press_sequentially("Shiher", delay=30)
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    expect(box).to_have_attribute("aria-expanded", "true")
    options = option_texts(listbox)
    assert ("Chris Shiherlis", "character") in options, options
    assert all("shiher" in title.lower() for title, _ in options), options

    check_placement(page, box, listbox, below=box, name=f"header at {width} px")
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    index = options.index(("Chris Shiherlis", "character"))
    select_with_arrows(box, listbox, index, len(options))
    selected = "ul.suggestions [role=option][aria-selected=true]"
    assert contrast(page, selected + " .suggestions__title") >= 4.5
    assert contrast(page, selected + " .suggestions__kind") >= 4.5
    assert (
        contrast(page, "ul.suggestions [role=option]:not([aria-selected=true]) .suggestions__kind")
        >= 4.5
    )
    page.screenshot(path=artifacts / f"search-suggestions-{width}.png")

    box.press("Enter")
    page.wait_for_url(live_server.url + "/characters/chris-shiherlis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chris Shiherlis")
    assert browser_problems == []


def test_header_suggestion_picked_with_the_mouse_and_a_plain_search(
    browser_problems, live_server, page, artifacts
):
    call_command("seed_content", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    box = header_box(page)
    listbox = listbox_of(page, box)

    # Escape closes the list and keeps the text (a search field would clear it otherwise).
    box.press_sequentially("Shiher", delay=30)
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    box.press("ArrowDown")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("Shiher")
    expect(box).to_be_focused()

    # Typing again opens it again; the mouse picks an entry.
    box.press_sequentially("l", delay=30)
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    option = listbox.get_by_role("option").filter(
        has=page.locator(".suggestions__title", has_text=re.compile(r"^Chris Shiherlis$"))
    )
    option.hover()
    hovered = option.evaluate("el => getComputedStyle(el).backgroundColor")
    resting = listbox.get_by_role("option").filter(has_not_text="Chris").first
    assert hovered != resting.evaluate("el => getComputedStyle(el).backgroundColor")
    option.click()
    page.wait_for_url(live_server.url + "/characters/chris-shiherlis/")

    # Enter with no suggestion selected submits the form: the search page, with the words
    # marked in the snippets.
    box = header_box(page)
    listbox = listbox_of(page, box)
    box.press_sequentially("Shiherlis", delay=30)
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/search/\?q=Shiherlis$", page.url), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    titles = page.locator(".search-result__title a").all_inner_texts()
    assert {"Chris Shiherlis", "Charlene Shiherlis"} <= set(titles), titles
    marks = page.locator(".search-result__snippet mark")
    expect(marks.first).to_be_visible()
    assert all(text.lower().startswith("shiherlis") for text in marks.all_inner_texts())
    expect(page.locator("#search-page-q")).to_have_value("Shiherlis")
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    page.screenshot(path=artifacts / "search-results-1280.png")
    assert browser_problems == []


@pytest.mark.parametrize(("width", "key"), [(1280, "Enter"), (390, "Tab")])
def test_editor_completes_a_wiki_link(
    browser_problems, signed_in_page, live_server, artifacts, width, key
):
    call_command("seed_content", verbosity=0)
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/scenes/{SCENE}/edit/")
    editor = page.locator("textarea.markdownx-editor[data-suggest]")
    preview = page.locator(".markdownx .markdownx-preview")
    expect(preview.locator("p").first).to_be_visible(timeout=TIMEOUT)
    listbox = listbox_of(page, editor)
    expect(listbox).to_be_hidden()

    editor.focus()
    editor.press("Control+End")
    editor.press_sequentially("\n\nSuggested link: [[Neil", delay=30)
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    # A textarea is a text box, which has no aria-expanded (axe counts it an error); the list
    # it controls is named in aria-controls.
    expect(editor).not_to_have_attribute("aria-expanded", re.compile(".*"))
    expect(editor).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = option_texts(listbox)
    # The character and the real criminal share the title; the kinds tell them apart.
    assert ("Neil McCauley", "character") in options, options
    assert ("Neil McCauley", "person") in options, options
    assert all("neil" in title.lower() for title, _ in options), options

    # What the reader sees: the caret's line and the list under the editor, on screen.
    check_placement(page, editor, listbox, below=editor, name=f"editor at {width} px")
    index = options.index(("Neil McCauley", "character"))
    select_with_arrows(editor, listbox, index, len(options))
    page.screenshot(path=artifacts / f"editor-suggestions-{width}.png")
    editor.press(key)
    expect(listbox).to_be_hidden()
    # Two suggestions share the title, so the link names the kind (its URL namespace).
    link = "[[characters:Neil McCauley]]"
    expect(editor).to_have_value(re.compile(re.escape(f"\n\nSuggested link: {link}") + "$"))
    assert (
        editor.evaluate("el => [el.selectionStart, el.selectionEnd]")
        == [len(editor.input_value())] * 2
    )
    expect(editor).to_be_focused()

    added = preview.locator("p", has_text="Suggested link:")
    expect(added.get_by_role("link", name="Neil McCauley")).to_have_attribute(
        "href", "/characters/neil-mccauley/", timeout=TIMEOUT
    )
    expect(added.get_by_role("link")).to_have_attribute("class", "wikilink")
    assert browser_problems == []
