"""Line diffs of two texts with the changed words marked, as escaped HTML fragments."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class DiffLine:
    """One line of a hunk; ``html`` is the escaped text, changed words in ``<del>``/``<ins>``."""

    kind: str  # "equal", "delete" or "insert"
    old_number: int | None
    new_number: int | None
    html: SafeString


def _segments(old: str, new: str) -> list[tuple[bool, str, str]]:
    """``(changed, old_text, new_text)`` runs covering both strings, word by word."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    segments: list[tuple[bool, str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        old_text, new_text = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if changed and len(segments) >= 2 and segments[-2][0] and segments[-1][1].isspace():
            # Blank space between two changes joins them, so "a b" -> "x y" reads as one change.
            space = segments.pop()[1]
            segments[-1] = (True, segments[-1][1] + space, segments[-1][2] + space)
        if changed and segments and segments[-1][0]:
            segments[-1] = (True, segments[-1][1] + old_text, segments[-1][2] + new_text)
        else:
            segments.append((changed, old_text, new_text))
    return segments


def _mark(segments: list[tuple[bool, str, str]], side: int, tag: str) -> SafeString:
    parts = []
    for changed, *texts in segments:
        text = str(escape(texts[side]))
        parts.append(f"<{tag}>{text}</{tag}>" if changed and text else text)
    # Safe: every piece of user text above went through escape().
    return mark_safe("".join(parts))


def diff_values(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Mark the changed words of a short value: ``(old with <del>, new with <ins>)``."""
    segments = _segments(old, new)
    return _mark(segments, 0, "del"), _mark(segments, 1, "ins")


def _plain(text: str) -> SafeString:
    return mark_safe(str(escape(text)))


def diff_lines(old: str, new: str, context: int = 3) -> list[list[DiffLine]]:
    """Hunks of a line diff with ``context`` unchanged lines around each change."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks: list[list[DiffLine]] = []
    for group in matcher.get_grouped_opcodes(context):
        hunk: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset, line in enumerate(old_lines[i1:i2]):
                    hunk.append(DiffLine("equal", i1 + offset + 1, j1 + offset + 1, _plain(line)))
                continue
            deleted = [_plain(line) for line in old_lines[i1:i2]]
            inserted = [_plain(line) for line in new_lines[j1:j2]]
            if tag == "replace":
                # Lines pair up one to one; the rest of the longer side stays unmarked.
                pairs = zip(old_lines[i1:i2], new_lines[j1:j2], strict=False)
                for n, (before, after) in enumerate(pairs):
                    deleted[n], inserted[n] = diff_values(before, after)
            hunk.extend(DiffLine("delete", i1 + n + 1, None, h) for n, h in enumerate(deleted))
            hunk.extend(DiffLine("insert", None, j1 + n + 1, h) for n, h in enumerate(inserted))
        hunks.append(hunk)
    return hunks
