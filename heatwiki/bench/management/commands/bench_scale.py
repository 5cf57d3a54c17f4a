"""The benchmark at scale: the seeded wiki, then the same with 100,000 pages and 1,000,000
revisions added, on PostgreSQL, in one run.

It creates (and first drops) the database named in --database-url, migrates and seeds it,
benchmarks it (the baseline), adds synthetic content with synthesize_wiki, benchmarks again,
and compares each page's rate at scale with its baseline. The bars: every page listed in
CHECKED serves signed-in readers at least 1/1.5 of its baseline rate (signed-in pages are
rendered in full every time, so no cache hides the data's size), and search answers within
50 ms at the 95th percentile. Figures go to var/bench/scale.md and scale.json.
"""

import json
import time
from pathlib import Path
from typing import Any

import environ
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from .bench import EDIT_SCENE
from .bench import Command as Bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/heatwiki_bench"
# Pages whose rate at scale must stay within SLOWDOWN_LIMIT of the seeded wiki's.
CHECKED = [
    "home",
    "scene",
    "person",
    "location",
    "character",
    "work",
    "news",
    "history page 1",
    "last history page",
    "recent changes",
    "contributions",
    "search",
]
SLOWDOWN_LIMIT = 1.5
SEARCH_P95_LIMIT_MS = 50.0


def compare(baseline: dict, scale: dict) -> dict:
    """Each page's figures at scale against the baseline's, and the bars they meet.

    Like is compared with like: each phase's figure is its ratio to the floor measured in the
    same phase (the median over its rounds), so a machine busier in one phase than in the
    other does not pass for the data's size. The raw rates are kept beside them."""
    before = {page["name"]: page for page in baseline["pages"]}
    rows = []
    for page in scale["pages"]:
        row: dict[str, Any] = {"name": page["name"], "checked": page["name"] in CHECKED}
        for column in ("anonymous", "signed_in"):
            if column in page and column in before.get(page["name"], {}):
                then, now = before[page["name"]][column], page[column]
                # No ratio when the baseline served nothing in time: the run was too short.
                ratio = (
                    round(now["ratio_to_floor"] / then["ratio_to_floor"], 3)
                    if then["ratio_to_floor"]
                    else None
                )
                row[column] = {
                    "baseline": then["ratio_to_floor"],
                    "scale": now["ratio_to_floor"],
                    "ratio": ratio,
                    "baseline_rate": then["requests_per_second"],
                    "scale_rate": now["requests_per_second"],
                }
        if row["checked"]:
            ratio = row.get("signed_in", {}).get("ratio")
            row["passes"] = ratio is not None and ratio >= 1 / SLOWDOWN_LIMIT
        rows.append(row)
    p95 = scale["search_latency"]["p95_ms"]
    return {
        "pages": rows,
        "search_p95_ms": {"baseline": baseline["search_latency"]["p95_ms"], "scale": p95},
        "search_passes": p95 < SEARCH_P95_LIMIT_MS,
        "passes": all(row.get("passes", True) for row in rows) and p95 < SEARCH_P95_LIMIT_MS,
    }


