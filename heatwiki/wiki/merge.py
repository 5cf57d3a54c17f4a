"""Three-way merge of page snapshots: the common ancestor, the revision saved meanwhile, the edit.

A snapshot is a JSON-able dict of field name to value. Scalars merge as a whole, lists (relations)
merge as sets and never conflict, and multi-line text merges line by line.
"""

import json
from dataclasses import dataclass

import merge3

BODY_FIELD = "body"


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed in different ways."""

    field: str
    base: object
    theirs: object
    mine: object


@dataclass(frozen=True)
class MergeResult:
    """The merged snapshot; conflicting fields hold the editor's value."""

    merged: dict
    conflicts: list[Conflict]

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _key(value: object) -> str:
    # Canonical JSON: dict rows compare by content, and 1 / 1.0 / True stay distinct.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _same(a: object, b: object) -> bool:
    return _key(a) == _key(b)


def merge_text(base: str, theirs: str, mine: str) -> tuple[str, bool]:
    """Merge two edits of ``base`` line by line; on overlapping edits return ``(mine, False)``."""
    if theirs == mine or theirs == base:
        return mine, True
    if mine == base:
        return theirs, True
    # A sentinel newline gives every line an ending, so "last line" and "last line + newline"
    # do not differ and the exact ending is restored by dropping the sentinel again.
    base_lines, their_lines, my_lines = (
        (text + "\n").splitlines(keepends=True) for text in (base, theirs, mine)
    )
    merged: list[str] = []
    for group in merge3.Merge3(base_lines, their_lines, my_lines).merge_groups():
        if group[0] == "conflict":
            return mine, False
        merged.extend(group[1])
    text = "".join(merged)
    if not text.endswith("\n"):
        return mine, False
    return text[:-1], True


def _is_multiline(*values: object) -> bool:
    return any(isinstance(value, str) and "\n" in value for value in values)


def _is_relation(*values: object) -> bool:
    return all(value is None or isinstance(value, list) for value in values) and any(
        isinstance(value, list) for value in values
    )


def _merge_relation(base: list | None, theirs: list | None, mine: list | None) -> list:
    base, theirs, mine = base or [], theirs or [], mine or []
    base_keys = {_key(item) for item in base}
    mine_keys = {_key(item) for item in mine}
    removed = base_keys - mine_keys
    result: dict[str, object] = {}
    for item in theirs:
        if _key(item) not in removed:
            result.setdefault(_key(item), item)
    for item in mine:
        if _key(item) not in base_keys:
            result.setdefault(_key(item), item)
    items = list(result.values())
    if all(isinstance(item, int) and not isinstance(item, bool) for item in items):
        return sorted(items)
    return items


def _merge_value(field: str, base: object, theirs: object, mine: object) -> tuple[object, bool]:
    """The merged value of one field and whether it merged without conflict."""
    if _same(mine, base) or _same(theirs, mine):
        return theirs, True
    if _same(theirs, base):
        return mine, True
    if _is_relation(base, theirs, mine):
        return _merge_relation(base, theirs, mine), True
    texts = (base, theirs, mine)
    if all(value is None or isinstance(value, str) for value in texts) and (
        field == BODY_FIELD or _is_multiline(*texts)
    ):
        text, clean = merge_text(*(value or "" for value in texts))
        if clean:
            return text, True
    return mine, False


def merge_snapshots(base: dict, theirs: dict, mine: dict) -> MergeResult:
    """Merge the edit ``mine`` of ``base`` with ``theirs``, saved meanwhile from the same base."""
    merged: dict = {}
    conflicts: list[Conflict] = []
    for field in dict.fromkeys([*theirs, *mine, *base]):
        base_value = base.get(field)
        # A side without the field did not change it.
        their_value = theirs.get(field, base_value)
        my_value = mine.get(field, base_value)
        value, clean = _merge_value(field, base_value, their_value, my_value)
        merged[field] = value
        if not clean:
            conflicts.append(Conflict(field, base_value, their_value, my_value))
    return MergeResult(merged, conflicts)
