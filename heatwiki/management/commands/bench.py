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
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heatwiki.bench import wrk
from heatwiki.wiki.markdown import BODY_MAX_BRACKETS, BODY_MAX_BYTES, render_unlinked

PAGES = [
    ("floor (/healthz)", "/healthz"),
    ("home", "/"),
    ("scene", "/scenes/coffee-shop-stand-off/"),
    ("person", "/people/al-pacino/"),
    ("location", "/locations/lax/"),
    ("history", "/scenes/coffee-shop-stand-off/history/"),
    ("diff", "/scenes/coffee-shop-stand-off/diff/?from=1&to=2"),
    ("recent changes", "/recent-changes/"),
    ("search", "/search/?q=coffee+shop"),
]

# A second revision, so that the diff compares two.
EDIT_SCENE = """
from heatwiki.wiki.services import save_page, system_account
from scenes.models import Scene
page = Scene.objects.get(slug="coffee-shop-stand-off")
data = {**page.current_revision.snapshot}
data["body"] += "\\n\\nThe benchmark's edit: one more paragraph."
save_page(page=page, data=data, author=system_account(), summary="Benchmark edit")
"""


def hostile_inputs() -> dict[str, str]:
    """The largest allowed body, and inputs that make Markdown parsers slow."""
    paragraph = (
        "Neil McCauley and [[Vincent Hanna]] meet over *coffee* at a table in **Los Angeles**; "
        "see [the scene](https://example.com/heat) and `code`.\n\n"
    )
    largest = (paragraph * (BODY_MAX_BYTES // len(paragraph)))[: BODY_MAX_BYTES - 1]
    filler = "x " * 40_000
    return {
        "largest allowed body (200 KB)": largest,
        f"{BODY_MAX_BRACKETS:,} unclosed [": "[" * BODY_MAX_BRACKETS + filler,
        "nested brackets [[[…]]]": "[" * BODY_MAX_BRACKETS + "x" + "]" * BODY_MAX_BRACKETS,
        "emphasis runs *a **a ***a": "*a **a ***a " * 15_000,
        "nested lists, 300 deep": "".join("  " * i + "- x\n" for i in range(300)),
        "block quotes, 10,000 deep": ">" * 10_000 + " x",
        "long backtick runs": ("`" * 1_000 + "x") * 150,
        "unclosed link destinations": "[a](" * 5_000 + filler,
    }


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

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        env = self.server_environment(output, options["database_url"])
        if not options["database_url"]:
            self.prepare_fresh_database(env)
        self.manage(env, "collectstatic", "--noinput", "-v0")
        results: dict[str, Any] = {
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "workers": options["workers"],
            "seconds": options["seconds"],
            "connections": options["connections"],
            "pages": [],
            "markdown": [],
        }
        with self.gunicorn(env, options["workers"]) as base_url:
            results["pages"] = self.load_pages(base_url, options)
        results["markdown"] = self.time_markdown()
        self.report(results, output)

    def server_environment(self, output: Path, database_url: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL"))
        }
        env.update(
            DJANGO_DEBUG="off",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_HTTPS="off",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_STATIC_ROOT=str(output / "static"),
            DATABASE_URL=database_url or f"sqlite:///{output / 'bench.sqlite3'}",
        )
        return env

    def manage(self, env: dict[str, str], *command: str, stdin: str | None = None) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            input=stdin,
            text=True,
            check=True,
        )

    def prepare_fresh_database(self, env: dict[str, str]) -> None:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        self.manage(env, "migrate", "--noinput", "-v0")
        self.manage(env, "seed_content", "-v0")
        self.manage(env, "shell", stdin=EDIT_SCENE)

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

    def load_pages(self, base_url: str, options: dict) -> list[dict]:
        figures = []
        for name, path in PAGES:
            url = base_url + path
            with urllib.request.urlopen(url) as response:  # fails loudly on a broken page
                response.read()
            wrk.run(url, seconds=1, connections=options["connections"])  # warm up
            load = wrk.run(url, seconds=options["seconds"], connections=options["connections"])
            figures.append({"name": name, "path": path, **load.__dict__})
            self.stdout.write(f"  {name:<18} {load.requests_per_second:>9.0f} req/s")
        floor = figures[0]["requests_per_second"]
        for figure in figures:
            figure["ratio_to_floor"] = round(figure["requests_per_second"] / floor, 3)
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
            f"{results['machine']['cpus']} CPUs.",
            "",
            "| page | req/s | p50 ms | p99 ms | × floor | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page in results["pages"]:
            lines.append(
                f"| {page['name']} | {page['requests_per_second']:.0f} | {page['p50_ms']:.1f} "
                f"| {page['p99_ms']:.1f} | {page['ratio_to_floor']:.2f} | {page['errors']} |"
            )
        lines += ["", "| Markdown input | KB | seconds |", "| --- | ---: | ---: |"]
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
