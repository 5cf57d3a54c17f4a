import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.database import moderators_group as make_moderators_group
from tests.factories import UserFactory

CHROMIUM = os.environ.get("HEATWIKI_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    """The browser tests run on SQLite only: they check what a reader and an editor see in
    the browser, which does not depend on the database; the rest of the suite runs on both."""
    if not ON_POSTGRESQL:
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(
        reason="browser tests run on SQLite only (DATABASE_URL is PostgreSQL): unset "
        "DATABASE_URL to run them"
    )
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM}: run `make chromium`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


EDITOR_PASSWORD = "correct horse battery staple"


def sign_in(page, live_server, username: str) -> None:
    """Sign ``username`` (made with EDITOR_PASSWORD) in through the real sign-in form."""
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def signed_in_page(live_server, page, transactional_db):
    """``page`` signed in as a new editor ("browser-fan") through the real sign-in form."""
    UserFactory(username="browser-fan", password=EDITOR_PASSWORD)
    sign_in(page, live_server, "browser-fan")
    assert page.locator(".user-menu").get_by_role("link", name="browser-fan").is_visible()
    return page


def watch_problems(page, problems: list[str]) -> list[str]:
    """Collect ``page``'s console errors, uncaught exceptions and failed requests (CSP
    violations are console errors in Chromium) into ``problems``, and return it. For tabs and
    contexts of a test besides ``page``, which ``browser_problems`` watches."""

    def on_console(message):
        if message.type == "error":
            # For a resource that failed to load, the location is that resource.
            source = message.location.get("url")
            where = f" ({source})" if source and source != page.url else ""
            problems.append(f"console error on {page.url}{where}: {message.text}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught on {page.url}: {error}"))

    def on_failed(request):
        # A request the page itself gave up on (a preview overtaken by the next keystroke, or
        # cut off by leaving the page) is not a failure anyone sees.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    return problems


@pytest.fixture
def browser_problems(page):
    """Console errors, uncaught exceptions and failed requests (CSP violations are console
    errors in Chromium), collected for the whole test: assert the list is empty at the end.
    Ask for it before ``signed_in_page`` so that the sign-in is watched too."""
    return watch_problems(page, [])


@pytest.fixture
def moderators_group(transactional_db):
    """The Moderators group, with the permissions the migrations give it (made again after
    the flush that ends a transactional test)."""
    return make_moderators_group()
