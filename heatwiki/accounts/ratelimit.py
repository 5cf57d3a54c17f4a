"""Rate limits (edits, uploads, title suggestions), counted where every worker and app server
sees the same number: in Redis when the cache is there (an atomic INCR), otherwise in the
database (``RateCounter``, one atomic statement per hit).

A rate reads "60/h": sixty saves an hour ("100/15m": a hundred in a quarter of an hour).
Accounts younger than a day get the lower rate.
Windows are fixed (this hour, this minute …), which is enough to stop a flood of edits.
"""

import re
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone

from .models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
NEW_ACCOUNT_AGE = timedelta(days=1)
RATE = re.compile(r"(?P<amount>[0-9]+)\s*/\s*(?P<count>[0-9]*)(?P<unit>[smhd])")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/h" → (60, 3600); "100/15m" → (100, 900), as in allauth's rates (ACCOUNT_RATE_LIMITS).

    A malformed rate is a ValueError that quotes it, not a KeyError on the first save.
    """
    match = RATE.fullmatch(rate.strip())
    if not match or int(match["amount"]) < 1 or int(match["count"] or 1) < 1:
        raise ValueError(
            f"Edit rate {rate!r} is not of the form <edits>/<period>, e.g. 60/h or 100/15m "
            "(periods: s, m, h, d)."
        )
    return int(match["amount"]), int(match["count"] or 1) * PERIODS[match["unit"]]


def within_rate(key: str, rate: str) -> bool:
    """Count one hit on ``key``; False once the hits in the current window exceed ``rate``."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    counter_key = f"rate:{key}:{period}:{window}"
    cache = caches["default"]  # looked up per call: each thread has its own connection
    if isinstance(cache, DatabaseCache):
        count = _count_in_database(counter_key, expires=(window + 1) * period)
    else:
        cache.add(counter_key, 0, timeout=period)
        try:
            count = cache.incr(counter_key)
        except ValueError:  # the key expired between add and incr
            cache.set(counter_key, 1, timeout=period)
            count = 1
    return count <= limit


# When this process next removes the counters of windows that have passed.
_next_sweep = 0.0


def _count_in_database(key: str, *, expires: float) -> int:
    """One more hit on ``key``, and the hits so far, in one statement every process agrees on.

    Each process's first hit in a new window also removes the counters of windows that have
    passed (so a busy site sweeps once per window and process, not on every new key).
    """
    global _next_sweep
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    table = quote(RateCounter._meta.db_table)
    key_column, hits_column, expires_column = (quote(name) for name in ("key", "hits", "expires"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {hits_column}, {expires_column}) "
            f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) "
            f"DO UPDATE SET {hits_column} = {table}.{hits_column} + 1 RETURNING {hits_column}",
            [key, adapt(datetime.fromtimestamp(expires, UTC))],
        )
        (hits,) = cursor.fetchone()
        now = time.time()
        if now >= _next_sweep:
            _next_sweep = expires
            cursor.execute(
                f"DELETE FROM {table} WHERE {expires_column} < %s",
                [adapt(datetime.fromtimestamp(now, UTC))],
            )
    return hits


def window_end(rate: str) -> datetime:
    """When the current window of ``rate`` ends, and hits count from zero again."""
    _, period = parse_rate(rate)
    return datetime.fromtimestamp((int(time.time() // period) + 1) * period, tz=UTC)


def seconds_until_next_window(rate: str) -> int:
    """How long until the current window of ``rate`` ends and its count starts again: what a
    429's Retry-After says."""
    _, period = parse_rate(rate)
    return max(1, period - int(time.time()) % period)


def edit_rate(user) -> str:
    """The edit rate that applies to ``user``: lower for accounts younger than a day."""
    is_new = user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
    return settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE if is_new else settings.HEATWIKI_EDIT_RATE


def edit_rate_exceeded(user) -> str | None:
    """Count one save by ``user``; a message when it goes over the rate (saying when saving
    is allowed again), else None."""
    rate = edit_rate(user)
    if within_rate(f"edit:{user.pk}", rate):
        return None
    limit, _ = parse_rate(rate)
    newcomer = (
        " (new accounts have a lower limit for their first day)"
        if rate == settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE
        and user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
        else ""
    )
    return (
        f"You have sent {limit} edits in a short while, the most allowed{newcomer}. "
        f"You can save again from {window_end(rate):%H:%M} UTC."
    )
