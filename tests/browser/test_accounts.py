"""Accounts and moderation in a real browser: a visitor signs up, confirms the e-mail address
from the message the site sends, and edits a scene; a moderator protects that scene from the
admin, with a reason; the editor then sees the lock, gets a 403 saying why on the edit page,
and a save from an edit form opened before the protection changes nothing."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from heatwiki.accounts.models import ModerationLog
from heatwiki.wiki.models import Revision
from scenes.models import Scene
from tests.browser.conftest import watch_problems
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "downtown-bank-heist"
USERNAME, EMAIL = "waingro-watcher", "waingro-watcher@example.com"
PASSWORD = "all the heat around the corner"
MODERATOR, MODERATOR_PASSWORD = "nate-moderates", "a moderator's own pass phrase"
ADDED = "\n\nThe robbery took place in the **Far East National Bank**."
SUMMARY = "Name the bank"
REASON = "Edit war over the shootout's casualties"
STALE_ADDITION = "\n\nAn edit started before the page was protected."
WIDTHS = (390, 1280)
# The preview comes 0.5 s after the last keystroke; allow for a busy test machine.
PREVIEW_TIMEOUT = 15_000

HAS_HORIZONTAL_OVERFLOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def screenshots(page, artifacts, name):
    """Full-page screenshots at a phone's and a desktop's width; the widths that scroll
    sideways are returned."""
    overflowing = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
        if page.evaluate(HAS_HORIZONTAL_OVERFLOW):
            overflowing.append(width)
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    return overflowing


def take_expected(problems, status, method, url, count):
    """Take out of ``problems`` the ``count`` responses the test asked for (and the console
    errors Chromium logs for them); fail when the browser did not see exactly that many."""
    response = f"HTTP {status} for {method} {url}"
    assert problems.count(response) == count, problems
    console = re.compile(
        rf"console error on {re.escape(url)}: Failed to load resource: "
        rf"the server responded with a status of {status}\b.*"
    )
    return [p for p in problems if p != response and not console.fullmatch(p)]


def open_editor(page, url):
    """Open an edit page and wait for the preview markdownx asks for on load, so that no
    preview request is still on its way when the test moves on."""
    with page.expect_response("**/editor/preview/") as preview:
        page.goto(url)
    assert preview.value.status == 200
    return page.locator("textarea.markdownx-editor"), page.locator(".markdownx-preview")


def test_signup_confirm_edit_then_moderator_protects(
    browser_problems, page, browser, live_server, artifacts, mailoutbox, moderators_group
):
    call_command("seed_content", verbosity=0)
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    scene = Scene.objects.get(slug=SLUG)
    scene_url = f"{live_server.url}/scenes/{SLUG}/"
    edit_url = scene_url + "edit/"
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    main = page.locator("main")

    # 1. Sign up. The site says it has sent the confirmation e-mail and signs no one in yet:
    # an address that already has an account gets the very same answer.
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    overflowing = screenshots(page, artifacts, "signup")
    assert not overflowing, f"the sign-up page scrolls sideways at {overflowing} px"
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("E-mail address").fill(EMAIL)
    # Plain labels, without Django's colons.
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    main.get_by_role("button", name="Create account").click()
    page.wait_for_url(live_server.url + "/accounts/confirm-email/")
    expect(page.locator(".messages")).to_contain_text(f"Confirmation email sent to {EMAIL}.")
    expect(page.locator(".user-menu").get_by_role("link", name=USERNAME)).to_have_count(0)

    # Not confirmed yet: the edit form asks to sign in.
    page.goto(edit_url)
    assert "/accounts/login/" in page.url

    # The confirmation e-mail, read from the outbox (the live server runs in this process).
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[HeatWiki] ")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    assert link.group(0).startswith(live_server.url + "/")

    # Opening the link shows a page with a Confirm button (nothing is confirmed on GET).
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(main).to_contain_text(
        f"Confirm that {EMAIL} is the e-mail address of {USERNAME} on HeatWiki."
    )
    assert not EmailAddress.objects.get(email=EMAIL).verified
    overflowing = screenshots(page, artifacts, "confirm-email")
    assert not overflowing, f"the confirmation page scrolls sideways at {overflowing} px"
    main.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text(f"You have confirmed {EMAIL}.")
    expect(page.locator(".user-menu").get_by_role("link", name=USERNAME)).to_be_visible()
    address = EmailAddress.objects.get(email=EMAIL)
    assert address.verified and address.primary and address.user.username == USERNAME

    # 2. The new editor adds a sentence to the scene and saves it.
    editor, preview = open_editor(page, edit_url)
    editor.focus()
    editor.press("Control+End")
    editor.press_sequentially(ADDED, delay=5)
    expect(preview.locator("strong", has_text="Far East National Bank")).to_be_visible(
        timeout=PREVIEW_TIMEOUT
    )
    page.get_by_label("Summary").fill(SUMMARY)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(scene_url)
    expect(page.locator(".messages")).to_contain_text("Saved as revision 2.")
    expect(page.locator(".page__body strong", has_text="Far East National Bank")).to_be_visible()
    expect(page.locator(".lock")).to_have_count(0)

    # The editor starts a second edit in another tab, and leaves it unsaved for now.
    stale = page.context.new_page()
    stale_problems = watch_problems(stale, [])
    stale_editor, stale_preview = open_editor(stale, edit_url)
    stale_editor.focus()
    stale_editor.press("Control+End")
    stale_editor.press_sequentially(STALE_ADDITION, delay=5)
    expect(stale_preview).to_contain_text(STALE_ADDITION.strip(), timeout=PREVIEW_TIMEOUT)

    # 3. A moderator, in a browser context of their own, protects the scene from the admin.
    moderator = UserFactory(username=MODERATOR, password=MODERATOR_PASSWORD, is_staff=True)
    moderator.groups.add(moderators_group)
    moderator_context = browser.new_context()
    try:
        admin = moderator_context.new_page()
        admin_problems = watch_problems(admin, [])
        admin.goto(live_server.url + "/admin/login/")
        admin.get_by_label("Username").fill(MODERATOR)
        admin.get_by_label("Password").fill(MODERATOR_PASSWORD)
        admin.get_by_role("button", name="Log in").click()
        admin.wait_for_url(live_server.url + "/admin/")
        admin.goto(live_server.url + reverse("admin:scenes_scene_changelist"))
        admin.get_by_role(
            "checkbox", name=f"Select this object for an action - {scene}", exact=True
        ).check()
        action = admin.locator(
            "select[name=action] option", has_text=re.compile(r"^Protect selected pages")
        )
        admin.locator("select[name=action]").select_option(action.get_attribute("value"))
        admin.get_by_label("Reason").fill(REASON)
        admin.get_by_role("button", name="Go").click()
        expect(admin.locator(".messagelist .success")).to_have_text("Protected 1 page(s).")
    finally:
        moderator_context.close()
    scene.refresh_from_db()
    assert scene.is_protected and scene.protected_by == moderator
    assert scene.protection_reason == REASON
    assert ModerationLog.objects.filter(moderator=moderator, reason=REASON).count() == 1

    # 4. Back as the editor: the page shows the lock, with the moderator's name and reason.
    page.reload()
    lock = page.locator(".lock")
    expect(lock).to_contain_text(f"Protected by {MODERATOR}: {REASON}.")
    expect(lock).to_contain_text("Only moderators can edit this page.")
    overflowing = screenshots(page, artifacts, "protected-page")
    assert not overflowing, f"the protected page scrolls sideways at {overflowing} px"

    # The edit page is a 403 that says the page is protected, by whom and why.
    refusal = (
        f"This page is protected by {MODERATOR}: only moderators can change it. Reason: {REASON}"
    )
    response = page.goto(edit_url)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't do that here")
    expect(main).to_contain_text(refusal)
    expect(page.locator("textarea")).to_have_count(0)
    overflowing = screenshots(page, artifacts, "protected-403")
    assert not overflowing, f"the 403 page scrolls sideways at {overflowing} px"

    # Saving the form opened before the protection is refused the same way; nothing changes.
    with stale.expect_response(lambda r: r.request.method == "POST") as saved:
        stale.get_by_role("button", name="Save").click()
    assert saved.value.status == 403
    expect(stale.locator("main")).to_contain_text(refusal)
    scene.refresh_from_db()
    assert scene.current_revision.number == 2
    assert "Far East National Bank" in scene.body
    assert STALE_ADDITION.strip() not in scene.body
    assert Revision.objects.filter(page_id=scene.pk).count() == 2

    # The refusals the test asked for are the only problems the browsers saw.
    problems = [
        *take_expected(browser_problems, 403, "GET", edit_url, count=1),
        *take_expected(stale_problems, 403, "POST", edit_url, count=1),
        *admin_problems,
    ]
    assert not problems, "\n".join(problems)
