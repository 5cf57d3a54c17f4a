"""Values kept in this process's memory under the content generation.

Every change readers can see moves the generation on (heatwiki.pagecache.invalidation), so a
value made under one generation is never older than what it was made from while that
generation lasts. A kept value is read only under the generation it was kept under; the first
value kept under a new one forgets the rest. Kept per process, not in the shared cache: for
what is cheaper to keep than to load again (a frame), or has no business in Redis (an account
with its password hash).
"""

import time
from typing import Any

_everything: list["KeptPerGeneration"] = []


class KeptPerGeneration:
    """At most ``size`` values (the oldest make way), for at most ``seconds`` when given (for
    what a change may not announce)."""

    def __init__(self, size: int, seconds: float | None = None) -> None:
        self.size, self.seconds = size, seconds
        self.forget()
        _everything.append(self)

    def get(self, generation: int, key: Any) -> Any:
        if generation != self.generation or time.monotonic() > self.until:
            return None
        return self.values.get(key)

    def put(self, generation: int, key: Any, value: Any) -> None:
        if generation != self.generation or time.monotonic() > self.until:
            self.forget()
            self.generation = generation
            if self.seconds is not None:
                self.until = time.monotonic() + self.seconds
        if len(self.values) >= self.size:
            self.values.pop(next(iter(self.values)))
        self.values[key] = value

    def forget(self) -> None:
        self.generation: int | None = None
        self.until = float("inf")
        self.values: dict = {}


def forget_everything() -> None:
    """Keep nothing in this process any more (the tests' fresh start)."""
    for kept in _everything:
        kept.forget()
