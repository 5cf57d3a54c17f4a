"""Two people in two browsers: A watches a page, B edits it; A sees the bell's count and the
unread entry on the watchlist, follows it to the diff, and the marker clears. A starts a talk
topic, B replies, and A is notified. An anonymous reader sees what changed since the last visit."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from heatwiki.community.models import Thanks, Watch
from tests.browser.conftest import EDITOR_PASSWORD, sign_in, watch_problems
from tests.community.conftest import IMMEDIATE, edit
from tests.factories import UserFactory, WorkFactory

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAS_HORIZONTAL_OVERFLOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def test_watch_edit_notify_diff_and_talk(browser, live_server, settings, artifacts):
    settings.TASKS = IMMEDIATE  # the jobs run in the server as soon as each change commits
    UserFactory(username="ann", password=EDITOR_PASSWORD)
    UserFactory(username="ben", password=EDITOR_PASSWORD)
    work = WorkFactory(title="Browser watched work", slug="browser-watched-work")
    url = f"{live_server.url}/works/{work.slug}/"
    problems = []
    a_context, b_context = browser.new_context(), browser.new_context()
    a, b = a_context.new_page(), b_context.new_page()
    watch_problems(a, problems)
    watch_problems(b, problems)

    # A watches the page.
    sign_in(a, live_server, "ann")
    a.goto(url)
    a.get_by_role("button", name="☆ Watch").click()
    expect(a.get_by_role("button", name="★ Unwatch")).to_be_visible()
    expect(a.locator("[data-bell-count]")).to_have_count(0)

    # B edits it in the edit form.
    sign_in(b, live_server, "ben")
    b.goto(url + "edit/")
    b.locator("textarea.markdownx-editor").fill("Ben rewrote the synopsis of this work.")
    b.locator("#id_summary").fill("Synopsis by Ben")
    b.get_by_role("button", name="Save").click()
    b.wait_for_url(url)

    # A sees the bell's count and the unread entry, and follows it to the diff.
    a.goto(live_server.url + "/watchlist/")
    expect(a.locator("[data-bell-count]")).to_have_text("1")
    entry = a.locator("[data-watchlist-page]", has_text="Browser watched work")
    expect(entry.locator("[data-unread]")).to_be_visible()
    expect(entry).to_contain_text("Synopsis by Ben")
    for width in (390, 1280):
        a.set_viewport_size({"width": width, "height": 900})
        a.screenshot(path=artifacts / f"watchlist-{width}.png", full_page=True)
        assert not a.evaluate(HAS_HORIZONTAL_OVERFLOW), width
    entry.get_by_role("link", name="Changes since your last visit").click()
    expect(a.locator("main")).to_contain_text("Ben rewrote the synopsis")
    expect(a.locator("[data-bell-count]")).to_have_count(0)
    a.goto(live_server.url + "/watchlist/")
    expect(a.locator("[data-watchlist-page]").first).to_be_visible()
    expect(a.locator("[data-unread]")).to_have_count(0)
    assert Watch.objects.get(user__username="ann").seen_number == 2

    # A starts a talk topic; B replies; A is notified.
    a.goto(url)
    a.get_by_role("link", name="Talk", exact=True).click()
    a.locator("#id_title").fill("Is the synopsis right?")
    a.locator("#id_body").fill("Ben, **does it match** the film? @ben")
    a.get_by_role("button", name="Post the topic").click()
    expect(a.locator("[data-post]")).to_contain_text("does it match")
    b.goto(url + "talk/")
    b.get_by_role("link", name="Is the synopsis right?").click()
    b.locator("#id_body").fill("It does, see the credits.")
    b.get_by_role("button", name="Post the reply").click()
    expect(b.locator("[data-post]")).to_have_count(2)
    a.goto(url)
    expect(a.locator("[data-bell-count]")).to_have_text("1")
    a.locator("[data-bell]").click()
    expect(a.locator("[data-notification]").first).to_contain_text("ben replied")
    a.locator("[data-notification]").first.get_by_role("link").click()
    expect(a.locator("main")).to_contain_text("It does, see the credits.")
    a.set_viewport_size({"width": 390, "height": 900})
    a.screenshot(path=artifacts / "talk-topic-390.png", full_page=True)
    assert not a.evaluate(HAS_HORIZONTAL_OVERFLOW)

    a_context.close()
    b_context.close()
    assert problems == []


def test_anonymous_readers_see_what_changed_since_their_last_visit(
    page, live_server, browser_problems
):
    ben = UserFactory(username="ben")
    work = WorkFactory(title="Visited work", slug="visited-work")
    url = f"{live_server.url}/works/{work.slug}/"
    page.goto(url)
    expect(page.locator("[data-last-visit]")).to_be_hidden()
    edit(work, ben, body="A change while the reader was away.")
    page.goto(url)
    banner = page.locator("[data-last-visit]")
    expect(banner).to_be_visible()
    banner.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("A change while the reader was away.")
    page.goto(url)
    expect(page.locator("[data-last-visit]")).to_be_hidden()  # seen now
    assert browser_problems == []


def test_thanks_from_the_history_on_a_phone(browser, live_server, settings, artifacts):
    """Both readers get the history from one frame stored for signed-in readers; each sees
    Thank buttons beside the other's edit alone, and a thanks goes to the right revision."""
    settings.TASKS = IMMEDIATE
    UserFactory(username="ann", password=EDITOR_PASSWORD)
    UserFactory(username="ben", password=EDITOR_PASSWORD)
    work = WorkFactory(title="Thanked work", slug="thanked-work")
    bens = edit(work, User.objects.get(username="ben"), body="Ben's paragraph.")
    edit(work, User.objects.get(username="ann"), body="Ann's paragraph.")
    history = f"{live_server.url}/works/{work.slug}/history/"
    problems = []
    contexts = []
    for username in ("ben", "ann"):
        context = browser.new_context(viewport={"width": 390, "height": 900})
        contexts.append(context)
        page = context.new_page()
        watch_problems(page, problems)
        sign_in(page, live_server, username)
        page.goto(history)
        other = "ann" if username == "ben" else "ben"
        expect(page.locator(f'button[data-thank][data-author="{other}"]')).to_be_visible()
        expect(page.locator(f'button[data-thank][data-author="{username}"]')).to_be_hidden()
    page.screenshot(path=artifacts / "history-thanks-390.png", full_page=True)
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    page.locator('button[data-thank][data-author="ben"]').click()
    page.wait_for_url(history)
    expect(page.locator(".messages")).to_contain_text("You thanked ben for revision")
    assert Thanks.objects.get(giver__username="ann").revision == bens
    for context in contexts:
        context.close()
    assert problems == []
