"""The benchmark: HeatWiki under gunicorn with production settings, loaded by wrk.

Every page figure is a ratio to the floor, a view that returns a constant string through the
same project and middleware stack (/healthz), measured in the same run on the same machine.
It also times the Markdown pipeline (render and sanitise; resolving wiki links is one query
more) on the largest allowed body and on hostile inputs.
Figures go to the screen and to var/bench/results.json and results.md. Nothing here is a
test: timings belong in a benchmark, not in assertions.
"""

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heatwiki.bench import wrk
from heatwiki.bench.saves import save_through_form, sequential_rate
from heatwiki.bench.targets import TARGETS_SCRIPT, history_pages, parse_targets, percentile
from heatwiki.wiki.limits import (
    BODY_MAX_ANGLE_BRACKETS,
    BODY_MAX_BRACKETS,
    BODY_MAX_BYTES,
    BODY_MAX_EMPHASIS_MARKS,
    BODY_MAX_LINES,
    BODY_MAX_PIPES,
)
from heatwiki.wiki.markdown import render_unlinked
from heatwiki.wiki.views import HISTORY_PAGE_SIZE

FLOOR = ("floor (/healthz)", "/healthz")
# The page the editor saves: a location, with few relations.
SAVED_PAGE = "/locations/lax/"
# Varied searches: one word, several, a phrase, an exclusion, "or", a title, a misspelling.
SEARCH_QUERIES = [
    "coffee shop",
    "heat",
    "neil mccauley",
    '"bank robbery"',
    "hanna -pacino",
    "lax or airport",
    "shootout downtown",
    "detective",
    "los angeles",
    "novel",
    "shiherlis",
    "shierlis",
    "waingro",
    "diner",
    "harbor heist",
    "quiet marina",
    "crew",
    "casting news",
    "location filming",
    "michael mann",
]


def pages(targets: dict) -> list[tuple[str, str]]:
    """The pages loaded, floor first: history and contributions are the largest there are."""
    history = targets["longest_history"]
    last = history_pages(targets["longest_history_revisions"], HISTORY_PAGE_SIZE)
    return [
        FLOOR,
        ("home", "/"),
        ("scene", "/scenes/coffee-shop-stand-off/"),
        ("person", "/people/al-pacino/"),
        ("location", "/locations/lax/"),
        ("character", "/characters/vincent-hanna/"),
        ("work", "/works/heat/"),
        ("news", "/news/dicaprio-and-bale-join-heat-2/"),
        ("history page 1", history),
        ("last history page", f"{history}?page={last}"),
        ("diff", "/scenes/coffee-shop-stand-off/diff/?from=1&to=2"),
        ("recent changes", "/recent-changes/"),
        ("contributions", f"/users/{quote(targets['busiest_user'])}/"),
        ("search", "/search/?q=coffee+shop"),
    ]


# The scene gets 100 revisions, so that the diff compares two and both history pages of the
# seeded wiki are full (50 rows), like those of a long history at scale.
EDIT_SCENE = """
from heatwiki.wiki.services import save_page, system_account
from scenes.models import Scene
for n in range(2, 101):
    page = Scene.objects.get(slug="coffee-shop-stand-off")
    data = {**page.current_revision.snapshot}
    data["body"] += f"\\n\\nThe benchmark's edit {n}."
    save_page(page=page, data=data, author=system_account(), summary=f"Benchmark edit {n}")
"""


# The pages loaded show an infobox image, as most pages of a wiki with images do: a file page
# each, its image made with Pillow and thumbnailed as an upload is.
ADD_IMAGES = """
import io
from PIL import Image
from heatwiki.wiki.files import create_file_page
from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.services import save_page, system_account
for n, (kind, slug) in enumerate(
    [("scenes", "coffee-shop-stand-off"), ("people", "al-pacino"), ("locations", "lax")]
):
    out = io.BytesIO()
    Image.new("RGB", (1600, 1000), (40 + 60 * n, 60, 90)).save(out, "JPEG", quality=90)
    image = create_file_page(
        raw=out.getvalue(), author=system_account(), title=f"Benchmark image {n + 1}",
        alt_text="A benchmark image", caption="The benchmark's image", credit="HeatWiki",
        licence="cc0",
    )
    page = kind_model(kind).objects.get(slug=slug)
    data = {**page.current_revision.snapshot, "image": image.pk}
    save_page(page=page, data=data, author=system_account(), summary="Benchmark image")
"""


