"""Generate synthetic pages and revisions in bulk, to measure HeatWiki at scale.

``manage.py synthesize_wiki --pages 100000 --revisions 1000000`` adds exactly that many pages
(of every kind) and revisions to whatever the database holds; see heatwiki/bench/synthetic.py.
Run it while nothing else writes to the database: it chooses the ids it writes itself.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heatwiki.bench.synthetic import Synthesizer


class Command(BaseCommand):
    help = "Add synthetic pages of every kind and their revisions in bulk (for benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pages", type=int, default=1_000)
        parser.add_argument("--revisions", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1, help="for the random choices")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        quiet = options["verbosity"] < 1
        try:
            synthesizer = Synthesizer(
                options["pages"],
                options["revisions"],
                seed=options["seed"],
                log=(lambda message: None) if quiet else self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        written = synthesizer.run()
        if not quiet:
            self.stdout.write(
                f"Synthesized {written['pages']:,} pages and {written['revisions']:,} revisions "
                f"in {time.monotonic() - started:.0f} s."
            )