def report(comparison: dict, synthesis: dict) -> str:
    lines = [
        f"HeatWiki at scale: the seeded wiki (baseline) against the same plus "
        f"{synthesis['pages']:,} synthetic pages and {synthesis['revisions']:,} revisions "
        f"(generated in {synthesis['seconds']:.0f} s), PostgreSQL.",
        "",
        "Each figure is a page's rate as a ratio to the floor measured in the same phase "
        "(the median of its rounds); ratio is the one at scale over the seeded one. "
        f"Bar: signed-in ratio at scale ≥ the seeded one / {SLOWDOWN_LIMIT} for the checked "
        f"pages; search p95 < {SEARCH_P95_LIMIT_MS:.0f} ms.",
        "",
        "| page | anonymous × floor, seeded | at scale | ratio | signed-in × floor, seeded "
        "| at scale | ratio | bar |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in comparison["pages"]:
        cells = []
        for column in ("anonymous", "signed_in"):
            figures = row.get(column)
            if figures:
                cells += [
                    f"{figures['baseline']:.2f}",
                    f"{figures['scale']:.2f}",
                    "—" if figures["ratio"] is None else f"{figures['ratio']:.2f}",
                ]
            else:
                cells += ["", "", ""]
        bar = ("pass" if row["passes"] else "FAIL") if row["checked"] else ""
        lines.append(f"| {row['name']} | " + " | ".join(cells) + f" | {bar} |")
    search = comparison["search_p95_ms"]
    lines += [
        "",
        f"Search p95, signed in: {search['baseline']:.1f} ms on the seeded wiki, "
        f"{search['scale']:.1f} ms at scale: {'pass' if comparison['search_passes'] else 'FAIL'}.",
        "",
        "All bars held." if comparison["passes"] else "Some bars were missed.",
    ]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Benchmark the seeded wiki, add synthetic content, benchmark again and compare."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pages", type=int, default=100_000)
        parser.add_argument("--revisions", type=int, default=1_000_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seconds", type=int, default=10, help="per page and column")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--search-requests", type=int, default=300)
        parser.add_argument("--rounds", type=int, default=3, help="of every page, per phase")
        parser.add_argument("--saves", type=int, default=100, help="through the edit form")
        parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "bench"))

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("bench_scale runs on PostgreSQL: give a postgres:// URL.")
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        self.recreate_database(url)
        bench = Bench(stdout=self.stdout, stderr=self.stderr)
        env = bench.server_environment(output, url)
        self.step("Migrating and seeding")
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "seed_content", "-v0")
        bench.manage(env, "shell", stdin=EDIT_SCENE)
        runs = {}
        bench_options = {
            key: options[key]
            for key in ("workers", "seconds", "connections", "search_requests", "rounds", "saves")
        }
        self.step("Benchmarking the seeded wiki (baseline)")
        call_command(
            "bench", database_url=url, output=str(output / "scale-baseline"), **bench_options
        )
        runs["baseline"] = json.loads((output / "scale-baseline" / "results.json").read_text())
        self.step(f"Adding {options['pages']:,} pages and {options['revisions']:,} revisions")
        started = time.monotonic()
        self.stdout.write(
            bench.manage(
                {**env, "HEATWIKI_BENCH": "on"},  # the server's settings, with this app
                "synthesize_wiki",
                f"--pages={options['pages']}",
                f"--revisions={options['revisions']}",
            )
        )
        synthesis = {
            "pages": options["pages"],
            "revisions": options["revisions"],
            "seconds": time.monotonic() - started,
        }
        self.settle(url)
        self.step("Benchmarking at scale")
        call_command("bench", database_url=url, output=str(output / "scale-after"), **bench_options)
        runs["scale"] = json.loads((output / "scale-after" / "results.json").read_text())
        comparison = compare(runs["baseline"], runs["scale"])
        text = report(comparison, synthesis)
        self.stdout.write("\n" + text)
        (output / "scale.md").write_text(text)
        results = {"synthesis": synthesis, "comparison": comparison, **runs}
        (output / "scale.json").write_text(json.dumps(results, indent=2))
        self.stdout.write(f"Written to {output / 'scale.md'} and scale.json.")
        if not comparison["passes"]:
            raise CommandError("Some bars were missed: see the table above.")

    def step(self, message: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{message}"))

    def settle(self, url: str) -> None:
        """Write the synthesis's dirty pages out now, not while the benchmark runs."""
        try:
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            self.stdout.write("No right to CHECKPOINT: the first figures may be noisier.")

    def recreate_database(self, url: str) -> None:
        """Drop and create the benchmark's database, connected to the server's "postgres"."""
        config = environ.Env.db_url_config(url)
        name = config["NAME"]
        if "bench" not in name:
            # Dropped without asking: never a database that may hold a real wiki.
            raise CommandError(
                f"The benchmark drops and recreates its database; {name!r} has no 'bench' in "
                "its name, so it is left alone. Name a database for the benchmark."
            )
        with psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            quoted = sql.Identifier(name)
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
        self.step(f"Created the database {name}")
