"""Rate limits (edits, title suggestions), counted in the cache so that they hold across app
servers (with Redis).

A rate reads "60/h": sixty saves an hour ("100/15m": a hundred in a quarter of an hour).
Accounts younger than a day get the lower rate.
Windows are fixed (this hour, this minute …), which is enough to stop a flood of edits.
"""

import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

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
    window = int(time.time() // period)
    cache_key = f"rate:{key}:{period}:{window}"
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count <= limit


def seconds_until_next_window(rate: str) -> int:
    """How long until the current window of ``rate`` ends and its count starts again: what a
    429's Retry-After says."""
    _, period = parse_rate(rate)
    return max(1, period - int(time.time()) % period)


def edit_rate_exceeded(user) -> str | None:
    """Count one save by ``user``; a message when it goes over the rate, else None."""
    is_new = user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
    rate = settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE if is_new else settings.HEATWIKI_EDIT_RATE
    if within_rate(f"edit:{user.pk}", rate):
        return None
    limit, _ = parse_rate(rate)
    newcomer = " (new accounts have a lower limit for their first day)" if is_new else ""
    return (
        f"You have sent {limit} edits in a short while, the most allowed{newcomer}. "
        "Wait a little before saving again; your work is still in the form if you go back."
    )
