"""Editors saving pages that link to each other, all at once, through gunicorn on PostgreSQL.

Each of ``--threads`` editors (an account and a signed-in session each) saves ``--saves``
times: it opens the edit form of one of three pages that link to each other in a cycle,
changes its own line of the body, and posts the form as a browser would. Every answer is
counted (accepted, conflict, refused, server error) and the revisions left are checked: numbered
1, 2, 3 … without a gap on every page, one for each accepted save.

    manage.py bench_linked_saves --database-url postgres://…/heatwiki_bench_saves

The database is dropped and made again (its name must contain "bench").
"""

import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from .bench import Command as Bench
from .bench_scale import Command as BenchScale

PAGES = ["Alpha Diner", "Beta Garage", "Gamma Pier"]
SETUP = """
import json
from datetime import timedelta
from importlib import import_module
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils import timezone
from heatwiki.wiki.services import save_page, system_account
from scenes.models import Location

titles = {titles!r}
lines = "\\n\\n".join(f"Line {{n}}." for n in range({threads}))
for i, title in enumerate(titles):
    following = titles[(i + 1) % len(titles)]
    body = f"{{title}} links to [[{{following}}]] and back to [[{{titles[i - 1]}}]].\\n\\n" + lines
    save_page(page=Location(), data={{"title": title, "slug": title.lower().replace(" ", "-"),
              "body": body}}, author=system_account(), summary="Made for the benchmark")
User = get_user_model()
cookies = []
for n in range({threads}):
    user = User.objects.create_user(f"saver{{n}}", f"saver{{n}}@example.org", "x" * 20,
                                    date_joined=timezone.now() - timedelta(days=30))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies.append(f"{{settings.SESSION_COOKIE_NAME}}={{session.session_key}}")
print("SAVES " + json.dumps(cookies))
"""
CHECK = """
import json
from heatwiki.wiki.models import PageLink, Revision
from scenes.models import Location
report = {{}}
for page in Location.objects.filter(title__in={titles!r}):
    numbers = list(Revision.objects.filter(page=page).order_by("number")
                   .values_list("number", flat=True))
    report[page.title] = {{
        "revisions": len(numbers),
        "contiguous": numbers == list(range(1, len(numbers) + 1)),
        "current_is_last": page.current_revision.number == numbers[-1],
        "links_resolved": PageLink.objects.filter(source=page, target__isnull=False).count(),
    }}
print("SAVES " + json.dumps(report))
"""


class FormReader(HTMLParser):
    """The fields of the page's edit form, as a browser would post them back untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "form" and "edit-form" in (a.get("class") or ""):
            self.in_form = True
        if not self.in_form or not a.get("name"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ("on" if "checked" in a else "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self.select = a["name"]
        if tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Command(BaseCommand):
    help = "Concurrent saves of pages that link to each other, through gunicorn on PostgreSQL."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database-url", required=True)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--saves", type=int, default=25, help="per thread")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        if "bench" not in url.rsplit("/", 1)[-1]:
            raise CommandError("The database's name must contain 'bench': it is dropped.")
        bench, threads = Bench(), options["threads"]
        BenchScale().recreate_database(url)
        from django.conf import settings

        env = bench.server_environment(settings.BASE_DIR / "var" / "bench", url)
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "collectstatic", "--noinput", "-v0")
        cookies = self.marked(
            bench.manage(env, "shell", stdin=SETUP.format(titles=PAGES, threads=threads))
        )
        counts: Counter = Counter()
        durations: list[float] = []
        with bench.gunicorn(env, options["workers"]) as base_url:
            started = time.monotonic()
            workers = [
                threading.Thread(
                    target=self.editor,
                    args=(base_url, cookies[n], n, options["saves"], counts, durations),
                )
                for n in range(threads)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.monotonic() - started
        check = self.marked(bench.manage(env, "shell", stdin=CHECK.format(titles=PAGES)))
        durations.sort()
        result = {
            "workers": options["workers"],
            "threads": threads,
            "saves": threads * options["saves"],
            "answers": dict(counts),
            "seconds": round(elapsed, 1),
            "median_save_seconds": round(durations[len(durations) // 2], 3) if durations else None,
            "pages": check,
            "revisions_made": sum(page["revisions"] - 1 for page in check.values()),
        }
        self.stdout.write(json.dumps(result, indent=2))
        if counts["server error"] or result["revisions_made"] != counts["accepted"]:
            raise CommandError("Saves failed or revisions do not match the accepted saves.")

    @staticmethod
    def marked(output: str):
        for line in output.splitlines():
            if line.startswith("SAVES "):
                return json.loads(line.removeprefix("SAVES "))
        raise CommandError("The set-up printed nothing to read.")

    def editor(self, base_url, cookie, n, saves, counts: Counter, durations: list) -> None:
        chooser = random.Random(n)
        opener = urllib.request.build_opener(NoRedirects)
        for k in range(saves):
            slug = chooser.choice(PAGES).lower().replace(" ", "-")
            edit_url = f"{base_url}/locations/{slug}/edit/"
            request = urllib.request.Request(edit_url, headers={"Cookie": cookie})
            with opener.open(request, timeout=60) as response:
                csrf = response.headers.get_all("Set-Cookie") or []
                form = FormReader()
                form.feed(response.read().decode())
            token_cookie = next((c.split(";")[0] for c in csrf if c.startswith("csrftoken=")), "")
            fields = [
                (
                    name,
                    value.replace(f"Line {n}", f"Line {n} edit {k}", 1)
                    if name == "body"
                    else value,
                )
                for name, value in form.fields
            ]
            fields.append(("summary", f"Saver {n}, save {k}"))
            data = urllib.parse.urlencode(fields).encode()
            headers = {"Cookie": f"{cookie}; {token_cookie}", "Referer": edit_url}
            started = time.monotonic()
            try:
                with opener.open(urllib.request.Request(edit_url, data, headers), timeout=60):
                    status = 200
            except urllib.error.HTTPError as error:
                status = error.code
            durations.append(time.monotonic() - started)
            outcome = {302: "accepted", 409: "conflict", 200: "unchanged"}.get(status)
            if outcome is None:
                outcome = "server error" if status >= 500 else f"refused {status}"
            counts[outcome] += 1