def hostile_inputs() -> dict[str, str]:
    """The largest allowed body, and inputs that make Markdown parsers slow, each as large as
    the body limits allow."""
    paragraph = (
        "Neil McCauley and [[Vincent Hanna]] meet over *coffee* at a table in **Los Angeles**; "
        "see [the scene](https://example.com/heat) and `code`.\n\n"
    )

    def fill(unit: str, tail: str = "") -> str:
        return unit * ((BODY_MAX_BYTES - len(tail.encode())) // len(unit.encode())) + tail

    def marks(unit: str, per_unit: int) -> str:
        # As many units as the emphasis limit allows, then plain words up to the size limit.
        return (unit * (BODY_MAX_EMPHASIS_MARKS // per_unit) + fill("x "))[:BODY_MAX_BYTES]

    most_lines = BODY_MAX_LINES - 1
    inputs = {
        f"largest allowed body ({BODY_MAX_BYTES // 1000} KB)": fill(paragraph)[:BODY_MAX_BYTES],
        f"{BODY_MAX_BRACKETS:,} unclosed [": ("[" * BODY_MAX_BRACKETS + fill("x "))[
            :BODY_MAX_BYTES
        ],
        "nested brackets [[[…]]]": "[" * BODY_MAX_BRACKETS + "x" + "]" * BODY_MAX_BRACKETS,
        "emphasis runs *a **a ***a": marks("*a **a ***a ", 6),
        "emphasis nested *** … x … ***": (
            "*" * (BODY_MAX_EMPHASIS_MARKS // 2) + "x" + "*" * (BODY_MAX_EMPHASIS_MARKS // 2)
        ),
        "underscore runs _a _a": marks("_a ", 1),
        "strikethrough runs ~~a ~~a": marks("~~a ", 2),
        "nested lists, indented": "".join("  " * i + "- x\n" for i in range(310)),
        "nested lists on one line": fill("- ", "x"),
        f"{most_lines:,} list items": "- a\n" * most_lines,
        f"{most_lines:,} headings": "# a\n" * most_lines,
        f"table of {BODY_MAX_PIPES:,} cells": (
            "|a|b|c|d|e|\n|-|-|-|-|-|\n" + "|a|b|c|d|e|\n" * (BODY_MAX_PIPES // 6 - 2)
        ),
        "block quotes, 10,000 deep": ">" * 10_000 + " x",
        "long backtick runs": fill("`" * 1_000 + "x"),
        "unclosed link destinations": ("[a](" * (BODY_MAX_BRACKETS - 1) + fill("x "))[
            :BODY_MAX_BYTES
        ],
        "autolinks <a@b.c>": ("<a@b.c>" * BODY_MAX_ANGLE_BRACKETS + fill("x "))[:BODY_MAX_BYTES],
        "numeric entities &#&#": fill("&#"),
        "backslash escapes \\#": fill("\\#"),
    }
    return inputs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark page views under gunicorn against the floor, and the Markdown pipeline."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seconds", type=int, default=10, help="per page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument(
            "--database-url",
            default="",
            help="benchmark this database as it is; default: a fresh seeded SQLite file",
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "bench"))
        parser.add_argument(
            "--search-requests", type=int, default=300, help="for search latency, each reader"
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="every page loaded this many times, floor first each round; medians reported",
        )
        parser.add_argument("--saves", type=int, default=100, help="through the edit form")
        parser.add_argument(
            "--layers",
            default="",
            help="anonymous readers send this My Heat choice (e.g. heat.heat-2-novel)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        env = self.server_environment(output, options["database_url"])
        if not options["database_url"]:
            self.prepare_fresh_database(env)
        self.manage(env, "collectstatic", "--noinput", "-v0")
        targets = parse_targets(self.manage(env, "shell", stdin=TARGETS_SCRIPT))
        cookie = targets.pop("cookie")
        editor_cookie = targets.pop("editor_cookie")
        results: dict[str, Any] = {
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "workers": options["workers"],
            "seconds": options["seconds"],
            "rounds": options["rounds"],
            "connections": options["connections"],
            "targets": targets,
            "pages": [],
            "search_latency": {},
            "markdown": [],
        }
        with self.gunicorn(env, options["workers"]) as base_url:
            results["pages"] = self.load_pages(base_url, pages(targets), cookie, options)
            results["search_latency"] = self.time_searches(
                base_url, cookie, options["search_requests"]
            )
            results["search_latency_anonymous"] = self.time_searches(
                base_url, "", options["search_requests"]
            )
            results["saves"] = self.time_saves(base_url, editor_cookie, options["saves"])
        results["markdown"] = self.time_markdown()
        self.report(results, output)

    def server_environment(self, output: Path, database_url: str) -> dict[str, str]:
        """Production settings, as a deployment has them: without DEBUG or this app."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "HEATWIKI_BENCH"))
        }
        env.update(
            DJANGO_DEBUG="off",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_HTTPS="off",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_STATIC_ROOT=str(output / "static"),
            DJANGO_MEDIA_ROOT=str(output / "media"),
            DATABASE_URL=database_url or f"sqlite:///{output / 'bench.sqlite3'}",
            # The benchmark's editor saves far faster than any fan may.
            HEATWIKI_EDIT_RATE="1000000/h",
            HEATWIKI_NEW_ACCOUNT_EDIT_RATE="1000000/h",
        )
        return env

    def manage(self, env: dict[str, str], *command: str, stdin: str | None = None) -> str:
        """Run a management command with the server's environment; return what it printed."""
        return subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            input=stdin,
            text=True,
            check=True,
            stdout=subprocess.PIPE,
        ).stdout

    def prepare_fresh_database(self, env: dict[str, str]) -> None:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        self.manage(env, "migrate", "--noinput", "-v0")
        self.manage(env, "seed_content", "-v0")
        self.manage(env, "shell", stdin=EDIT_SCENE)
        self.manage(env, "shell", stdin=ADD_IMAGES)

    @contextmanager
    def gunicorn(self, env: dict[str, str], workers: int):
        port = free_port()
        server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "heatwiki.wsgi"],
            cwd=settings.BASE_DIR,
            env=server_env,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base_url + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise CommandError("gunicorn did not start.")
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)

    def load_pages(
        self, base_url: str, page_list: list[tuple[str, str]], cookie: str, options: dict
    ) -> list[dict]:
        """Each page anonymously and signed in, in ``rounds`` rounds: each round loads the
        floor first and then every page, so each figure is a ratio to a floor measured
        minutes, not a quarter of an hour, from it. Each page's figures are the medians of its
        rounds' (ratios to that round's floor, rates and latencies alike)."""
        rounds: list[list[dict]] = []
        for number in range(1, options["rounds"] + 1):
            self.stdout.write(f"  round {number} of {options['rounds']}")
            rounds.append(self.load_round(base_url, page_list, cookie, options))
        figures = []
        for index, (name, path) in enumerate(page_list):
            figure: dict[str, Any] = {"name": name, "path": path}
            for column in ("anonymous", "signed_in"):
                loads = [one[index][column] for one in rounds if column in one[index]]
                if loads:
                    figure[column] = {
                        key: round(statistics.median(load[key] for load in loads), 3)
                        for key in loads[0]
                    }
                    figure[column]["rounds"] = [load["ratio_to_floor"] for load in loads]
            figures.append(figure)
        return figures

    def load_round(
        self, base_url: str, page_list: list[tuple[str, str]], cookie: str, options: dict
    ) -> list[dict]:
        figures = []
        for name, path in page_list:
            url = base_url + path
            figure: dict[str, Any] = {"name": name, "path": path}
            # Anonymous readers with a spoiler choice are served their own stored pages.
            anonymous = f"heatwiki_layers={options['layers']}" if options.get("layers") else ""
            for column, session in (("anonymous", anonymous), ("signed_in", cookie)):
                if name == FLOOR[0] and column == "signed_in":
                    continue
                request = urllib.request.Request(
                    url, headers={"Cookie": session} if session else {}
                )
                with urllib.request.urlopen(request) as response:  # fails loudly on a broken page
                    response.read()
                load_options = {"connections": options["connections"], "cookie": session}
                wrk.run(url, seconds=1, **load_options)  # warm up
                load = wrk.run(url, seconds=options["seconds"], **load_options)
                figure[column] = load.__dict__
            figures.append(figure)
            signed_in = figure.get("signed_in", {}).get("requests_per_second", 0)
            self.stdout.write(
                f"    {name:<18} {figure['anonymous']['requests_per_second']:>9.0f} req/s"
                + (f", signed in {signed_in:>7.0f}" if signed_in else "")
            )
        floor = figures[0]["anonymous"]["requests_per_second"]
        for figure in figures:
            for column in ("anonymous", "signed_in"):
                if column in figure:
                    rate = figure[column]["requests_per_second"]
                    figure[column]["ratio_to_floor"] = round(rate / floor, 3)
        return figures

    def time_saves(self, base_url: str, cookie: str, count: int) -> dict:
        """Saves through the edit form, one at a time, against the floor loaded the same way
        (one request at a time) just before."""
        floor = sequential_rate(base_url + "/healthz", 300)
        saves = save_through_form(base_url, SAVED_PAGE, cookie, count)
        figures = {
            "saves": saves.saves,
            "refused": saves.refused,
            "per_second": round(saves.per_second, 1),
            "floor_per_second": round(floor, 1),
            "ratio_to_floor": round(saves.per_second / floor, 3),
        }
        self.stdout.write(
            f"  saves through the edit form: {figures['per_second']}/s, "
            f"{figures['ratio_to_floor']:.2f}× the floor one at a time "
            f"({figures['refused']} refused)"
        )
        return figures

    def time_searches(self, base_url: str, cookie: str, requests: int) -> dict:
        """Search latency as a reader sees it (signed in with ``cookie``, else anonymous), one
        request at a time, varied queries."""
        latencies = []
        for n in range(requests):
            query = SEARCH_QUERIES[n % len(SEARCH_QUERIES)]
            request = urllib.request.Request(
                f"{base_url}/search/?{urlencode({'q': query})}",
                headers={"Cookie": cookie} if cookie else {},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request) as response:
                response.read()
            latencies.append((time.perf_counter() - started) * 1000)
        figures = {
            "requests": requests,
            "queries": len(SEARCH_QUERIES),
            "p50_ms": round(percentile(latencies, 0.50), 2),
            "p95_ms": round(percentile(latencies, 0.95), 2),
        }
        who = "signed in" if cookie else "anonymous"
        self.stdout.write(
            f"  search latency, {who}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
        )
        return figures

    def time_markdown(self) -> list[dict]:
        figures = []
        for name, text in hostile_inputs().items():
            started = time.perf_counter()
            render_unlinked(text)
            seconds = time.perf_counter() - started
            figures.append({"name": name, "bytes": len(text.encode()), "seconds": seconds})
        return figures

    def report(self, results: dict, output: Path) -> None:
        lines = [
            f"HeatWiki benchmark: {results['workers']} gunicorn workers, wrk with "
            f"{results['connections']} connections for {results['seconds']} s per page, "
            f"{results['machine']['cpus']} CPUs; the median of {results['rounds']} rounds, "
            "each a ratio to its round's floor.",
            "",
            "| page | anonymous req/s | p50 ms | p99 ms | × floor "
            "| signed-in req/s | p50 ms | p99 ms | × floor | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page in results["pages"]:
            cells = []
            errors = 0
            for column in ("anonymous", "signed_in"):
                load = page.get(column)
                if load is None:
                    cells += ["", "", "", ""]
                    continue
                errors += load["errors"]
                cells += [
                    f"{load['requests_per_second']:.0f}",
                    f"{load['p50_ms']:.1f}",
                    f"{load['p99_ms']:.1f}",
                    f"{load['ratio_to_floor']:.2f}",
                ]
            lines.append(f"| {page['name']} | " + " | ".join(cells) + f" | {errors} |")
        search = results["search_latency"]
        anonymous = results["search_latency_anonymous"]
        saves = results["saves"]
        lines += [
            "",
            f"Search latency, {search['requests']} sequential requests over "
            f"{search['queries']} queries: signed in p50 {search['p50_ms']:.1f} ms, "
            f"p95 {search['p95_ms']:.1f} ms; anonymous p50 {anonymous['p50_ms']:.1f} ms, "
            f"p95 {anonymous['p95_ms']:.1f} ms.",
            "",
            f"Saves through the edit form ({SAVED_PAGE}), one at a time: "
            f"{saves['per_second']:.1f} a second, {saves['ratio_to_floor']:.3f}× the floor "
            f"loaded one request at a time ({saves['floor_per_second']:.0f}/s); "
            f"{saves['refused']} of {saves['saves']} refused.",
            "",
            "| Markdown input | KB | seconds |",
            "| --- | ---: | ---: |",
        ]
        for item in results["markdown"]:
            slow = " (over 1 s)" if item["seconds"] > 1 else ""
            lines.append(
                f"| {item['name']} | {item['bytes'] / 1000:.0f} | {item['seconds']:.3f}{slow} |"
            )
        text = "\n".join(lines) + "\n"
        self.stdout.write("\n" + text)
        (output / "results.md").write_text(text)
        (output / "results.json").write_text(json.dumps(results, indent=2))
        self.stdout.write(f"Written to {output / 'results.md'} and results.json.")
