"""How large a page body may be: the limits that keep any body quick to render.

A leaf module: the page model validates bodies with it, and the Markdown pipeline, the editor
and the preview report the same limits, without importing each other.
"""

import math

from django.core.exceptions import ValidationError

# markdown-it-py's time grows with the tokens a body makes, about 10 µs for each list item,
# table cell, link or emphasis mark: a body that is all structure must stay under a second to
# render, on every preview. So bodies are bounded in size and in what makes the most tokens;
# real pages are a fraction of each.
# The largest body, in bytes of UTF-8, that is stored or previewed.
BODY_MAX_BYTES = 100_000
# Lines: each can open a block (a heading, a list item, a quote).
BODY_MAX_LINES = 5_000
# Each "[" may open a link, each "<" an autolink (about 90 µs each: the address is parsed and
# normalised), and each "|" a table cell.
BODY_MAX_BRACKETS = 5_000
BODY_MAX_ANGLE_BRACKETS = 5_000
BODY_MAX_PIPES = 5_000
# Each "*", "_" or "~" is a token of its own until emphasis is matched up.
BODY_MAX_EMPHASIS_MARKS = 20_000


def body_size_error(text: str) -> str | None:
    """The message explaining why ``text`` is too large to render, or None when it fits."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > BODY_MAX_BYTES:
        # Round up, so a text one byte over never reads as "100 KB; the limit is 100 KB".
        return (
            f"The text is {math.ceil(size / 1000):,} KB; "
            f"the limit is {BODY_MAX_BYTES // 1000:,} KB."
        )
    for count, what, limit in (
        (text.count("\n") + 1, "lines", BODY_MAX_LINES),
        (text.count("["), "opening square brackets", BODY_MAX_BRACKETS),
        (text.count("<"), "angle brackets (autolinks)", BODY_MAX_ANGLE_BRACKETS),
        (text.count("|"), "vertical bars (table cells)", BODY_MAX_PIPES),
        (
            text.count("*") + text.count("_") + text.count("~"),
            "emphasis marks (*, _ and ~)",
            BODY_MAX_EMPHASIS_MARKS,
        ),
    ):
        if count > limit:
            return f"The text has {count:,} {what}; the limit is {limit:,}."
    return None


def validate_body_size(value: str) -> None:
    """Django validator: refuses a body over any of the BODY_MAX_* limits."""
    message = body_size_error(value or "")
    if message:
        raise ValidationError(message, code="body_too_large")
